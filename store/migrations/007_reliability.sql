-- The baseline of a source is its first successful sync, whatever it found: every successful discovery
-- sets last_success_at of the source's row ('house', 'senate-efd'), and a source without one has never
-- synced, so its next successful sync is the baseline. Installations that already hold filings of a
-- chamber have synced it: they get their row now, so nothing re-baselines.
INSERT INTO source_state (source, last_success_at)
SELECT CASE chamber WHEN 'house' THEN 'house' ELSE 'senate-efd' END, max(first_seen_at)
  FROM filings GROUP BY chamber
ON CONFLICT (source) DO NOTHING;

-- Rows of an upstream listing (a House index record, a Senate search row) that could not be read. The
-- rest of the listing is ingested; these wait here for an operator (`capitolscope filings rejected`).
-- A row the upstream keeps listing is one record (by the hash of its text), counted each time seen.
CREATE TABLE rejected_listings (
  id            bigserial PRIMARY KEY,
  source        text NOT NULL CHECK (source IN ('house', 'senate')),
  fingerprint   text NOT NULL,
  reason        text NOT NULL,
  row           text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  times_seen    integer NOT NULL DEFAULT 1,
  UNIQUE (source, fingerprint)
);

-- Attempts at a filing begun since its last outcome (stored, not posted yet, failed, or an upstream
-- error). An attempt is counted before it starts, so one that never ends (the activity timed out, a
-- document exhausted memory, the worker died) stays counted; the next hand-out of a filing with
-- FILING_MAX_ATTEMPTS of them marks it failed instead of trying forever. `attempts` keeps counting
-- every attempt, for operators.
ALTER TABLE filings ADD COLUMN open_attempts integer NOT NULL DEFAULT 0;

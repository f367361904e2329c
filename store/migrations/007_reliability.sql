-- The baseline of a source is its first successful sync, whatever it found: every successful discovery
-- sets last_success_at of the source's row ('house', 'senate-efd'), and a source without one has never
-- synced, so its next successful sync is the baseline. Installations that already hold filings of a
-- chamber have synced it: they get their row now, so nothing re-baselines.
INSERT INTO source_state (source, last_success_at)
SELECT CASE chamber WHEN 'house' THEN 'house' ELSE 'senate-efd' END, max(first_seen_at)
  FROM filings GROUP BY chamber
ON CONFLICT (source) DO NOTHING;

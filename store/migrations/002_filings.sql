-- Per-upstream bookkeeping: conditional-request validators and the last successful sync.
CREATE TABLE source_state (
  source          text PRIMARY KEY,
  etag            text,
  last_modified   text,
  last_success_at timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE filings (
  id               bigserial PRIMARY KEY,
  chamber          text NOT NULL CHECK (chamber IN ('house', 'senate')),
  source_id        text NOT NULL,
  filer_name       text NOT NULL,
  state_district   text,
  year             integer,
  filed_date       date,
  kind             text CHECK (kind IN ('electronic', 'paper')),
  status           text NOT NULL DEFAULT 'discovered'
                   CHECK (status IN ('discovered', 'parsed', 'paper', 'not_posted', 'failed')),
  failure_reason   text,
  raw_url          text NOT NULL,
  sha256           text,
  amendment        boolean NOT NULL DEFAULT false,
  amends_filing_id bigint REFERENCES filings (id),
  -- Filings found by the first sync of a source on an empty store: stored, never alerted on.
  baseline         boolean NOT NULL DEFAULT false,
  attempts         integer NOT NULL DEFAULT 0,
  first_seen_at    timestamptz NOT NULL DEFAULT now(),
  last_tried_at    timestamptz,
  parsed_at        timestamptz,
  -- Set once the filing's rows were matched against the rules, so a crashed sync's filings are matched later.
  matched_at       timestamptz,
  UNIQUE (chamber, source_id)
);
CREATE INDEX filings_pending ON filings (chamber, status) WHERE status IN ('discovered', 'not_posted');
CREATE INDEX filings_unmatched ON filings (id) WHERE matched_at IS NULL AND status = 'parsed';
CREATE INDEX filings_filer ON filings (chamber, lower(filer_name));

CREATE TABLE transactions (
  id                bigserial PRIMARY KEY,
  filing_id         bigint NOT NULL REFERENCES filings (id) ON DELETE CASCADE,
  -- Stable identity of a row within its filing: re-ingesting the same filing inserts nothing.
  row_key           text NOT NULL,
  ordinal           integer NOT NULL,
  owner             text NOT NULL CHECK (owner IN ('self', 'spouse', 'joint', 'dependent')),
  asset_name        text NOT NULL,
  ticker            text,
  asset_type        text,
  transaction_type  text NOT NULL CHECK (transaction_type IN ('purchase', 'sale', 'sale_partial', 'exchange')),
  transaction_date  date,
  notification_date date,
  amount_min        bigint,
  amount_max        bigint,
  filing_status     text,
  description       text,
  comment           text,
  subholding_of     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (filing_id, row_key)
);
CREATE INDEX transactions_ticker ON transactions (ticker) WHERE ticker IS NOT NULL;

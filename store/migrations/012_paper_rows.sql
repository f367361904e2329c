-- Rows read from scanned paper filings (OCR). Such a row keeps what was read and how sure each field
-- is; the columns alerting reads hold only what was read with high confidence: `ticker` only when the
-- asset name resolved to one known issuer, `transaction_type` and the amount only when their boxes were
-- read clearly (else NULL, which no ticker, type or size rule matches). Member, party and chamber rules
-- still match: the member comes from the Clerk's index, not from the scan.
ALTER TABLE transactions ADD COLUMN read_from_scan boolean NOT NULL DEFAULT false;
-- Per field, 0..1: owner, assetName, ticker, transactionType, transactionDate, notificationDate, amount.
ALTER TABLE transactions ADD COLUMN scan_confidence jsonb;
-- The reading itself, whatever its confidence: ticker, transactionType, amountMin, amountMax, page, row.
ALTER TABLE transactions ADD COLUMN scan_reading jsonb;
ALTER TABLE transactions ALTER COLUMN transaction_type DROP NOT NULL;
ALTER TABLE transactions ADD CONSTRAINT transactions_type_known
  CHECK (transaction_type IS NOT NULL OR read_from_scan);

-- What reading a paper filing's scan found: pages, form pages, turns, header answers, lowest confidence.
ALTER TABLE filings ADD COLUMN scan jsonb;

-- Operators' corrections of rows read from scans (`capitolscope filings correct`), kept apart from the
-- reading: one row per field changed, with the value before and after.
CREATE TABLE paper_corrections (
  id             bigserial PRIMARY KEY,
  transaction_id bigint NOT NULL REFERENCES transactions (id) ON DELETE CASCADE,
  field          text NOT NULL,
  before         jsonb,
  after          jsonb,
  corrected_by   text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX paper_corrections_transaction ON paper_corrections (transaction_id);

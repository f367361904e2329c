-- The ticker received in an exchange (a Senate exchange pair: `ticker` is the holding given up), so a
-- rule following either side of the exchange matches. Null on every other row; not part of row_key, so
-- the identity of rows already stored does not change.
ALTER TABLE transactions ADD COLUMN received_ticker text;
CREATE INDEX transactions_received_ticker ON transactions (received_ticker) WHERE received_ticker IS NOT NULL;

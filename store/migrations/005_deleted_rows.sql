-- A House row marked Deleted (it withdraws a trade of an earlier report) is stored with filing_status
-- 'deleted', so a user alerted about the original trade can be told it was withdrawn. The column was
-- free text; this names its values. NULL (Senate rows, a status the parser could not read) still passes.
-- row_key is unchanged for every row already stored: only deleted rows (never stored before) end in
-- '|deleted'.
ALTER TABLE transactions ADD CONSTRAINT transactions_filing_status_check
  CHECK (filing_status IN ('new', 'amended', 'deleted'));
COMMENT ON COLUMN transactions.filing_status IS
  'House per row: new | amended | deleted (withdraws a trade of the amended filing; never alerted on); Senate NULL';

-- When an operator last put a filing or a notification back in the queue (`capitolscope filings retry`,
-- `capitolscope notifications retry`). It restarts the give-up clocks without touching what alerting
-- reads: a filing's 14-day window to get its document runs from COALESCE(retried_at, first_seen_at),
-- while matching keeps reading first_seen_at (which rules apply, how old the filing was when seen); a
-- pending notification expires 7 days after COALESCE(retried_at, created_at). NULL: never retried.
ALTER TABLE filings ADD COLUMN retried_at timestamptz;
ALTER TABLE notifications ADD COLUMN retried_at timestamptz;

-- Delivery holds no transaction while it talks to SMTP. A sender first claims a user's due rows
-- (status `sending`, one Message-ID, its claim owner) and commits; then sends; then marks them `sent`.
-- A retry of the same sender (the same owner) finds its claim still `sending` and sends exactly that
-- set again, with the same Message-ID. A claim whose owner stopped trying (its run terminated) is
-- stale after an hour without an attempt and is taken over, Message-ID kept.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
  CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'suppressed'));
-- Who claimed the row: the batch run and user (`<workflow id>/<run id>/<user id>`). Kept after the send,
-- so a repeated call of the same sender finds its claim done instead of claiming newer rows.
ALTER TABLE notifications ADD COLUMN claim_owner text;
-- When the claim was made or last attempted.
ALTER TABLE notifications ADD COLUMN claimed_at timestamptz;
CREATE INDEX notifications_sending ON notifications (claimed_at) WHERE status = 'sending';

-- When a user's status last changed is how `users reactivate --suppressed-since` finds a wrong suppression.
CREATE INDEX users_suppressed ON users (status_changed_at) WHERE status = 'suppressed';

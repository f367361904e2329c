-- Health checks and the admin alerts they raise.

-- `warning` is the name of the middle status; rows written before it say `warn`. The constraint keeps
-- accepting `warn` so workers of the previous release go on storing during a rolling deploy; readers
-- treat both alike.
ALTER TABLE health_checks DROP CONSTRAINT IF EXISTS health_checks_status_check;
ALTER TABLE health_checks ADD CONSTRAINT health_checks_status_check
  CHECK (status IN ('ok', 'warn', 'warning', 'critical'));
UPDATE health_checks SET status = 'warning' WHERE status = 'warn';
UPDATE health_checks
   SET checks = (SELECT jsonb_agg(CASE WHEN c->>'status' = 'warn' THEN jsonb_set(c, '{status}', '"warning"') ELSE c END)
                   FROM jsonb_array_elements(checks) c)
 WHERE checks @> '[{"status": "warn"}]';
-- Which workflow reported the result: SystemHealthWorkflow, UpstreamHealthWorkflow, or another that
-- reports a check of its own (a backup).
ALTER TABLE health_checks ADD COLUMN workflow_type text;
CREATE INDEX health_checks_type_time ON health_checks (workflow_type, checked_at DESC);

-- The latest state of each check by name, and what admins were told about it. A result updates only
-- the checks it contains. Kept in the database so a restarted worker repeats no email.
CREATE TABLE health_check_state (
  name               text PRIMARY KEY,
  status             text NOT NULL CHECK (status IN ('ok', 'warning', 'critical')),
  -- When the current status began; when the check left ok (NULL while ok).
  since              timestamptz NOT NULL,
  problem_since      timestamptz,
  last_announced_at  timestamptz,
  -- Status changes within the last hour, and whether admins were told it flaps (then kept quiet).
  recent_changes     timestamptz[] NOT NULL DEFAULT '{}',
  flapping           boolean NOT NULL DEFAULT false,
  -- The latest result of the check, for `capitolscope status` and the pollers check ("none for two runs").
  last_result        jsonb NOT NULL,
  last_checked_at    timestamptz NOT NULL,
  last_health_check_id bigint REFERENCES health_checks (id) ON DELETE SET NULL
);

-- Admin emails, one per result and recipient, written in the transaction that evaluated the result
-- and sent afterwards: a relay that is down delays the email (it is retried by the next result
-- stored) but loses nothing, and a retried activity finds the email already written.
CREATE TABLE admin_alert_emails (
  id               bigserial PRIMARY KEY,
  health_check_id  bigint NOT NULL REFERENCES health_checks (id) ON DELETE CASCADE,
  recipient        text NOT NULL,
  subject          text NOT NULL,
  text_body        text NOT NULL,
  html_body        text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  -- A sender holds an email until then; a sender that died leaves it to the next one afterwards.
  claimed_until    timestamptz,
  created_at       timestamptz NOT NULL,
  sent_at          timestamptz,
  UNIQUE (health_check_id, recipient)
);
CREATE INDEX admin_alert_emails_pending ON admin_alert_emails (id) WHERE status = 'pending';

-- When a filing or a notification last became `failed`, for the health checks' "failed in the last
-- day". A trigger sets it, so every path that marks them failed (ingestion, delivery, expiry, and
-- any added later) is counted without knowing about health checks.
ALTER TABLE filings ADD COLUMN failed_at timestamptz;
ALTER TABLE notifications ADD COLUMN failed_at timestamptz;
CREATE FUNCTION set_failed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'failed' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'failed') THEN
    NEW.failed_at := now();
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER filings_failed_at BEFORE INSERT OR UPDATE OF status ON filings
  FOR EACH ROW EXECUTE FUNCTION set_failed_at();
CREATE TRIGGER notifications_failed_at BEFORE INSERT OR UPDATE OF status ON notifications
  FOR EACH ROW EXECUTE FUNCTION set_failed_at();
CREATE INDEX filings_failed ON filings (failed_at) WHERE status = 'failed';
CREATE INDEX notifications_failed ON notifications (failed_at) WHERE status = 'failed';

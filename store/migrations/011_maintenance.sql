-- Nightly maintenance, weekly clean-up and the administrators' reports.

-- Every backup taken (daily-maintenance or `capitolscope backup`): the file in BACKUP_DIR, its size
-- and duration, and what reading it back found. One row per file; a retried run updates its row.
CREATE TABLE backups (
  id               bigserial PRIMARY KEY,
  file             text NOT NULL UNIQUE,
  directory        text NOT NULL,
  status           text NOT NULL DEFAULT 'running'
                   CHECK (status IN ('running', 'written', 'verified', 'unverified', 'failed')),
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  bytes            bigint,
  duration_ms      integer,
  pg_dump_version  text,
  server_version   text,
  tables_expected  integer,
  tables_listed    integer,
  error            text,
  workflow_id      text,
  verified_at      timestamptz,
  -- Set when retention deleted the file.
  removed_at       timestamptz
);
CREATE INDEX backups_started_at ON backups (started_at DESC);

-- Table sizes and dead-row ratios as daily-maintenance measured them, for trends.
CREATE TABLE table_stats (
  id           bigserial PRIMARY KEY,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  -- The run that measured them: a retried activity rewrites its own rows.
  run_id       text NOT NULL,
  table_name   text NOT NULL,
  total_bytes  bigint NOT NULL,
  live_rows    bigint NOT NULL,
  dead_rows    bigint NOT NULL,
  dead_ratio   double precision NOT NULL,
  UNIQUE (run_id, table_name)
);
CREATE INDEX table_stats_recorded_at ON table_stats (recorded_at);

-- Analytics reports, one per period; re-running a period replaces its content.
CREATE TABLE reports (
  id           bigserial PRIMARY KEY,
  period       text NOT NULL CHECK (period IN ('day', 'week')),
  period_from  date NOT NULL,
  period_to    date NOT NULL,
  timezone     text NOT NULL,
  content      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (period, period_from)
);

-- Which administrator got which report: a retried send skips those already sent.
CREATE TABLE report_deliveries (
  report_id   bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  email       text NOT NULL,
  message_id  text NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (report_id, email)
);

-- Users removed (`users remove`), counted by the reports. No address is kept.
CREATE TABLE user_removals (
  id               bigserial PRIMARY KEY,
  user_id          bigint NOT NULL,
  user_created_at  timestamptz,
  removed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_removals_removed_at ON user_removals (removed_at);

CREATE FUNCTION record_user_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO user_removals (user_id, user_created_at) VALUES (OLD.id, OLD.created_at);
  RETURN OLD;
END $$;
CREATE TRIGGER users_record_removal AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION record_user_removal();

-- Weekly clean-up clears the bulky columns (reasons, rule ids, last error) of old delivered or
-- suppressed notifications, and keeps the (user, transaction) row that de-duplication needs.
ALTER TABLE notifications ADD COLUMN body_cleared_at timestamptz;
CREATE INDEX notifications_body_uncleared ON notifications ((COALESCE(sent_at, created_at)))
  WHERE body_cleared_at IS NULL AND status IN ('sent', 'suppressed');

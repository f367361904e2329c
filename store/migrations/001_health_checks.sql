-- Results of SystemHealthWorkflow runs, kept for the status command and trend queries.
CREATE TABLE health_checks (
  id           bigserial PRIMARY KEY,
  checked_at   timestamptz NOT NULL DEFAULT now(),
  workflow_id  text,
  run_id       text,
  status       text NOT NULL CHECK (status IN ('ok', 'warn', 'critical')),
  checks       jsonb NOT NULL,
  UNIQUE (workflow_id, run_id)
);
CREATE INDEX health_checks_checked_at ON health_checks (checked_at DESC);

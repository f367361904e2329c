CREATE TABLE members (
  bioguide_id text PRIMARY KEY,
  full_name   text NOT NULL,
  last_name   text,
  party       text CHECK (party IN ('D', 'R', 'I')),
  state       text,
  district    text,
  chamber     text CHECK (chamber IN ('house', 'senate')),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE filings ADD COLUMN member_id text REFERENCES members (bioguide_id);

CREATE TABLE users (
  id               bigserial PRIMARY KEY,
  email            text NOT NULL,
  timezone         text NOT NULL DEFAULT 'America/New_York',
  digest           text NOT NULL DEFAULT 'instant' CHECK (digest IN ('instant', 'daily', 'weekly')),
  quiet_start      smallint CHECK (quiet_start BETWEEN 0 AND 23),
  quiet_end        smallint CHECK (quiet_end BETWEEN 0 AND 23),
  digest_hour      smallint NOT NULL DEFAULT 8 CHECK (digest_hour BETWEEN 0 AND 23),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'unsubscribed', 'suppressed')),
  status_reason    text,
  status_changed_at timestamptz,
  last_digest_at   timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE alert_rules (
  id               bigserial PRIMARY KEY,
  user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  member           text,
  ticker           text,
  party            text CHECK (party IN ('D', 'R', 'I')),
  chamber          text CHECK (chamber IN ('house', 'senate')),
  transaction_type text CHECK (transaction_type IN ('purchase', 'sale')),
  min_amount       bigint CHECK (min_amount >= 0),
  -- How the rule reads to its user; quoted in alerts as the reason a trade matched.
  label            text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- One user cannot hold the same rule twice: re-importing a file changes nothing.
  rule_key         text NOT NULL,
  UNIQUE (user_id, rule_key)
);

CREATE TABLE notifications (
  id             bigserial PRIMARY KEY,
  user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  transaction_id bigint NOT NULL REFERENCES transactions (id) ON DELETE CASCADE,
  kind           text NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', 'correction')),
  -- For a correction: the earlier row (of the amended filing) the user was alerted about.
  corrects_transaction_id bigint REFERENCES transactions (id) ON DELETE SET NULL,
  rule_ids       bigint[] NOT NULL,
  reasons        text[] NOT NULL,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'suppressed')),
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text,
  deliver_after  timestamptz NOT NULL DEFAULT now(),
  sync_id        text,
  message_id     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  sent_at        timestamptz,
  -- The durable record that this user was (or will be) told about this trade, exactly once.
  UNIQUE (user_id, transaction_id)
);
CREATE INDEX notifications_pending ON notifications (deliver_after) WHERE status = 'pending';
CREATE INDEX notifications_user ON notifications (user_id, status);

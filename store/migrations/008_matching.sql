-- Matching finds the rules a trade can satisfy through indexes, instead of testing every rule against
-- every trade: ticker rules by ticker, member rules by a key word of the member name (or by bioguide
-- id), and only the few broad rules (party, chamber, type, amount alone) are tried against every trade.
-- Whether a candidate rule really holds is still decided by one condition (`ruleHolds` in
-- store/matching.ts); these keys only narrow the rules worth asking.

-- The words of a name, lower-cased, punctuation dropped: 'Hon. Nancy Pelosi' → {hon,nancy,pelosi}.
-- A member rule holds by name when all of its words are among the filer's. Plain SQL, so the planner
-- inlines it wherever it is called. Stored keys below were computed with it: changing it means
-- recomputing them (UPDATE alert_rules SET member = member rewrites the generated columns).
CREATE FUNCTION name_words(name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_remove(regexp_split_to_array(lower(name), '[^a-z0-9]+'), '') $$;

-- One word every filer a member rule names must have: the longest word of the rule's member (its last
-- one on a tie), usually the surname ('Nancy Pelosi' → pelosi, 'Beyer Jr.' → beyer, 'P000197' →
-- p000197). NULL when the member has no word at all: such a rule holds for every filer by name, so it
-- counts among the broad rules. It calls name_words, so it carries the schema it was made in: a restore
-- (pg_restore runs with an empty search_path) recomputes the generated column below with it.
CREATE FUNCTION name_key(name text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  SET search_path FROM CURRENT
  AS $$
DECLARE
  word text;
  best text;
BEGIN
  FOREACH word IN ARRAY coalesce(name_words(name), '{}') LOOP
    IF best IS NULL OR length(word) >= length(best) THEN best := word; END IF;
  END LOOP;
  RETURN best;
END $$;

-- Computed once when the rule is saved, whatever saves it: the words of the member, which must all be
-- among the filer's, and the key word that finds the rule.
ALTER TABLE alert_rules
  ADD COLUMN member_words text[] GENERATED ALWAYS AS (name_words(member)) STORED,
  ADD COLUMN member_key text GENERATED ALWAYS AS (name_key(member)) STORED;

-- Each rule is found through exactly one of these (the predicates are disjoint where it matters):
-- a rule with a ticker by its ticker (the trade's, or the one received in an exchange);
CREATE INDEX alert_rules_ticker ON alert_rules (ticker) WHERE ticker IS NOT NULL;
-- a member rule without a ticker by its key word among the filer's words,
CREATE INDEX alert_rules_member_key ON alert_rules (member_key) WHERE ticker IS NULL AND member_key IS NOT NULL;
-- or by bioguide id (`--member P000197` holds for filings linked to that member);
CREATE INDEX alert_rules_member_id ON alert_rules (upper(member)) WHERE ticker IS NULL AND member_key IS NOT NULL;
-- and the broad rules, read in full once per match.
CREATE INDEX alert_rules_broad ON alert_rules (id) WHERE ticker IS NULL AND member_key IS NULL;

-- Amendments look up who was alerted about the trade they restate.
CREATE INDEX notifications_transaction ON notifications (transaction_id);

#!/bin/sh
# Create or upgrade Temporal's own databases (persistence and visibility) on the temporal-db PostgreSQL.
# Idempotent: an existing database is kept, and update-schema applies only the versions it lacks, so
# this runs safely on every `docker compose up` and after a Temporal server upgrade.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
port=${DB_PORT:-5432}
schema_dir=/etc/temporal/schema/postgresql/v12

sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"
}

for db in temporal temporal_visibility; do
  case $db in
    temporal) versioned=$schema_dir/temporal/versioned ;;
    *) versioned=$schema_dir/visibility/versioned ;;
  esac
  echo "temporal-schema: $db"
  sql --db "$db" create
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$versioned"
done
echo 'temporal-schema: done'

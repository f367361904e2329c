# syntax=docker/dockerfile:1
#
# CapitolScope Scheduler: one image for every role. The command picks the role:
#   worker [--queue <name>]...   Temporal workers (default: all task queues)
#   serve                        public endpoints (/unsubscribe, /healthz) on HTTP_PORT
#   migrate | schedules apply    one-shot deploy steps
#   status | health | schedules list | ...   operator commands
#
# The TypeScript sources run directly through tsx (a runtime dependency): there is no build step,
# so the image holds the sources and the production node_modules, nothing else.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- dependencies ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app

# The npm the lockfile was written with. It reads package.json "allowScripts" (the reviewed list of
# dependencies whose install scripts may run) and reports any it has not seen; the npm bundled with
# Node 20 ignores that list. Never add --ignore-scripts: esbuild (tsx), @swc/core (the workflow
# bundler) and protobufjs need their install scripts.
ARG NPM_VERSION=11.19.1
RUN npm install --global --no-audit --no-fund "npm@${NPM_VERSION}"

COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --no-audit --no-fund

# --- runtime -----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

# Temporal's native client verifies TLS (Temporal Cloud, TEMPORAL_TLS=true) against the system CA store,
# which the slim image does not ship. The nightly backup needs pg_dump and pg_restore of the database
# server's major version (PG_MAJOR; bookworm carries 15), and the report's chart a font.
ARG PG_MAJOR=15
RUN apt-get update \
 && apt-get install --yes --no-install-recommends ca-certificates "postgresql-client-${PG_MAJOR}" fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    DATA_DIR=/var/lib/capitolscope \
    BACKUP_DIR=/var/lib/capitolscope/backups \
    PG_BIN_DIR=/usr/lib/postgresql/${PG_MAJOR}/bin

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY sources ./sources
COPY store ./store
COPY mail ./mail
COPY workers ./workers
COPY schedules ./schedules
COPY cli ./cli
COPY ops ./ops

# Code and dependencies stay root-owned and read-only to the service user; only DATA_DIR is its own.
RUN install -d -o node -g node -m 0750 /var/lib/capitolscope \
 && install -d -o node -g node -m 0700 /var/lib/capitolscope/backups
# BACKUP_DIR: mount a volume there so backups outlive the container (docker-compose.yml: `backups`).
USER node

# 9464: worker /healthz and /metrics (WORKER_HTTP_PORT); 8080: `serve` (HTTP_PORT).
EXPOSE 9464 8080

# Workers stop polling on SIGTERM and let in-flight activities finish for SHUTDOWN_GRACE_SECONDS
# (default 60): give the container longer than that before it is killed (compose: stop_grace_period 90s,
# `docker stop --time 90`).
STOPSIGNAL SIGTERM

# Healthy when the worker's /healthz (WORKER_HTTP_PORT) or, for `serve`, the public /healthz (HTTP_PORT)
# answers 200. A worker that is starting, draining or failed answers 503 and serves nothing on HTTP_PORT.
# Bundling the workflow code takes a while on first start, hence the start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "const ok = (port) => fetch('http://127.0.0.1:' + port + '/healthz').then((r) => r.ok, () => false); ok(process.env.WORKER_HTTP_PORT || 9464).then((w) => w || ok(process.env.HTTP_PORT || 8080)).then((healthy) => process.exit(healthy ? 0 : 1))"]

ENTRYPOINT ["node", "bin/capitolscope.js"]
CMD ["worker"]

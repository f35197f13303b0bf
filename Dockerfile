# syntax=docker/dockerfile:1
# Evidence Ledger service image.
#   build:   every dependency (dev ones included), `npm ci` compiles (its `prepare` runs
#            `npm run build`), then production dependencies only and no sources are kept;
#   runtime: node, the compiled workspaces and their production node_modules, owned by root
#            and run as the unprivileged `node` user. The service writes nothing outside /data
#            (store, signing key, archive) and /tmp, so it runs with a read-only root
#            filesystem: `docker run --read-only --tmpfs /tmp -v ledger-data:/data …`.
ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
COPY bench ./bench
COPY bin ./bin
COPY evidence-templates ./evidence-templates
COPY schemas ./schemas
RUN npm ci --no-audit --no-fund \
  && npm prune --omit=dev --ignore-scripts \
  && rm -rf bench libs/*/src apps/*/src libs/*/tsconfig.json apps/*/tsconfig.json libs/*/dist/.tsbuildinfo apps/*/dist/.tsbuildinfo \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  PORT=3000 \
  LEDGER_STORE=sqlite:/data/ledger.db \
  LEDGER_KEY_FILE=/data/ledger.key \
  LEDGER_ARCHIVE=/data/archive
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# A 64 MiB young generation: fewer scavenges under ingest load (docs/benchmarks.md).
CMD ["node", "--max-semi-space-size=64", "apps/ledger/dist/main.js"]

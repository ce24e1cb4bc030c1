# Nines collector image (also carries the bundled agent for the example agent service in docker-compose.yml).
# Build: docker build -t nines .    Run: see docker-compose.yml and docs/install.md.
# Node.js 22, the LTS line the agent executables are built on (NODE_LINE in agent/build.mjs; a test keeps the
# two equal). The patch release follows the official image's tag, so a rebuild picks up security fixes.
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: dependencies (better-sqlite3 compiles here if no prebuilt binary fits), then every bundle:
#     collector/dist (the collector with better_sqlite3.node for this image's Node), dashboard/dist, agent/dist
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY agent/package.json agent/
COPY collector/package.json collector/
COPY dashboard/package.json dashboard/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: the same base image, so better_sqlite3.node matches its Node.js and glibc. No node_modules at all:
#     the bundles carry every JavaScript dependency, no TypeScript loader, no dev dependency, no compiler.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    NINES_HOST=0.0.0.0 \
    NINES_PORT=8080 \
    NINES_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/collector/dist /app/collector/dist
COPY --from=build --chown=root:root /app/dashboard/dist /app/dashboard/dist
COPY --from=build --chown=root:root /app/agent/dist /app/agent/dist
COPY --from=build --chown=root:root /app/deploy/docker /app/deploy/docker
RUN mkdir -p /data /agent-state && chown node:node /data /agent-state
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) closes agent sockets with "going away", finishes requests and closes the database.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "collector/dist/nines-collector.mjs"]
CMD ["serve"]

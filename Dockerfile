# Nines collector image (also carries the bundled agent for the example agent service in docker-compose.yml).
# Build: docker build -t nines .    Run: see docker-compose.yml and docs/install.md.

# --- build: dependencies (better-sqlite3 compiles here if no prebuilt binary fits), dashboard and agent bundles
FROM node:20-bookworm-slim AS build
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

# --- runtime: same base image, so the native better-sqlite3 module matches; no compilers
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NINES_HOST=0.0.0.0 \
    NINES_PORT=8080 \
    NINES_DATA_DIR=/data
WORKDIR /app
# The collector runs its TypeScript through tsx (a dev dependency), so node_modules is copied whole.
COPY --from=build --chown=root:root /app /app
RUN mkdir -p /data /agent-state && chown node:node /data /agent-state
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) closes agent sockets with "going away", finishes requests and closes the database.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "collector/bin/nines-collector.mjs"]
CMD ["serve"]

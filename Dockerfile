# Pollcast in a container: `docker build -t pollcast .`, then
# `docker run -p 3000:3000 -v pollcast-data:/app/data pollcast` (SQLite in the volume, local OCR).

# Build stage: the full type-checked build, then only the packages that run.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its addon where npm cannot fetch a prebuilt one.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The SQLite file and the generated session secret live in the volume, owned by the unprivileged user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
ENV DATABASE_URL=sqlite:/app/data/pollcast.db PORT=3000
VOLUME ["/app/data"]
EXPOSE 3000
# Ready means the database answers and the server is not stopping (GET /readyz).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is process 1 and receives SIGTERM: Pollcast drains (readiness fails, votes in flight
# are written, viewers told to reconnect) and exits within SHUTDOWN_GRACE_MS.
CMD ["node", "dist/server.js"]

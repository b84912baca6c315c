# syntax=docker/dockerfile:1
# OneBot Gateway in a container: the sandbox (or a relay, see examples/README.md) on 0.0.0.0,
# its config in the /config volume (written on first start when missing).
#
#   docker build -t onebot-gateway .
#   docker run -d --name onebot-gateway -v onebot-config:/config \
#     -e ONEBOT_ACCESS_TOKEN=change-me -p 3000-3002:3000-3002 onebot-gateway
#
# Environment (read by docker/entrypoint.sh when it writes the first config):
# ONEBOT_RELAY_URL, ONEBOT_RELAY_TOKEN, ONEBOT_ACCESS_TOKEN, ONEBOT_ADMIN_TOKEN.

ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true
WORKDIR /repo
# The pnpm the repository pins (package.json "packageManager").
COPY package.json ./
RUN npm install --global --no-audit --no-fund "$(node -p "require('./package.json').packageManager.split('+')[0]")"
# Dependencies first, from the lockfile alone: this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
# The gateway and every workspace package it uses, each by its own build script (the dashboard's
# runs Vite besides tsc), dependencies first.
RUN pnpm --filter "@onebot-gateway/gateway..." run build
# The gateway with its production dependencies only; workspace packages as they publish (their `files`).
RUN pnpm --filter @onebot-gateway/gateway deploy --prod --legacy /out

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    ONEBOT_CONFIG=/config/onebot11.json
WORKDIR /app
COPY --from=build /out ./
COPY docker/entrypoint.sh docker/healthcheck.mjs ./docker/
RUN chmod 0755 /app/dist/cli.js /app/docker/entrypoint.sh \
 && ln -s /app/dist/cli.js /usr/local/bin/onebot-gateway \
 && mkdir -p /config \
 && chown node:node /config
# The image's own unprivileged user (uid 1000); /config must be writable by it.
USER node
VOLUME /config
# The starting config's ports. Sandbox: HTTP API 3000, WebSocket 3001, SSE 3002, admin API 6099.
# Relay (ONEBOT_RELAY_URL set): 3100, 3101, 3102 and 6100, clear of NapCat's own 3000/3001/6099.
EXPOSE 3000 3001 3002 6099 3100 3101 3102 6100
# From inside the container, on 127.0.0.1 (the admin API's Host guard serves loopback), with the config's token.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/docker/healthcheck.mjs"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]

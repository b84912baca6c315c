#!/bin/sh
# Container entrypoint: runs the gateway on $ONEBOT_CONFIG (default /config/onebot11.json),
# writing a starting config there first when the file does not exist. The starting config
# listens on 0.0.0.0 (reachable through published ports) and is chosen by environment:
#   ONEBOT_RELAY_URL      relay in front of this OneBot 11 forward WebSocket (else: the sandbox)
#   ONEBOT_RELAY_TOKEN    that implementation's access token
#   ONEBOT_ACCESS_TOKEN   token of every adapter (set it: the adapters listen on 0.0.0.0)
#   ONEBOT_ADMIN_TOKEN    admin API token; with it the admin API listens on 0.0.0.0, without it
#                         on 127.0.0.1 inside the container only (the health check still reaches it)
# An existing file is used as it is: these variables only shape the first one.
# Extra arguments are passed to the gateway.
set -eu

config="${ONEBOT_CONFIG:-/config/onebot11.json}"

if [ ! -e "$config" ]; then
  onebot-gateway init --config "$config" --host "${ONEBOT_HOST:-0.0.0.0}" \
    ${ONEBOT_RELAY_URL:+--relay "$ONEBOT_RELAY_URL"} \
    ${ONEBOT_RELAY_TOKEN:+--token "$ONEBOT_RELAY_TOKEN"} \
    ${ONEBOT_ACCESS_TOKEN:+--access-token "$ONEBOT_ACCESS_TOKEN"} \
    ${ONEBOT_ADMIN_TOKEN:+--admin-token "$ONEBOT_ADMIN_TOKEN"}
fi

# exec: the gateway is the container's main process and gets SIGTERM from `docker stop` itself.
exec onebot-gateway --config "$config" "$@"

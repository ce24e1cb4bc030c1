#!/bin/sh
# Example agent container: enrolls once with NINES_ENROLL_TOKEN, then runs. The identity lives in the
# nines-agent-state volume, so restarts and image updates keep the same agent.
set -eu
agent="node /app/agent/dist/nines-agent.mjs"
state="${NINES_AGENT_STATE_DIR:-/agent-state}"
if [ ! -f "$state/identity.json" ]; then
  if [ -z "${NINES_ENROLL_TOKEN:-}" ]; then
    echo "nines-agent: not enrolled and NINES_ENROLL_TOKEN is empty; create one with" >&2
    echo "  docker-compose run --rm collector enroll-token create --client docker" >&2
    exit 2
  fi
  $agent enroll --url "$NINES_COLLECTOR_URL" --token "$NINES_ENROLL_TOKEN" --state-dir "$state" --name "${NINES_AGENT_NAME:-docker-agent}" --allow-insecure
fi
# Plain http inside the compose network (service name "collector"); TLS ends at your reverse proxy.
exec $agent run --state-dir "$state" --allow-insecure

#!/usr/bin/env bash
# The README's first command: installs what is missing, starts the local replica Spaces and
# serves the app on them at http://localhost:3000 (no internet needed). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure.sh

PORT="${PORT:-3000}"
ensure_node_modules
ensure_replica_venv
ensure_build

log "starting the local replica Spaces"
replica_log=.local/replicas.log
mkdir -p .local
setsid spaces/.venv/bin/python spaces/serve.py >"$replica_log" 2>&1 &
replicas=$!
app=""
stop_all() {
  trap - INT TERM EXIT
  [ -z "$app" ] || kill -TERM "$app" 2>/dev/null || true
  kill -TERM -- -"$replicas" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT
for _ in $(seq 1 180); do
  grep -q '^ready all' "$replica_log" && break
  kill -0 "$replicas" 2>/dev/null || { cat "$replica_log"; echo "replicas failed to start" >&2; exit 1; }
  sleep 0.5
done
grep -q '^ready all' "$replica_log" || { cat "$replica_log"; echo "replicas did not get ready in 90 s" >&2; exit 1; }
grep '^ready ' "$replica_log"

export MODELS_REGISTRY
MODELS_REGISTRY="$(npx tsx scripts/local-registry.ts | sed 's/^wrote //')"
log "VARIABOT on the local replicas: http://localhost:$PORT"
# In the background so that a TERM to this script reaches the trap at once and stops both.
node node_modules/next/dist/bin/next start -p "$PORT" &
app=$!
wait "$app"

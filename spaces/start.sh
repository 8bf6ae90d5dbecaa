#!/usr/bin/env bash
# Local Space replicas: set up their venv, then run them.
#
#   bash spaces/start.sh setup          create/refresh spaces/.venv from requirements.lock.txt, then exit
#   bash spaces/start.sh [serve args]   setup, start serve.py in the foreground, wait until every
#                                       replica answers HTTP (90 s at most), block until stopped
#   e.g. bash spaces/start.sh --only qwen,tinyllama --port-base 8861
#
# Idempotent: the venv is (re)installed only when it is missing or was built from another
# lock file. Honours PYTHON (interpreter used to create the venv, default python3) and
# REPLICA_READY_TIMEOUT_S (default 90). Ctrl-C / SIGTERM stop the replicas.
set -euo pipefail

SPACES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$SPACES_DIR/.venv"
LOCK_FILE="$SPACES_DIR/requirements.lock.txt"
STAMP="$VENV/.requirements.lock.sha256"
READY_TIMEOUT_S="${REPLICA_READY_TIMEOUT_S:-90}"

export GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1

log() { echo "[replicas] $*" >&2; }

lock_hash() { sha256sum "$LOCK_FILE" | cut -d' ' -f1; }
pinned_gradio() { sed -n 's/^gradio==//p' "$LOCK_FILE"; }
installed_gradio() {
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("gradio"))' 2>/dev/null || true
}

venv_is_current() {
  [[ -x "$VENV/bin/python" && -f "$STAMP" ]] &&
    [[ "$(cat "$STAMP")" == "$(lock_hash)" ]] &&
    [[ "$(installed_gradio)" == "$(pinned_gradio)" ]]
}

setup() {
  venv_is_current && return 0
  # Several test workers may call setup at once: one installs, the others wait for it.
  mkdir -p "$VENV"
  exec 9>"$VENV/.setup.lock"
  flock 9
  if ! venv_is_current; then
    local python="${PYTHON:-python3}"
    if [[ ! -x "$VENV/bin/python" ]]; then
      log "creating $VENV with $($python --version 2>&1)"
      "$python" -m venv "$VENV"
    fi
    log "installing $LOCK_FILE (gradio $(pinned_gradio)); this takes a minute on a new machine"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet -r "$LOCK_FILE"
    lock_hash >"$STAMP"
    log "venv ready: gradio $(installed_gradio)"
  fi
  flock -u 9
  exec 9>&-
}

serve() {
  # serve.py prints "ready <name> <url>" per replica, then "ready all" (ports may be 0 = free).
  exec 3< <(exec "$VENV/bin/python" "$SPACES_DIR/serve.py" "$@")
  local pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT HUP

  local line urls=() deadline=$((SECONDS + READY_TIMEOUT_S))
  while true; do
    if ! IFS= read -r -t 1 line <&3; then
      if ! kill -0 "$pid" 2>/dev/null; then
        log "serve.py exited before every replica was ready"
        wait "$pid" 2>/dev/null || true
        return 1
      fi
      if ((SECONDS >= deadline)); then
        log "timed out after ${READY_TIMEOUT_S}s waiting for the replicas"
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        return 1
      fi
      continue
    fi
    echo "$line"
    [[ "$line" == "ready all" ]] && break
    [[ "$line" == ready\ *\ http* ]] && urls+=("${line##* }")
  done
  # Prove from outside that every port answers HTTP.
  for url in "${urls[@]}"; do
    until curl -fsS -o /dev/null --max-time 2 "$url/replica/events"; do
      if ((SECONDS >= deadline)); then
        log "timed out after ${READY_TIMEOUT_S}s waiting for $url"
        kill -TERM "$pid" 2>/dev/null || true
        return 1
      fi
      sleep 0.3
    done
  done
  log "all replicas answer HTTP; Ctrl-C stops them"
  cat <&3 &  # keep draining serve.py's stdout
  local code=0
  wait "$pid" || code=$?
  # A trapped signal interrupts wait; wait again for serve.py's own clean exit.
  while kill -0 "$pid" 2>/dev/null; do wait "$pid" || code=$?; done
  return "$code"
}

case "${1:-}" in
  setup) setup ;;
  -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" ;;
  *) setup && serve "$@" ;;
esac

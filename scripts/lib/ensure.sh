# Sourced by scripts/demo.sh and scripts/test.sh: installs what is missing, and nothing else,
# so a second run on a set-up machine costs seconds.

log() { printf '\n== %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# npm packages, exactly as the lockfile pins them; reinstalled only when the lockfile changed.
ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

# Debian's chromium: Playwright cannot download its own browser on this network.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's chromium"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  fi
}

# The Python venv that runs the local replica Spaces on the pinned gradio.
ensure_replica_venv() {
  bash spaces/setup.sh
}

# Builds the app unless the last build is newer than every source file.
ensure_build() {
  if [ -f .next/BUILD_ID ] && [ -z "$(find app components lib public models.registry.json next.config.ts \
      package-lock.json postcss.config.mjs -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
    return
  fi
  log "building the app (next build)"
  npx next build
}

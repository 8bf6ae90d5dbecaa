#!/usr/bin/env bash
# The README's second command: installs what is missing (npm packages, Debian's chromium, the
# replicas' Python venv), then runs every check and test. Each test suite starts and stops the
# servers it uses (replica Spaces, the built app). .ci/run calls this script.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure.sh

ensure_node_modules
ensure_chromium
ensure_replica_venv

log "lint";       npx eslint --max-warnings 0 .
log "typecheck";  npx tsc --noEmit
log "registry";   npx tsx scripts/registry-check.ts
log "build";      npx next build

reports=.local/reports
rm -rf "$reports" && mkdir -p "$reports"
status=0
log "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json" || status=1
log "standalone smoke test (the Docker image's contents)"
npx tsx scripts/smoke-standalone.ts --report "$reports/smoke.json" || status=1
log "end-to-end tests (playwright, Debian chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json || status=1

node scripts/lib/summary.mjs "$reports"
exit "$status"

#!/usr/bin/env bash
# Browser tests of the admin SPA: builds it, then drives Debian's chromium (apt-get install chromium) against the
# API server started on a free port with small demo data. Usage: pnpm --filter @campaigns/admin test:e2e
# (UPDATE_SCREENSHOT=1 also refreshes docs/screenshot.png for the README).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium} (apt-get install -y chromium)" >&2
  exit 1
fi
build_log=$(mktemp)
if ! pnpm run build > "$build_log" 2>&1; then cat "$build_log" >&2; exit 1; fi
rm -f "$build_log"
exec node --import tsx e2e/admin.e2e.ts

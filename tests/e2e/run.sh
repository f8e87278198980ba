#!/bin/sh
# The browser end-to-end test of `samrad serve` (CTest: ServeBrowserEndToEnd,
# labels serve and e2e). Installs playwright-core from package-lock.json with
# `npm ci` into WORK_DIR (never into the source tree), then runs e2e.mjs with
# Debian's /usr/bin/chromium.
#
# Usage: tests/e2e/run.sh SAMRAD_BIN WORK_DIR [SCREENSHOT]
# Regenerate the committed screenshot:
#   tests/e2e/run.sh build/dev/cli/samrad build/dev/e2e docs/serve-search.png
set -eu
here=$(cd "$(dirname "$0")" && pwd)
samrad=$1
work=$2
shot=${3:-$work/serve-search.png}
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "e2e: $tool not found (run scripts/setup)" >&2; exit 1; }
done
[ -x "${SAMRAD_CHROMIUM:-/usr/bin/chromium}" ] || { echo "e2e: /usr/bin/chromium not found (run scripts/setup)" >&2; exit 1; }
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
exec node "$here/e2e.mjs" --samrad "$samrad" --corpus "$here/../../corpus/documents" \
  --framework "$here/../../corpus/framework/vg2030.json" --work "$work" --screenshot "$shot"

#!/usr/bin/env bash
# `npm run test:e2e`: install (or reuse) the pinned n8n, build and pack this package, run test/e2e.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
bash scripts/e2e/install-chromium.sh
bash scripts/e2e/install-queue-services.sh
E2E_N8N_ENV_FILE=$(bash scripts/e2e/install-n8n.sh | tail -1)
E2E_PACKAGE_TARBALL=$(bash scripts/e2e/pack.sh | tail -1)
export E2E_N8N_ENV_FILE E2E_PACKAGE_TARBALL
echo "[e2e] n8n env: $E2E_N8N_ENV_FILE; package: $E2E_PACKAGE_TARBALL" >&2
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/e2e/*.test.ts)
status=0
node --import tsx --test --test-concurrency=1 "${files[@]}" || status=$?
echo "[e2e] finished in $(( $(date +%s) - started ))s" >&2
exit $status

#!/usr/bin/env bash
# Builds the package and packs it exactly as it would be published (`npm pack`).
# Prints the tarball's absolute path on the last line. E2E_SKIP_BUILD=1 packs the current dist/.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-impala-e2e}"
DEST="$CACHE/packs"
mkdir -p "$DEST"
if [ "${E2E_SKIP_BUILD:-}" != "1" ]; then
  npm run build >&2
fi
name=$(npm pack --silent --pack-destination "$DEST" | tail -1)
echo "$DEST/$name"

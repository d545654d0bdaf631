#!/usr/bin/env bash
# `npm run screenshots`: real n8n + Debian Chromium; writes .github/screenshots/*.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/e2e/install-chromium.sh
E2E_N8N_ENV_FILE=$(bash scripts/e2e/install-n8n.sh | tail -1)
E2E_PACKAGE_TARBALL=$(bash scripts/e2e/pack.sh | tail -1)
export E2E_N8N_ENV_FILE E2E_PACKAGE_TARBALL
node --import tsx scripts/e2e/screenshots.ts

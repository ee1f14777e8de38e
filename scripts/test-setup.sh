#!/usr/bin/env bash
# Installs what the whole suite needs on a Debian machine, when it is missing: SpatiaLite, the
# PostgreSQL server with PostGIS for the newest installed PostgreSQL (or Debian's default when there
# is none), redis-server, Chromium and fonts for the browser tests, poppler-utils to render the
# decision letter (pdftotext).
# It starts no service: the tests start a throw-away PostgreSQL cluster and Redis of their own
# (tests/services.py), so they never touch the machine's databases.
set -euo pipefail
cd "$(dirname "$0")/.."

newest_postgresql=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1 || true)
if [ -n "$newest_postgresql" ]; then
  postgresql=("postgresql-$newest_postgresql" "postgresql-$newest_postgresql-postgis-3")
else
  postgresql=(postgresql postgis)
fi

scripts/debian-packages.sh libsqlite3-mod-spatialite "${postgresql[@]}" redis-server \
  chromium fonts-dejavu-core poppler-utils

#!/usr/bin/env bash
# Installs what the whole suite needs on a Debian machine, when it is missing: SpatiaLite, the
# PostgreSQL server with PostGIS for the newest installed PostgreSQL (or Debian's default when there
# is none), redis-server, Chromium and fonts for the browser tests, poppler-utils to render the
# decision letter (pdftotext), openssl to make the mail test server's certificate.
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
  chromium fonts-dejavu-core poppler-utils openssl

# The Nu HTML Checker for tests/integration/test_html_valid.py: Java, and vnu.jar from the npm
# registry at the version pinned in tests/vnu/package-lock.json, into tests/vnu/node_modules (git-ignored).
command -v java >/dev/null || scripts/debian-packages.sh default-jre-headless
command -v npm >/dev/null || scripts/debian-packages.sh npm
if [ ! -f tests/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  (cd tests/vnu && npm ci --no-audit --no-fund --ignore-scripts)
fi

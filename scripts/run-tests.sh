#!/usr/bin/env bash
# Run the test-suite with what it needs: scripts/run-tests.sh .venv/bin/pytest -q -rs
#
# `make test` runs this. With Debian's postgresql installed, it starts a throwaway server
# (scripts/with-postgres.sh) so that the storage suite runs on PostgreSQL as well as SQLite;
# with Chromium and ChromeDriver installed, the playground's browser tests run. Whatever is
# missing is said plainly, before the tests and again after them, with the command that
# installs it: those tests are skipped, not failed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PYTEST [ARGS...]" >&2
    exit 2
fi

# Overridable so that the script's own test can point them at nothing.
postgres_root=${POLICYBOT_POSTGRES_ROOT:-/usr/lib/postgresql}
chromium=${POLICYBOT_CHROMIUM:-/usr/bin/chromium}
chromedriver=${POLICYBOT_CHROMEDRIVER:-/usr/bin/chromedriver}

missing=()
wrap=()
if [ -n "${POLICYBOT_TEST_PG_URL:-}" ]; then
    : # a PostgreSQL was started already (.ci/run does it through with-postgres.sh)
elif compgen -G "$postgres_root/*/bin/initdb" >/dev/null; then
    wrap=(bash scripts/with-postgres.sh)
else
    missing+=("PostgreSQL is not installed: the storage suite runs on SQLite only (its PostgreSQL tests are skipped). To run them: apt-get install postgresql (as root), then make test.")
fi
if [ ! -x "$chromium" ] || [ ! -x "$chromedriver" ]; then
    missing+=("Chromium and ChromeDriver are not installed: the playground's browser tests are skipped. To run them: bash scripts/install-browser.sh (as root), then make test.")
fi

tell() {
    local line
    for line in "${missing[@]}"; do
        echo "make test: $line" >&2
    done
}

if [ "${#missing[@]}" -gt 0 ]; then
    tell
fi
status=0
POLICYBOT_CHROMIUM=$chromium POLICYBOT_CHROMEDRIVER=$chromedriver "${wrap[@]}" "$@" || status=$?
if [ "${#missing[@]}" -gt 0 ]; then
    tell
fi
exit "$status"

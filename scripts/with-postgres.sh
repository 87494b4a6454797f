#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL: scripts/with-postgres.sh make test
#
# Installs Debian's postgresql package if no server is present (needs root), creates a cluster
# in a temporary folder, starts it on a unix socket in that folder (no TCP port, so it cannot
# clash with another server), creates the database policybot_test, exports
# POLICYBOT_TEST_PG_URL for the store tests, runs the command, and always stops the server and
# removes the folder. initdb refuses to run as root, so as root the server runs as the
# postgres user. The cluster trades durability for speed (fsync off): it is for tests only.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

find_bindir() {
    # The newest installed major version wins.
    local initdb
    initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    if [ -x "$initdb" ]; then
        dirname "$initdb"
    fi
}

bindir=$(find_bindir)
if [ -z "$bindir" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "$0: PostgreSQL is not installed; run 'apt-get install postgresql' as root" >&2
        exit 1
    fi
    echo "$0: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    bindir=$(find_bindir)
    if [ -z "$bindir" ]; then
        echo "$0: postgresql installed but no /usr/lib/postgresql/*/bin/initdb found" >&2
        exit 1
    fi
fi

if [ "$(id -u)" -eq 0 ]; then
    as_owner=(runuser -u postgres --)
    owner=postgres
else
    as_owner=()
    owner=$(id -un)
fi

cluster=$(mktemp -d "${TMPDIR:-/tmp}/policybot-pg.XXXXXX")
data="$cluster/data"
started=0

cleanup() {
    local status=$?
    if [ "$started" -eq 1 ]; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$cluster"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 755 "$cluster"
if [ "$(id -u)" -eq 0 ]; then
    chown "$owner" "$cluster"
fi

"${as_owner[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 || {
    cat "$cluster/initdb.log" >&2
    exit 1
}
cat >>"$data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$cluster'
port = 5432
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

started=1
"${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$cluster/server.log" -w -t 60 start >/dev/null || {
    cat "$cluster/server.log" >&2
    exit 1
}
"${as_owner[@]}" "$bindir/createdb" -h "$cluster" -U postgres policybot_test

export POLICYBOT_TEST_PG_URL="postgresql://postgres@/policybot_test?host=$cluster&port=5432"
echo "$0: $("$bindir/postgres" --version) at $POLICYBOT_TEST_PG_URL" >&2

# Not exec: the trap must still stop the server when the command ends.
"$@"

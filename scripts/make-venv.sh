#!/usr/bin/env bash
# Make the project's virtualenv for `make`: scripts/make-venv.sh PYTHON VENV
#
# Checks first that PYTHON exists and is 3.11 or newer, and says what to do when it is not.
# A virtualenv left by an older or missing interpreter, or half made (no pip), is removed and
# made again rather than reused: pip would only fail in it again. A virtualenv that works is
# kept as it is. Exit 2, with one line saying what to install, when nothing can be done.
set -euo pipefail

python=${1:-python3}
venv=${2:-.venv}
need="3.11"
# One call tells the version and whether it is new enough; % formatting runs on any Python.
probe='import sys; print("%d.%d %s" % (sys.version_info[0], sys.version_info[1], "ok" if sys.version_info >= (3, 11) else "old"))'

say() { echo "make: $*"; }
fail() {
    echo "make: $*" >&2
    exit 2
}

if ! command -v "$python" >/dev/null 2>&1; then
    fail "$python not found: policybot needs Python $need or newer (Debian/Ubuntu: apt install python3 python3-venv), or name one: make PYTHON=python3.12 run"
fi
out=$("$python" -c "$probe" 2>/dev/null) || out="unknown broken"
version=${out% *}
verdict=${out##* }
if [ "$verdict" = broken ]; then
    fail "$python does not run; policybot needs Python $need or newer: make PYTHON=python3.11 run"
fi
if [ "$verdict" != ok ]; then
    fail "policybot needs Python $need or newer, and $python is $version: install python3.11 or newer and run, e.g., make PYTHON=python3.11 run"
fi

if [ -e "$venv" ]; then
    out=$("$venv/bin/python" -c "$probe" 2>/dev/null) || out="none broken"
    have=${out% *}
    have_verdict=${out##* }
    if [ "$have_verdict" != ok ]; then
        if [ "$have_verdict" = broken ]; then
            say "$venv has no working Python (left by a failed or moved install): making it again with $python $version"
        else
            say "$venv was made with Python $have, too old for policybot: making it again with $python $version"
        fi
        rm -rf "$venv"
    elif [ ! -x "$venv/bin/pip" ]; then
        say "$venv has no pip (half made): making it again with $python $version"
        rm -rf "$venv"
    else
        exit 0
    fi
fi

say "creating $venv with $python $version"
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
if ! "$python" -m venv "$venv" >/dev/null 2>"$errors"; then
    detail=$(grep -m1 -i -E 'ensurepip|venv' "$errors" || head -n 1 "$errors" || true)
    rm -rf "$venv"
    fail "$python cannot create a virtualenv (${detail:-no reason given}): on Debian/Ubuntu install python3-venv (apt install python$version-venv), then run make again"
fi

#!/usr/bin/env bash
# Build the real Dockerfile and run the image: bash scripts/container-smoke.sh (.ci/run runs it)
#
# No container registry is reachable from the machines this runs on; Debian's packages are. So
# the base image the Dockerfile names (python:3.11-slim) is stood in for by a minimal Debian
# made with debootstrap (python3, python3-venv), tagged with that name. It is made once: the
# root filesystem is cached as a tarball under $cache and the image stays in podman's storage.
# A real python:3.11-slim already in local storage is used as it is, never replaced.
#
# Then the Dockerfile is built with buildah in docker format (the OCI format has no
# HEALTHCHECK) and --pull=never, and the image is run with podman as its non-root user, with a
# read-only root filesystem, no network and no capabilities:
#   doctor; check "ring Jess on 07700 900123"; policy 4.5;
#   the default command with the image's config (run --stay-up: says what to set once, stays
#   up, and its HEALTHCHECK reports unhealthy with that line);
#   the playground, whose HEALTHCHECK reports healthy; both stop cleanly on SIGTERM.
#
# Needs buildah, podman and debootstrap (installed from Debian when missing, as root) and root
# for debootstrap. Two things podman does by default fail on some machines, so they are set:
#   - ulimits: podman raises RLIMIT_NOFILE and RLIMIT_NPROC to its own maximum (about a
#     million) in each container; where the hard limit is lower and cannot be raised (setrlimit
#     EPERM), no container starts. The limits are given explicitly, below the hard limits.
#   - the OCI runtime: crun refuses a cgroup "hybrid" layout (cgroup v1 controllers with a
#     cgroup2 hierarchy that has controllers of its own); runc runs there. The script tries
#     podman's default, then runc, then crun, and says why any it skips failed.
# Whatever cannot run here is said in one line; with CI=true that fails, otherwise exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."

image=${POLICYBOT_SMOKE_IMAGE:-localhost/policybot:smoke}
cache=${POLICYBOT_SMOKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/policybot/container-smoke}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm        # Debian 12: Python 3.11, as python:3.11-slim
recipe=1              # bump when the stand-in's recipe changes: a cached one is made again
wait_seconds=60
uid_gid="10001:10001"
run_name=policybot-smoke-run
play_name=policybot-smoke-playground
started=$SECONDS

say() { echo "container-smoke: $*" >&2; }
blocked() {
    say "BLOCKED: $*"
    if [ "${CI:-}" = true ]; then
        exit 1
    fi
    say "skipped (not in CI): the image was not built and run"
    exit 0
}
fail() {
    say "FAILED: $*"
    exit 1
}
step() { say "$* ($((SECONDS - started)) s)"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/policybot-smoke.XXXXXX")
cleanup() {
    local status=$?
    if command -v podman >/dev/null 2>&1; then
        podman "${runtime_flag[@]}" rm -f -t 0 "$run_name" "$play_name" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit "$status"
}
runtime_flag=()
trap cleanup EXIT

# -- the tools ---------------------------------------------------------------------------------
root=false
[ "$(id -u)" -eq 0 ] && root=true
missing=()
for tool in buildah podman debootstrap runc; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if ! $root || ! command -v apt-get >/dev/null 2>&1; then
        blocked "${missing[*]} missing, and installing them needs root and apt-get: apt-get install buildah podman debootstrap runc"
    fi
    step "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq buildah podman debootstrap runc >"$work/apt.log" 2>&1 ||
        { cat "$work/apt.log" >&2; blocked "apt-get install buildah podman debootstrap runc failed"; }
fi
say "$(podman --version), $(buildah --version | cut -d' ' -f1-3), $(id -un)$($root || echo ' (rootless)')"

# Explicit limits below the hard ones (see the header): always allowed.
hard_files=$(ulimit -Hn)
[ "$hard_files" = unlimited ] && hard_files=65536
files=$((hard_files < 65536 ? hard_files : 65536))
hard_procs=$(ulimit -Hu)
[ "$hard_procs" = unlimited ] && hard_procs=4096
procs=$((hard_procs < 4096 ? hard_procs : 4096))
limits=(--ulimit "nofile=$files:$files" --ulimit "nproc=$procs:$procs")

# -- the stand-in base image -------------------------------------------------------------------
base=$(awk 'toupper($1) == "FROM" { print $2; exit }' Dockerfile)
case $base in
*/*) base_ref=$base ;;
*) base_ref=docker.io/library/$base ;;
esac
want_python=$(echo "$base" | sed -n 's/^python:\([0-9]*\.[0-9]*\).*/\1/p')
# The stand-in trusts what this host trusts, so that a TLS-inspecting proxy in front of PyPI
# works in the build as it does here; a change of the host's certificates makes a new one.
ca_bundle=/etc/ssl/certs/ca-certificates.crt
ca_hash=$( (cat "$ca_bundle" 2>/dev/null || true) | sha256sum | cut -c1-12)
stand_in="debootstrap-$suite-r$recipe-ca$ca_hash"

if podman image exists "$base_ref"; then
    labels=$(podman image inspect --format '{{ json .Labels }}' "$base_ref")
    if [[ "$labels" != *'"policybot.stand-in"'* ]]; then
        say "using the real $base_ref found in local storage"
        stand_in=""
    elif [[ "$labels" == *"\"policybot.stand-in\":\"$stand_in\""* ]]; then
        say "using the stand-in for $base_ref made earlier ($stand_in)"
        stand_in=""
    fi
fi
if [ -n "$stand_in" ]; then
    tarball="$cache/$stand_in.tar"
    if [ ! -s "$tarball" ]; then
        $root || blocked "making the stand-in for $base_ref needs root (debootstrap chroots); run as root, or put a $base_ref image in local storage"
        mkdir -p "$cache"
        rootfs="$cache/$stand_in.rootfs"
        rm -rf "$rootfs"
        step "making a stand-in for $base_ref: debootstrap $suite from $mirror (once; cached in $cache)"
        debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
            "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
            { tail -n 20 "$work/debootstrap.log" >&2; blocked "debootstrap $suite from $mirror failed"; }
        # What the real image has at these paths: `python` on PATH in /usr/local/bin.
        ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python"
        [ -s "$ca_bundle" ] && cp "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
        # Debian's pip carries its own certificates: point it at the system's.
        printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/etc/pip.conf"
        rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
            "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
        tar --numeric-owner -C "$rootfs" -cf "$tarball.part" .
        mv "$tarball.part" "$tarball"
        rm -rf "$rootfs"
    fi
    step "importing the stand-in as $base_ref"
    podman import \
        --change "ENV LANG=C.UTF-8" \
        --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "LABEL policybot.stand-in=$stand_in" \
        --change 'CMD ["python3"]' \
        --quiet "$tarball" "$base_ref" >/dev/null
fi

# -- an OCI runtime that can start a container here --------------------------------------------
probe() {
    podman "$@" run --rm --network none "${limits[@]}" "$base_ref" python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>"$work/probe.err"
}
chosen=""
reasons=()
for runtime in default runc crun; do
    flag=()
    [ "$runtime" = default ] || flag=(--runtime "$runtime")
    [ "$runtime" = default ] || command -v "$runtime" >/dev/null 2>&1 || continue
    if python_version=$(probe "${flag[@]}"); then
        chosen=$runtime
        runtime_flag=("${flag[@]}")
        break
    fi
    reasons+=("$runtime: $(grep -v -i 'level=\|^$' "$work/probe.err" | tail -n 1)")
done
for reason in "${reasons[@]}"; do
    say "cannot start a container with ${reason}"
done
[ -n "$chosen" ] || blocked "no OCI runtime can start a container on this machine"
say "runtime: $chosen; ulimits nofile=$files nproc=$procs; base Python $python_version"
if [ -n "$want_python" ] && [ "$python_version" != "$want_python" ]; then
    fail "$base_ref has Python $python_version, the Dockerfile names $want_python"
fi

# -- build the real Dockerfile -----------------------------------------------------------------
step "building the Dockerfile with buildah (docker format, --pull=never)"
build=(buildah build --format docker --pull=never --layers --network host "${limits[@]}")
[ "${#runtime_flag[@]}" -eq 0 ] || build+=(--runtime "$(command -v "$chosen")")
# The build stage is tagged too, so that the next run finds it as its cache, and so that what
# an earlier run left untagged (a replaced image or build stage) can be removed after.
for target in "build:$image-build" "final:$image"; do
    stage=(--target "${target%%:*}")
    [ "${target%%:*}" = final ] && stage=()
    "${build[@]}" "${stage[@]}" -t "${target#*:}" . >>"$work/build.log" 2>&1 ||
        { tail -n 30 "$work/build.log" >&2; fail "the Dockerfile does not build"; }
done
stale=$(podman image ls -q --filter dangling=true --filter label=policybot.stand-in 2>/dev/null || true)
healthcheck=$(podman image inspect --format '{{ json .Config.Healthcheck }}' "$image")
[ "$healthcheck" != null ] || fail "the image has no HEALTHCHECK (built in OCI format?)"
user=$(podman image inspect --format '{{ .Config.User }}' "$image")
[ "$user" = "$uid_gid" ] || fail "the image runs as '$user', not $uid_gid"
say "built $image: user $user, HEALTHCHECK $healthcheck"
if [ -n "$stale" ]; then
    # shellcheck disable=SC2086 # one id a word
    podman rmi $stale >/dev/null 2>&1 || true
fi

# -- run it --------------------------------------------------------------------------------------
# Read-only root filesystem (no tmpfs either), no network, no capabilities: only /data (the
# image's volume) can be written.
locked=(--network none --read-only --read-only-tmpfs=false --cap-drop all
    --security-opt no-new-privileges "${limits[@]}")
run_once() {
    podman "${runtime_flag[@]}" run --rm "${locked[@]}" "$@" 2>"$work/run.err"
}
expect() { # expect WHAT OUTPUT NEEDLE
    case $2 in
    *"$3"*) say "ok: $1" ;;
    *) cat "$work/run.err" >&2; printf '%s\n' "$2" >&2; fail "$1: no '$3' in the output" ;;
    esac
}

step "running the image"
ids=$(run_once --entrypoint python "$image" -c 'import os; print(os.getuid(), os.getgid())') ||
    fail "python does not run in the image"
[ "$ids" = "${uid_gid/:/ }" ] || fail "the process runs as $ids, not $uid_gid"
say "ok: runs as uid/gid $ids"
out=$(run_once "$image" doctor) || { printf '%s\n' "$out" >&2; fail "doctor found a problem"; }
expect "doctor" "$out" "[ok  ] policy: Student Social Media Policy"
out=$(run_once "$image" check "ring Jess on 07700 900123") || fail "check failed"
expect "check" "$out" "* personal-info: clause 4.5: Material that should never be posted"
out=$(run_once "$image" policy 4.5) || fail "policy 4.5 failed"
expect "policy 4.5" "$out" "4.5  Material that should never be posted"

health() { # health NAME: run the image's HEALTHCHECK once; print its output
    podman "${runtime_flag[@]}" healthcheck run "$1" >/dev/null 2>&1 || true
    podman "${runtime_flag[@]}" inspect --format '{{ json .State.Health }}' "$1" 2>/dev/null
}
stop_status() { # stop_status NAME: SIGTERM (the image's STOPSIGNAL), then the exit code
    podman "${runtime_flag[@]}" stop -t 20 "$1" >/dev/null 2>&1
    podman "${runtime_flag[@]}" inspect --format '{{ .State.ExitCode }}' "$1"
}
detached() { # detached NAME ARGS...: start the image in the background, as compose would
    local name=$1
    shift
    podman "${runtime_flag[@]}" run -d --name "$name" "${locked[@]}" --health-interval disable \
        "$image" "$@" >/dev/null 2>>"$work/run.err"
}

# The default command with the image's own config: no adapter enabled.
no_adapter="policybot run: no adapter is enabled"
detached "$run_name"
deadline=$((SECONDS + wait_seconds))
until [[ "$(health "$run_name")" == *"$no_adapter"* ]]; do
    [ "$SECONDS" -lt "$deadline" ] || { podman logs "$run_name" >&2 || true; fail "the default command's /healthz never named what to set"; }
    sleep 1
done
[ "$(podman inspect --format '{{ .State.Running }}' "$run_name")" = true ] ||
    fail "the default command exited instead of staying up"
said=$(podman logs "$run_name" 2>&1 | grep -c "$no_adapter" || true)
[ "$said" -eq 1 ] || fail "the default command said what to set $said times, not once"
say "ok: the default command says once what to set, stays up, and its HEALTHCHECK is unhealthy with that line"
code=$(stop_status "$run_name")
[ "$code" = 2 ] || fail "the default command exited $code on SIGTERM, not 2"
say "ok: it stops on SIGTERM (exit 2: it never ran)"

# The playground, whose HEALTHCHECK is healthy.
detached "$play_name" playground --host 0.0.0.0
deadline=$((SECONDS + wait_seconds))
until [[ "$(health "$play_name")" == *'"Status":"healthy"'* ]]; do
    [ "$SECONDS" -lt "$deadline" ] || { podman logs "$play_name" >&2 || true; fail "the playground never became healthy"; }
    sleep 1
done
say "ok: HEALTHCHECK healthy with the playground running"
code=$(stop_status "$play_name")
[ "$code" = 0 ] || fail "the playground exited $code on SIGTERM, not 0"
say "ok: the playground stops cleanly on SIGTERM"
step "passed: $image built from the Dockerfile and run read-only as $uid_gid"

#!/bin/sh
# Installs, from Debian's packages, everything dkv's build and tests use.
# Idempotent: packages already present are skipped, so a machine that has
# them all runs no apt at all. `--check` only reports what is missing.
#
# We vendor nothing: Berkeley DB, libevent, hiredis and OpenSSL come from the
# distribution (DESIGN.md §1), as do the tools the tests drive (tclsh,
# redis-cli, redis-benchmark, redis-server for side-by-side benchmarks,
# python3-redis for a real client library, prometheus-redis-exporter for
# the metrics test, clang for fuzzing/sanitizers).
set -e

PKGS="build-essential pkg-config libevent-dev libhiredis-dev libdb5.3-dev
libssl-dev tcl redis-tools redis-server python3 python3-redis iproute2 procps
tmux prometheus-redis-exporter
clang libclang-rt-14-dev"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ "$1" = "--check" ]; then
    if [ -n "$missing" ]; then echo "missing:$missing"; exit 1; fi
    echo "all dependencies present"; exit 0
fi

if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq || true
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing
    # The redis-server package starts a system service on :6379; dkv's
    # `make run` wants that port, and benchmarks start their own instance.
    if command -v systemctl >/dev/null 2>&1; then
        $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
    fi
    $SUDO pkill -x redis-server >/dev/null 2>&1 || true
fi

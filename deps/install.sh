#!/bin/sh
# Installs, from Debian's packages, everything dkv's build and tests use.
# Idempotent: packages already present are skipped, so a machine that has
# them all runs no apt at all. `--check` only reports what is missing.
#
# We vendor nothing: Berkeley DB, libevent, hiredis, OpenSSL and liblzf come
# from the distribution (DESIGN.md §1), as do the tools the tests drive
# (tclsh, redis-cli, redis-benchmark, redis-server for side-by-side tests,
# python3-redis for a real client library, prometheus-redis-exporter
# for the metrics test, clang for fuzzing/sanitizers).
#
# The redis-server package would start a system service on :6379 (the
# port `make run` uses). Rather than stopping anything afterwards, which
# could hit a Redis the user runs, the install runs under a policy-rc.d
# that forbids starting services (exit 101, Debian's invoke-rc.d and
# deb-systemd-invoke both ask it), placed only if there is none and
# removed when the script ends; and if this run is what installed
# redis-server, its unit is not enabled for the next boot either. Nothing
# is stopped but the service this run installed (only when a policy-rc.d
# of the user's let it start); no process is ever killed.
#
# For testing this script: DKV_DEPS_PKGS replaces the package list,
# DKV_DEPS_RUN prefixes the apt-get and systemctl commands (`echo` makes
# a dry run), DKV_POLICY_RC_D moves the policy file.
set -e

PKGS=${DKV_DEPS_PKGS:-"build-essential pkg-config libevent-dev libhiredis-dev
libdb5.3-dev libssl-dev liblzf-dev tcl redis-tools redis-server python3
python3-redis iproute2 procps tmux prometheus-redis-exporter
clang libclang-rt-14-dev"}
RUN=${DKV_DEPS_RUN:-}
POLICY=${DKV_POLICY_RC_D:-/usr/sbin/policy-rc.d}
POLICY_MARK="# placed by dkv deps/install.sh"

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

[ -n "$missing" ] || exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
PSUDO=""
[ -w "$(dirname "$POLICY")" ] || PSUDO=$SUDO

# Removes the policy file only if it is still the one this script placed.
remove_policy() {
    if [ -f "$POLICY" ] && grep -qx "$POLICY_MARK" "$POLICY"; then
        $PSUDO rm -f "$POLICY"
    fi
}

placed=""
if [ ! -e "$POLICY" ]; then
    placed=1
    trap remove_policy EXIT
    trap 'exit 1' INT TERM HUP
    printf '#!/bin/sh\n%s\nexit 101\n' "$POLICY_MARK" |
        $PSUDO tee "$POLICY" >/dev/null
    $PSUDO chmod 755 "$POLICY"
else
    echo "deps: $POLICY exists; leaving it as it is"
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$RUN $SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$RUN $SUDO apt-get install -y -qq --no-install-recommends $missing
case " $missing " in
*" redis-server "*)
    # This run installed redis-server, so its packaged service is not the
    # user's: keep it from starting at boot and, if a policy-rc.d of the
    # user's own let it start just now, stop that service and only it.
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        if [ -n "$placed" ]; then
            $RUN $SUDO systemctl disable redis-server >/dev/null 2>&1 || true
        else
            $RUN $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
        fi
    elif [ -z "$placed" ]; then
        $RUN $SUDO service redis-server stop >/dev/null 2>&1 || true
    fi
    ;;
esac

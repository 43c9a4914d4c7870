#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what ws2send needs on Debian 12: MinGW-w64, Meson, Ninja, Python 3,
# a native C compiler for the unit tests, clang with libFuzzer for the
# fuzzing in ./ws2send stress, Go (golang-go: the prefix tests build a Go
# program for Windows), and Wine for both architectures (wine64 plus wine32
# through i386 multiarch).
#
# Non-interactive and idempotent: it does nothing when everything is present.
# Debian mirrors sometimes publish the amd64 and i386 indexes of a security
# update at different times; wine64 and wine32 must have the same version, so
# when the newest candidates differ we pick the newest version both have.
set -euo pipefail

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO=sudo
        else
            echo "install-deps: missing packages and not root (no sudo either)" >&2
            exit 1
        fi
    else
        SUDO=
    fi
}

log() { echo "install-deps: $*"; }

have_all() {
    command -v x86_64-w64-mingw32-gcc >/dev/null &&
    command -v i686-w64-mingw32-gcc >/dev/null &&
    command -v meson >/dev/null &&
    command -v ninja >/dev/null &&
    command -v python3 >/dev/null &&
    command -v cc >/dev/null &&
    command -v go >/dev/null &&
    command -v clang >/dev/null &&
    command -v wine >/dev/null &&
    dpkg-query -W -f='${Status}' wine64 2>/dev/null | grep -q 'ok installed' &&
    dpkg-query -W -f='${Status}' wine32:i386 2>/dev/null | grep -q 'ok installed'
}

if have_all; then
    exit 0
fi

need_root
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold
          -o Dpkg::Use-Pty=0 --no-install-recommends)

if ! dpkg --print-foreign-architectures | grep -qx i386; then
    log "enabling the i386 architecture"
    $SUDO dpkg --add-architecture i386
fi

# A mirror in mid-sync can fail one index (seen: the i386 security index);
# apt then keeps the older copy or none, which common_version() copes with.
log "apt-get update"
if ! $SUDO apt-get update -q -o Dpkg::Use-Pty=0 >/tmp/ws2send-apt-update.log 2>&1; then
    log "warning: some package indexes failed to download; continuing with the rest"
    grep '^E:' /tmp/ws2send-apt-update.log | head -n 3 >&2 || true
fi

log "installing the build tools"
$SUDO apt-get install "${APT_OPTS[@]}" \
    gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 binutils-mingw-w64-x86-64 binutils-mingw-w64-i686 \
    meson ninja-build python3 gcc libc6-dev golang-go clang libclang-rt-dev >/dev/null

# Newest version of a package that both architectures can install.
common_version() {
    local pkg=$1 v
    for v in $(apt-cache madison "$pkg" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -u -V -r); do
        if apt-cache madison "$pkg:i386" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$v"; then
            echo "$v"
            return 0
        fi
    done
    return 1
}

pins=$(mktemp -d)
trap 'rm -rf "$pins"' EXIT
python3 "$(dirname "$0")/multiarch-pins.py" > "$pins/ws2send-multiarch.pref"
log "pinned $(grep -c '^Package:' "$pins/ws2send-multiarch.pref" || true) shared libraries to versions both architectures have"

ver=$(common_version libwine) || { echo "install-deps: no libwine version exists for both amd64 and i386" >&2; exit 1; }
log "installing Wine $ver for amd64 and i386"
$SUDO apt-get install "${APT_OPTS[@]}" --allow-downgrades \
    -o Dir::Etc::PreferencesParts="$pins" \
    "wine=$ver" "wine64=$ver" "libwine=$ver" \
    "wine32:i386=$ver" "libwine:i386=$ver" \
    "fonts-wine=$ver" >/dev/null

have_all || { echo "install-deps: something is still missing after the install" >&2; exit 1; }
log "done"

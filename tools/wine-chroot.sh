#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs a command under another Debian release's Wine: a chroot made with
# debootstrap, with that release's wine64 and wine32 installed.  Used by
# `./ws2send matrix` for Debian 13's Wine 10.0.
#
#   tools/wine-chroot.sh [--bind PATH]... ROOT SUITE COMMAND [ARG]...
#
# ROOT is created when absent (debootstrap SUITE from the mirror, then Wine
# for amd64 and i386) and reused when present.  Each run mounts /proc, /sys,
# /dev, /etc/hosts, a fresh /tmp and every --bind PATH (at the same path
# inside) in a private mount namespace, runs COMMAND as root in the chroot
# with a clean environment (WS2SEND_* variables pass through), and unmounts
# it all again.
#
# Environment: WS2SEND_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

self=$(realpath "$0")
mirror=${WS2SEND_DEBIAN_MIRROR:-http://deb.debian.org/debian}
binds=()

die() { echo "wine-chroot: $*" >&2; exit 1; }
log() { echo "wine-chroot: $*" >&2; }

# Mounts what the chroot needs below $root; undone by unmount_all.
mounted=()
run_tmp=
mount_all() {
    local path
    mount -t proc proc "$root/proc"; mounted+=("$root/proc")
    mount --rbind /sys "$root/sys"; mounted+=("$root/sys")
    mount --rbind /dev "$root/dev"; mounted+=("$root/dev")
    # This machine's names: Wine looks its host name up on start.
    [ -e "$root/etc/hosts" ] || touch "$root/etc/hosts"
    mount --bind /etc/hosts "$root/etc/hosts"; mounted+=("$root/etc/hosts")
    # A fresh /tmp per run, removed afterwards: Wine leaves a directory
    # there for every wineserver, and a killed run its prefixes.
    run_tmp=$(mktemp -d "$root.tmp.XXXXXX")
    chmod 1777 "$run_tmp"
    mount --bind "$run_tmp" "$root/tmp"; mounted+=("$root/tmp")
    for path in "${binds[@]}"; do
        mkdir -p "$root$path"
        mount --bind "$path" "$root$path"; mounted+=("$root$path")
    done
}
unmount_all() {
    local i clean=1
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -R "${mounted[i]}" || { log "could not unmount ${mounted[i]}"; clean=0; }
    done
    mounted=()
    if [ -n "$run_tmp" ] && [ $clean = 1 ]; then rm -rf --one-file-system "$run_tmp"; fi
    run_tmp=
}

in_root() {
    local pass=() name
    for name in ${!WS2SEND_*}; do pass+=("$name=${!name}"); done
    chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
        HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive \
        "${pass[@]}" "$@"
}

# Wine for both architectures at one version (the i386 index of an update can
# lag the amd64 one: tools/multiarch-pins.py, as on the host).
install_wine() {
    local apt=(apt-get -y -q -o Dpkg::Use-Pty=0 --no-install-recommends)
    in_root dpkg --add-architecture i386
    # A mirror in mid-sync can fail an index (seen: the i386 ones); go on
    # with the others, as tools/install-deps.sh does.
    in_root apt-get update -q -o Dpkg::Use-Pty=0 >"$root/tmp/apt-update.log" 2>&1 ||
        log "warning: some package indexes failed to download; continuing with the rest"
    in_root "${apt[@]}" install python3 >/dev/null
    mkdir -p "$root/etc/apt/preferences.d"
    cp "$(dirname "$self")/multiarch-pins.py" "$root/tmp/multiarch-pins.py"
    in_root python3 /tmp/multiarch-pins.py >"$root/etc/apt/preferences.d/ws2send-multiarch"
    rm -f "$root/tmp/multiarch-pins.py"
    local ver
    ver=$(in_root sh -c 'for v in $(apt-cache madison libwine | cut -d"|" -f2 | sort -u -V -r); do
            apt-cache madison libwine:i386 | cut -d"|" -f2 | grep -qx " *$v *" && { echo $v; exit 0; }
          done; exit 1') || die "no libwine version exists for both amd64 and i386"
    log "installing Wine $ver for amd64 and i386"
    in_root "${apt[@]}" install "wine=$ver" "wine64=$ver" "libwine=$ver" \
        "wine32:i386=$ver" "libwine:i386=$ver" >/dev/null
    in_root apt-get clean
}

create_root() {
    command -v debootstrap >/dev/null ||
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null
    log "creating $root: Debian $suite from $mirror (a few minutes, once)"
    rm -rf "$root.new"
    mkdir -p "$(dirname "$root")"
    debootstrap --variant=minbase --arch=amd64 "$suite" "$root.new" "$mirror" >"$root.new.log" 2>&1 ||
        die "debootstrap failed; see $root.new.log"
    cat >"$root.new/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
EOF
    cp /etc/resolv.conf "$root.new/etc/resolv.conf"
    local final=$root
    root=$final.new
    trap unmount_all EXIT
    mount_all
    install_wine
    in_root wine --version >"$root/.ws2send-ready"
    unmount_all
    trap - EXIT
    root=$final
    mv "$root.new" "$root"
    rm -f "$root.new.log"
}

# Second stage, inside the private mount namespace.
if [ "${1:-}" = --in-namespace ]; then
    shift
    while [ "${1:-}" = --bind ]; do binds+=("$(realpath "$2")"); shift 2; done
    root=$1 suite=$2; shift 2
    [ -f "$root/.ws2send-ready" ] || create_root
    trap unmount_all EXIT
    mount_all
    set +e
    in_root "$@"
    rc=$?
    set -e
    unmount_all
    trap - EXIT
    exit $rc
fi

[ $# -ge 3 ] || { sed -n '4,17p' "$self" | sed 's/^# \{0,1\}//'; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "needs root (for debootstrap, mount and chroot)"
    exec sudo --preserve-env "$self" "$@"
fi
exec unshare --mount --propagation private "$self" --in-namespace "$@"

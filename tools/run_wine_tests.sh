#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Wine's own Winsock tests (dlls/ws2_32/tests of the installed Wine's source)
# as a third-party check: each test file runs under Wine's builtin ws2_32 and
# under ws2send, x86_64 and i686, and the failing checks are compared
# (tools/wine_test_diff.py).  Nothing of Wine's enters this tree: the source
# is fetched at run time into ${XDG_CACHE_HOME:-~/.cache}/ws2send/ and the
# tests are built with MinGW-w64 and run in a temporary directory.  Each run
# has a fresh prefix (null display driver) and a network namespace with only
# lo, where tools/loopback_dns.py answers the tests' name lookups.
#
#   tools/run_wine_tests.sh BUILD_DIR [--tests "sock afd protocol"] [--arch x86_64|i686]
#                           [--timeout SECONDS] [--keep DIR]
#
# BUILD_DIR holds build.w64 and build.w32 (./ws2send's build directory).
# WS2SEND_WINE_SOURCE=DIR uses an unpacked Wine source tree instead of
# fetching one; WS2SEND_DEBIAN_MIRROR (default http://deb.debian.org) is where
# the source package comes from.  --keep DIR keeps the programs and logs.
# Exit status: 0 when no failure occurs only under ws2send, 1 otherwise, 2 on
# a usage or set-up error.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "run_wine_tests: $*" >&2; exit 2; }

build_dir=
tests="sock afd protocol"
arches="x86_64 i686"
timeout=600
keep=
while [ $# -gt 0 ]; do
    case $1 in
        --tests) tests=$2; shift 2 ;;
        --arch) arches=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        -*) die "unknown option $1" ;;
        *) [ -z "$build_dir" ] || die "one build directory only"; build_dir=$1; shift ;;
    esac
done
[ -n "$build_dir" ] || die "usage: run_wine_tests.sh BUILD_DIR [options]"
for arch in $arches; do
    case $arch in x86_64|i686) ;; *) die "unknown architecture $arch" ;; esac
done
command -v unshare >/dev/null && command -v ip >/dev/null || die "needs unshare and ip (util-linux, iproute2)"
unshare -n -m true 2>/dev/null || die "cannot create network and mount namespaces (unshare -n -m needs root)"

dll_of() {  # the ws2send DLL of an architecture
    case $1 in
        x86_64) echo "$build_dir/build.w64/dlls/ws2_32/ws2_32.dll" ;;
        i686) echo "$build_dir/build.w32/dlls/ws2_32/ws2_32.dll" ;;
    esac
}
for arch in $arches; do
    [ -f "$(dll_of "$arch")" ] || die "no $(dll_of "$arch"): build first (./ws2send build)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ws2send-winetests.XXXXXX")
own_runtime_dir=
if [ ! -d "${XDG_RUNTIME_DIR:-}" ]; then
    own_runtime_dir=$(mktemp -d "${TMPDIR:-/tmp}/ws2send-xdg.XXXXXX")
    export XDG_RUNTIME_DIR=$own_runtime_dir
fi
running_prefix=
cleanup() {
    # Interrupted during a run: ending its server ends its programs, and
    # the run's shell then stops its DNS server itself.
    if [ -n "$running_prefix" ]; then
        WINEPREFIX=$running_prefix wineserver -k 2>/dev/null || true
        sleep 1
    fi
    if [ -n "$keep" ]; then
        mkdir -p "$keep"
        cp -r "$work/bin" "$work/logs" "$keep/" 2>/dev/null || true
    fi
    rm -rf "$work"
    if [ -n "$own_runtime_dir" ]; then rm -rf "$own_runtime_dir"; fi
}
trap cleanup EXIT

# --- Wine's source, once per Wine version ------------------------------------

# A private apt configuration: deb-src entries for this Debian release, its
# lists and cache under our cache directory; the system's apt is not touched.
fetch_debian_source() {
    local version=$1 dest=$2 cache=$3
    local codename mirror apt_dir unpack
    command -v dpkg-source >/dev/null || die "fetching Wine's source needs dpkg-source: apt-get install dpkg-dev"
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release; set WS2SEND_WINE_SOURCE"
    mirror=${WS2SEND_DEBIAN_MIRROR:-http://deb.debian.org}
    apt_dir=$cache/apt
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
    {
        for suite in "debian $codename" "debian $codename-updates" "debian-security $codename-security"; do
            echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror/${suite% *} ${suite#* } main"
        done
    } >"$apt_dir/sources.list"
    local apt_opts=(-q -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
                    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
                    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
                    -o "APT::Sandbox::User=$(id -un)" -o Debug::NoLocking=1)
    echo "run_wine_tests: fetching Debian's source of wine $version (private apt configuration in $apt_dir)"
    apt-get "${apt_opts[@]}" update >/dev/null || die "apt-get update of the deb-src lists failed"
    rm -rf "$cache"/unpack.*    # what an interrupted fetch left
    unpack=$(mktemp -d "$cache/unpack.XXXXXX")
    (cd "$unpack" && apt-get "${apt_opts[@]}" source --download-only "wine=$version" >/dev/null) ||
        die "apt-get source wine=$version failed"
    # apt checked the files against the signed Sources index; the .dsc's own
    # signature would need Debian's developer keyring.
    (cd "$unpack" && dpkg-source --no-check -x ./*.dsc tree >/dev/null) || die "dpkg-source -x failed"
    # Keep what the tests need (headers, the tests, Debian's changelog); the
    # tarballs and the rest of the tree (~350 MB) go.
    mkdir -p "$unpack/keep/dlls/ws2_32" "$unpack/keep/debian"
    mv "$unpack/tree/include" "$unpack/keep/include"
    mv "$unpack/tree/dlls/ws2_32/tests" "$unpack/keep/dlls/ws2_32/tests"
    mv "$unpack/tree/debian/changelog" "$unpack/keep/debian/changelog"
    cp "$unpack"/*.dsc "$unpack/keep/"
    rm -rf "$dest"
    mv "$unpack/keep" "$dest"
    rm -rf "$unpack" "$apt_dir"
}

wine_source() {
    local version cache dest
    if [ -n "${WS2SEND_WINE_SOURCE:-}" ]; then
        [ -f "$WS2SEND_WINE_SOURCE/include/wine/test.h" ] || die "WS2SEND_WINE_SOURCE has no include/wine/test.h"
        echo "$WS2SEND_WINE_SOURCE"
        return
    fi
    version=$(dpkg-query -W -f='${Version}' wine64 2>/dev/null || dpkg-query -W -f='${Version}' wine 2>/dev/null) ||
        die "Wine is not a Debian package here; set WS2SEND_WINE_SOURCE to the source of $(wine --version)"
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/ws2send
    dest=$cache/wine-source/$version
    if [ ! -f "$dest/include/wine/test.h" ]; then
        mkdir -p "$cache/wine-source"
        fetch_debian_source "$version" "$dest" "$cache" >&2
    fi
    echo "$dest"
}

src=$(wine_source)
echo "run_wine_tests: $(wine --version), tests from $src"

# --- building --------------------------------------------------------------

# MinGW's headers stand in for Wine's Windows headers; only Wine's own
# (wine/test.h, wine/afd.h, wine/debug.h) come from its source.  The prelude,
# included first into each test file, supplies what MinGW-w64 lacks.
mkdir -p "$work/include" "$work/bin" "$work/logs"
ln -s "$src/include/wine" "$work/include/wine"
cat >"$work/include/prelude.h" <<'EOF'
/* Included before each Wine test file: the Windows SDK names MinGW-w64's
 * headers lack, with the values Microsoft's headers give them. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <stddef.h>
#include <winsock2.h>
#include <windows.h>
#include <winternl.h>
#include <ws2tcpip.h>
#include <mstcpip.h>
#ifndef SO_BSP_STATE
#define SO_BSP_STATE 0x1009
#endif
#ifndef AI_DNS_ONLY
#define AI_DNS_ONLY 0x10
#endif
#ifndef SIO_IDEAL_SEND_BACKLOG_QUERY
#define SIO_IDEAL_SEND_BACKLOG_QUERY _IOR('t', 123, ULONG)
#endif
#ifndef WSA_CMSG_ALIGN
#define WSA_CMSG_ALIGN(len) WSA_CMSGHDR_ALIGN(len)
#endif
NTSTATUS NTAPI NtReadFile(HANDLE, HANDLE, PIO_APC_ROUTINE, void *, IO_STATUS_BLOCK *, void *, ULONG,
                          LARGE_INTEGER *, ULONG *);
NTSTATUS NTAPI NtWriteFile(HANDLE, HANDLE, PIO_APC_ROUTINE, void *, IO_STATUS_BLOCK *, const void *,
                           ULONG, LARGE_INTEGER *, ULONG *);
NTSTATUS NTAPI NtRemoveIoCompletion(HANDLE, ULONG_PTR *, ULONG_PTR *, IO_STATUS_BLOCK *, LARGE_INTEGER *);
ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS);
EOF

# The harness' main() (wine/test.h with STANDALONE) and a one-entry test
# list, per test file; __wine_dbg_strdup is what Wine's debugstr helpers
# return their strings through (ntdll's under Wine, absent on Windows).
write_testlist() {
    local name=$1
    cat <<EOF
#define STANDALONE
#include <windows.h>
#include "wine/test.h"

extern void func_$name(void);
const struct test winetest_testlist[] = { { "$name", func_$name }, { 0, 0 } };

const char * __cdecl __wine_dbg_strdup(const char *str)
{
    static char ring[64][1024];
    static LONG next;
    char *slot = ring[(ULONG)InterlockedIncrement(&next) % 64];

    lstrcpynA(slot, str, sizeof(ring[0]));
    return slot;
}
EOF
}

built=()
for name in $tests; do
    [ -f "$src/dlls/ws2_32/tests/$name.c" ] || die "no test file $name.c in $src/dlls/ws2_32/tests"
    write_testlist "$name" >"$work/include/testlist_$name.c"
    for arch in $arches; do
        # __WINESRC__: wine/debug.h's short names (debugstr_a, ...), which
        # the tests use.  Zero-initialized locals: a test that reads a buffer
        # a failed call left unwritten (test_address_list_query, with only lo)
        # then reads the same bytes under either DLL, not stack garbage.
        if "$arch-w64-mingw32-gcc" -O1 -g0 -D__WINESRC__ -ftrivial-auto-var-init=zero \
                -I"$work/include" -include prelude.h -o "$work/bin/$name-$arch.exe" \
                "$src/dlls/ws2_32/tests/$name.c" "$work/include/testlist_$name.c" \
                -lws2_32 -liphlpapi -luser32 -lntdll >"$work/logs/build-$name-$arch.txt" 2>&1; then
            built+=("$name-$arch")
        else
            echo "run_wine_tests: $name.c does not build for $arch:"
            grep -m 5 -E 'error|undefined' "$work/logs/build-$name-$arch.txt" || true
        fi
    done
done
[ ${#built[@]} -gt 0 ] || die "no test program built"
echo "run_wine_tests: built ${built[*]}"

# --- running ---------------------------------------------------------------

# Name lookups go to tools/loopback_dns.py inside the namespace: Wine's
# tests resolve public names (protocol.c stops at the first NULL result
# without an answer), and nothing may leave loopback.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$work/resolv.conf"

# One run: a fresh prefix and folder, inside a network namespace with only
# lo and a mount namespace whose resolv.conf names the loopback DNS server
# (started in them, as is the prefix's wineserver; both are ended in them).
# The prefix gets the null display driver, so the tests that need a window
# (WSAAsyncSelect, WSAAsyncGetServByName) have one without an X server;
# Explorer reads the setting when it starts, hence the server's restart.
run_one() {
    local name=$1 arch=$2 mode=$3 log=$4
    local dir prefix overrides status
    dir=$(mktemp -d "$work/run.XXXXXX")
    prefix=$dir/prefix
    mkdir "$prefix"
    running_prefix=$prefix
    cp "$work/bin/$name-$arch.exe" "$dir/"
    if [ "$mode" = ws2send ]; then
        cp "$(dll_of "$arch")" "$dir/ws2_32.dll"
        overrides='ws2_32=n,b;mscoree,mshtml='
    else
        overrides='ws2_32=b;mscoree,mshtml='
    fi
    set +e
    (cd "$dir" && WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES=$overrides \
        unshare -n -m sh -c '
            ip link set lo up && mount --bind "$5" /etc/resolv.conf || exit 99
            python3 "$6" dns-ready &
            dns=$!
            tries=0
            while [ ! -e dns-ready ]; do
                tries=$((tries + 1))
                if [ $tries -gt 100 ] || ! kill -0 $dns 2>/dev/null; then
                    echo "run_wine_tests: the loopback DNS server did not start" >"$4"
                    kill $dns 2>/dev/null
                    exit 99
                fi
                sleep 0.05
            done
            wineserver -p
            wine reg add "HKCU\\Software\\Wine\\Drivers" /v Graphics /d null /f >/dev/null 2>&1
            wineserver -k
            wineserver -w
            wineserver -p
            timeout -k 10 "$1" wine "./$2" "$3" >"$4" 2>&1
            status=$?
            wineserver -k
            kill $dns
            exit $status' sh "$timeout" "$name-$arch.exe" "$name" "$log" "$work/resolv.conf" \
            "$top/tools/loopback_dns.py")
    status=$?
    set -e
    echo "exit status $status" >>"$log"
    running_prefix=
    rm -rf "$dir"
}

for entry in "${built[@]}"; do
    name=${entry%-*}
    arch=${entry##*-}
    for mode in builtin ws2send; do
        start=$(date +%s)
        run_one "$name" "$arch" "$mode" "$work/logs/$name-$arch-$mode.txt"
        echo "run_wine_tests: $name $arch $mode: $(($(date +%s) - start)) s"
    done
done

python3 "$top/tools/wine_test_diff.py" "$work/logs" "${built[@]}"

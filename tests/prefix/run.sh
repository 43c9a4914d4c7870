#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# ws2send installed into throwaway Wine prefixes by setup_ws2send.sh, as a
# user installs it from the release package:
#  (a) legacy_client.exe started from another folder is served by ws2send
#      from the system directory (x86_64 from system32, i686 from syswow64);
#  (b) a program that loads ws2_32 only from the system directory
#      (load_from_system.exe) gets ws2send, whose providers count its sends;
#      ws2send's host is Wine's builtin, loaded by full path as a module of
#      its own (Wine's +loaddll says "builtin"); without Wine's directory
#      variables ws2send says once what it tried and fails cleanly;
#  (c) an unmodified Go program (loopback.go, built here for windows/amd64
#      and windows/386) exchanges UDP and TCP over loopback, and every one of
#      its sends is in ws2send's trace log;
#  (d) after uninstall Wine's files are back byte for byte, the override is
#      gone (or back to the value it had) and the builtin serves again;
#  (e) install and uninstall twice, --symlink, ./ws2send install|uninstall,
#      a 32-bit prefix, and each error case.
#
# Usage: run.sh BUILD_ROOT DIST.  BUILD_ROOT holds build.w64 and build.w32
# (and gets prefix-test/go-cache, Go's build cache); DIST is laid out as the
# release package (x64/, x32/, setup_ws2send.sh).  The suite runs in a
# network namespace of its own with only lo up (the Go program is third-party
# code), every wineserver it starts inside it.  Last line:
# "prefix: N passed, N failed".
set -uo pipefail

out=$(cd "$1" && pwd)
dist=$(cd "$2" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
setup=$dist/setup_ws2send.sh

if [ -z "${WS2SEND_IN_NETNS:-}" ]; then
    if ! unshare -n true 2>/dev/null; then
        echo "prefix: cannot create a network namespace (unshare -n needs root or user namespaces)"
        echo "prefix: 0 passed, 1 failed"
        exit 1
    fi
    exec unshare -n env WS2SEND_IN_NETNS=1 bash -c 'ip link set lo up && exec "$@"' _ "$0" "$@"
fi

unset WINEPREFIX WINEARCH WINEDLLOVERRIDES WS2SEND_DEBUG WS2SEND_LOG_FILE WS2SEND_FASTPATH
export WINEDEBUG=-all
key='HKEY_CURRENT_USER\Software\Wine\DllOverrides'
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ws2send-prefix.XXXXXX")
prefixes=()

cleanup() {
    local p
    for p in "${prefixes[@]}"; do
        WINEPREFIX=$p wineserver -k 2>/dev/null
        WINEPREFIX=$p wineserver -w 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
check() {
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "  FAIL: $what"
    fi
}

# Adds a test program's closing "N passed, N failed" line to the totals;
# shows its output when anything failed.
count_results() {
    local log=$1 what=$2 line p f
    line=$(tr -d '\r' <"$log" | grep -oE '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then
        failed=$((failed + 1))
        echo "  FAIL: $what: no result line"
        sed 's/^/    /' "$log"
        return
    fi
    read -r p _ f _ <<<"$line"
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        echo "  $what:"
        sed 's/^/    /' "$log"
    fi
}

# A fresh prefix in $prefix (WINEARCH win64 or win32).
new_prefix() {
    prefix=$tmp/$1
    prefixes+=("$prefix")
    WINEPREFIX=$prefix WINEARCH=$2 WINEDLLOVERRIDES='mscoree,mshtml=' wineboot -i >/dev/null 2>&1
    # The server writes system.reg when it exits.
    WINEPREFIX=$prefix wineserver -w
    check "wineboot -i made a $2 prefix" test -f "$prefix/system.reg"
}

# Runs a Windows program in the prefix from folder dir, all output to log.
run_in() {
    local dir=$1 log=$2
    shift 2
    (cd "$dir" && WINEPREFIX=$prefix timeout 120 wine "$@" >"$log" 2>&1)
}

override() {
    WINEPREFIX=$prefix wine reg query "$key" /v ws2_32 2>/dev/null | tr -d '\r' |
        sed -n 's/^ *ws2_32  *REG_SZ *//Ip'
}
has_override() { [ "$(override)" = "$1" ]; }
no_override() { ! WINEPREFIX=$prefix wine reg query "$key" /v ws2_32 >/dev/null 2>&1; }

sum() { sha256sum "$1" 2>/dev/null | cut -c1-64; }
# has_sum FILE SUM...: the files have these contents (and are not links).
has_sum() {
    while [ $# -ge 2 ]; do
        [ "$(sum "$1")" = "$2" ] && [ ! -L "$1" ] || return 1
        shift 2
    done
}
same_file() { cmp -s "$1" "$2"; }
# missing FILE...: none of them exists.
missing() {
    local f
    for f in "$@"; do [ ! -e "$f" ] && [ ! -L "$f" ] || return 1; done
}
links_to() { [ -L "$1" ] && [ "$(readlink -f "$1")" = "$(readlink -f "$2")" ]; }
has_line() { tr -d '\r' <"$2" | grep -q -- "$1"; }
lacks_line() { ! has_line "$@"; }
one_line() { [ "$(tr -d '\r' <"$2" | grep -c -- "$1")" -eq 1 ]; }

# setup_ws2send.sh with its output in $tmp/setup.log; succeeds if it did.
setup() { "$setup" "$@" >"$tmp/setup.log" 2>&1; }
# ./ws2send install|uninstall from the clone, on this build.
clone() { WS2SEND_BUILD_DIR=$out "$top/ws2send" "$@" >"$tmp/setup.log" 2>&1; }
# An uninstall that finds nothing to do.
nothing_to_uninstall() { setup uninstall --prefix "$prefix" && grep -q "not installed" "$tmp/setup.log"; }
# setup_ws2send.sh that must fail with status 1 (2 for usage) and message.
setup_fails() {
    local status=$1 message=$2 rc
    shift 2
    "$@" >"$tmp/setup.log" 2>&1
    rc=$?
    if [ "$rc" -ne "$status" ] || ! grep -q -- "$message" "$tmp/setup.log"; then
        sed 's/^/    /' "$tmp/setup.log"
        return 1
    fi
}

arch_of() { if [ "$1" = w64 ]; then echo x86_64; else echo i686; fi; }
pe_dir_of() { if [ "$1" = w64 ]; then echo x86_64-windows; else echo i386-windows; fi; }

# --- (a) legacy_client from another folder ----------------------------------
legacy_served() {
    local arch=$1 log=$tmp/legacy-$1.log
    WS2SEND_DEBUG=info run_in "$out/build.$arch/tests/dropin" "$log" ./legacy_client.exe --system
    count_results "$log" "legacy_client --system ($(arch_of "$arch"))"
    check "legacy_client ($(arch_of "$arch")): ws2send's host is Wine's builtin from $(pe_dir_of "$arch")" \
        has_line "load_host host is .*\\\\$(pe_dir_of "$arch")\\\\ws2_32.dll" "$log"
}

# --- (b) a program that loads ws2_32 from the system directory only --------
# Wine's +loaddll line for path (its backslashes doubled) ends in "builtin".
loaded_as_builtin() {
    local path=$1 log=$2
    [ -n "$path" ] && grep -F "Loaded L\"${path//\\/\\\\}\"" "$log" | grep -q ": builtin"
}

system_loader_served() {
    local arch=$1 log=$tmp/system-$1.log host
    WINEDEBUG=+loaddll run_in "$out/build.$arch/tests/prefix" "$log" ./load_from_system.exe ws2send
    count_results "$log" "load_from_system ws2send ($(arch_of "$arch"))"
    # Wine's loader itself: ws2send from the system directory as a native
    # DLL, and the host as Wine's builtin, from where ws2send found it.
    check "load_from_system ($(arch_of "$arch")): +loaddll shows ws2send as the system's native ws2_32.dll" \
        grep -qi 'Loaded L"C:\\\\windows\\\\system32\\\\ws2_32.dll" at [0-9A-F]*: native' "$log"
    host=$(tr -d '\r' <"$log" | sed -n 's/^host: //p')
    check "load_from_system ($(arch_of "$arch")): +loaddll shows the host ${host:-?} loaded as Wine's builtin" \
        loaded_as_builtin "$host" "$log"

    log=$tmp/system-hidden-$1.log
    WS2SEND_DEBUG=info run_in "$out/build.$arch/tests/prefix" "$log" ./load_from_system.exe ws2send --hide-dll-dirs
    count_results "$log" "load_from_system without WINEDLLDIR<n> ($(arch_of "$arch"))"

    log=$tmp/system-nohost-$1.log
    run_in "$out/build.$arch/tests/prefix" "$log" ./load_from_system.exe no-host
    count_results "$log" "load_from_system without Wine's directories ($(arch_of "$arch"))"
    check "no host ($(arch_of "$arch")): one error line listing what was tried" \
        one_line "err:ws2send:load_host cannot find Wine's builtin ws2_32.dll for $(arch_of "$arch"); tried: .*ws2_32.dll (ws2send itself); WINEDLLDIR0 (not set); WINEDATADIR (not set)" "$log"
}

# --- (c) a Go program --------------------------------------------------------
go_build() {
    local goarch=$1
    mkdir -p "$tmp/go" "$out/prefix-test"
    GOCACHE=$out/prefix-test/go-cache GOPATH=$tmp/go/path GOFLAGS='' CGO_ENABLED=0 GOOS=windows GOARCH=$goarch \
        go build -trimpath -o "$tmp/go/loopback-$goarch.exe" "$top/tests/prefix/loopback.go" >"$tmp/go/build-$goarch.log" 2>&1 ||
        { cat "$tmp/go/build-$goarch.log"; false; }
}

# Runs the Go program with ws2send tracing into a log; sets go_line, go_log.
go_run() {
    local goarch=$1 tag=$2
    go_log=$tmp/go/trace-$goarch-$tag.log
    rm -f "$go_log"
    WS2SEND_DEBUG=trace WS2SEND_LOG_FILE="Z:${go_log//\//\\}" WS2SEND_LOG_STDERR=0 \
        run_in "$tmp/go" "$tmp/go/out-$goarch-$tag.log" "./loopback-$goarch.exe"
    go_line=$(tr -d '\r' <"$tmp/go/out-$goarch-$tag.log" | grep "^go-loopback ($goarch): .*: ok$")
    [ -n "$go_line" ] || sed 's/^/    /' "$tmp/go/out-$goarch-$tag.log"
}

# ws2send's trace has at least count sends on socket handle.
traced_sends() {
    local handle=$1 count=$2
    [ -n "$handle" ] && [ "$(grep -c "provider_send socket $handle," "$go_log" 2>/dev/null)" -ge "$count" ]
}

# ws2send's line at process exit counts at least count sends.
summary_counts() {
    local count=$1 total
    total=$(tr -d '\r' <"$go_log" | sed -n "s/.*provider_log_summary sends: \([0-9]*\) on the host, \([0-9]*\) through Wine's driver, \([0-9]*\) .*/\1 \2 \3/p" |
        awk '{ t += $1 + $2 + $3 } END { print t + 0 }')
    [ "$total" -ge "$count" ]
}

go_served() {
    local goarch=$1 pe_dir=$2 udp tcp sent
    go_run "$goarch" installed
    check "Go ($goarch): UDP and TCP over loopback" test -n "$go_line"
    udp=$(sed -n 's/.*: udp \(0x[0-9a-f]*\) sent.*/\1/p' <<<"$go_line")
    tcp=$(sed -n 's/.*, tcp \(0x[0-9a-f]*\) sent.*/\1/p' <<<"$go_line")
    sent=$(sed -n 's/.* sent \([0-9]*\),.*/\1/p' <<<"$go_line")
    check "Go ($goarch): ws2send served it, its host Wine's builtin from $pe_dir" \
        grep -q "load_host host is .*\\\\$pe_dir\\\\ws2_32.dll" "$go_log"
    check "Go ($goarch): ws2send's trace has the ${sent:-?} UDP sends on socket ${udp:-?}" traced_sends "$udp" "${sent:-1}"
    check "Go ($goarch): ws2send's trace has the ${sent:-?} TCP sends on socket ${tcp:-?}" traced_sends "$tcp" "${sent:-1}"
    check "Go ($goarch): ws2send's summary at exit counts the $((2 * ${sent:-1})) sends" summary_counts $((2 * ${sent:-1}))
    check "Go ($goarch): WS2SEND_LOG_STDERR=0 keeps ws2send's lines out of the program's output" \
        lacks_line ':ws2send:' "$tmp/go/out-$goarch-installed.log"
}

go_builtin() {
    local goarch=$1
    go_run "$goarch" uninstalled
    check "Go ($goarch) after uninstall: UDP and TCP over loopback" test -n "$go_line"
    check "Go ($goarch) after uninstall: ws2send is not loaded (no log)" test ! -s "$go_log"
}

# --- error cases that need no prefix ----------------------------------------
mkdir -p "$tmp/not-a-prefix" "$tmp/lonely" "$tmp/swapped/x64" "$tmp/swapped/x32"
check "no prefix: a clear error" \
    setup_fails 1 "no Wine prefix at $tmp/none" "$setup" install --prefix "$tmp/none"
check "not a Wine prefix: a clear error" \
    setup_fails 1 "is not a Wine prefix" "$setup" install --prefix "$tmp/not-a-prefix"
check "unknown argument: usage, status 2" setup_fails 2 "unknown argument" "$setup" install --bogus
check "no command: usage, status 2" setup_fails 2 "setup_ws2send.sh install" "$setup"

# --- a 64-bit (WoW64) prefix -------------------------------------------------
new_prefix wow64 win64
sys32=$prefix/drive_c/windows/system32
wow64=$prefix/drive_c/windows/syswow64
orig32=$(sum "$sys32/ws2_32.dll")
orig64=$(sum "$wow64/ws2_32.dll")
check "the prefix has no ws2_32 override to begin with" no_override

cp "$setup" "$tmp/lonely/"
cp "$dist/x32/ws2_32.dll" "$tmp/swapped/x64/"
cp "$dist/x64/ws2_32.dll" "$tmp/swapped/x32/"
cp "$setup" "$tmp/swapped/"
check "setup_ws2send.sh without x64/ and x32/: wrong file layout" \
    setup_fails 1 "wrong file layout" "$tmp/lonely/setup_ws2send.sh" install --prefix "$prefix"
check "x64/ and x32/ swapped: wrong file layout" \
    setup_fails 1 "wrong file layout.*another architecture" "$tmp/swapped/setup_ws2send.sh" install --prefix "$prefix"
# Everything on PATH but Wine's launchers.
mkdir -p "$tmp/no-wine-path"
IFS=: read -ra path_dirs <<<"$PATH"
for dir in "${path_dirs[@]}"; do cp -s "$dir"/* "$tmp/no-wine-path/" 2>/dev/null; done
rm -f "$tmp/no-wine-path"/wine*
check "no wine on PATH: a clear error" \
    setup_fails 1 "cannot find 'wine'" env PATH="$tmp/no-wine-path" "$setup" install --prefix "$prefix"
check "uninstall before any install: nothing to do" nothing_to_uninstall
check "the failed and empty runs changed nothing" has_sum "$sys32/ws2_32.dll" "$orig32" "$wow64/ws2_32.dll" "$orig64"
check "the failed and empty runs left no state" missing "$prefix/.ws2send-setup"

# (e) install twice
check "install" setup install --prefix "$prefix"
check "install again" setup install --prefix "$prefix"
check "system32/ws2_32.dll is x64/ws2_32.dll" same_file "$sys32/ws2_32.dll" "$dist/x64/ws2_32.dll"
check "syswow64/ws2_32.dll is x32/ws2_32.dll" same_file "$wow64/ws2_32.dll" "$dist/x32/ws2_32.dll"
check "Wine's files kept" has_sum "$sys32/ws2_32.dll.before-ws2send" "$orig32" "$wow64/ws2_32.dll.before-ws2send" "$orig64"
check "override ws2_32=native,builtin" has_override native,builtin

legacy_served w64
legacy_served w32
system_loader_served w64
system_loader_served w32

if command -v go >/dev/null 2>&1; then
    check "go build loopback.go for windows/amd64" go_build amd64
    check "go build loopback.go for windows/386" go_build 386
    go_served amd64 x86_64-windows
    go_served 386 i386-windows
else
    check "Go is installed (golang-go, tools/install-deps.sh)" false
fi

# (e) --symlink over a copy
check "install --symlink" setup install --symlink --prefix "$prefix"
check "system32/ws2_32.dll links to x64/ws2_32.dll" links_to "$sys32/ws2_32.dll" "$dist/x64/ws2_32.dll"
check "syswow64/ws2_32.dll links to x32/ws2_32.dll" links_to "$wow64/ws2_32.dll" "$dist/x32/ws2_32.dll"
check "Wine's files still kept" \
    has_sum "$sys32/ws2_32.dll.before-ws2send" "$orig32" "$wow64/ws2_32.dll.before-ws2send" "$orig64"

# (d) uninstall twice
check "uninstall" setup uninstall --prefix "$prefix"
check "uninstall again: nothing to do" nothing_to_uninstall
check "Wine's files are back" has_sum "$sys32/ws2_32.dll" "$orig32" "$wow64/ws2_32.dll" "$orig64"
check "no backups or state left" \
    missing "$sys32/ws2_32.dll.before-ws2send" "$wow64/ws2_32.dll.before-ws2send" "$prefix/.ws2send-setup"
check "the override is gone" no_override
for arch in w64 w32; do
    run_in "$out/build.$arch/tests/prefix" "$tmp/builtin-$arch.log" ./load_from_system.exe builtin
    count_results "$tmp/builtin-$arch.log" "load_from_system builtin ($(arch_of "$arch"))"
done
if command -v go >/dev/null 2>&1; then
    go_builtin amd64
    go_builtin 386
fi

# (e) ./ws2send install|uninstall from the clone; an override the user had
# comes back on uninstall.
WINEPREFIX=$prefix wine reg add "$key" /v ws2_32 /t REG_SZ /d builtin /f >/dev/null 2>&1
check "./ws2send install PREFIX" clone install "$prefix"
check "./ws2send install: system32 holds this build" same_file "$sys32/ws2_32.dll" "$out/build.w64/dlls/ws2_32/ws2_32.dll"
check "./ws2send install: syswow64 holds this build" same_file "$wow64/ws2_32.dll" "$out/build.w32/dlls/ws2_32/ws2_32.dll"
check "./ws2send install: override ws2_32=native,builtin" has_override native,builtin
check "./ws2send uninstall PREFIX" clone uninstall "$prefix"
check "./ws2send uninstall: the user's override ws2_32=builtin is back" has_override builtin
check "./ws2send uninstall: Wine's files are back" has_sum "$sys32/ws2_32.dll" "$orig32" "$wow64/ws2_32.dll" "$orig64"

# (e) ws2send copied in by hand (as README once said), no copy of Wine's
# files kept: uninstall, or install then uninstall, puts Wine's own back.
copy_by_hand() {
    cp "$dist/x64/ws2_32.dll" "$sys32/ws2_32.dll"
    cp "$dist/x32/ws2_32.dll" "$wow64/ws2_32.dll"
    WINEPREFIX=$prefix wine reg add "$key" /v ws2_32 /t REG_SZ /d native,builtin /f >/dev/null 2>&1
}
WINEPREFIX=$prefix wine reg delete "$key" /v ws2_32 /f >/dev/null 2>&1
copy_by_hand
check "uninstall of a copy made by hand" setup uninstall --prefix "$prefix"
check "uninstall of a copy made by hand: Wine's files are back" \
    has_sum "$sys32/ws2_32.dll" "$orig32" "$wow64/ws2_32.dll" "$orig64"
check "uninstall of a copy made by hand: the override is gone" no_override
copy_by_hand
check "install over a copy made by hand" setup install --prefix "$prefix"
check "install over a copy made by hand: Wine's files kept" \
    has_sum "$sys32/ws2_32.dll.before-ws2send" "$orig32" "$wow64/ws2_32.dll.before-ws2send" "$orig64"
check "install over a copy made by hand, then uninstall" setup uninstall --prefix "$prefix"
check "install over a copy made by hand, then uninstall: Wine's files are back" \
    has_sum "$sys32/ws2_32.dll" "$orig32" "$wow64/ws2_32.dll" "$orig64"

# --- a 32-bit prefix ---------------------------------------------------------
new_prefix win32 win32
sys32=$prefix/drive_c/windows/system32
orig32=$(sum "$sys32/ws2_32.dll")
check "32-bit prefix: install" setup install --prefix "$prefix"
check "32-bit prefix: system32/ws2_32.dll is x32/ws2_32.dll" same_file "$sys32/ws2_32.dll" "$dist/x32/ws2_32.dll"
check "32-bit prefix: no syswow64 made" missing "$prefix/drive_c/windows/syswow64"
check "32-bit prefix: override ws2_32=native,builtin" has_override native,builtin
legacy_served w32
check "32-bit prefix: uninstall" setup uninstall --prefix "$prefix"
check "32-bit prefix: Wine's file is back" has_sum "$sys32/ws2_32.dll" "$orig32"
check "32-bit prefix: the override is gone" no_override

echo "prefix: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A third-party check: Go's own tests of its net and net/http packages, from
# the installed Go (`go env GOROOT`), cross-built for Windows and run under
# Wine against Wine's builtin ws2_32 and against ws2send, test by test.
#
#   tools/run_go_net_tests.sh [--arch x86_64|i686|both] [--modes "builtin fp1 fp0"]
#                             [--packages "net net/http"] [--run PATTERN] [--skip PATTERN]
#                             [--retries N] [--timeout SECONDS] [--rerun-timeout SECONDS]
#                             [--count N] [--long]
#
# `go test -c` of each package is built at run time (GOOS=windows, GOARCH
# amd64 and 386, CGO_ENABLED=0) into a scratch folder, and runs in a copy of
# the package's folder from GOROOT, as `go test` would run it; none of Go's
# code enters the repository.  Go loads ws2_32 from the system directory
# only, so ws2send goes where setup_ws2send.sh puts it (system32, syswow64)
# in a throwaway prefix, and WINEDLLOVERRIDES chooses: ws2_32=n,b for
# ws2send (fp1, fp0: WS2SEND_FASTPATH=1, 0), ws2_32=b for the builtin.
# Everything runs in a network namespace of its own with only lo up, the
# prefix's wineserver inside it.
#
# Each configuration (package, arch, mode) runs the tests with -test.v
# -test.short, each process under -test.timeout SECONDS (default 120) and an
# outer timeout; a test left unfinished by a timeout counts as hung, by a
# crash as crashed, and the tests not yet started (or paused, t.Parallel)
# run on in a new process.  --long drops -test.short (longer loops, and the
# tests short mode skips), leaving out the tests that need the external
# network (those a short run of the builtin skips saying so: they would look
# up public names).  --count N runs each test N times in its process; its
# outcome is then the worst.
# --run PATTERN chooses tests (a -test.list pattern), --skip PATTERN leaves
# out the tests it matches (a Python regular expression on the name; default
# ^TestServeFileFromCWD$, which hangs about every other run under Wine's
# builtin alone: its server waits for good in TransmitFile, Go's sendfile,
# once the client has closed without reading; --skip '' runs it).
#
# Every top-level test whose outcome differs between the builtin and a
# ws2send mode runs alone --retries more times (default 3) on both sides,
# each under -test.timeout --rerun-timeout (default 30): a regression if
# ws2send never passed it while the builtin did, a fix if
# the builtin never passed it and ws2send always did, flaky if it otherwise
# both passed and failed, else a difference (a skip against a pass, say).
# Output: per configuration the pass/fail/skip/hang/crash counts and, for
# ws2send, how many sends each route took; each difference with its reruns
# and what the failing side printed; last line
#   go tests: N regressions, N fixes, N flaky, N other differences
# Exit status 1 on a regression (or a configuration not served by the DLL
# intended), 2 for bad arguments or a failed build.  tools/go_test_runs.py
# does the runs and the comparison.
#
# Build directory: $WS2SEND_BUILD_DIR (default: the source tree) holds
# build.w64 and build.w32 (./ws2send gotests builds them first) and gets
# build.go-cache, Go's build cache.  The scratch folder and the prefix go
# at the end; WS2SEND_GOTESTS_KEEP=DIR keeps every log there.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build_root=${WS2SEND_BUILD_DIR:-$top}
arches=(x86_64 i686) modes="builtin fp1 fp0" packages="net net/http" skip='^TestServeFileFromCWD$'
runner_args=()

die() { echo "run_go_net_tests: $*" >&2; exit 2; }
usage() { sed -n '4,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }

args=("$@")
while [ $# -gt 0 ]; do
    case $1 in
        --arch) [ $# -ge 2 ] || usage
            case $2 in x86_64|i686) arches=("$2") ;; both) arches=(x86_64 i686) ;; *) die "--arch x86_64|i686|both" ;; esac
            shift ;;
        --modes) [ $# -ge 2 ] || usage; modes=$2; shift ;;
        --packages) [ $# -ge 2 ] || usage; packages=$2; shift ;;
        --retries|--timeout|--rerun-timeout|--count) [ $# -ge 2 ] || usage
            [[ $2 =~ ^[0-9]+$ ]] || die "$1 takes a number"
            runner_args+=("$1" "$2"); shift ;;
        --run) [ $# -ge 2 ] || usage; runner_args+=(--run "$2"); shift ;;
        --skip) [ $# -ge 2 ] || usage; skip=$2; shift ;;
        --long) runner_args+=(--long) ;;
        -h|--help) usage 0 ;;
        *) usage ;;
    esac
    shift
done
for mode in $modes; do
    case $mode in builtin|fp0|fp1) ;; *) die "--modes takes builtin, fp0 and fp1" ;; esac
done
[[ " $modes " == *" builtin "* ]] || die "--modes must include builtin, the baseline"
[ -n "$packages" ] || die "--packages: at least one"
for tool in go wine wineserver unshare ip python3; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
build_dir() { [ "$1" = x86_64 ] && echo "$build_root/build.w64" || echo "$build_root/build.w32"; }
goarch() { [ "$1" = x86_64 ] && echo amd64 || echo 386; }
for arch in "${arches[@]}"; do
    [ -f "$(build_dir "$arch")/dlls/ws2_32/ws2_32.dll" ] ||
        die "no $(build_dir "$arch")/dlls/ws2_32/ws2_32.dll: build first (./ws2send build)"
done

# Third-party code runs only where it reaches nothing but loopback.
if [ -z "${WS2SEND_IN_NETNS:-}" ]; then
    unshare -n true 2>/dev/null || die "cannot create a network namespace (unshare -n needs root or user namespaces)"
    exec unshare -n env WS2SEND_IN_NETNS=1 bash -c 'ip link set lo up && exec "$@"' _ "$0" "${args[@]}"
fi

unset WINEARCH WINEDLLOVERRIDES WS2SEND_DEBUG WS2SEND_LOG_FILE WS2SEND_FASTPATH
work=$(mktemp -d "${TMPDIR:-/tmp}/ws2send-gotests.XXXXXX")
export WINEPREFIX=$work/prefix WINEDEBUG=-all
cleanup() {
    WINEPREFIX=$work/prefix wineserver -k 2>/dev/null || true
    WINEPREFIX=$work/prefix wineserver -w 2>/dev/null || true
    if [ -n "${WS2SEND_GOTESTS_KEEP:-}" ]; then
        mkdir -p "$WS2SEND_GOTESTS_KEEP"
        cp -r "$work/logs/." "$WS2SEND_GOTESTS_KEEP/" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The test binaries, and the folders they run in: a copy of the package's
# folder (its tests read testdata/ and their own sources) beside GOROOT's
# src/testdata (net's sendfile tests read ../testdata).
goroot=$(go env GOROOT)
go_version=$(go env GOVERSION)
mkdir -p "$work/bin" "$work/logs" "$work/src"
[ ! -d "$goroot/src/testdata" ] || cp -r "$goroot/src/testdata" "$work/src/"
echo "run_go_net_tests: building $go_version's tests of $packages for windows" \
    "($(for a in "${arches[@]}"; do goarch "$a"; done | xargs))"
for package in $packages; do
    [ -d "$goroot/src/$package" ] || die "no package $package in $goroot/src"
    mkdir -p "$work/src/$package"
    find "$goroot/src/$package" -maxdepth 1 -type f -exec cp {} "$work/src/$package/" \;
    [ ! -d "$goroot/src/$package/testdata" ] || cp -r "$goroot/src/$package/testdata" "$work/src/$package/"
    for arch in "${arches[@]}"; do
        exe=$work/bin/${package//\//_}-$arch.exe
        GOOS=windows GOARCH=$(goarch "$arch") CGO_ENABLED=0 GOFLAGS='' GOPROXY=off GOPATH=$work/gopath \
            GOCACHE=$build_root/build.go-cache go test -c -o "$exe" "$package" >"$work/logs/build.log" 2>&1 ||
            { cat "$work/logs/build.log" >&2; die "go test -c $package for $arch failed"; }
    done
done

echo "run_go_net_tests: preparing a Wine prefix"
WINEDLLOVERRIDES='mscoree,mshtml=' wineboot -i >/dev/null 2>&1 || true
wineserver -w
# ws2send where setup_ws2send.sh puts it: x86_64 in system32, i686 in syswow64.
for arch in "${arches[@]}"; do
    sysdir=$WINEPREFIX/drive_c/windows/system32
    [ "$arch" = i686 ] && sysdir=$WINEPREFIX/drive_c/windows/syswow64
    cp "$(build_dir "$arch")/dlls/ws2_32/ws2_32.dll" "$sysdir/ws2_32.dll"
done

runner=(python3 "$top/tools/go_test_runs.py" --work "$work" --modes "$modes" --skip "$skip" --go-version "$go_version")
for package in $packages; do runner+=(--package "$package"); done
for arch in "${arches[@]}"; do runner+=(--arch "$arch"); done
"${runner[@]}" "${runner_args[@]}"

#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A third-party check: libuv's own test runner (uv_run_tests_a.exe), built
# for Windows with MinGW-w64, run under Wine's builtin ws2_32 and under
# ws2send beside it, test by test; the outcomes are compared.
#
# Usage: run_libuv_tests.sh --build-dir DIR [options]
#   --build-dir DIR   holds ws2send's build.w64 and build.w32
#   --arch A          x86_64, i686 or both (default both)
#   --fastpath F      1, 0 or both (default both): WS2SEND_FASTPATH of the
#                     ws2send runs
#   --tests REGEX     which tests (default: the socket tests, see below)
#   --all             every test of the runner (still minus the excluded)
#   --reruns N        a test whose outcome differs is run N more times on
#                     both sides (default 3)
#   --timeout S       a run's limit (default 120 s; libuv's runner has its
#                     own, 5 s for most tests)
#   --work DIR        keep prefix, logs and results there (default: a
#                     temporary folder, removed at the end)
#
# libuv's source never enters this repository.  It is fetched at run time
# into ${XDG_CACHE_HOME:-~/.cache}/ws2send/libuv (built there too, once per
# version and architecture), from the first of:
#   1. WS2SEND_LIBUV_SOURCE, an unpacked libuv source tree;
#   2. a local git mirror (WS2SEND_LIBUV_GIT, a git directory; default the
#      workplace's mirror), its newest release tag vX.Y.Z;
#   3. https://github.com/libuv/libuv, its newest release tag, if reachable;
#   4. Debian's source package libuv1 (apt-get source with a private apt
#      configuration: deb-src entries made from the system's deb entries in
#      a temporary folder; the system's sources are not touched).
#
# Every Wine run happens inside a network namespace of its own with only lo
# up (unshare -n), its wineserver started inside it and ended after.  Tests
# that would hand a non-loopback address or a host name to the system
# (TEST-NET, public, link-local or multicast addresses, name lookups) are
# never run.  The ws2send runs log at info level into a file per run
# (WS2SEND_LOG_STDERR=0: libuv's tests compare their children's output): a
# run ws2send did not serve counts as a failure.
#
# Output: a table per architecture and fast-path mode; each test whose
# outcome differs, with every run's outcome on both sides; runs that left
# processes behind (the prefix's wineserver ends them before the next
# test); a closing summary line.
# Exit status 1 when ws2send fails a test the builtin passes (every run of
# either side agreeing), 2 for bad arguments or a failed build.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
self=$top/tools/run_libuv_tests.sh

usage() { sed -n '7,21p' "$self" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "libuvtests: $*" >&2; exit 2; }
say() { echo "libuvtests: $*"; }

build_dir= arches=both fastpaths=both tests_re= all=0 reruns=3 run_timeout=120 work=
inner=0
while [ $# -gt 0 ]; do
    case $1 in
        --build-dir) build_dir=$2; shift 2 ;;
        --arch) arches=$2; shift 2 ;;
        --fastpath) fastpaths=$2; shift 2 ;;
        --tests) tests_re=$2; shift 2 ;;
        --all) all=1; shift ;;
        --reruns) reruns=$2; shift 2 ;;
        --timeout) run_timeout=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --inner) inner=1; shift ;;
        *) usage ;;
    esac
done
case $arches in both) arches="x86_64 i686" ;; x86_64|i686) ;; *) usage ;; esac
case $fastpaths in both) fastpaths="1 0" ;; 0|1) ;; *) usage ;; esac
[[ $reruns =~ ^[0-9]+$ && $run_timeout =~ ^[0-9]+$ ]] || usage

# The socket tests: TCP, UDP, pipes (and TCP handles passed over them), and
# the other tests built on TCP or UDP handles.
socket_tests='^(tcp|udp|ipc|pipe)|^(callback_stack|close_order|closed_fd_events|connect_unspecified|connection_fail|delayed_accept|getsockname_|listen_|multiple_listen|not_readable|not_writable|poll_|readable_on_eof|shutdown_|socket_buffer_size|spawn_tcp_server)'
# Never run: these hand the system a non-loopback address (TEST-NET, public,
# link-local, multicast; a connect meant to stay pending or fail included)
# or a host name to look up.  udp_connect and udp_connect6 stay: libuv
# refuses their 8.8.8.8 / 2001:4860:4860::8888 with EISCONN itself.
excluded='^(tcp_bind_error_addrnotavail_2|tcp_bind6_error_addrnotavail|tcp_close_while_connecting|tcp_connect_timeout|tcp_connect6_link_local|udp_send_hang_loop|udp_multicast_.*|getaddrinfo_.*|getnameinfo_.*|threadpool_cancel_getaddrinfo|threadpool_cancel_getnameinfo|threadpool_multiple_event_loops)$'

# ---------------------------------------------------------------------------
# Inside the namespace: run every selected test on every side.  Arguments
# come through the environment set by the outer part (LIBUV_*).
# ---------------------------------------------------------------------------

# Processes of this run's prefix still running the test program: a child
# that outlived its runner (seen: fs_event_watch_delete_dir's, which the
# runner's own timeout did not end) would hold its files, ports and pipes
# for the tests after it.  Ours only: the program's name in the command
# line and this prefix in the environment.
leftovers() {
    local p n=0
    for p in /proc/[0-9]*; do
        { tr '\0' '\n' <"$p/cmdline"; } 2>/dev/null | grep -q 'uv_run_tests_a' || continue
        { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qxF "WINEPREFIX=$WINEPREFIX" && n=$((n + 1))
    done
    echo $n
}

# One run of one test: prints "outcome time served host driver leftover".
run_one() {
    local dir=$1 test=$2 side=$3 log=$4 started rc outcome served=- host=- driver=- left
    local overrides='ws2_32=b;mscoree,mshtml='
    local env=(WS2SEND_FASTPATH= WS2SEND_DEBUG= WS2SEND_LOG_FILE= WS2SEND_LOG_STDERR=)
    if [ "$side" != builtin ]; then
        overrides='ws2_32=n,b;mscoree,mshtml='
        rm -f "$log.ws2send"
        # Z: is the prefix's drive for /.
        env=(WS2SEND_FASTPATH="${side#fp}" WS2SEND_DEBUG=info WS2SEND_LOG_FILE="Z:${log//\//\\}.ws2send"
             WS2SEND_LOG_STDERR=0)
    fi
    started=$(date +%s%N)
    # Into a file, not a pipe: a child the runner failed to end would hold
    # a pipe open, and a reader waiting for its end would wait for good.
    (cd "$dir" && env "${env[@]}" WINEDLLOVERRIDES="$overrides" \
        timeout -k 10 "$LIBUV_TIMEOUT" wine ./uv_run_tests_a.exe "$test" >"$log.raw" 2>&1)
    rc=$?
    tr -d '\r' <"$log.raw" >"$log" && rm -f "$log.raw"
    left=no
    if [ "$(leftovers)" -gt 0 ] && sleep 1 && [ "$(leftovers)" -gt 0 ]; then left=yes; fi
    if [ $rc -eq 124 ] || [ $rc -eq 137 ] || [ $left = yes ]; then
        # Whatever the runner left behind (helpers, children) goes with the
        # prefix's server; the next run starts a new one.
        wineserver -k 2>/dev/null
        wineserver -w 2>/dev/null
    fi
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        outcome=timeout
    elif grep -qE "^ok [0-9]+ - $test # SKIP" "$log"; then
        outcome=skip
    elif grep -qE "^ok [0-9]+ - $test\$" "$log"; then
        outcome=pass
    elif grep -qE '^# timeout$' "$log"; then
        outcome=timeout
    else
        outcome=fail
    fi
    if [ "$side" != builtin ]; then
        served=no
        if [ -f "$log.ws2send" ]; then
            grep -q ':info:ws2send:DllMain ws2send .* loaded' "$log.ws2send" && served=yes
            read -r host driver < <(tr -d '\r' <"$log.ws2send" | awk '
                /provider_log_summary sends:/ { h += $3; d += $7 }
                END { print h + 0, d + 0 }')
        fi
        if [ "$served" = no ] && [ "$outcome" != skip ]; then outcome=fail; fi
    fi
    printf '%s %s %s %s %s %s\n' "$outcome" "$(( ($(date +%s%N) - started) / 1000000 ))ms" "$served" "$host" "$driver" "$left"
}

inner_main() {
    local arch side test line dir
    export WINEPREFIX=$LIBUV_WORK/prefix WINEDEBUG=-all
    wineboot -i >/dev/null 2>&1
    for arch in $LIBUV_ARCHES; do
        dir=$LIBUV_WORK/$arch
        # The test list as the runner gives it (first word: helpers follow).
        (cd "$dir/builtin" && WINEDLLOVERRIDES='ws2_32=b;mscoree,mshtml=' wine ./uv_run_tests_a.exe --list 2>/dev/null) |
            tr -d '\r' | awk '{ print $1 }' | grep -E "$LIBUV_TESTS" | grep -vE "$LIBUV_EXCLUDED" >"$dir/tests"
        echo "libuvtests: $arch: $(wc -l <"$dir/tests") tests, sides: builtin ${LIBUV_SIDES}" >&2
        while read -r test; do
            for side in builtin $LIBUV_SIDES; do
                mkdir -p "$dir/logs/$side"
                line=$(run_one "$dir/$( [ $side = builtin ] && echo builtin || echo ws2send )" "$test" "$side" \
                       "$dir/logs/$side/$test.0")
                echo "$arch $side $test 0 $line" >>"$LIBUV_WORK/results"
            done
            difference_reruns "$arch" "$test" "$dir"
        done <"$dir/tests"
    done
    wineserver -k 2>/dev/null
    wineserver -w 2>/dev/null
}

# A test whose first outcome differs between the builtin and a ws2send side
# is run LIBUV_RERUNS more times on both (reruns alternate the sides).
difference_reruns() {
    local arch=$1 test=$2 dir=$3 side base other differs=0 i line
    base=$(awk -v a="$arch" -v t="$test" '$1 == a && $2 == "builtin" && $3 == t && $4 == 0 { print $5 }' "$LIBUV_WORK/results")
    for side in $LIBUV_SIDES; do
        other=$(awk -v a="$arch" -v s="$side" -v t="$test" '$1 == a && $2 == s && $3 == t && $4 == 0 { print $5 }' "$LIBUV_WORK/results")
        [ "$other" = "$base" ] || differs=1
    done
    [ $differs -eq 1 ] || return 0
    for ((i = 1; i <= LIBUV_RERUNS; i++)); do
        for side in builtin $LIBUV_SIDES; do
            line=$(run_one "$dir/$( [ $side = builtin ] && echo builtin || echo ws2send )" "$test" "$side" \
                   "$dir/logs/$side/$test.$i")
            echo "$arch $side $test $i $line" >>"$LIBUV_WORK/results"
        done
    done
}

if [ $inner -eq 1 ]; then
    inner_main
    exit 0
fi

# ---------------------------------------------------------------------------
# Outside: fetch and build libuv, lay out the runs, enter the namespace,
# compare.
# ---------------------------------------------------------------------------

newest_release() { grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -n 1; }

# Debian's libuv1 source package through a private apt configuration: the
# system's deb entries as deb-src entries, lists and downloads in a
# temporary folder.
fetch_debian() {
    local tmp opts dsc
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/ws2send-apt.XXXXXX")
    mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/parts"
    python3 - >"$tmp/sources.list" <<'EOF'
import glob
for path in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
    for stanza in open(path).read().split('\n\n'):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith('#') or ':' not in line:
                continue
            key, value = line.split(':', 1)
            fields[key.strip().lower()] = value.strip()
        if 'deb' not in fields.get('types', '').split() or fields.get('enabled', 'yes') == 'no':
            continue
        options = f" [signed-by={fields['signed-by']}]" if 'signed-by' in fields else ''
        for uri in fields.get('uris', '').split():
            for suite in fields.get('suites', '').split():
                print(f"deb-src{options} {uri} {suite} {fields.get('components', '')}")
for path in ['/etc/apt/sources.list'] + sorted(glob.glob('/etc/apt/sources.list.d/*.list')):
    try:
        lines = open(path).read().splitlines()
    except OSError:
        continue
    for line in lines:
        if line.split()[:1] == ['deb']:
            print('deb-src' + line.strip()[3:])
EOF
    opts=(-o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts="$tmp/parts"
          -o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache" -o APT::Sandbox::User=root -q)
    if apt-get "${opts[@]}" update >"$tmp/log" 2>&1 &&
       (cd "$tmp" && apt-get "${opts[@]}" source --download-only libuv1 >>"$tmp/log" 2>&1) &&
       dsc=$(ls "$tmp"/libuv1_*.dsc 2>/dev/null | head -n 1) && [ -n "$dsc" ]; then
        local version
        version=debian-$(basename "$dsc" .dsc | sed 's/^libuv1_//')
        if [ ! -f "$cache/src-$version/CMakeLists.txt" ]; then
            rm -rf "$cache/src-$version"
            dpkg-source -x "$dsc" "$cache/src-$version" >>"$tmp/log" 2>&1 || { rm -rf "$cache/src-$version"; }
        fi
        rm -rf "$tmp"
        [ -f "$cache/src-$version/CMakeLists.txt" ] && echo "$version"
        return
    fi
    cat "$tmp/log" >&2
    rm -rf "$tmp"
    return 1
}

# Prints the source's version label; the tree is $cache/src-<label>.
fetch_libuv() {
    local git_dir=${WS2SEND_LIBUV_GIT:-/work/.mirror/libuv+libuv/repo} tag url=https://github.com/libuv/libuv
    if [ -n "${WS2SEND_LIBUV_SOURCE:-}" ]; then
        [ -f "$WS2SEND_LIBUV_SOURCE/CMakeLists.txt" ] || die "WS2SEND_LIBUV_SOURCE has no CMakeLists.txt"
        rm -rf "$cache/src-local"
        ln -s "$(cd "$WS2SEND_LIBUV_SOURCE" && pwd)" "$cache/src-local"
        echo local
        return
    fi
    if git --git-dir="$git_dir" rev-parse --git-dir >/dev/null 2>&1 &&
       tag=$(git --git-dir="$git_dir" tag | newest_release) && [ -n "$tag" ]; then
        say "libuv $tag from the git mirror $git_dir" >&2
        if [ ! -f "$cache/src-$tag/CMakeLists.txt" ]; then
            rm -rf "$cache/src-$tag" && mkdir -p "$cache/src-$tag"
            git --git-dir="$git_dir" archive "$tag" | tar -x -C "$cache/src-$tag"
        fi
        echo "$tag"
        return
    fi
    if tag=$(timeout 30 git ls-remote --tags "$url" 2>/dev/null | sed 's|.*refs/tags/||' | newest_release) &&
       [ -n "$tag" ]; then
        say "libuv $tag from $url" >&2
        if [ ! -f "$cache/src-$tag/CMakeLists.txt" ]; then
            rm -rf "$cache/src-$tag"
            git clone -q --depth 1 --branch "$tag" "$url" "$cache/src-$tag" >&2 || { rm -rf "$cache/src-$tag"; return 1; }
        fi
        echo "$tag"
        return
    fi
    say "no git mirror and $url unreachable: Debian's source package libuv1" >&2
    fetch_debian
}

# Builds uv_run_tests_a.exe for one architecture once per version; prints
# its path.
build_libuv() {
    local version=$1 arch=$2 dir=$cache/build-$1-$2 generator=()
    if [ ! -f "$dir/uv_run_tests_a.exe" ]; then
        command -v ninja >/dev/null && generator=(-G Ninja)
        say "building libuv $version's test runner for $arch (once; in $dir)" >&2
        rm -rf "$dir"
        if ! cmake -S "$cache/src-$version" -B "$dir" "${generator[@]}" -DCMAKE_SYSTEM_NAME=Windows \
                -DCMAKE_C_COMPILER="$arch-w64-mingw32-gcc" -DCMAKE_RC_COMPILER="$arch-w64-mingw32-windres" \
                -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=ON -DLIBUV_BUILD_TESTS=ON -DLIBUV_BUILD_BENCH=OFF \
                >"$cache/build-$version-$arch.log" 2>&1 ||
           ! cmake --build "$dir" --target uv_run_tests_a >>"$cache/build-$version-$arch.log" 2>&1; then
            tail -n 20 "$cache/build-$version-$arch.log" >&2
            return 1
        fi
    fi
    echo "$dir/uv_run_tests_a.exe"
}

# Results: "arch side test run outcome time served host driver leftover".  Per
# arch and fast-path side: each test's outcomes on both sides over every run.
compare_results() {
    python3 - "$1" "$2" <<'EOF'
import collections, sys

runs = collections.defaultdict(list)      # (arch, side, test) -> outcomes
sends = collections.Counter()             # (arch, side) -> host / driver
unserved, leftover = [], []
order = []
for line in open(sys.argv[1]):
    arch, side, test, run, outcome, elapsed, served, host, driver, left = line.split()
    if left == 'yes':
        leftover.append(f'{arch} {side} {test} run {run}')
    if (arch, test) not in order:
        order.append((arch, test))
    runs[arch, side, test].append(outcome)
    if side != 'builtin':
        if served == 'no':
            unserved.append(f'{arch} {side} {test} run {run}')
        sends[arch, side, 'host'] += int(host) if host != '-' else 0
        sends[arch, side, 'driver'] += int(driver) if driver != '-' else 0

arches = list(dict.fromkeys(a for a, _ in order))
sides = sorted({s for (_, s, _) in runs if s != 'builtin'}, reverse=True)
regressions, fixes, flaky = [], [], []
print()
print('| arch | ws2send | tests | builtin pass/fail/timeout/skip | ws2send pass/fail/timeout/skip | same | regressions | fixes | flaky | ws2send sends: host / Wine\'s driver |')
print('|---|---|---:|---|---|---:|---:|---:|---:|---|')
for arch in arches:
    tests = [t for a, t in order if a == arch]
    for side in sides:
        count = {k: collections.Counter() for k in ('builtin', side)}
        same = reg = fix = fl = 0
        for test in tests:
            b, w = runs[arch, 'builtin', test], runs[arch, side, test]
            count['builtin'][b[0]] += 1
            count[side][w[0]] += 1
            ok = lambda o: o in ('pass', 'skip')
            if b[0] == w[0]:
                same += 1
                continue
            desc = f'{arch} {side} {test}: builtin {" ".join(b)}; ws2send {" ".join(w)}'
            if all(map(ok, b)) and not any(map(ok, w)):
                regressions.append(desc); reg += 1
            elif all(map(ok, w)) and not any(map(ok, b)):
                fixes.append(desc); fix += 1
            else:
                flaky.append(desc); fl += 1
        fmt = lambda c: '/'.join(str(c[k]) for k in ('pass', 'fail', 'timeout', 'skip'))
        print(f'| {arch} | {side.replace("fp", "fp=")} | {len(tests)} | {fmt(count["builtin"])} | {fmt(count[side])} '
              f'| {same} | {reg} | {fix} | {fl} | {sends[arch, side, "host"]} / {sends[arch, side, "driver"]} |')
print()
for title, items in (('regressions (ws2send fails every run, the builtin passes every run)', regressions),
                     ('fixes (ws2send passes every run, the builtin fails every run)', fixes),
                     ('flaky or mixed (outcomes vary between runs or differ otherwise)', flaky),
                     ('ws2send runs whose log shows ws2send did not serve them', unserved),
                     ('runs that left processes behind (ended with the prefix\'s wineserver)', leftover)):
    if items:
        print(f'{title}:')
        for item in items:
            print(f'  {item}')
tests = len({t for _, t in order})
print(f'libuvtests: {len(regressions)} regressions, {len(fixes)} fixes, {len(flaky)} flaky or mixed, '
      f'{len(unserved)} unserved, {len(leftover)} runs with leftovers; {tests} tests x {len(sides)} ws2send modes '
      f'({", ".join(arches)}); work: {sys.argv[2]}')
sys.exit(1 if regressions or unserved else 0)
EOF
}

# All of it in a function, called on the same line as the exit: bash has
# then parsed everything it runs before it starts, and the file may change
# during a run.
main() {
    [ -n "$build_dir" ] || usage
    build_dir=$(cd "$build_dir" && pwd) || die "no build directory $build_dir"
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/ws2send/libuv
    mkdir -p "$cache"
    command -v cmake >/dev/null || {
        if [ "$(id -u)" -eq 0 ]; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends cmake >/dev/null ||
                die "cannot install cmake"
        else
            die "cmake is needed (apt-get install cmake)"
        fi
    }
    unshare -n true 2>/dev/null || die "cannot create a network namespace (unshare -n needs root or user namespaces)"

    version=$(fetch_libuv) || die "could not fetch libuv"
    keep_work=1
    if [ -z "$work" ]; then
        work=$(mktemp -d "${TMPDIR:-/tmp}/ws2send-libuv.XXXXXX")
        keep_work=0
    else
        mkdir -p "$work" && work=$(cd "$work" && pwd)
    fi
    cleanup() {
        WINEPREFIX=$work/prefix wineserver -k 2>/dev/null
        WINEPREFIX=$work/prefix wineserver -w 2>/dev/null
        [ $keep_work -eq 1 ] || rm -rf "$work"
    }
    trap cleanup EXIT
    rm -f "$work/results"

    for arch in $arches; do
        exe=$(build_libuv "$version" "$arch") || die "the $arch build of libuv failed (log: $cache/build-$version-$arch.log)"
        dll=$build_dir/build.$([ $arch = x86_64 ] && echo w64 || echo w32)/dlls/ws2_32/ws2_32.dll
        [ -f "$dll" ] || die "no $dll (build ws2send first)"
        rm -rf "${work:?}/$arch"
        mkdir -p "$work/$arch/builtin" "$work/$arch/ws2send"
        cp "$exe" "$work/$arch/builtin/"
        cp "$exe" "$dll" "$work/$arch/ws2send/"
        # The runner expects the source tree's test/fixtures below its
        # working directory (libuv's ctest runs it from the source root).
        for side in builtin ws2send; do
            mkdir -p "$work/$arch/$side/test"
            cp -r "$cache/src-$version/test/fixtures" "$work/$arch/$side/test/"
        done
    done

    sides=
    for f in $fastpaths; do sides="$sides fp$f"; done
    if [ -z "$tests_re" ]; then
        if [ $all -eq 1 ]; then tests_re=.; else tests_re=$socket_tests; fi
    fi
    say "libuv $version, $(wine --version), ws2send from $build_dir; work in $work"
    LIBUV_WORK=$work LIBUV_ARCHES="$arches" LIBUV_SIDES="${sides# }" LIBUV_TESTS=$tests_re LIBUV_EXCLUDED=$excluded \
    LIBUV_RERUNS=$reruns LIBUV_TIMEOUT=$run_timeout \
        unshare -n bash -c 'ip link set lo up && exec "$@"' _ "$self" --inner
    [ -s "$work/results" ] || die "no results"

    compare_results "$work/results" "$work"
}

main; exit $?

#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# ws2send's benchmark: one invocation, one machine, ratios.
#
#   bench/run-bench.sh [--quick] [--arch x86_64|i686] [--placement pinned|unpinned|both]
#                      [--runs N] [--rounds R] [--round-ms MS] [--out FILE]
#
# For each architecture it times bench/ws2bench.exe under Wine three ways --
# Wine's builtin ws2_32 (WINEDLLOVERRIDES=ws2_32=b), ws2send with
# WS2SEND_FASTPATH=0 and ws2send with WS2SEND_FASTPATH=1 (the DLL copied
# beside the program, ws2_32=n,b) -- and bench/native_bench.c, the same
# cases on Linux sockets, built here with the host compiler.  When Go is
# installed it does the same with bench/gobench, a Go program timing the
# standard net package's Writes (cases go-udp-64, go-tcp-64k), built here
# for windows/amd64, windows/386 and, as its native figure, linux/amd64; Go
# loads ws2_32 from the system directory only, so for it ws2send is copied
# into the prefix's system32/syswow64 and WINEDLLOVERRIDES chooses between
# it (n,b) and the builtin (b).  Without Go those cases are skipped with a
# note.  It does so in two CPU placements, because Wine's figures depend on
# where the program and wineserver run:
#   pinned    wineserver -k, then everything (wineserver, the program, the
#             native program) under taskset -c 0
#   unpinned  wineserver -k, then no mask
# Each configuration runs --runs times (interleaved, order rotated per run);
# a cell is the median over the runs of the program's median over its
# rounds.  It prints one table per architecture and placement and writes
# them as markdown to bench/results.md (or --out FILE, or
# $WS2SEND_BENCH_RESULTS).
#
#   --quick       1 run, 3 rounds of ~100 ms, pinned only (about a minute)
#   default       3 runs, 7 rounds of ~200 ms, both placements (about 12
#                 minutes on a 2-CPU machine)
#
# Build directories: $WS2SEND_BUILD_DIR (default: the source tree) holds
# build.w64 and build.w32 (./ws2send bench builds them first) and gets
# build.go-cache, Go's build cache for bench/gobench.  Wine runs in
# a throwaway WINEPREFIX with WINEDEBUG=-all; its wineserver is ended and the
# prefix removed on exit.  Nothing here asserts a timing: the exit code says
# only whether every configuration produced its figures.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build_root=${WS2SEND_BUILD_DIR:-$top}
results=${WS2SEND_BENCH_RESULTS:-$top/bench/results.md}
arches=(x86_64 i686)
placements=(pinned unpinned)
runs=3 rounds=7 round_ms=200
cases=(udp-send udp-wsasend udp-wsasendto udp-wsasendmsg tcp-64 tcp-64k tcp-1m iocp-wsasend iocp-skip iocp-batch iocp-tcp-64k)

die() { echo "run-bench: $*" >&2; exit 2; }
usage() { sed -n '4,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }

quick=0 placement_set=0
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1 ;;
        --arch) [ $# -ge 2 ] || usage; case $2 in x86_64|i686) arches=("$2") ;; *) die "--arch x86_64|i686" ;; esac; shift ;;
        --placement) [ $# -ge 2 ] || usage
            case $2 in pinned|unpinned) placements=("$2") ;; both) placements=(pinned unpinned) ;; *) die "--placement pinned|unpinned|both" ;; esac
            placement_set=1; shift ;;
        --runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
        --rounds) [ $# -ge 2 ] || usage; rounds=$2; shift ;;
        --round-ms) [ $# -ge 2 ] || usage; round_ms=$2; shift ;;
        --out) [ $# -ge 2 ] || usage; results=$2; shift ;;
        -h|--help) usage 0 ;;
        *) usage ;;
    esac
    shift
done
if [ $quick = 1 ]; then
    runs=1 rounds=3 round_ms=100
    [ $placement_set = 1 ] || placements=(pinned)
fi
[[ $runs =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ && $round_ms =~ ^[1-9][0-9]*$ ]] ||
    die "--runs, --rounds and --round-ms take positive integers"

for tool in wine wineserver taskset python3 "${CC:-cc}"; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
build_dir() { [ "$1" = x86_64 ] && echo "$build_root/build.w64" || echo "$build_root/build.w32"; }
go_cases=(go-udp-64 go-tcp-64k) go_note=
if ! command -v go >/dev/null; then
    go_cases=()
    go_note="no go command: the Go cases (bench/gobench) are skipped (Debian: apt-get install golang-go)"
    echo "run-bench: $go_note"
fi
for arch in "${arches[@]}"; do
    b=$(build_dir "$arch")
    if [ ! -f "$b/bench/ws2bench.exe" ] || [ ! -f "$b/dlls/ws2_32/ws2_32.dll" ]; then
        die "no $b/bench/ws2bench.exe or $b/dlls/ws2_32/ws2_32.dll: build first (./ws2send build)"
    fi
done

# Scratch space and a throwaway Wine prefix, always cleaned up.
work=$(mktemp -d "${TMPDIR:-/tmp}/ws2send-bench.XXXXXX")
export WINEPREFIX=$work/prefix WINEDEBUG=-all
cleanup() {
    WINEPREFIX=$work/prefix wineserver -k 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The programs: the native one built here, each Windows one in a folder of
# its own, ws2send's DLL beside it for the ws2send configurations.
"${CC:-cc}" -O2 -pthread -o "$work/native_bench" "$top/bench/native_bench.c"
for arch in "${arches[@]}"; do
    b=$(build_dir "$arch")
    mkdir -p "$work/$arch-builtin" "$work/$arch-ws2send"
    cp "$b/bench/ws2bench.exe" "$work/$arch-builtin/"
    cp "$b/bench/ws2bench.exe" "$b/dlls/ws2_32/ws2_32.dll" "$work/$arch-ws2send/"
done
# go_build GOOS GOARCH OUTPUT: bench/gobench, built outside the tree.
go_build() {
    (cd "$top/bench/gobench" && GOOS=$1 GOARCH=$2 CGO_ENABLED=0 GO111MODULE=on GOFLAGS='' \
        GOCACHE=$build_root/build.go-cache GOPATH=$work/gopath go build -trimpath -o "$3" .) \
        >"$work/go-build.log" 2>&1 || { cat "$work/go-build.log" >&2; die "go build for $1/$2 failed"; }
}
go_version=
if [ ${#go_cases[@]} -gt 0 ]; then
    echo "run-bench: building bench/gobench with $(go version)"
    go_version=$(go env GOVERSION 2>/dev/null || go version)
    go_build linux amd64 "$work/gobench"
    for arch in "${arches[@]}"; do
        mkdir -p "$work/$arch-go"
        go_build windows "$([ "$arch" = x86_64 ] && echo amd64 || echo 386)" "$work/$arch-go/gobench.exe"
    done
fi
mkdir -p "$work/raw"

echo "run-bench: preparing a Wine prefix"
mkdir -p "$WINEPREFIX"
WINEDLLOVERRIDES='mscoree,mshtml=' wineboot -i >/dev/null 2>&1 || true
wineserver -k 2>/dev/null || true
# ws2send where setup_ws2send.sh puts it, for the Go program: the x86_64 DLL
# in system32, the i686 one in syswow64 (system32 in a 32-bit prefix).
if [ ${#go_cases[@]} -gt 0 ]; then
    for arch in "${arches[@]}"; do
        sysdir=$WINEPREFIX/drive_c/windows/system32
        if [ "$arch" = i686 ] && [ -d "$WINEPREFIX/drive_c/windows/syswow64" ]; then
            sysdir=$WINEPREFIX/drive_c/windows/syswow64
        fi
        cp "$(build_dir "$arch")/dlls/ws2_32/ws2_32.dll" "$sysdir/ws2_32.dll"
    done
fi

bench_args=(-r "$rounds" -t "$round_ms" all)

# in_wine DIR OVERRIDE OUT PROGRAM ARGS...: a Windows program under Wine,
# ws2_32 loaded as OVERRIDE says, pinned as run_one's pin says.
in_wine() {
    local dir=$1 override=$2 out=$3
    shift 3
    (cd "$dir" && WINEDLLOVERRIDES="ws2_32=$override;mscoree,mshtml=" \
        "${pin[@]}" timeout -k 5 120 wine "$@") >"$out" 2>&1
}

# run_one PLACEMENT ARCH CONFIG RUN: the configuration's run of ws2bench (or
# native_bench), then of gobench, their outputs kept in raw/ (.out, .go).
run_one() {
    local placement=$1 arch=$2 config=$3 run=$4 pin=() raw start rc=0
    [ "$placement" = pinned ] && pin=(taskset -c 0)
    raw=$work/raw/$placement.$arch.$config.$run
    start=$SECONDS
    case $config in
        native)
            "${pin[@]}" timeout -k 5 120 "$work/native_bench" "${bench_args[@]}" >"$raw.out" 2>&1 || rc=$?
            if [ ${#go_cases[@]} -gt 0 ]; then
                "${pin[@]}" timeout -k 5 120 "$work/gobench" "${bench_args[@]}" >"$raw.go" 2>&1 || rc=$?
            fi ;;
        builtin)
            in_wine "$work/$arch-builtin" b "$raw.out" ./ws2bench.exe "${bench_args[@]}" || rc=$?
            if [ ${#go_cases[@]} -gt 0 ]; then
                in_wine "$work/$arch-go" b "$raw.go" ./gobench.exe "${bench_args[@]}" || rc=$?
            fi ;;
        fp0|fp1)
            local -x WS2SEND_FASTPATH=${config#fp}
            in_wine "$work/$arch-ws2send" n,b "$raw.out" ./ws2bench.exe "${bench_args[@]}" || rc=$?
            if [ ${#go_cases[@]} -gt 0 ]; then
                in_wine "$work/$arch-go" n,b "$raw.go" ./gobench.exe "${bench_args[@]}" || rc=$?
            fi ;;
    esac
    printf '  %-8s run %d/%d  %-7s %-8s %3ds%s\n' "$placement" "$run" "$runs" "$arch" "$config" \
        $((SECONDS - start)) "$( [ $rc = 0 ] || echo "  (exit code $rc)")"
}

started=$SECONDS
for placement in "${placements[@]}"; do
    # A wineserver started in the other placement must not serve this one:
    # end it, then start the new one with this placement's mask (wine would
    # spawn it the same way; started here it persists until the next -k).
    wineserver -k 2>/dev/null || true
    if [ "$placement" = pinned ]; then
        taskset -c 0 wineserver -p
    else
        wineserver -p
    fi
    # Wine's first process of a session runs wineboot --init: let it run now,
    # on the builtin, so that it neither competes with a timed run nor loads
    # the ws2send in the system directory.
    pin=()
    [ "$placement" = pinned ] && pin=(taskset -c 0)
    in_wine "$work" b /dev/null cmd /c exit || true
    echo "run-bench: $placement, $runs run(s) of $((${#cases[@]} + ${#go_cases[@]})) cases, $rounds rounds of ~${round_ms} ms"
    jobs=()
    for arch in "${arches[@]}"; do
        jobs+=("$arch builtin" "$arch fp0" "$arch fp1")
    done
    jobs+=("native native")
    for ((run = 1; run <= runs; run++)); do
        # Rotate the order from run to run so no configuration always goes first.
        for ((j = 0; j < ${#jobs[@]}; j++)); do
            # shellcheck disable=SC2086
            run_one "$placement" ${jobs[$(((j + run - 1) % ${#jobs[@]}))]} "$run"
        done
    done
done
wineserver -k 2>/dev/null || true
elapsed=$((SECONDS - started))

# Host facts for the report's header.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
host_info="$(nproc) CPUs (${cpu:-unknown CPU}), Linux $(uname -r), $(wine --version 2>/dev/null)"
version=$(git -C "$top" describe --always --tags --dirty=+ 2>/dev/null || echo unknown)

python3 - "$work/raw" "$results" "$host_info" "$version" "$runs" "$rounds" "$round_ms" "$elapsed" \
    "${placements[*]}" "${arches[*]}" "${cases[*]}" "${go_cases[*]}" "$go_version" "$go_note" <<'PY'
import datetime, os, re, statistics, sys

(raw, results, host_info, version, runs, rounds, round_ms, elapsed, placements, arches, cases,
 go_cases, go_version, go_note) = sys.argv[1:]
placements, arches, cases, go_cases = placements.split(), arches.split(), cases.split(), go_cases.split()
expected = {"out": cases, "go": go_cases}   # raw file suffix: ws2bench/native_bench, gobench
configs = ["builtin", "fp0", "fp1", "native"]

# figures[(placement, arch, config, case)] = [(ns, mbps)] over runs;
# errors[...] = [error text]; providers[(placement, arch, config, case)] = {provider: sends};
# modes[...] = {completion modes gobench saw}; datagrams[...] = [written, received]
figures, errors, providers, modes, datagrams, notes = {}, {}, {}, {}, {}, []
dll_versions = set()
for name in sorted(os.listdir(raw)):
    placement, arch, config, run, kind = name.split(".")
    text = open(os.path.join(raw, name), errors="replace").read().replace("\r", "")
    seen = set()
    for line in text.splitlines():
        fields = dict(f.split("=", 1) for f in line.lstrip("# ").split() if "=" in f)
        if line.startswith("# arch=") and config != "native":
            is_ws2send = fields.get("ws2send", "no") != "no"
            if is_ws2send:
                dll_versions.add(line.split("ws2send=", 1)[1].strip())
            if is_ws2send != (config != "builtin"):
                notes.append(f"{placement} {arch} {config} run {run}: served by {fields.get('ws2_32')} "
                             f"(ws2send={fields.get('ws2send')}), not the DLL intended")
        elif line.startswith("# case=") and "providers" in line:
            counts = {k: int(v) for k, v in fields.items() if k != "case"}
            agg = providers.setdefault((placement, arch, config, fields["case"]), {})
            for k, v in counts.items():
                agg[k] = agg.get(k, 0) + v
        elif line.startswith("# case=") and "completion_modes" in fields:
            modes.setdefault((placement, arch, config, fields["case"]), set()).add(fields["completion_modes"])
        elif line.startswith("# case=") and "written" in fields:
            agg = datagrams.setdefault((placement, arch, config, fields["case"]), [0, 0])
            agg[0] += int(fields["written"])
            agg[1] += int(fields["received"])
        elif line.startswith("case="):
            key = (placement, arch, config, fields["case"])
            seen.add(fields["case"])
            if "error" in fields:
                errors.setdefault(key, []).append(f"error {fields['error']} at {fields.get('at', '?')}")
            else:
                figures.setdefault(key, []).append((float(fields["ns_per_op"]), float(fields.get("mbps", "nan"))))
    for case in expected[kind]:
        if case not in seen:
            errors.setdefault((placement, arch, config, case), []).append("no result")

def median(key):
    got = figures.get(key)
    if not got:
        return None, None
    return statistics.median(ns for ns, _ in got), statistics.median(mb for _, mb in got)

def fmt_time(ns):
    us = ns / 1000
    return f"{us:.2f} µs" if us < 10 else f"{us:.1f} µs" if us < 1000 else f"{us / 1000:.2f} ms"

def cell(key, case):
    ns, mbps = median(key)
    if ns is None:
        return (errors.get(key) or ["no result"])[0]
    text = fmt_time(ns)
    if (case.endswith("tcp-64k") or case == "tcp-1m" or case == "iocp-batch") and mbps == mbps:
        text += f" ({mbps:.0f} MB/s)"
    return text

def served_by(key):
    counts = providers.get(key)
    if not counts or not sum(counts.values()):
        return "?"
    total = sum(counts.values())
    def pct(v):
        p = 100 * v / total
        return "<1%" if p < 1 else ">99%" if 99 < p < 100 else f"{p:.0f}%"
    text = ", ".join(f"{k} {pct(v)}" for k, v in counts.items() if v)
    if key in modes:
        text += f" (completion modes {'/'.join(sorted(modes[key]))})"
    return text

def arrived(placement, arch, case):
    """Share of go-udp-64's datagrams that reached its reader, per configuration."""
    got = []
    for config in configs:
        written, received = datagrams.get((placement, "native" if config == "native" else arch, config, case), (0, 0))
        if written:
            got.append(f"{config} {100 * received / written:.0f}%")
    return ", ".join(got)

tables = []
for placement in placements:
    for arch in arches:
        rows = ["| case | builtin | ws2send fp=0 | ws2send fp=1 | native | ws2send(fp=1)/builtin speedup "
                "(builtin_ns / ws2send_ns) | ws2send(fp=1)/native throughput ratio (native_ns / ws2send_ns) |",
                "|---|---:|---:|---:|---:|---:|---:|"]
        for case in cases + go_cases:
            keys = {c: (placement, "native" if c == "native" else arch, c, case) for c in configs}
            b, fp1, nat = (median(keys[c])[0] for c in ("builtin", "fp1", "native"))
            speedup = f"{b / fp1:.2f}×" if b and fp1 else "–"
            ratio = f"{nat / fp1:.3f}" if nat and fp1 else "–"
            rows.append(f"| {case} | " + " | ".join(cell(keys[c], case) for c in configs)
                        + f" | {speedup} | {ratio} |")
        via = ["| case | fp=0 sends served by | fp=1 sends served by |", "|---|---|---|"]
        via += [f"| {case} | {served_by((placement, arch, 'fp0', case))} | "
                f"{served_by((placement, arch, 'fp1', case))} |" for case in cases + go_cases]
        received = arrived(placement, arch, "go-udp-64")
        if received:
            via.append(f"\ngo-udp-64 datagrams that reached the reader goroutine: {received}.")
        via = "\n".join(via)
        tables.append((f"{arch}, {placement}", "\n".join(rows), via))

if dll_versions:
    version = " / ".join(sorted(v.replace("ws2send ", "") for v in dll_versions))
when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
md = [
    "<!-- SPDX-License-Identifier: LGPL-2.1-or-later -->",
    "# ws2send benchmark results",
    "",
    f"Measured by `bench/run-bench.sh` on {when}, one invocation on one machine: {host_info}; "
    f"ws2send {version}. {runs} run(s) per configuration, each of {rounds} rounds of about "
    f"{round_ms} ms per case; {int(elapsed) // 60} min {int(elapsed) % 60} s in all.",
    "",
    "Each cell is the median over the runs of the program's median time per send over its rounds "
    "(`bench/ws2bench.c` under Wine, `bench/native_bench.c` on Linux sockets; tcp-64k, tcp-1m, iocp-tcp-64k and iocp-batch also in "
    "10^6 bytes/s). *builtin* is Wine's ws2_32, *ws2send fp=0/1* is ws2send beside the program "
    "with `WS2SEND_FASTPATH=0/1`, *native* is the same cases as a Linux program (the same native "
    "figures appear in both architectures' tables). Speedup > 1: ws2send is faster than the "
    "builtin; the native ratio is the share of the host's send rate ws2send reaches (1 = as fast "
    "as a native program). *pinned*: wineserver, the program and the native program all on CPU 0 "
    "(`taskset -c 0`, after `wineserver -k`); *unpinned*: no CPU mask. UDP sends go to a receiver "
    "that is not read during a round (the host drops what its buffer cannot hold; every send "
    "succeeds); TCP cases have a reader thread draining the peer.",
    "",
]
if go_cases:
    md += [
        f"go-udp-64 and go-tcp-64k are `bench/gobench`, a Go program timing `net.UDPConn.Write` of 64 bytes "
        f"(connected, `\"udp\"`) and `net.TCPConn.Write` of 64 KiB (`\"tcp\"`) with reader goroutines draining "
        f"both peers all the time, built with {go_version} for windows/amd64 and windows/386 and, as its native "
        f"figure, for linux/amd64. Go loads ws2_32 from the system directory only, so for it ws2send sits in the "
        f"prefix's system32/syswow64 (builtin: `WINEDLLOVERRIDES=ws2_32=b`). Go sends through overlapped "
        f"`WSASend` on sockets bound to its completion port; the completion modes it set are shown beside the "
        f"providers (1: `FILE_SKIP_COMPLETION_PORT_ON_SUCCESS`, 2: `FILE_SKIP_SET_EVENT_ON_HANDLE`).",
        "",
    ]
if go_note:
    md += [go_note + ".", ""]
for title, table, via in tables:
    md += [f"## {title}", "", table, "", "Which of ws2send's providers served the sends (its statistics ioctl, "
           "all runs):", "", via, ""]
if notes:
    md += ["## Warnings", ""] + [f"- {n}" for n in notes] + [""]
failed = sorted({f"{k[0]} {k[1]} {k[2]} {k[3]}: {v[0]}" for k, v in errors.items()})
if failed:
    md += ["## Failures", ""] + [f"- {f}" for f in failed] + [""]
text = "\n".join(md)
os.makedirs(os.path.dirname(os.path.abspath(results)), exist_ok=True)
with open(results, "w") as f:
    f.write(text)

print()
for title, table, via in tables:
    print(f"{title}\n{table}\n")
for n in notes:
    print(f"WARNING: {n}")
for f in failed:
    print(f"FAILED: {f}")
print(f"run-bench: {len(tables)} table(s) written to {results} ({int(elapsed)} s)")
sys.exit(1 if failed or notes else 0)
PY

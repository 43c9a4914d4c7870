#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run ws2send's reliability suite (./ws2send stress [--quick]).

Windows parts (tests/stress/ws2send_stress.exe, one subtest each), for every
--build directory (one per arch) and fast path off and on, under Wine with
ws2send beside the program:
  soak      ordering soak: every kind of send from four threads at each end
            of one TCP connection, every byte checked
  leaks     socket open/send/close cycles: host descriptors and Windows
            handles equal before and after, no datagram misdirected
  badinput  generated calls with hostile arguments: no crash, a Windows
            error code each time, the socket still usable
  faults    resets, closes and shutdowns during sends, timeouts: the Windows
            outcome, and no wait unbounded
Native part:
  fuzz      each libFuzzer target of --fuzz-build, seeded from the corpus in
            tests/fuzz/corpus/<target>/, for --fuzz-seconds each

Every run has a timeout; the leaks part's host descriptor counts come from
this runner (/proc/<pid>/fd), asked through files in a probe folder.  A
badinput run that crashes is resumed after the call that crashed, so one run
finds every crash.

Last line: "stress: N passed, N failed" (checks, plus one failure per crash,
timeout or fuzzer finding); exit status 1 if any failed.
"""
import argparse
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_conformance  # noqa: E402  (Wine prefixes, PE architecture)

EXE = os.path.join('tests', 'stress', 'ws2send_stress.exe')
WINDOWS_PARTS = ['soak', 'leaks', 'badinput', 'faults']
PARTS = WINDOWS_PARTS + ['fuzz']
# seconds per run: generous, a hang is what they catch
TIMEOUTS = {'quick': {'soak': 120, 'leaks': 120, 'badinput': 120, 'faults': 120},
            'full': {'soak': 1800, 'leaks': 3600, 'badinput': 600, 'faults': 300}}
SUMMARY_RE = re.compile(r'^[0-9a-f]+:(?P<test>\w+):[\d.]+ (?P<executed>\d+) tests executed \((?P<todo>\d+) '
                        r'marked as todo, (?:\d+ as flaky, )?(?P<failures>\d+) failures?\), (?P<skipped>\d+) skipped\.$')
EXCEPTION_RE = re.compile(r'^[0-9a-f]+:\w+:[\d.]+ unhandled exception (?P<code>[0-9a-f]+) at ')
CRASHED_CALL_RE = re.compile(r'^badinput: crashed in call (?P<index>\d+)')
MAX_RESUMES = 50


class Outcome:
    def __init__(self, label):
        self.label = label
        self.passed = 0
        self.failed = 0
        self.problems = []      # crashes, timeouts, findings
        self.figures = []
        self.failures = []      # "Test failed" lines
        self.seconds = 0.0


def find_process(session_id, exe_name):
    """The Wine process of the program: in the session, named after the exe."""
    comm = exe_name[:15]
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            if os.getsid(int(entry)) != session_id:
                continue
            with open(f'/proc/{entry}/comm') as f:
                if f.read().strip() == comm:
                    return int(entry)
        except OSError:
            continue
    return None


def count_fds(pid):
    total = sockets = 0
    for fd in os.listdir(f'/proc/{pid}/fd'):
        try:
            target = os.readlink(f'/proc/{pid}/fd/{fd}')
        except OSError:
            continue
        total += 1
        sockets += target.startswith('socket:')
    return total, sockets


def answer_probes(probe_dir, pid):
    for request in glob.glob(os.path.join(probe_dir, '*.request')):
        label = os.path.basename(request)[:-len('.request')]
        try:
            total, sockets = count_fds(pid) if pid else (-1, -1)
        except OSError:
            total, sockets = -1, -1
        tmp = os.path.join(probe_dir, label + '.tmp')
        with open(tmp, 'w') as f:
            f.write(f'{total} {sockets}\n')
        os.rename(tmp, os.path.join(probe_dir, label + '.count'))
        os.unlink(request)


def run_program(wine, workdir, argv, env, timeout, probe_dir):
    """Runs one program under Wine; returns (rc, timed_out, lines)."""
    full_env = dict(wine.env)
    full_env.update(env)
    full_env['WS2SEND_STRESS_FD_PROBE'] = 'Z:' + probe_dir.replace('/', '\\')
    if wine.first:
        timeout = max(timeout, run_conformance.FIRST_TIMEOUT)
        wine.first = False
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([wine.wine] + argv, cwd=workdir, env=full_env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        start, pid, timed_out = time.monotonic(), None, False
        while proc.poll() is None:
            if time.monotonic() - start > timeout:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
                proc.wait()
                break
            if glob.glob(os.path.join(probe_dir, '*.request')):
                if pid is None:
                    pid = find_process(proc.pid, os.path.basename(argv[0]))
                answer_probes(probe_dir, pid)
            time.sleep(0.02)
        out.seek(0)
        text = out.read().decode('utf-8', 'replace').replace('\r\n', '\n').replace('\r', '\n')
    return proc.returncode, timed_out, text.split('\n')


def run_windows_part(wine, workdir, arch, fastpath, part, mode, args):
    outcome = Outcome(f'{arch} fp={fastpath} {part}')
    env = {'WINEDLLOVERRIDES': 'ws2_32=n,b;mscoree,mshtml=', 'WS2SEND_FASTPATH': fastpath,
           'WINETEST_DEBUG': '1', 'WINETEST_INTERACTIVE': '0'}
    extra = ['--quick'] if mode == 'quick' else []
    extra += ['--seed', str(args.seed)]
    start_from = 0
    probe_dir = tempfile.mkdtemp(prefix='ws2send-stress-probe-')
    started = time.monotonic()
    try:
        for _ in range(MAX_RESUMES):
            argv = [os.path.join(workdir, os.path.basename(EXE)), part] + extra
            if start_from:
                argv += ['--from', str(start_from)]
            rc, timed_out, lines = run_program(wine, workdir, argv, env, TIMEOUTS[mode][part], probe_dir)
            if rc and not timed_out and run_conformance.lost_its_server(lines):
                wine.restart_server(outcome.label)
                rc, timed_out, lines = run_program(wine, workdir, argv, env, TIMEOUTS[mode][part], probe_dir)
            summary = exception = crashed_call = None
            for line in lines:
                if line.startswith('figure: '):
                    outcome.figures.append(line[len('figure: '):])
                elif ': Test failed: ' in line or ': first failure of thread ' in line:
                    # The soak traces what each failing thread saw first.
                    outcome.failures.append(line)
                elif SUMMARY_RE.match(line):
                    summary = SUMMARY_RE.match(line)
                elif EXCEPTION_RE.match(line):
                    exception = EXCEPTION_RE.match(line)['code']
                elif CRASHED_CALL_RE.match(line):
                    crashed_call = line
            if summary:
                executed, failures = int(summary['executed']), int(summary['failures'])
                outcome.passed += executed - failures
                outcome.failed += failures
            if timed_out:
                outcome.failed += 1
                outcome.problems.append(f'timed out after {TIMEOUTS[mode][part]} s')
                outcome.problems.extend(l for l in lines[-15:] if l.strip())
            elif exception:
                outcome.failed += 1
                outcome.problems.append(f'unhandled exception {exception}' +
                                        (f' ({crashed_call})' if crashed_call else ''))
                if not crashed_call:
                    outcome.problems.extend(l for l in lines[-15:] if l.strip())
                m = CRASHED_CALL_RE.match(crashed_call or '')
                if part == 'badinput' and m:
                    start_from = int(m['index']) + 1
                    continue
            elif not summary:
                outcome.failed += 1
                outcome.problems.append(f'ended without a summary line (exit status {rc})')
                outcome.problems.extend(l for l in lines[-15:] if l.strip())
            break
    finally:
        shutil.rmtree(probe_dir, ignore_errors=True)
    outcome.seconds = time.monotonic() - started
    return outcome


def run_windows(args, mode, outcomes):
    parts = [p for p in args.parts if p in WINDOWS_PARTS]
    if not parts:
        return
    for build in args.build:
        exe = os.path.join(build, EXE)
        dll = os.path.join(build, 'dlls', 'ws2_32', 'ws2_32.dll')
        if not os.path.exists(exe) or not os.path.exists(dll):
            o = Outcome(f'{build}')
            o.failed = 1
            o.problems.append(f'{exe} or {dll} missing: build first')
            report(o)
            outcomes.append(o)
            continue
        arch = run_conformance.pe_arch(exe)
        work = tempfile.mkdtemp(prefix='ws2send-stress-run-')
        wine = run_conformance.Wine()
        try:
            shutil.copy2(exe, work)
            shutil.copy2(dll, work)
            for fastpath in args.fastpath:
                for part in parts:
                    outcome = run_windows_part(wine, work, arch, fastpath, part, mode, args)
                    report(outcome)
                    outcomes.append(outcome)
        finally:
            wine.close()
            shutil.rmtree(work, ignore_errors=True)


FUZZ_BAD = re.compile(r'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|ERROR: libFuzzer|'
                      r'SUMMARY: UndefinedBehaviorSanitizer|==\d+==ERROR')
FUZZ_STATUS_RE = re.compile(r'^#(?P<execs>\d+)\s+\w+\s+cov: (?P<cov>\d+) ft: (?P<ft>\d+) corp: (?P<corp>\d+)/')


def run_fuzzer(binary, corpus_seed, seconds, work):
    name = os.path.basename(binary)
    outcome = Outcome(f'native fuzz {name}')
    corpus = os.path.join(work, name)
    os.makedirs(corpus)
    seeds = sorted(glob.glob(os.path.join(corpus_seed, '*')))
    for seed in seeds:
        shutil.copy2(seed, corpus)
    artifacts = os.path.join(work, name + '-artifacts') + os.sep
    os.makedirs(artifacts)
    env = dict(os.environ, ASAN_OPTIONS='abort_on_error=1:detect_leaks=1',
               UBSAN_OPTIONS='halt_on_error=1:print_stacktrace=1')
    argv = [binary, corpus, f'-max_total_time={seconds}', '-print_final_stats=1', '-timeout=10',
            '-rss_limit_mb=2048', '-error_exitcode=77', f'-artifact_prefix={artifacts}']
    started = time.monotonic()
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                              timeout=seconds + 120)
        text, rc = proc.stdout.decode('utf-8', 'replace'), proc.returncode
    except subprocess.TimeoutExpired as e:
        text, rc = (e.stdout or b'').decode('utf-8', 'replace'), None
    outcome.seconds = time.monotonic() - started
    status = None
    execs = None
    for line in text.split('\n'):
        m = FUZZ_STATUS_RE.match(line)
        if m:
            status = m
        if line.startswith('stat::number_of_executed_units:'):
            execs = int(line.split(':')[-1])
    found = sorted(set(l.strip() for l in text.split('\n') if FUZZ_BAD.search(l)))
    crashes = [os.path.basename(p) for p in glob.glob(artifacts + '*')]
    if rc == 0 and not found and not crashes:
        outcome.passed = 1
    else:
        outcome.failed = 1
        outcome.problems.append('timed out' if rc is None else f'exit status {rc}')
        outcome.problems.extend(found[:10])
        outcome.problems.extend(f'artifact: {c}' for c in crashes)
        outcome.problems.extend(l for l in text.split('\n')[-30:] if l.strip())
    if status:
        outcome.figures.append(f'fuzz {name} seconds={outcome.seconds:.0f} runs={execs or status["execs"]} '
                               f'runs/s={(execs or int(status["execs"])) / max(outcome.seconds, 1):.0f} '
                               f'coverage_edges={status["cov"]} features={status["ft"]} '
                               f'corpus={status["corp"]} (seeds {len(seeds)}) crashes={len(crashes)} '
                               f'sanitizer_reports={len(found)}')
    return outcome


def run_fuzz(args, mode, outcomes, quiet=False):
    if 'fuzz' not in args.parts:
        return
    if not args.fuzz_build:
        return
    binaries = sorted(p for p in glob.glob(os.path.join(args.fuzz_build, 'tests', 'fuzz', 'fuzz_*'))
                      if os.access(p, os.X_OK) and not p.endswith('.p'))
    if not binaries:
        o = Outcome('native fuzz')
        o.failed = 1
        o.problems.append(f'no fuzz_* targets in {args.fuzz_build}/tests/fuzz')
        outcomes.append(o)
        return
    seconds = args.fuzz_seconds or (20 if mode == 'quick' else 600)
    work = tempfile.mkdtemp(prefix='ws2send-fuzz-')
    try:
        for binary in binaries:
            name = os.path.basename(binary)
            outcome = run_fuzzer(binary, os.path.join(args.corpus, name[len('fuzz_'):]), seconds, work)
            if not quiet:
                report(outcome)
            outcomes.append(outcome)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(outcome):
    print(f'{outcome.label}: {outcome.passed} passed, {outcome.failed} failed ({outcome.seconds:.1f} s)',
          flush=True)
    for figure in outcome.figures:
        print(f'    {figure}')
    for line in outcome.failures[:20]:
        print(f'    {line}')
    if len(outcome.failures) > 20:
        print(f'    ... {len(outcome.failures) - 20} more failed checks')
    for line in outcome.problems[:40]:
        print(f'    ! {line}')
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0], epilog=__doc__.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--build', action='append', default=[], metavar='DIR',
                        help='a Windows meson build directory (repeatable, one per arch)')
    parser.add_argument('--fuzz-build', metavar='DIR', help='the native libFuzzer build directory')
    parser.add_argument('--corpus', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                                                          'tests', 'fuzz', 'corpus'),
                        help='seed corpus folder, one subfolder per target')
    parser.add_argument('--quick', action='store_true', help='the quick run (at most 3 minutes)')
    parser.add_argument('--parts', default=','.join(PARTS), help=f'comma-separated: {", ".join(PARTS)}')
    parser.add_argument('--fastpath', default='0,1', help='WS2SEND_FASTPATH values (default 0,1)')
    parser.add_argument('--fuzz-seconds', type=int, help='per target (default 600; quick: 20)')
    parser.add_argument('--seed', type=int, default=12, help='random seed of the Windows parts')
    args = parser.parse_args()
    args.parts = [p.strip() for p in args.parts.split(',') if p.strip()]
    args.fastpath = [f.strip() for f in args.fastpath.split(',') if f.strip()]
    for part in args.parts:
        if part not in PARTS:
            sys.exit(f'run_stress: unknown part {part!r} ({", ".join(PARTS)})')
    mode = 'quick' if args.quick else 'full'

    started = time.monotonic()
    print(f'stress ({mode}): parts {", ".join(args.parts)}; fast path {"/".join(args.fastpath)}; '
          f'seed {args.seed}', flush=True)
    outcomes, fuzz_outcomes = [], []
    # The fuzzers are native and use one CPU; they run beside the Wine
    # parts, which mostly wait on wineserver, and report at the end.
    fuzzing = threading.Thread(target=run_fuzz, args=(args, mode, fuzz_outcomes, True))
    fuzzing.start()
    run_windows(args, mode, outcomes)
    fuzzing.join()
    for outcome in fuzz_outcomes:
        report(outcome)
    outcomes += fuzz_outcomes
    passed = sum(o.passed for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    print(f'stress took {time.monotonic() - started:.0f} s')
    print(f'stress: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run the conformance suite (conformance/ws2send_conformance.exe) under Wine.

For each --build directory (one per arch) and each mode:
  ws2send  the build's dlls/ws2_32/ws2_32.dll beside a copy of the program,
           WINEDLLOVERRIDES=ws2_32=n,b; run twice, WS2SEND_FASTPATH=0 and =1;
  builtin  the program alone against Wine's builtin ws2_32 (ws2_32=b).
Every subtest (from --list) runs in its own process with a timeout and
WINETEST_REPORT_SUCCESS=1, so each check's outcome line is captured.

Only ws2send-mode failures count: builtin failures are divergences between
Wine and the tests' Windows expectations, reported but not failed.
A crashed or timed-out subtest counts as one failed check.

Last stdout line: "conformance: N passed, N failed" (ws2send modes, all
arches); exit status 1 if any failed.

example: tools/run_conformance.py --build build.w64 --build build.w32 --report conformance.md
"""
import argparse
import collections
import datetime
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile

from wine_runtime_dir import private_runtime_dir

TIMEOUT = 120
FIRST_TIMEOUT = 300  # the first run in a fresh prefix also creates it
EXE_PATH = os.path.join('conformance', 'ws2send_conformance.exe')  # in a build dir; --exe changes it
EXE_NAME = os.path.basename(EXE_PATH)

CHECK_RE = re.compile(
    r'^(?P<file>[^\s:]+):(?P<line>\d+):(?:\[[\d.]+\])? '
    r'(?P<kind>Test succeeded inside todo block|Test succeeded|Test failed|Test marked todo|'
    r'Test marked flaky|Tests skipped)(?:: (?P<msg>.*))?$')
# Wine's own harness prints the elapsed time only with WINETEST_TIME.
SUMMARY_RE = re.compile(
    r'^[0-9a-f]+:(?P<test>\w+):[\d.]* (?P<executed>\d+) tests executed \((?P<todo>\d+) marked as '
    r'todo, (?:(?P<flaky>\d+) as flaky, )?(?P<failures>\d+) failures?\), (?P<skipped>\d+) skipped\.$')
EXCEPTION_RE = re.compile(r'^[0-9a-f]+:\w+:[\d.]+ unhandled exception (?P<code>[0-9a-f]+) at ')

# outcome of one check execution
KINDS = {
    'Test succeeded': 'pass',
    'Test failed': 'fail',
    'Test succeeded inside todo block': 'fail',  # stale todo: a failure
    'Test marked todo': 'todo',
    'Test marked flaky': 'flaky',
    'Tests skipped': 'skip',
}


class Variant:
    def __init__(self, mode, label, overrides, env):
        self.mode = mode            # 'ws2send' or 'builtin'
        self.label = label          # column name
        self.overrides = overrides  # WINEDLLOVERRIDES
        self.env = env


def variants_for(modes):
    out = []
    for mode in modes:
        if mode == 'builtin':
            out.append(Variant('builtin', 'builtin', 'ws2_32=b;mscoree,mshtml=', {}))
        elif mode == 'ws2send':
            for fast in ('0', '1'):
                out.append(Variant('ws2send', f'ws2send fp={fast}', 'ws2_32=n,b;mscoree,mshtml=',
                                   {'WS2SEND_FASTPATH': fast}))
        else:
            sys.exit(f'run_conformance: unknown mode {mode!r} (ws2send, builtin)')
    return out


def pe_arch(path):
    with open(path, 'rb') as f:
        data = f.read(4096)
    pe = struct.unpack_from('<I', data, 0x3c)[0]
    machine = struct.unpack_from('<H', data, pe + 4)[0]
    return {0x8664: 'x86_64', 0x14c: 'i686', 0xaa64: 'aarch64'}.get(machine, hex(machine))


class Run:
    """One subtest process."""
    def __init__(self, arch, variant, test):
        self.arch, self.variant, self.test = arch, variant, test
        self.rc = None
        self.timed_out = False
        self.stdout_lines = []
        self.stderr = ''
        self.summary = None
        self.exception = None
        self.counts = collections.Counter()
        self.problem = None  # why the run itself failed (crash, timeout, ...)


class Results:
    def __init__(self):
        # (file, line) -> {'message': str, 'failmsg': str, (arch, label): Counter}
        self.checks = {}
        self.runs = []
        self.columns = []   # (arch, Variant) in run order
        self.notes = []     # build-level problems
        self.setup_failures = 0

    def add_check(self, arch, variant, file, line, kind, msg):
        entry = self.checks.setdefault((file, int(line)), {'message': None, 'failmsg': None})
        entry.setdefault((arch, variant.label), collections.Counter())[kind] += 1
        if msg is not None:
            msg = msg.rstrip()
            if kind != 'pass' and entry['failmsg'] is None and kind != 'skip':
                entry['failmsg'] = msg
            if entry['message'] is None:
                entry['message'] = msg


def lost_its_server(lines):
    """Wine's loader lost its wineserver before the program printed a line
    (seen once in the stress suite, 0.0 s: "wine client error:0: recvmsg:
    Connection reset by peer")."""
    printed = [l for l in lines if l.strip()]
    return bool(printed) and all('wine client error' in l for l in printed)


class Wine:
    """A throwaway prefix; stopped and removed by close()."""
    def __init__(self):
        self.wine = os.environ.get('WINE') or shutil.which('wine') or 'wine'
        self.wineserver = os.environ.get('WINESERVER') or shutil.which('wineserver') or 'wineserver'
        self.prefix = tempfile.mkdtemp(prefix='ws2send-conformance-')
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith('WINETEST_') and k != 'WS2SEND_FASTPATH'}
        self.env['WINEPREFIX'] = self.prefix
        self.env.setdefault('WINEDEBUG', '-all')
        self.first = True

    def run(self, argv, cwd, overrides, extra_env, timeout):
        result = self.run_once(argv, cwd, overrides, extra_env, timeout)
        rc, timed_out, lines, err = result
        if rc and not timed_out and lost_its_server(lines + err.splitlines()):
            self.restart_server(os.path.basename(argv[0]))
            result = self.run_once(argv, cwd, overrides, extra_env, timeout)
        return result

    def restart_server(self, name):
        """After lost_its_server: nothing of the program ran, so it runs
        once more, on a fresh server."""
        print(f'warning: {name}: Wine lost its server before the program started; running it again',
              file=sys.stderr)
        subprocess.run([self.wineserver, '-w'], env=self.env, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def run_once(self, argv, cwd, overrides, extra_env, timeout):
        env = dict(self.env)
        env.update(extra_env)
        env['WINEDLLOVERRIDES'] = overrides
        if self.first:
            timeout = max(timeout, FIRST_TIMEOUT)
            self.first = False
        # Files rather than pipes: Wine's helper processes inherit the handles
        # and would keep a pipe open long after the test ends.
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.Popen([self.wine] + argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, start_new_session=True)
            timed_out = False
            try:
                rc = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
                rc = proc.wait()
            out.seek(0)
            err.seek(0)
            text = out.read().decode('utf-8', 'replace').replace('\r\n', '\n').replace('\r', '\n')
            lines = text.split('\n')
            if lines and lines[-1] == '':
                lines.pop()
            return rc, timed_out, lines, err.read().decode('utf-8', 'replace')

    def close(self):
        try:
            subprocess.run([self.wineserver, '-k'], env=self.env, timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run([self.wineserver, '-w'], env=self.env, timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f'warning: stopping wineserver for {self.prefix}: {e}', file=sys.stderr)
        finally:
            shutil.rmtree(self.prefix, ignore_errors=True)


def list_tests(wine, workdir, variant, timeout):
    rc, timed_out, lines, err = wine.run([os.path.join(workdir, EXE_NAME), '--list'], workdir, variant.overrides,
                                         variant.env, timeout)
    if timed_out or rc != 0 or not lines or lines[0] != 'Valid test names:':
        detail = '\n'.join(lines[-20:]) + ('\n' + err[-3000:] if err else '')
        return None, f'--list failed (exit {rc}{", timed out" if timed_out else ""})', detail
    return [line.strip() for line in lines[1:] if line.strip()], None, None


def run_subtest(wine, workdir, arch, variant, test, results, timeout):
    env = dict(variant.env, WINETEST_DEBUG='1', WINETEST_INTERACTIVE='0',
               WINETEST_REPORT_SUCCESS='1')
    run = Run(arch, variant, test)
    run.rc, run.timed_out, run.stdout_lines, run.stderr = wine.run(
        [os.path.join(workdir, EXE_NAME), test], workdir, variant.overrides, env, timeout)
    for line in run.stdout_lines:
        m = CHECK_RE.match(line)
        if m:
            kind = KINDS[m['kind']]
            run.counts[kind] += 1
            results.add_check(arch, variant, m['file'], m['line'], kind, m['msg'])
            continue
        m = SUMMARY_RE.match(line)
        if m and m['test'] == test:
            run.summary = m
            continue
        m = EXCEPTION_RE.match(line)
        if m:
            run.exception = m['code']
    if run.timed_out:
        run.problem = f'timed out after {timeout} s'
    elif run.exception:
        run.problem = f'unhandled exception {run.exception}'
    elif not run.summary:
        run.problem = f'ended without a summary line (exit status {run.rc})'
    elif run.rc != min(int(run.summary['failures']), 255):
        run.problem = (f'exit status {run.rc} does not match the summary\'s '
                       f'{run.summary["failures"]} failures')
    results.runs.append(run)
    c = run.counts
    status = f' -- {run.problem}' if run.problem else ''
    print(f'{arch} {variant.label} {test}: {c["pass"]} passed, {c["fail"]} failed, '
          f'{c["todo"]} todo, {c["skip"]} skipped{status}', flush=True)
    return run


def run_build(build, variants, results, timeout, only):
    exe = os.path.join(build, EXE_PATH)
    if not os.path.exists(exe):
        note = f'{build}: no {EXE_NAME} (conformance/send not built); nothing to run'
        print(f'warning: {note}', file=sys.stderr)
        results.notes.append(note)
        return
    arch = pe_arch(exe)
    dll = os.path.join(build, 'dlls', 'ws2_32', 'ws2_32.dll')
    work = tempfile.mkdtemp(prefix='ws2send-conformance-run-')
    wine = Wine()
    try:
        for variant in variants:
            results.columns.append((arch, variant))
            workdir = os.path.join(work, variant.label.replace(' ', '-').replace('=', ''))
            os.makedirs(workdir)
            shutil.copy2(exe, workdir)
            if variant.mode == 'ws2send':
                if not os.path.exists(dll):
                    note = f'{arch} {variant.label}: {dll} not found'
                    print(f'error: {note}', file=sys.stderr)
                    results.notes.append(note)
                    results.setup_failures += 1
                    continue
                shutil.copy2(dll, workdir)
            tests, problem, detail = list_tests(wine, workdir, variant, timeout)
            if tests is None:
                note = f'{arch} {variant.label}: {problem}'
                print(f'error: {note}', file=sys.stderr)
                results.notes.append(note + ('\n\n```text\n' + detail.strip() + '\n```' if detail
                                             else ''))
                if variant.mode == 'ws2send':
                    results.setup_failures += 1
                continue
            for test in tests:
                if only and test not in only:
                    continue
                run_subtest(wine, workdir, arch, variant, test, results, timeout)
    finally:
        wine.close()
        shutil.rmtree(work, ignore_errors=True)


def cell(counter):
    if not counter:
        return '—'
    total = sum(counter.values())
    for kind, text in (('fail', 'FAIL'), ('flaky', 'flaky'), ('todo', 'todo'), ('skip', 'skip'),
                       ('pass', 'pass')):
        if counter[kind]:
            if counter[kind] == total:
                return text if total == 1 else f'{text} ×{total}'
            return f'{text} {counter[kind]}/{total}'
    return '—'


def md_escape(text, limit=200):
    text = (text or '').replace('\\', '\\\\').replace('|', '\\|').replace('`', "'")
    return text if len(text) <= limit else text[:limit - 1] + '…'


def totals(results):
    """Per (arch, label): Counter of check outcomes plus subtests and problems."""
    out = collections.OrderedDict()
    for arch, variant in results.columns:
        out[(arch, variant.label)] = collections.Counter()
    for run in results.runs:
        t = out[(run.arch, run.variant.label)]
        t.update(run.counts)
        t['subtests'] += 1
        if run.problem:
            t['problems'] += 1
    return out


def write_report(path, results, builds, wine_version):
    t = totals(results)
    lines = ['# ws2send conformance report', '',
             f'- date: {datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}',
             f'- wine: {wine_version}',
             f'- builds: {", ".join(builds)}', '',
             'Modes: **ws2send** = the build\'s ws2_32.dll beside the program '
             '(`ws2_32=n,b`), fast path off (fp=0) and on (fp=1) — failures here fail the run; '
             '**builtin** = Wine\'s own ws2_32 (`ws2_32=b`) — failures are divergences from the '
             'Windows behaviour the tests expect, informational only.', '']
    for note in results.notes:
        lines += [f'> **note:** {note}', '']

    lines += ['## Totals', '',
              '| arch | mode | subtests | passed | failed | todo | skipped | crashed / timed out |',
              '|---|---|---:|---:|---:|---:|---:|---:|']
    for (arch, label), c in t.items():
        lines.append(f'| {arch} | {label} | {c["subtests"]} | {c["pass"]} | {c["fail"]} | '
                     f'{c["todo"]} | {c["skip"]} | {c["problems"]} |')
    passed, failed, divergences = summary_numbers(results)
    lines += ['', f'**ws2send: {passed} passed, {failed} failed.** '
              f'Builtin divergences: {divergences} failing checks.', '']

    lines += ['## Checks', '']
    if results.checks:
        # per arch: builtin first, then the ws2send runs
        archs = list(dict.fromkeys(arch for arch, _ in results.columns))
        cols = [(arch, v.label) for arch, v in
                sorted(results.columns, key=lambda c: (archs.index(c[0]), c[1].mode != 'builtin'))]
        lines.append('| location | message | ' + ' | '.join(f'{a} {l}' for a, l in cols) + ' |')
        lines.append('|---|---|' + '---|' * len(cols))
        for (file, line) in sorted(results.checks):
            entry = results.checks[(file, line)]
            msg = entry['failmsg'] if entry['failmsg'] is not None else entry['message']
            lines.append(f'| {file}:{line} | {md_escape(msg)} | ' +
                         ' | '.join(cell(entry.get(col)) for col in cols) + ' |')
    else:
        lines.append('No checks ran.')
    lines.append('')

    bad = [r for r in results.runs if r.problem or r.counts['fail']]
    if bad:
        lines += ['## Subtests with failures or problems', '']
        for run in bad:
            what = run.problem or f'{run.counts["fail"]} failed'
            lines += [f'### {run.arch} {run.variant.label}: {run.test} — {what}', '']
            shown = [l for l in run.stdout_lines if 'Test succeeded:' not in l][-60:]
            lines += ['```text'] + shown + ['```', '']
            if run.stderr.strip() and (run.problem or run.variant.mode == 'ws2send'):
                lines += ['stderr:', '', '```text', run.stderr.strip()[-4000:], '```', '']
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))


def summary_numbers(results):
    passed = failed = divergences = 0
    for run in results.runs:
        if run.variant.mode == 'ws2send':
            passed += run.counts['pass']
            failed += run.counts['fail'] + (1 if run.problem else 0)
        else:
            divergences += run.counts['fail'] + (1 if run.problem else 0)
    return passed, failed + results.setup_failures, divergences


def main():
    global EXE_PATH, EXE_NAME
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog=__doc__.split('\n\n', 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--build', action='append', required=True, metavar='DIR',
                        help='a meson build directory (repeatable, one per arch)')
    parser.add_argument('--report', metavar='FILE', help='write a markdown report')
    parser.add_argument('--modes', default='ws2send,builtin',
                        help='comma-separated: ws2send, builtin (default: both)')
    parser.add_argument('--timeout', type=int, default=TIMEOUT,
                        help=f'seconds per subtest (default {TIMEOUT})')
    parser.add_argument('--tests', default='', help='comma-separated subtests (default: all)')
    parser.add_argument('--exe', default=EXE_PATH,
                        help=f'the test program, relative to each build dir (default {EXE_PATH})')
    parser.add_argument('--label', default='conformance', help='name on the closing line')
    args = parser.parse_args()
    EXE_PATH, EXE_NAME = args.exe, os.path.basename(args.exe)

    variants = variants_for([m.strip() for m in args.modes.split(',') if m.strip()])
    only = {t.strip() for t in args.tests.split(',') if t.strip()}
    try:
        wine_version = subprocess.run(['wine', '--version'], capture_output=True, text=True,
                                      timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        wine_version = 'unknown'

    results = Results()
    for build in args.build:
        run_build(build, variants, results, args.timeout, only)

    passed, failed, divergences = summary_numbers(results)
    if args.report:
        write_report(args.report, results, args.build, wine_version)
        print(f'report: {args.report}')
    if divergences:
        print(f'builtin: {divergences} divergences (informational)')
    print(f'{args.label}: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    with private_runtime_dir():
        status = main()
    sys.exit(status)

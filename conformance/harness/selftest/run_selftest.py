#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check the wstest harness: run every subtest of wstest_selftest.exe under
Wine, as platform "wine" and as platform "windows", and compare the summary
counts, exit codes and message lines with what each subtest is built to
produce.

usage: run_selftest.py path/to/wstest_selftest.exe

Last line: "harness: N passed, N failed"; exit status 1 on any failure.
Uses a throwaway WINEPREFIX, stopped (wineserver -k) and removed at the end.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'tools'))
from wine_runtime_dir import private_runtime_dir  # noqa: E402

SUMMARY_RE = re.compile(
    r'^(?P<pid>[0-9a-f]{4,}):(?P<test>\w+):(?P<elapsed>\d+\.\d{3}) '
    r'(?P<executed>\d+) tests executed \((?P<todo>\d+) marked as todo, '
    r'(?P<flaky>\d+) as flaky, (?P<failures>\d+) (?P<word>failures?)\), '
    r'(?P<skipped>\d+) skipped\.$')
# Every line a subtest may print: a check/skip/trace line or the summary.
CHECK_RE = re.compile(
    r'^\w+\.c:\d+: (Test failed|Test marked todo|Test succeeded inside todo block|'
    r'Test succeeded|Tests skipped): .*$')
TRACE_RE = re.compile(r'^\w+\.c:\d+: .*$')

# subtest -> platform -> (executed, todo, failures, skipped); exit = min(failures, 255)
COUNTS = {
    'pass':      {'wine': (3, 0, 0, 0),      'windows': (3, 0, 0, 0)},
    'fail':      {'wine': (8, 0, 4, 0),      'windows': (8, 0, 4, 0)},
    'todo_fail': {'wine': (2, 2, 0, 0),      'windows': (2, 0, 2, 0)},
    'todo_pass': {'wine': (1, 0, 1, 0),      'windows': (1, 0, 0, 0)},
    'todo_nest': {'wine': (7, 3, 1, 0),      'windows': (7, 1, 3, 0)},
    'broken':    {'wine': (4, 0, 2, 0),      'windows': (4, 0, 0, 0)},
    'winskip':   {'wine': (2, 1, 1, 0),      'windows': (0, 0, 0, 2)},
    'skip':      {'wine': (1, 0, 0, 2),      'windows': (1, 0, 0, 2)},
    'context':   {'wine': (6, 0, 6, 1),      'windows': (6, 0, 6, 1)},
    'manyfail':  {'wine': (300, 0, 300, 0),  'windows': (300, 0, 300, 0)},
    'failures':  {'wine': (5, 0, 5, 0),      'windows': (5, 0, 5, 0)},  # add_failures counts too
    'platform':  {'wine': (0, 0, 0, 0),      'windows': (0, 0, 0, 0)},
    'threads':   {'wine': (1860, 80, 80, 0), 'windows': (1860, 0, 160, 0)},
    'crash':     None,  # checked separately: no summary line
    'wine_version': None,  # depends on the version: wine_version_expectations()
}

# WINETEST_WINE_VERSION -> the (major, minor) the harness must take from it;
# (0, 0) is "unknown".
WINE_VERSIONS = {
    '8.0': (8, 0), '9.4': (9, 4), '9.22': (9, 22), '10.0': (10, 0), '10.0-rc3': (10, 0),
    '9.0 (Staging)': (9, 0), '11.1.2': (11, 1), 'wine-10.0': (0, 0), '10': (0, 0),
}


def wine_version_expectations(platform, version):
    """Counts and line regexes of subtest wine_version when the harness took
    this (major, minor): its checks are todo_wine_before(10, 0) on a gap fixed
    in 10.0, todo_wine_before(9, 5) on one fixed in 9.5, and
    todo_wine_before(10, 0) on one still open."""
    lines = [rf'wine_version\.c:\d+: wine_version={version[0]}\.{version[1]}']
    if platform == 'windows':
        return (3, 0, 1, 0), lines + [r'wine_version\.c:\d+: Test failed: still open']
    todo = [what for what, fixed in (('fixed in 10.0', (10, 0)), ('fixed in 9.5', (9, 5)),
                                     ('still open', (10, 0))) if version < fixed]
    lines += [rf'wine_version\.c:\d+: Test marked todo: {what}' for what in todo]
    if version >= (10, 0):
        lines.append(r'wine_version\.c:\d+: Test failed: still open')
    return (3, len(todo), int(version >= (10, 0)), 0), lines


def host_wine_version(wine):
    """(major, minor) from `wine --version` ("wine-10.0 (Debian 10.0~repack-6)")."""
    out = subprocess.run([wine, '--version'], capture_output=True, text=True, timeout=60).stdout
    m = re.match(r'wine-(\d+)\.(\d+)', out)
    return (int(m[1]), int(m[2])) if m else (0, 0)

# subtest -> platform (or 'any') -> regexes that must each match a whole line
LINES = {
    'pass': {'any': [r'pass\.c:\d+: trace in pass 42']},
    'fail': {'any': [r'fail\.c:\d+: Test failed: first failure 1',
                     r'fail\.c:4321: Test failed: helper got 2',
                     r'fail\.c:\d+: Test failed: third failure',
                     r'fail\.c:\d+: Test failed: no newline']},
    'todo_fail': {'wine': [r'todo_fail\.c:\d+: Test marked todo: known bug 1',
                           r'todo_fail\.c:\d+: Test marked todo: known bug 2'],
                  'windows': [r'todo_fail\.c:\d+: Test failed: known bug 1',
                              r'todo_fail\.c:\d+: Test failed: known bug 2']},
    'todo_pass': {'wine': [r'todo_pass\.c:\d+: Test succeeded inside todo block: fixed bug']},
    'todo_nest': {'wine': [r'todo_nest\.c:\d+: Test marked todo: todo D',
                           r'todo_nest\.c:\d+: Test marked todo: todo_if E',
                           r'todo_nest\.c:\d+: Test marked todo: nested G',
                           r'todo_nest\.c:\d+: Test succeeded inside todo block: after inner block I'],
                  'windows': [r'todo_nest\.c:\d+: Test failed: todo D',
                              r'todo_nest\.c:\d+: Test marked todo: todo_if E',
                              r'todo_nest\.c:\d+: Test failed: nested G',
                              r'todo_nest\.c:\d+: Test succeeded inside todo block: after inner block I']},
    'broken': {'wine': [r'broken\.c:\d+: Test failed: broken only',
                        r'broken\.c:\d+: Test failed: broken value']},
    'winskip': {'wine': [r'winskip\.c:\d+: Test failed: function missing',
                         r'winskip\.c:\d+: Test marked todo: missing inside todo'],
                'windows': [r'winskip\.c:\d+: Tests skipped: function missing',
                            r'winskip\.c:\d+: Tests skipped: missing inside todo']},
    'skip': {'any': [r'skip\.c:\d+: Tests skipped: no ipv6',
                     r'skip\.c:\d+: Tests skipped: second']},
    'context': {'any': [r'context\.c:\d+: Test failed: outer: msg one',
                        r'context\.c:\d+: Test failed: outer: inner 2: msg two',
                        r'context\.c:\d+: outer: inner 2: traced',
                        r'context\.c:\d+: Test failed: outer: msg three',
                        r'context\.c:\d+: Test failed: msg four',
                        r'context\.c:\d+: Test failed: ' +
                        ''.join(f'level{i}: ' for i in range(8)) + 'deep',
                        r'context\.c:\d+: Test failed: after deep',
                        r'context\.c:\d+: Tests skipped: sk: skipped here']},
    'manyfail': {'any': [r'manyfail\.c:\d+: Test failed: failure 0',
                         r'manyfail\.c:\d+: Test failed: failure 299']},
    'failures': {'any': [r'failures\.c:\d+: Test failed: a',
                         r'failures\.c:\d+: Test succeeded inside todo block: b',
                         r'failures\.c:\d+: failures=2',
                         r'failures\.c:\d+: failures=5']},
    'platform': {'wine': [r'platform\.c:\d+: platform=wine is_wine=1'],
                 'windows': [r'platform\.c:\d+: platform=windows is_wine=0']},
}

# Message kinds that must not appear for a subtest/platform.
ABSENT = {
    ('pass', 'any'): [r'.*Test .*'],
    ('todo_pass', 'windows'): [r'.*Test .*'],
    ('broken', 'windows'): [r'.*Test .*'],
    ('todo_fail', 'wine'): [r'.*Test failed.*'],
    ('winskip', 'windows'): [r'.*Test (failed|marked todo).*'],
    ('context', 'any'): [r'.*level8.*'],
}


class Runner:
    def __init__(self, exe):
        self.exe = exe
        self.passed = 0
        self.failed = 0
        self.wine = os.environ.get('WINE') or shutil.which('wine') or 'wine'
        self.wineserver = os.environ.get('WINESERVER') or shutil.which('wineserver') or 'wineserver'
        self.prefix = tempfile.mkdtemp(prefix='wstest-selftest-')
        self.env = dict(os.environ)
        for name in list(self.env):
            if name.startswith('WINETEST_'):
                del self.env[name]
        self.env.update(WINEPREFIX=self.prefix, WINEDEBUG='-all',
                        WINEDLLOVERRIDES='mscoree,mshtml=')
        self.first_run = True
        self.host_version = host_wine_version(self.wine)

    def close(self):
        try:
            subprocess.run([self.wineserver, '-k'], env=self.env, timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run([self.wineserver, '-w'], env=self.env, timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f'warning: stopping wineserver: {e}', file=sys.stderr)
        finally:
            shutil.rmtree(self.prefix, ignore_errors=True)

    def run(self, args, **env):
        run_env = dict(self.env)
        run_env.update({k: str(v) for k, v in env.items() if v is not None})
        timeout = 300 if self.first_run else 120
        self.first_run = False
        # Output goes to files, not pipes: Wine's helper processes inherit
        # the handles and would hold a pipe open for seconds after the test.
        with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
            try:
                proc = subprocess.run([self.wine, self.exe] + args, env=run_env, timeout=timeout,
                                      stdin=subprocess.DEVNULL, stdout=out_file, stderr=err_file)
            except subprocess.TimeoutExpired:
                return None, [], 'timed out'
            out_file.seek(0)
            err_file.seek(0)
            stdout, stderr = out_file.read(), err_file.read()
        out = stdout.decode('utf-8', 'replace').replace('\r\n', '\n').replace('\r', '\n')
        lines = out.split('\n')
        if lines and lines[-1] == '':
            lines.pop()
        return proc.returncode, lines, stderr.decode('utf-8', 'replace')

    def check(self, cond, what, detail=None):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f'FAIL: {what}')
            if detail:
                for line in str(detail).rstrip('\n').split('\n')[:40]:
                    print(f'    {line}')
        return cond


def has_line(lines, regex):
    pattern = re.compile(regex + r'$')
    return any(pattern.match(line) for line in lines)


def check_subtest(r, name, platform, wine_version=None):
    """wine_version: WINETEST_WINE_VERSION for the run (default: unset)."""
    label = f'[{platform}] {name}' + (f' WINETEST_WINE_VERSION={wine_version!r}'
                                      if wine_version is not None else '')
    rc, lines, err = r.run([name], WINETEST_PLATFORM=platform, WINETEST_WINE_VERSION=wine_version)
    output = '\n'.join(lines[-30:]) + ('\nstderr: ' + err[-2000:] if err else '')
    if rc is None:
        r.check(False, f'{label}: timed out')
        return

    if name == 'crash':
        r.check(has_line(lines, r'crash\.c:\d+: this is the last test seen before the exception'),
                f'{label}: last-location line', output)
        r.check(has_line(lines, r'[0-9a-f]{4,}:crash:\d+\.\d{3} unhandled exception c0000005 at .*'),
                f'{label}: unhandled exception line', output)
        r.check(not any(SUMMARY_RE.match(line) for line in lines), f'{label}: no summary', output)
        # Wine exits with the exception code; a Unix parent sees its low 8 bits.
        r.check(rc == 0xc0000005 & 0xff, f'{label}: exit status {rc}, expected 5', output)
        return

    expected_lines = LINES.get(name, {}).get('any', []) + LINES.get(name, {}).get(platform, [])
    if name == 'wine_version':
        version = r.host_version if wine_version is None else WINE_VERSIONS[wine_version]
        (executed, todo, failures, skipped), expected_lines = wine_version_expectations(
            platform, version if platform == 'wine' else (0, 0))
    else:
        executed, todo, failures, skipped = COUNTS[name][platform]
    summaries = [m for m in map(SUMMARY_RE.match, lines) if m]
    if not r.check(len(summaries) == 1, f'{label}: exactly one summary line', output):
        return
    s = summaries[0]
    r.check(lines[-1] == s.group(0), f'{label}: summary is the last line', output)
    r.check(int(s['pid'], 16) != 0 and s['test'] == name, f'{label}: summary names the subtest', output)
    got = (int(s['executed']), int(s['todo']), int(s['failures']), int(s['skipped']))
    r.check(got == (executed, todo, failures, skipped),
            f'{label}: counts (executed, todo, failures, skipped) {got}, expected '
            f'{(executed, todo, failures, skipped)}', output)
    r.check(s['flaky'] == '0', f'{label}: flaky count 0', output)
    r.check(s['word'] == ('failure' if failures == 1 else 'failures'), f'{label}: plural', output)
    r.check(rc == min(failures, 255), f'{label}: exit status {rc}, expected {min(failures, 255)}',
            output)

    for regex in expected_lines:
        r.check(has_line(lines, regex), f'{label}: line /{regex}/', output)
    for key in ((name, 'any'), (name, platform)):
        for regex in ABSENT.get(key, []):
            bad = [line for line in lines if re.match(regex + '$', line) and line != s.group(0)]
            r.check(not bad, f'{label}: no line /{regex}/', '\n'.join(bad[:10]))
    stray = [line for line in lines
             if line != s.group(0) and not CHECK_RE.match(line) and not TRACE_RE.match(line)]
    r.check(not stray, f'{label}: every line well-formed', '\n'.join(stray[:10]))


def check_special(r, names):
    # --list
    rc, lines, _ = r.run(['--list'])
    r.check(rc == 0, f'--list: exit status {rc}')
    r.check(lines[:1] == ['Valid test names:'], '--list: header', '\n'.join(lines[:5]))
    listed = [line[4:] for line in lines[1:] if line.startswith('    ')]
    r.check(len(listed) == len(lines) - 1 and sorted(listed) == sorted(names),
            '--list: one indented name per subtest', '\n'.join(lines))

    # no argument with several subtests: usage + list, exit 1
    rc, lines, _ = r.run([])
    r.check(rc == 1, f'no argument: exit status {rc}, expected 1')
    r.check(bool(lines) and lines[0].startswith('Usage: ') and 'Valid test names:' in lines
            and '    pass' in lines, 'no argument: usage and list', '\n'.join(lines))

    # unknown subtest
    rc, lines, err = r.run(['nosuch'])
    r.check(rc == 1, f'unknown subtest: exit status {rc}, expected 1')
    r.check("Fatal: test 'nosuch' does not exist." in (lines + err.splitlines()),
            'unknown subtest: Fatal line', '\n'.join(lines) + err)

    # "<name>.c" and a path prefix select the subtest
    for arg in ('pass.c', 'some/dir/pass.c'):
        rc, lines, _ = r.run([arg], WINETEST_PLATFORM='wine')
        r.check(rc == 0 and any(re.match(r'^[0-9a-f]{4,}:pass:', line) for line in lines),
                f'argument {arg!r} runs subtest pass', '\n'.join(lines))

    # platform autodetection under Wine
    rc, lines, _ = r.run(['platform'])
    r.check(has_line(lines, r'platform\.c:\d+: platform=wine is_wine=1'),
            'no WINETEST_PLATFORM under Wine: platform=wine', '\n'.join(lines))

    # WINETEST_REPORT_SUCCESS=1: one "Test succeeded: <msg>" line per passing check
    rc, lines, _ = r.run(['pass'], WINETEST_PLATFORM='wine', WINETEST_REPORT_SUCCESS=1)
    succ = [line for line in lines if re.match(r'^pass\.c:\d+: Test succeeded: ', line)]
    r.check(len(succ) == 3 and has_line(lines, r'pass\.c:\d+: Test succeeded: first check')
            and has_line(lines, r'pass\.c:\d+: Test succeeded: arithmetic 4'),
            'REPORT_SUCCESS: success lines with messages', '\n'.join(lines))

    # WINETEST_DEBUG=0: no traces, no todo lines, no summary; failures still printed
    rc, lines, _ = r.run(['pass'], WINETEST_PLATFORM='wine', WINETEST_DEBUG=0)
    r.check(rc == 0 and not lines, 'DEBUG=0 pass: no output', '\n'.join(lines))
    rc, lines, _ = r.run(['todo_fail'], WINETEST_PLATFORM='wine', WINETEST_DEBUG=0)
    r.check(rc == 0 and not lines, 'DEBUG=0 todo_fail: no todo lines', '\n'.join(lines))
    rc, lines, _ = r.run(['fail'], WINETEST_PLATFORM='wine', WINETEST_DEBUG=0)
    r.check(rc == 4 and len(lines) == 4 and all('Test failed: ' in line for line in lines),
            'DEBUG=0 fail: only the 4 failure lines, exit 4', '\n'.join(lines))

    # Threads with every line printed: lines whole, contexts and todo per thread.
    rc, lines, _ = r.run(['threads'], WINETEST_PLATFORM='wine', WINETEST_REPORT_SUCCESS=1)
    body = [line for line in lines if not SUMMARY_RE.match(line)]
    per_thread = re.compile(r'^threads\.c:\d+: (Test succeeded|Test failed|Test marked todo): '
                            r'thread (\d): t(\d) (pass|fail|todo) \d+$')
    main_line = re.compile(r'^threads\.c:\d+: Test succeeded: (main \d+|CreateThread failed: \d+)$')
    kinds = {'pass': 0, 'fail': 0, 'todo': 0}
    bad = []
    for line in body:
        m = per_thread.match(line)
        if m:
            expected_kind = {'pass': 'Test succeeded', 'fail': 'Test failed',
                             'todo': 'Test marked todo'}[m[4]]
            if m[2] != m[3] or m[1] != expected_kind or (m[4] == 'todo' and int(m[2]) % 2 == 0):
                bad.append(line)
            kinds[m[4]] += 1
        elif not main_line.match(line):
            bad.append(line)
    r.check(not bad, 'threads: every line whole, with its own thread context and todo state',
            '\n'.join(bad[:10]))
    r.check(kinds == {'pass': 1600, 'fail': 80, 'todo': 80} and len(body) == 1860,
            f'threads: line counts {kinds}, {len(body)} lines')
    r.check(rc == 80, f'threads: exit status {rc}, expected 80')


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    exe = os.path.abspath(sys.argv[1])
    if not os.path.exists(exe):
        sys.exit(f'{exe}: not found')

    r = Runner(exe)
    try:
        for platform in ('wine', 'windows'):
            for name in COUNTS:
                check_subtest(r, name, platform)
        # The version comes from WINETEST_WINE_VERSION where set, and only
        # counts under Wine.
        for text in WINE_VERSIONS:
            check_subtest(r, 'wine_version', 'wine', text)
        check_subtest(r, 'wine_version', 'windows', '8.0')
        check_special(r, list(COUNTS))
    finally:
        r.close()
    print(f'harness: {r.passed} passed, {r.failed} failed')
    return 1 if r.failed else 0


if __name__ == '__main__':
    with private_runtime_dir():
        status = main()
    sys.exit(status)

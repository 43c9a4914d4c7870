#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compare runs of Wine's own tests under Wine's builtin ws2_32 and ws2send.

usage: wine_test_diff.py LOG_DIR NAME-ARCH...

LOG_DIR holds NAME-ARCH-builtin.txt and NAME-ARCH-ws2send.txt for each
NAME-ARCH (tools/run_wine_tests.sh writes them: the program's output, then
"exit status N").  Each check of Wine's tests states what Windows does; the
harness prints a line for each execution that misses it ("Test failed") and
for each todo_wine check that meets it ("Test succeeded inside todo block").
Per check (file:line), the runs are compared by how often it missed and how
often a todo_wine check met Windows' answer:

  regressions   a check missed more often under ws2send, or a todo_wine
                check met less often (with the messages only ws2send gave);
  fixed         the other way round;
  other values  as often under both, with other messages (informational).

A run that did not reach its summary line (a crash, a timeout) is reported;
under ws2send alone it counts as a regression.

Last line: "winetests: N regressions, N fixed (...)"; exit status 1 if N > 0.
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_conformance import SUMMARY_RE  # noqa: E402  (Wine's summary line)

CHECK_RE = re.compile(
    r'^(?P<where>[\w.]+\.c:\d+): '
    r'(?P<kind>Test failed|Test succeeded inside todo block|Test succeeded inside flaky todo block): '
    r'(?P<msg>.*)$')
CRASH_RE = re.compile(r'^(?:wine: )?Unhandled (?:exception|page fault)[^,(]*')
STATUS_RE = re.compile(r'^exit status (\d+)$')
TIMEOUT_STATUSES = {124, 137}
REGRESSED = "regressions (Windows' answer missed only under ws2send)"
FIXED = "fixed (Windows' answer given only under ws2send)"
OTHER = 'other values (missed as often under both)'


class Run:
    def __init__(self, path):
        # where -> Counter of messages
        self.missed = collections.defaultdict(collections.Counter)
        self.todo_met = collections.defaultdict(collections.Counter)
        self.summary = None
        self.crash = None
        self.status = None
        self.last_check = None
        self.missing = not os.path.exists(path)
        if self.missing:
            return
        with open(path, errors='replace') as f:
            for line in f:
                line = line.rstrip('\r\n')
                m = CHECK_RE.match(line)
                if m:
                    table = self.missed if m['kind'] == 'Test failed' else self.todo_met
                    table[m['where']][m['msg']] += 1
                    self.last_check = m['where']
                    continue
                m = SUMMARY_RE.match(line)
                if m:
                    self.summary = {k: int(m[k]) for k in ('executed', 'todo', 'failures', 'skipped')}
                    continue
                m = CRASH_RE.match(line)
                if m and not self.crash:
                    self.crash = m.group(0).strip()
                    continue
                m = STATUS_RE.match(line)
                if m:
                    self.status = int(m.group(1))

    def finished(self):
        return self.summary is not None

    def describe(self):
        if self.missing:
            return 'no log'
        if self.finished():
            s = self.summary
            return (f"{s['executed']} executed, {s['failures']} failed, {s['todo']} todo, "
                    f"{s['skipped']} skipped")
        if self.status in TIMEOUT_STATUSES:
            why = 'timed out'
        elif self.crash:
            why = f'crashed ({self.crash})'
        else:
            why = f'ended without a summary (exit status {self.status})'
        after = f' after {self.last_check}' if self.last_check else ''
        failed = sum(sum(c.values()) for c in self.missed.values())
        return f'did not finish: {why}{after}; {failed} failed until then'


def line_number(where):
    return int(where.rsplit(':', 1)[1])


def differences(builtin, ws2send):
    """Per check: (where, ws2send's extra count, builtin's extra count,
    messages only ws2send gave, messages only the builtin gave)."""
    out = []
    for where in sorted(set(builtin) | set(ws2send), key=line_number):
        b, w = builtin.get(where, collections.Counter()), ws2send.get(where, collections.Counter())
        if b == w:
            continue
        nb, nw = sum(b.values()), sum(w.values())
        out.append((where, max(0, nw - nb), max(0, nb - nw), w - b, b - w))
    return out


def show(where, messages, label):
    for msg, times in sorted(messages.items()):
        print(f'      {where}: {label}: {msg}' + (f'  (x{times})' if times > 1 else ''))


def compare(log_dir, entry):
    builtin = Run(os.path.join(log_dir, f'{entry}-builtin.txt'))
    ws2send = Run(os.path.join(log_dir, f'{entry}-ws2send.txt'))
    print(f'== {entry}')
    print(f'   builtin: {builtin.describe()}')
    print(f'   ws2send: {ws2send.describe()}')

    regressions = fixed = 0
    if not ws2send.finished() and builtin.finished():
        regressions += 1
        print("   ws2send's run did not finish, the builtin's did: counted as a regression")
    elif not ws2send.finished() or not builtin.finished():
        print('   a run did not finish: the checks are compared as far as each run got')

    sections = {REGRESSED: [], FIXED: [],
                OTHER: []}
    for where, more_w, more_b, only_w, only_b in differences(builtin.missed, ws2send.missed):
        if more_w:
            sections[REGRESSED].append((where, only_w, 'failed'))
        elif more_b:
            sections[FIXED].append((where, only_b, 'failed'))
        else:
            sections[OTHER].append((where, only_w, 'failed under ws2send'))
            sections[OTHER].append((where, only_b, 'failed under the builtin'))
        regressions += more_w
        fixed += more_b
    # A todo_wine check met is Windows' answer given: more often under
    # ws2send is a fix, more often under the builtin a regression.
    for where, more_w, more_b, only_w, only_b in differences(builtin.todo_met, ws2send.todo_met):
        if more_w:
            sections[FIXED].append((where, only_w, "todo_wine check meets Windows' answer"))
        elif more_b:
            sections[REGRESSED].append(
                (where, only_b, "todo_wine check meets Windows' answer only under the builtin"))
        regressions += more_b
        fixed += more_w

    for title, rows in sections.items():
        if rows:
            print(f'   {title}:')
            for where, messages, label in sorted(rows, key=lambda r: line_number(r[0])):
                show(where, messages, label)
    if not any(sections.values()):
        print('   the same checks fail under both')
    return regressions, fixed


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: wine_test_diff.py LOG_DIR NAME-ARCH...')
    log_dir, entries = sys.argv[1], sys.argv[2:]
    regressions = fixed = 0
    for entry in entries:
        r, f = compare(log_dir, entry)
        regressions += r
        fixed += f
    print()
    verdict = 'no regression' if not regressions else 'REGRESSIONS: checks that fail only under ws2send'
    print(f'winetests: {regressions} regressions, {fixed} fixed ({len(entries)} test programs; {verdict})')
    return 1 if regressions else 0


if __name__ == '__main__':
    sys.exit(main())

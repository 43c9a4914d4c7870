#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turn Meson's test log (testlog.json) into one "N passed, N failed" line.

A test that prints "<name>: N checks, M failures" (tests/unit/unit_test.h)
counts its checks; the fuzz loop and any other test count once (a fuzz
iteration is not a check of its own).  A test that did not pass
counts at least one failure, and an empty or missing log is a failure.
"""
import json
import re
import sys

passed = failed = 0
try:
    with open(sys.argv[1]) as f:
        for line in f:
            result = json.loads(line)
            ok = result.get('result') in ('OK', 'EXPECTEDFAIL', 'SKIP')
            out = result.get('stdout', '') or ''
            counts = re.findall(r'(\d+) checks, (\d+) failures', out)
            if result.get('name') == 'fuzz':
                counts = [(1, min(sum(int(f) for _, f in counts), 1))]
            checks = sum(int(c) for c, _ in counts)
            failures = sum(int(f) for _, f in counts)
            if not ok:
                print(f"FAILED: {result.get('name')}\n{out[-4000:]}")
                failures = max(failures, 1)
            passed += max(checks - failures, 0) if counts else (1 if ok else 0)
            failed += failures
except FileNotFoundError:
    print(f'{sys.argv[1]}: no test log (did the native build fail?)')
    failed += 1
if passed + failed == 0:
    failed = 1
print(f'unit: {passed} passed, {failed} failed')

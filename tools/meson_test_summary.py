#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turn Meson's test log (testlog.json) into one "N passed, N failed" line.

Each meson test() counts once; a test that ran no case, or is missing from
the log because the build failed, is a failure.
"""
import json
import sys

passed = failed = 0
try:
    with open(sys.argv[1]) as f:
        for line in f:
            result = json.loads(line)
            ok = result.get('result') in ('OK', 'EXPECTEDFAIL', 'SKIP')
            if not ok:
                print(f"FAILED: {result.get('name')}\n{result.get('stdout', '')[-4000:]}")
            passed += ok
            failed += not ok
except FileNotFoundError:
    print(f'{sys.argv[1]}: no test log (did the native build fail?)')
    failed += 1
if passed + failed == 0:
    failed = 1
print(f'unit: {passed} passed, {failed} failed')

#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check a built ws2_32.dll's export table against the reference table.

Reads the PE export directory itself (no objdump) and compares the set of
(ordinal, name) pairs with the reference rows for the DLL's architecture:
every name present, at its pinned ordinal, nothing extra, nothing unnamed.
Prints "N passed, N failed" for the checks it made; exits 1 on a failure.
"""
import struct
import sys


def read_exports(path):
    data = open(path, 'rb').read()
    pe = struct.unpack_from('<I', data, 0x3c)[0]
    if data[pe:pe + 4] != b'PE\0\0':
        raise SystemExit(f'{path}: not a PE file')
    machine, nsections = struct.unpack_from('<HH', data, pe + 4)
    opt_size = struct.unpack_from('<H', data, pe + 20)[0]
    opt = pe + 24
    magic = struct.unpack_from('<H', data, opt)[0]
    dirs = opt + (112 if magic == 0x20b else 96)
    export_rva, _ = struct.unpack_from('<II', data, dirs)
    sections = []
    for i in range(nsections):
        s = opt + opt_size + 40 * i
        vsize, va, rawsize, rawptr = struct.unpack_from('<IIII', data, s + 8)
        sections.append((va, max(vsize, rawsize), rawptr))

    def off(rva):
        for va, size, raw in sections:
            if va <= rva < va + size:
                return rva - va + raw
        raise SystemExit(f'{path}: RVA {rva:#x} outside every section')

    def cstr(rva):
        o = off(rva)
        return data[o:data.index(b'\0', o)].decode()

    e = off(export_rva)
    base, nfuncs, nnames, funcs, names, ords = struct.unpack_from('<IIIIII', data, e + 16)
    arch = {0x8664: 'x64', 0x14c: 'x86'}[machine]
    named = {}
    for i in range(nnames):
        name = cstr(struct.unpack_from('<I', data, off(names) + 4 * i)[0])
        index = struct.unpack_from('<H', data, off(ords) + 2 * i)[0]
        named[index + base] = name
    used = [base + i for i in range(nfuncs)
            if struct.unpack_from('<I', data, off(funcs) + 4 * i)[0]]
    return arch, named, used


def read_reference(path, arch):
    ref = {}
    for line in open(path).read().splitlines()[1:]:
        ordinal, name, source = line.split('\t')
        if source.startswith(f'win10-{arch}:'):
            ref[int(ordinal)] = name
    return ref


def main():
    dll, reference = sys.argv[1], sys.argv[2]
    arch, named, used = read_exports(dll)
    ref = read_reference(reference, arch)
    passed = failed = 0

    def check(ok, message):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f'{dll}: {message}')

    for ordinal, name in sorted(ref.items()):
        check(named.get(ordinal) == name,
              f'ordinal {ordinal}: expected {name}, got {named.get(ordinal)}')
    for ordinal, name in sorted(named.items()):
        check(ordinal in ref, f'unexpected export {name} @{ordinal}')
    for ordinal in used:
        check(ordinal in named, f'export @{ordinal} has no name')
    check(len(named) == len(ref), f'{len(named)} named exports, reference has {len(ref)}')
    print(f'exports ({arch}): {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

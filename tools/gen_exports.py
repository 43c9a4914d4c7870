#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Generate one architecture's export files from dlls/ws2_32/ws2_32.exports.

Outputs:
  --def FILE      the module-definition file (names, pinned ordinals)
  --thunks FILE   assembly: one jump thunk per forwarded export and the slot
                  table they jump through (macros in forward_thunks.h)
  --table FILE    C: names and "host lacks it" stubs of the forwarded exports
  --list FILE     plain "ordinal name" list of the exports (for the tests)
"""
import argparse
import sys

MISSING_KINDS = ('sockerr', 'null', 'false', 'allones', 'return', 'lasterrarg', 'void')


class Export:
    def __init__(self, fields, lineno):
        if len(fields) != 6:
            sys.exit(f'ws2_32.exports:{lineno}: expected 6 columns, got {len(fields)}')
        self.name, x64, x86, args, self.impl, missing = fields
        self.ordinal = {'x86_64': None if x64 == '-' else int(x64),
                        'i686': None if x86 == '-' else int(x86)}
        self.args = int(args)
        kind, _, self.error = missing.partition(':')
        if kind not in MISSING_KINDS or (kind != 'void') != bool(self.error):
            sys.exit(f'ws2_32.exports:{lineno}: bad "missing" rule {missing!r}')
        if self.impl not in ('own', 'forward'):
            sys.exit(f'ws2_32.exports:{lineno}: impl must be "own" or "forward"')
        self.missing = kind


def read_table(path):
    exports = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if line:
                exports.append(Export(line.split(), lineno))
    names = [e.name for e in exports]
    if len(set(names)) != len(names):
        sys.exit('ws2_32.exports: duplicate names')
    return exports


def write_def(exports, arch, path):
    with open(path, 'w') as f:
        f.write('; Generated from ws2_32.exports; do not edit.\nLIBRARY ws2_32.dll\nEXPORTS\n')
        for e in exports:
            # i686 symbols carry stdcall decoration; the linker's --kill-at
            # strips it from the exported name.
            symbol = f'{e.name}@{4 * e.args}' if arch == 'i686' else e.name
            f.write(f'    {symbol} @{e.ordinal[arch]}\n')


def write_thunks(forwards, arch, path):
    with open(path, 'w') as f:
        f.write('/* Generated from ws2_32.exports; do not edit. */\n#include "forward_thunks.h"\n\n')
        f.write('FORWARD_TEXT\n')
        for i, e in enumerate(forwards):
            symbol = f'_{e.name}@{4 * e.args}' if arch == 'i686' else e.name
            f.write(f'FORWARD_THUNK({symbol}, {i})\n')
        f.write('\nFORWARD_DATA\n')
        for i, e in enumerate(forwards):
            f.write(f'FORWARD_SLOT({i})\n')


def write_table(forwards, path):
    with open(path, 'w') as f:
        f.write('/* Generated from ws2_32.exports; do not edit. */\n#include "forward.h"\n\n')
        for i, e in enumerate(forwards):
            params = ', '.join(f'INT_PTR a{n}' for n in range(e.args)) or 'void'
            f.write(f'static INT_PTR WINAPI missing_{e.name}({params})\n{{\n')
            if e.missing == 'lasterrarg':
                f.write(f'    return forward_missing_lasterrarg({i}, (int *)a{e.args - 1}, {e.error});\n')
            elif e.missing == 'void':
                f.write(f'    return forward_missing_void({i});\n')
            else:
                f.write(f'    return forward_missing_{e.missing}({i}, {e.error});\n')
            f.write('}\n\n')
        f.write(f'const unsigned int forward_count = {len(forwards)};\n\n')
        f.write('const struct forward_export forward_exports[] =\n{\n')
        for e in forwards:
            f.write(f'    {{ "{e.name}", (void *)missing_{e.name} }},\n')
        f.write('};\n')


def write_list(exports, arch, path):
    with open(path, 'w') as f:
        for e in sorted(exports, key=lambda e: e.ordinal[arch]):
            f.write(f'{e.ordinal[arch]} {e.name}\n')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('table')
    p.add_argument('--arch', choices=('x86_64', 'i686'), required=True)
    p.add_argument('--def', dest='def_file')
    p.add_argument('--thunks')
    p.add_argument('--table', dest='table_file')
    p.add_argument('--list')
    args = p.parse_args()

    exports = [e for e in read_table(args.table) if e.ordinal[args.arch] is not None]
    forwards = [e for e in exports if e.impl == 'forward']
    if args.def_file:
        write_def(exports, args.arch, args.def_file)
    if args.thunks:
        write_thunks(forwards, args.arch, args.thunks)
    if args.table_file:
        write_table(forwards, args.table_file)
    if args.list:
        write_list(exports, args.arch, args.list)


if __name__ == '__main__':
    main()

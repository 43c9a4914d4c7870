#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write apt preferences that keep amd64 and i386 "Multi-Arch: same" packages
at one version.

A mirror that publishes the amd64 and i386 indexes of an update at different
times (seen with bookworm-security) offers newer amd64 than i386 versions of
shared libraries; apt then cannot co-install the i386 copies wine32 needs.
For every such package this pins the newest version both architectures have.
Reads apt's downloaded index files; prints an apt_preferences(5) file.
"""
import functools
import glob
import os
import re
import subprocess
import sys

def _order(c):
    if c == '~':
        return -1
    if c.isdigit():
        return 0
    if c.isalpha():
        return ord(c)
    return ord(c) + 256

def _cmp_part(a, b):
    """dpkg's comparison of an upstream version or revision string."""
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i]) if i < len(a) else 0
            bc = _order(b[j]) if j < len(b) else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < len(a) and a[i] == '0':
            i += 1
        while j < len(b) and b[j] == '0':
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0

def _split(v):
    epoch, _, rest = v.rpartition(':') if ':' in v else ('0', '', v)
    upstream, _, revision = rest.rpartition('-') if '-' in rest else (rest, '', '')
    return int(epoch or 0), upstream, revision

def version_key(v):
    return functools.cmp_to_key(compare_versions)(v)

def compare_versions(a, b):
    ea, ua, ra = _split(a)
    eb, ub, rb = _split(b)
    if ea != eb:
        return ea - eb
    return _cmp_part(ua, ub) or _cmp_part(ra, rb)

def read_indexes(list_dir):
    """{(name, arch): set(versions)} for Multi-Arch: same packages."""
    found = {}
    for path in glob.glob(os.path.join(list_dir, '*_Packages*')):
        # apt keeps the indexes compressed (lz4, xz, ...); its helper reads them all.
        text = subprocess.run(['/usr/lib/apt/apt-helper', 'cat-file', path],
                              capture_output=True, text=True, errors='replace').stdout
        for stanza in text.split('\n\n'):
            fields = dict(re.findall(r'^([A-Za-z-]+): (.*)$', stanza, re.M))
            if fields.get('Multi-Arch') != 'same':
                continue
            if fields.get('Architecture') not in ('amd64', 'i386'):
                continue
            key = (fields['Package'], fields['Architecture'])
            found.setdefault(key, set()).add(fields['Version'])
    return found

def main():
    list_dir = sys.argv[1] if len(sys.argv) > 1 else '/var/lib/apt/lists'
    found = read_indexes(list_dir)
    pins = []
    for (name, arch), amd64 in sorted(found.items()):
        if arch != 'amd64':
            continue
        i386 = found.get((name, 'i386'))
        if not i386 or amd64 == i386:
            continue
        common = amd64 & i386
        if not common:
            continue
        newest_common = max(common, key=version_key)
        if newest_common == max(amd64, key=version_key) == max(i386, key=version_key):
            continue
        pins.append((name, newest_common))
    for name, version in pins:
        print(f'Package: {name}\nPin: version {version}\nPin-Priority: 1001\n')

if __name__ == '__main__':
    main()

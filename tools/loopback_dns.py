#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A DNS server for a network namespace that has only lo.

usage: loopback_dns.py READY_FILE

Answers UDP queries on 127.0.0.1:53: every name resolves to 127.0.0.1 (A)
and ::1 (AAAA), except names whose first label starts with "nxdomain" or
"nonexistent", which do not exist (NXDOMAIN) — the names Wine's tests use
for lookups meant to fail.  Wine's tests resolve public names (GetAddrInfoEx
overlapped, DnsQuery for AI_DNS_ONLY); with no server at all they stop at
the first NULL result, and no lookup may leave loopback.  READY_FILE is
created once the socket is bound.  Runs until killed.
"""
import socket
import struct
import sys

TYPE_A, TYPE_AAAA, CLASS_IN = 1, 28, 1
NOERROR, FORMERR, NXDOMAIN = 0, 1, 3
MISSING_PREFIXES = (b'nxdomain', b'nonexistent')


def parse_question(packet):
    """(id, flags, name labels, qtype, qclass, end of the question)."""
    ident, flags, qdcount = struct.unpack_from('!HHH', packet)
    if qdcount != 1:
        raise ValueError('one question expected')
    labels, pos = [], 12
    while packet[pos]:
        length = packet[pos]
        if length & 0xc0:
            raise ValueError('compressed name in a question')
        labels.append(packet[pos + 1:pos + 1 + length])
        pos += 1 + length
    qtype, qclass = struct.unpack_from('!HH', packet, pos + 1)
    return ident, flags, labels, qtype, qclass, pos + 5


def answer(packet):
    try:
        ident, flags, labels, qtype, qclass, end = parse_question(packet)
    except (ValueError, IndexError, struct.error):
        ident = struct.unpack_from('!H', packet)[0] if len(packet) >= 2 else 0
        return struct.pack('!HHHHHH', ident, 0x8000 | FORMERR, 0, 0, 0, 0)

    records = []
    missing = bool(labels) and labels[0].lower().startswith(MISSING_PREFIXES)
    if not missing and qclass == CLASS_IN:
        if qtype == TYPE_A:
            records.append((TYPE_A, socket.inet_pton(socket.AF_INET, '127.0.0.1')))
        elif qtype == TYPE_AAAA:
            records.append((TYPE_AAAA, socket.inet_pton(socket.AF_INET6, '::1')))
    # QR, the query's opcode and RD, RA; authoritative.
    reply_flags = 0x8000 | (flags & 0x7900) | 0x0400 | 0x0080 | (NXDOMAIN if missing else NOERROR)
    out = struct.pack('!HHHHHH', ident, reply_flags, 1, len(records), 0, 0) + packet[12:end]
    for rtype, data in records:
        # The name is a pointer to the question's (offset 12).
        out += struct.pack('!HHHIH', 0xc00c, rtype, CLASS_IN, 60, len(data)) + data
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: loopback_dns.py READY_FILE')
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(('127.0.0.1', 53))
    open(sys.argv[1], 'w').close()
    while True:
        packet, peer = server.recvfrom(4096)
        server.sendto(answer(packet), peer)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Send hand-made ESP packets (NULL encryption, HMAC-SHA1-96, RFC 4303
transport mode around GRE) from a raw socket, for the hostile-input
scenario.  Usage: esp-craft.py DST SPI AUTHKEY-HEX CASE [SEQ] [COUNT]"""
import hashlib
import hmac
import os
import random
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def icmp_echo(src, dst, size=32, ident=0x4d47, seq=1):
    data = bytes((i * 7) & 0xff for i in range(size))
    icmp = struct.pack('!BBHHH', 8, 0, 0, ident, seq) + data
    icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + icmp


def gre(inner, key=9, flags=0x2000, proto=0x0800):
    h = struct.pack('!HH', flags, proto)
    if flags & 0x2000:
        h += struct.pack('!I', key)
    return h + inner


def esp(spi, seq, payload, key, nh=47, pad=None, padlen=None):
    n = (-(len(payload) + 2)) % 4
    pad = bytes(range(1, n + 1)) if pad is None else pad
    padlen = len(pad) if padlen is None else padlen
    body = struct.pack('!II', spi, seq) + payload + pad + bytes([padlen, nh])
    return body + hmac.new(key, body, hashlib.sha1).digest()[:12]


def main():
    dst, spi, key, case = sys.argv[1], int(sys.argv[2], 0), bytes.fromhex(sys.argv[3]), sys.argv[4]
    seq = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    count = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
    s.setsockopt(socket.IPPROTO_IP, 10, 0)      # IP_MTU_DISCOVER: IP_PMTUDISC_DONT
    inner = icmp_echo('10.1.1.1', '10.1.1.2')
    pkts = []
    if case == 'valid':
        pkts.append(esp(spi, seq, gre(inner), key))
    elif case == 'big':
        pkts.append(esp(spi, seq, gre(icmp_echo('10.1.1.1', '10.1.1.2', size=3900)), key))
    elif case == 'truncated':
        pkts.append(esp(spi, seq, gre(inner), key)[:13])
    elif case == 'badicv':
        p = bytearray(esp(spi, seq, gre(inner), key))
        p[-1] ^= 1
        pkts.append(bytes(p))
    elif case == 'badpad':
        # 31 data bytes: GRE + IPv4 + ICMP make 67, so 3 pad bytes; the 2nd is wrong
        pkts.append(esp(spi, seq, gre(icmp_echo('10.1.1.1', '10.1.1.2', size=31)), key,
                        pad=b'\x01\x09\x03'))
    elif case == 'badpadlen':
        pkts.append(esp(spi, seq, gre(inner), key, padlen=250))
    elif case == 'wrongkey':
        pkts.append(esp(spi, seq, gre(inner, key=10), key))
    elif case == 'nokey':
        pkts.append(esp(spi, seq, gre(inner, flags=0), key))
    elif case == 'routing':
        pkts.append(esp(spi, seq, gre(inner, flags=0x6000), key))
    elif case == 'version1':
        pkts.append(esp(spi, seq, gre(inner, flags=0x2001), key))
    elif case == 'nexthdr':
        pkts.append(esp(spi, seq, inner, key, nh=4))
    elif case == 'garbage':
        rnd = random.Random(seq)
        for _ in range(count):
            n = rnd.randrange(8, 200)
            pkts.append(struct.pack('!I', spi) + bytes(rnd.randrange(256) for _ in range(n - 4)))
    else:
        sys.exit('unknown case ' + case)
    for i, p in enumerate(pkts):
        s.sendto(p, (dst, 0))
        if i % 50 == 49:
            os.sched_yield()
            __import__('time').sleep(0.02)


main()

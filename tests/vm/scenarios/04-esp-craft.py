#!/usr/bin/env python3
"""Hand-made ESP for 04-hostile-input.sh (RFC 4303 transport mode around
GRE, NULL encryption (RFC 2410) + HMAC-SHA1-96 (RFC 2404), so a valid ICV
needs no cipher), sent from a raw IPPROTO_ESP socket: the kernel adds the
IPv4 header and fragments what does not fit.

  04-esp-craft.py [options] DST SPI AUTHKEY-HEX CASE [SEQ]
  04-esp-craft.py serve       (the same arguments, one command per line)
  04-esp-craft.py selftest

CASE is one of CASES below.  --reply SPI: after sending, wait for the echo
reply coming back as ESP with that SPI and check all of it (ICV, padding,
GRE, inner addresses, ICMP id/seq/data); exit 1 if it does not come.
--save FILE writes the first packet's ESP bytes, "resend FILE" sends them
again unchanged.
"""
import argparse
import hashlib
import hmac
import random
import select
import shlex
import socket
import struct
import sys
import time

IPPROTO_ESP = 50
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
ICV_LEN = 12
ECHO_ID = 0x4d47


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def icmp_echo(src, dst, size=32, seq=1, itype=8):
    data = bytes((i * 7) & 0xff for i in range(size))
    icmp = struct.pack('!BBHHH', itype, 0, 0, ECHO_ID, seq) + data
    icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), seq & 0xffff, 0,
                      64, 1, 0, socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + icmp


def gre(inner, key, flags=0x2000, proto=0x0800):
    h = struct.pack('!HH', flags, proto)
    if flags & 0x2000:
        h += struct.pack('!I', key)
    return h + inner


def esp(spi, seq, payload, akey, nh=47, pad=None, padlen=None):
    """SPI | seq | payload | pad 1,2,3.. | pad length | next header | ICV,
    the payload and trailer a multiple of 4 bytes (NULL's block size)."""
    n = (-(len(payload) + 2)) % 4
    pad = bytes(range(1, n + 1)) if pad is None else pad
    padlen = len(pad) if padlen is None else padlen
    body = struct.pack('!II', spi, seq) + payload + pad + bytes([padlen, nh])
    return body + hmac.new(akey, body, hashlib.sha1).digest()[:ICV_LEN]


def build(case, spi, seq, akey, gkey, osrc, odst, count=1):
    """The packets (ESP bytes, from the SPI on) of one case."""
    inner = icmp_echo(osrc, odst, seq=seq & 0xffff)
    if case == 'valid':
        return [esp(spi, seq, gre(inner, gkey), akey)]
    if case == 'big':           # ~4000 bytes: fragmented by the sender's IP layer
        return [esp(spi, seq, gre(icmp_echo(osrc, odst, size=3900, seq=seq & 0xffff), gkey), akey)]
    if case == 'truncated':     # ESP header and 5 bytes: no room for trailer and ICV
        return [esp(spi, seq, gre(inner, gkey), akey)[:13]]
    if case == 'short':         # not even a whole ESP header (SPI and 2 bytes)
        return [struct.pack('!I', spi) + b'\0\1']
    if case == 'badicv':
        p = bytearray(esp(spi, seq, gre(inner, gkey), akey))
        p[-1] ^= 0x01
        return [bytes(p)]
    if case == 'badpad':        # 67 payload bytes -> 3 pad bytes, the 2nd wrong; ICV valid
        big = gre(icmp_echo(osrc, odst, size=31, seq=seq & 0xffff), gkey)
        assert (len(big) + 2) % 4 == 1
        return [esp(spi, seq, big, akey, pad=b'\x01\x09\x03')]
    if case == 'badpadlen':     # pad length pointing before the payload; ICV valid
        return [esp(spi, seq, gre(inner, gkey), akey, padlen=250)]
    if case == 'wrongkey':
        return [esp(spi, seq, gre(inner, gkey + 1), akey)]
    if case == 'nokey':
        return [esp(spi, seq, gre(inner, gkey, flags=0), akey)]
    if case == 'routing':       # R bit (RFC 1701 routing, deprecated by RFC 2784)
        return [esp(spi, seq, gre(inner, gkey, flags=0x6000), akey)]
    if case == 'version1':      # version 1 is PPTP's enhanced GRE
        return [esp(spi, seq, gre(inner, gkey, flags=0x2001), akey)]
    if case == 'nexthdr':       # IP-in-IP (4) instead of GRE (47)
        return [esp(spi, seq, inner, akey, nh=4)]
    if case == 'garbage':
        # our SPI, a random sequence number right of any window these tests
        # reach (so the replay check lets it through to the ICV check), then
        # 0..400 random bytes: some too short, some misaligned, most with a
        # random "ICV".  Seeded by SEQ, so the same every run.
        rnd = random.Random(seq)
        out = []
        for _ in range(count):
            n = rnd.randrange(0, 400)
            out.append(struct.pack('!II', spi, rnd.randrange(1 << 20, 1 << 32)) +
                       bytes(rnd.getrandbits(8) for _ in range(n)))
        return out
    raise SystemExit('unknown case ' + case)


CASES = ('valid', 'big', 'truncated', 'short', 'badicv', 'badpad', 'badpadlen',
         'wrongkey', 'nokey', 'routing', 'version1', 'nexthdr', 'garbage')


# An independent reading of what we send and receive: every property is
# checked separately and reported by name, so the self test can show that
# each hostile case breaks exactly the property it means to.

def sum16(b):
    """Ones' complement sum, folded; 0xffff for data with a correct checksum."""
    if len(b) & 1:
        b = b + b'\0'
    t = 0
    for i in range(0, len(b), 2):
        t += (b[i] << 8) | b[i + 1]
        while t > 0xffff:
            t = (t & 0xffff) + (t >> 16)
    return t


def parse(p, akey, gkey):
    """Dict of facts about ESP bytes p, and the list of broken properties."""
    bad, f = [], {}
    if len(p) < 8:
        return f, ['header']
    f['spi'], f['seq'] = struct.unpack('!II', p[:8])
    if len(p) < 8 + 2 + ICV_LEN:
        return f, ['length']
    body, icv = p[:-ICV_LEN], p[-ICV_LEN:]
    if not hmac.compare_digest(hmac.new(akey, body, hashlib.sha1).digest()[:ICV_LEN], icv):
        bad.append('icv')
    if (len(body) - 8) % 4:
        bad.append('alignment')
    padlen, nh = body[-2], body[-1]
    f['nh'] = nh
    if nh != 47:
        bad.append('nexthdr')
    if 8 + padlen + 2 > len(body):
        return f, bad + ['padlen']
    pad = body[len(body) - 2 - padlen:-2]
    if list(pad) != list(range(1, padlen + 1)):
        bad.append('pad')
    g = body[8:len(body) - 2 - padlen]
    if nh != 47:
        return f, bad
    if len(g) < 4:
        return f, bad + ['gre']
    flags, proto = struct.unpack('!HH', g[:4])
    f['gre_flags'] = flags
    if flags != 0x2000:
        bad.append('gre_flags')
        return f, bad
    if proto != 0x0800:
        bad.append('gre_proto')
    if struct.unpack('!I', g[4:8])[0] != gkey:
        bad.append('gre_key')
    ip = g[8:]
    if len(ip) < 20 or ip[0] != 0x45 or struct.unpack('!H', ip[2:4])[0] != len(ip):
        return f, bad + ['inner_ip']
    if sum16(ip[:20]) != 0xffff:
        bad.append('inner_ip_csum')
    f['src'], f['dst'] = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
    if ip[9] != 1 or sum16(ip[20:]) != 0xffff:
        bad.append('icmp')
    else:
        f['icmp'] = struct.unpack('!BBHHH', ip[20:28])
        f['data'] = ip[28:]
    return f, bad


def selftest():
    akey = bytes.fromhex('0102030405060708090a0b0c0d0e0f1011121314')
    # RFC 2202 test case 2: the HMAC-SHA1 we use is the one the RFC means
    assert hmac.new(b'Jefe', b'what do ya want for nothing?', hashlib.sha1).hexdigest() == \
        'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'
    want = {'valid': [], 'big': [], 'badicv': ['icv'], 'badpad': ['pad'],
            'badpadlen': ['padlen'], 'wrongkey': ['gre_key'], 'nokey': ['gre_flags'],
            'routing': ['gre_flags'], 'version1': ['gre_flags'], 'nexthdr': ['nexthdr'],
            'truncated': ['length'], 'short': ['header']}
    for case, w in want.items():
        for seq in (1, 1000, 0xfffffffe):
            (p,) = build(case, 0x4242, seq, akey, 9, '10.1.1.1', '10.1.1.2')
            f, bad = parse(p, akey, 9)
            assert bad == w, (case, seq, bad)
            if case in ('valid', 'big'):
                assert f['spi'] == 0x4242 and f['seq'] == seq, f
                assert (f['src'], f['dst']) == ('10.1.1.1', '10.1.1.2'), f
                assert f['icmp'][0] == 8 and f['icmp'][3] == ECHO_ID, f
    (v,) = build('valid', 0x4242, 1000, akey, 9, '10.1.1.1', '10.1.1.2')
    assert build('valid', 0x4242, 1000, akey, 9, '10.1.1.1', '10.1.1.2') == [v]
    assert len(build('big', 1, 1, akey, 9, '10.1.1.1', '10.1.1.2')[0]) > 3900
    g = build('garbage', 0x4242, 7, akey, 9, '10.1.1.1', '10.1.1.2', 2000)
    assert len(g) == 2000 and all(p[:4] == b'\0\0\x42\x42' for p in g)
    assert len({len(p) for p in g}) > 300 and min(len(p) for p in g) == 8
    assert sum(not parse(p, akey, 9)[1] for p in g) == 0
    print('selftest ok')


def wait_reply(rs, peer, spi, akey, gkey, osrc, odst, seq, timeout=3.0):
    """The echo reply to what we sent, as ESP from peer with SPI spi."""
    end = time.monotonic() + timeout
    seen = []
    while time.monotonic() < end:
        r, _, _ = select.select([rs], [], [], max(0.0, end - time.monotonic()))
        if not r:
            break
        pkt, addr = rs.recvfrom(65535)
        ihl = (pkt[0] & 0xf) * 4
        p = pkt[ihl:]
        if addr[0] != peer or len(p) < 8 or struct.unpack('!I', p[:4])[0] != spi:
            continue
        f, bad = parse(p, akey, gkey)
        seen.append('seq %s: %s' % (f.get('seq'), ','.join(bad) or 'ok'))
        if bad:
            print('reply from %s SPI 0x%x: broken %s' % (peer, spi, bad))
            continue
        want_data = bytes((i * 7) & 0xff for i in range(32))
        if (f['src'], f['dst']) == (odst, osrc) and f['icmp'][:2] == (0, 0) and \
                f['icmp'][3:] == (ECHO_ID, seq & 0xffff) and f['data'] == want_data:
            print('echo reply: ESP SPI 0x%x seq %d, ICV and padding good, GRE key %d, '
                  '%s -> %s' % (spi, f['seq'], gkey, f['src'], f['dst']))
            return True
    print('no echo reply as ESP SPI 0x%x from %s; seen: %s' % (spi, peer, seen or 'nothing'))
    return False


def drain(rs):
    while select.select([rs], [], [], 0)[0]:
        rs.recvfrom(65535)


class Usage(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Usage(message)


def run(argv, s, rs):
    """One command: build, send, maybe wait for the reply.  True if done."""
    ap = Parser(prog='04-esp-craft.py')
    ap.add_argument('dst')
    ap.add_argument('spi', type=lambda v: int(v, 0))
    ap.add_argument('akey', type=bytes.fromhex)
    ap.add_argument('case', choices=CASES + ('resend',))
    ap.add_argument('seq', type=int, nargs='?', default=1)
    ap.add_argument('--count', type=int, default=1)
    ap.add_argument('--gre-key', type=int, default=9)
    ap.add_argument('--from', dest='osrc', default='10.1.1.1')
    ap.add_argument('--to', dest='odst', default='10.1.1.2')
    ap.add_argument('--reply', type=lambda v: int(v, 0))
    ap.add_argument('--save')
    a = ap.parse_args(argv)

    if a.case == 'resend':
        with open(a.save, 'rb') as fh:
            pkts = [fh.read()]
    else:
        pkts = build(a.case, a.spi, a.seq, a.akey, a.gre_key, a.osrc, a.odst, a.count)
        if a.save:
            with open(a.save, 'wb') as fh:
                fh.write(pkts[0])
    drain(rs)
    for i, p in enumerate(pkts):
        s.sendto(p, (a.dst, 0))
        if i % 50 == 49:        # let the receiver's backlog drain
            time.sleep(0.02)
    print('sent %d packet(s), %d bytes' % (len(pkts), sum(map(len, pkts))))
    if a.reply is not None:
        return wait_reply(rs, a.dst, a.reply, a.akey, a.gre_key, a.osrc, a.odst, a.seq)
    return True


def main():
    if sys.argv[1:] == ['selftest']:
        selftest()
        return 0
    rs = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_ESP)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_ESP)
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    if sys.argv[1:] != ['serve']:
        try:
            return 0 if run(sys.argv[1:], s, rs) else 1
        except Usage as e:
            sys.exit('usage: ' + __doc__.split('\n\n')[1] + '\n' + str(e))
    # serve: one command line per input line (the arguments above), answered
    # by "OK" or "FAIL", so that the scenario starts python only once
    for line in sys.stdin:
        try:
            ok = run(shlex.split(line), s, rs)
        except (Usage, OSError, ValueError) as e:
            print('error: %s' % e)
            ok = False
        print('OK' if ok else 'FAIL', flush=True)
    return 0


sys.exit(main())

#!/usr/bin/env python3
"""Check a decoded underlay capture (tshark -T fields output, see
scenarios/03-wire-tshark.sh) for one property; exit 0 if it holds.
Usage: tshark-check.py FILE PROPERTY [ARGS]"""
import ipaddress
import sys

COLS = ['frame', 'spi', 'seq', 'good', 'bad', 'key', 'proto', 'src', 'dst', 'icmp',
        'malformed', 'severity']
ERROR = ('8388608', '0x00800000', 'Error', 'error')  # PI_ERROR


def rows(path):
    out = []
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        out.append(dict(zip(COLS, f + [''] * (len(COLS) - len(f)))))
    return out


def main():
    r = rows(sys.argv[1])
    prop = sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    true = ('1', 'True', 'true')
    if prop == 'frames':
        got = len(r)
    elif prop == 'esp':
        got = sum(1 for x in r if x['spi'])
    elif prop == 'icv-good':
        got = sum(1 for x in r if x['good'] in true)
    elif prop == 'icv-bad':
        got = sum(1 for x in r if x['bad'] in true)
    elif prop == 'gre-key0-ipv4':
        got = sum(1 for x in r if x['key'] in ('0', '0x00000000') and
                  x['proto'] in ('0x0800', '2048') and
                  ipaddress.ip_address(x['src'].split(',')[-1]) in
                  ipaddress.ip_network('192.168.1.0/24'))
    elif prop == 'echo-from':
        got = sum(1 for x in r if x['icmp'] == '8' and x['src'].split(',')[-1] == sys.argv[4])
    elif prop == 'reply-to':
        got = sum(1 for x in r if x['icmp'] == '0' and x['dst'].split(',')[-1] == sys.argv[4])
    elif prop == 'malformed':
        got = sum(1 for x in r if x['malformed'] or
                  any(v in ERROR for v in x['severity'].split(',')))
    elif prop == 'seq-in-order':
        last, bad = {}, 0
        for x in r:
            s = int(x['seq'] or 0)
            if s != last.get(x['spi'], 0) + 1:
                print('spi %s: %d after %d' % (x['spi'], s, last.get(x['spi'], 0)))
                bad += 1
            last[x['spi']] = s
        got, n = bad, 0
    else:
        sys.exit('unknown property ' + prop)
    print('%s: %d (want %d)' % (prop, got, n))
    sys.exit(0 if got == n else 1)


main()

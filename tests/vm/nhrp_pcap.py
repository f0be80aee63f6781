#!/usr/bin/env python3
"""NHRP packets out of a capture, for tshark.

   nhrp_pcap.py IN.pcap OUT.pcap

IN is what `tcpdump -i any` wrote in the namespaces of a scenario (Linux
cooked capture, SLL or SLL2): the NHRP packets dmvpnd sent and received on
its mGRE device, protocol 0x2001, without their IP and GRE headers (the
packet socket's view).  OUT holds each of them again as IPv4 + GRE + NHRP
(LINKTYPE_RAW), which tshark dissects as NHRP.  Prints the number kept.
"""
import struct
import sys


def packets(data):
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        yield linktype, data[off + 16:off + 16 + incl]
        off += 16 + incl


def nhrp_of(linktype, pkt):
    if linktype == 113 and len(pkt) >= 16:  # SLL: protocol at 14
        proto, body = struct.unpack(">H", pkt[14:16])[0], pkt[16:]
    elif linktype == 276 and len(pkt) >= 20:  # SLL2: protocol at 0
        proto, body = struct.unpack(">H", pkt[0:2])[0], pkt[20:]
    else:
        return None
    if proto != 0x2001:
        return None
    # an outgoing packet may still carry the IP + GRE header the device made
    if len(body) >= 24 and body[0] == 0x45 and body[9] == 47:
        gre = body[(body[0] & 15) * 4:]
        flags = struct.unpack(">H", gre[0:2])[0]
        hlen = 4 + 4 * bool(flags & 0x8000) + 4 * bool(flags & 0x2000) + 4 * bool(flags & 0x1000)
        body = gre[hlen:]
    return body


def wrap(nhrp):
    gre = struct.pack(">HH", 0, 0x2001)
    total = 20 + len(gre) + len(nhrp)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 64, 47, 0,
                     bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    return ip + gre + nhrp


def main():
    data = open(sys.argv[1], "rb").read()
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101)]
    n = 0
    for lt, pkt in packets(data):
        body = nhrp_of(lt, pkt)
        if body is None:
            continue
        p = wrap(body)
        out.append(struct.pack("<IIII", n, 0, len(p), len(p)) + p)
        n += 1
    open(sys.argv[2], "wb").write(b"".join(out))
    print(n)


main()

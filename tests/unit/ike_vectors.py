#!/usr/bin/env python3
"""Known answers for tests/unit/test_ike_crypto.c, computed independently
of dmvpnd with Python's hmac and hashlib straight from RFC 2409 (section 5,
5.5 and appendix B).  Prints C initialisers; the inputs are those of the
NIST CAVS IKEv1 PSK SHA-1 case (COUNT = 0), reused with other hashes."""
import hashlib, hmac

H = lambda s: bytes.fromhex(s)
CKY_I, CKY_R = H("83d374c30b3b5082"), H("5afc0da06c728029")
NI, NR = H("b9a2d0e922dc66dd"), H("2130166863b5ddef")
GXY = H("739003ba2c11c982946c65e26acf661fbf8ebb78011a9fead79efa12fe3e71cc")
PSK = H("75")
GXI, GXR = bytes(range(1, 97)), bytes(range(101, 197))   # two 96-byte "public values"


def prf(h, k, *m):
    return hmac.new(k, b"".join(m), h).digest()


def p1(h, enc_len):
    skeyid = prf(h, PSK, NI, NR)
    d = prf(h, skeyid, GXY, CKY_I, CKY_R, b"\0")
    a = prf(h, skeyid, d, GXY, CKY_I, CKY_R, b"\1")
    e = prf(h, skeyid, a, GXY, CKY_I, CKY_R, b"\2")
    if enc_len <= len(e):
        ka = e[:enc_len]
    else:
        k = prf(h, e, b"\0")
        ka = k
        while len(ka) < enc_len:
            k = prf(h, e, k)
            ka += k
        ka = ka[:enc_len]
    return skeyid, d, a, e, ka


def keymat(h, d, gqm, proto, spi, need):
    k, out = b"", b""
    while len(out) < need:
        k = prf(h, d, k, gqm, bytes([proto]), spi.to_bytes(4, "big"), NI, NR)
        out += k
    return out[:need]


def c(name, b):
    print('static const char %s[] = "%s";' % (name, b.hex()))


for hname, enc_len, blk in (("sha1", 24, 8), ("sha256", 32, 16), ("md5", 32, 16)):
    h = getattr(hashlib, hname)
    s, d, a, e, ka = p1(h, enc_len)
    for n, v in (("skeyid", s), ("d", d), ("a", a), ("e", e), ("ka", ka)):
        c("%s_%s" % (hname, n), v)
    c("%s_hash_i" % hname, prf(h, s, GXI, GXR, CKY_I, CKY_R, b"SAi_b", b"IDii_b"))
    c("%s_iv" % hname, h(GXI + GXR).digest()[:16])
    c("%s_p2iv" % hname, h(H("00112233445566778899aabbccddeeff")[:blk] + (0x9bc7cb3a).to_bytes(4, "big")).digest()[:16])
    c("%s_keymat" % hname, keymat(h, d, b"", 3, 0xea8c83c1, 44))
    c("%s_keymat_pfs" % hname, keymat(h, d, GXR, 3, 0x6e42707e, 36))

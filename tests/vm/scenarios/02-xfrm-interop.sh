#!/bin/bash
# 02: interop.  A runs mgre; B runs stock ip_gre in NBMA mode protected by
# an XFRM transport-mode SA pair and policy with the same keys.  Traffic
# must flow both ways for CBC+HMAC and GCM.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

A=10.0.0.1 B=10.0.0.2 A_O=10.1.1.1 B_O=10.1.1.2
EK=00112233445566778899aabbccddeeff
AK=0102030405060708090a0b0c0d0e0f1011121314
GK=000102030405060708090a0b0c0d0e0f10111213

xfrm_b() {
	local enc=("$@")
	ip -n b xfrm state flush
	ip -n b xfrm policy flush
	ip -n b xfrm state add src $B dst $A proto esp spi 0x2001 mode transport "${enc[@]}" &&
	ip -n b xfrm state add src $A dst $B proto esp spi 0x2002 mode transport "${enc[@]}" &&
	ip -n b xfrm policy add src $B dst $A proto gre dir out \
		tmpl src $B dst $A proto esp mode transport &&
	ip -n b xfrm policy add src $A dst $B proto gre dir in \
		tmpl src $A dst $B proto esp mode transport
}

check "modprobe mgre" modprobe mgre
check "modprobe ip_gre esp4 xfrm_user" modprobe -a ip_gre esp4 xfrm_user
wan_up
node a "$A/24"
node b "$B/24"
check "mgre on A" mgre_dev a $A $A_O/24 key 7
nhrp_map a $B_O $B
check "ip_gre NBMA on B" ip -n b tunnel add gre1 mode gre local $B key 7 ttl 64
ip -n b addr add $B_O/24 dev gre1
ip -n b link set gre1 up
ip -n b neigh replace $A_O lladdr $A dev gre1 nud permanent

check "cbc: XFRM SAs and policies on B" \
	xfrm_b enc 'cbc(aes)' 0x$EK auth-trunc 'hmac(sha1)' 0x$AK 96
check "cbc: mgre SAs on A" ctl a sa add dev dmvpn0 nbma $B dir out spi 0x2002 \
	enc aes enc-key $EK auth sha1 auth-key $AK
check "cbc: mgre inbound SA on A" ctl a sa add dev dmvpn0 nbma $B dir in spi 0x2001 \
	enc aes enc-key $EK auth sha1 auth-key $AK
check "cbc: mgre -> ip_gre+XFRM" ip netns exec a ping -c 3 -i 0.2 -W 2 $B_O
check "cbc: ip_gre+XFRM -> mgre" ip netns exec b ping -c 3 -i 0.2 -W 2 $A_O
check "cbc: XFRM decrypted our packets" \
	sh -c "ip -n b -s xfrm state get src $A dst $B proto esp spi 0x2002 | grep -Eq '[1-9][0-9]*\(bytes\), [1-9][0-9]*\(packets\)'"
check "cbc: we decrypted XFRM's packets" test "$(peer_stat a $B rx_packets)" -ge 3

check "gcm: XFRM SAs" xfrm_b aead 'rfc4106(gcm(aes))' 0x$GK 128
check "gcm: flush mgre" ctl a flush dev dmvpn0
check "gcm: mgre SAs" ctl a sa add dev dmvpn0 nbma $B dir out spi 0x2002 enc aes-gcm enc-key $GK
check "gcm: mgre inbound SA" ctl a sa add dev dmvpn0 nbma $B dir in spi 0x2001 enc aes-gcm enc-key $GK
check "gcm: mgre -> ip_gre+XFRM" ip netns exec a ping -c 3 -i 0.2 -W 2 $B_O
check "gcm: ip_gre+XFRM -> mgre" ip netns exec b ping -c 3 -i 0.2 -W 2 $A_O

check "3des-md5: XFRM SAs" xfrm_b enc 'cbc(des3_ede)' 0x${EK}0011223344556677 \
	auth-trunc 'hmac(md5)' 0x$EK 96
check "3des-md5: flush mgre" ctl a flush dev dmvpn0
check "3des-md5: mgre SAs" ctl a sa add dev dmvpn0 nbma $B dir out spi 0x2002 \
	enc 3des enc-key ${EK}0011223344556677 auth md5 auth-key $EK
check "3des-md5: mgre inbound SA" ctl a sa add dev dmvpn0 nbma $B dir in spi 0x2001 \
	enc 3des enc-key ${EK}0011223344556677 auth md5 auth-key $EK
check "3des-md5: mgre -> ip_gre+XFRM" ip netns exec a ping -c 3 -i 0.2 -W 2 $B_O
check "3des-md5: ip_gre+XFRM -> mgre" ip netns exec b ping -c 3 -i 0.2 -W 2 $A_O

# ip_gre, esp4 and an XFRM state on the same host as mgre: an XFRM SA in
# namespace a itself keeps working next to ours (SPIs not ours pass through).
check "coexistence: XFRM SA next to mgre in one namespace" \
	ip -n a xfrm state add src $B dst $A proto esp spi 0x3001 mode transport \
		enc 'cbc(aes)' 0x$EK auth-trunc 'hmac(sha1)' 0x$AK 96
nodes_down
finish

#!/bin/bash
# 02: interop.  A runs mgre; B runs stock ip_gre in NBMA mode protected by
# an XFRM transport-mode SA pair and policy with the same keys.  Traffic
# must flow both ways for CBC+HMAC and GCM.  Then tunnel mode, seed 002's
# esp-3des esp-md5-hmac without "mode transport": XFRM tunnel-mode SAs
# with GRE selectors between the two NBMA addresses against mgre's
# tunnel-mode SAs, both ways, and tshark decrypting the capture: ESP next
# header 4, an inner IPv4 header between the same addresses, GRE in it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

A=10.0.0.1 B=10.0.0.2 A_O=10.1.1.1 B_O=10.1.1.2
EK=00112233445566778899aabbccddeeff
AK=0102030405060708090a0b0c0d0e0f1011121314
GK=000102030405060708090a0b0c0d0e0f10111213

xfrm_b() {	# [MODE=tunnel] xfrm_b ALGORITHM...
	local enc=("$@") mode=${MODE:-transport}
	ip -n b xfrm state flush
	ip -n b xfrm policy flush
	ip -n b xfrm state add src $B dst $A proto esp spi 0x2001 mode "$mode" "${enc[@]}" &&
	ip -n b xfrm state add src $A dst $B proto esp spi 0x2002 mode "$mode" "${enc[@]}" &&
	ip -n b xfrm policy add src $B dst $A proto gre dir out \
		tmpl src $B dst $A proto esp mode "$mode" &&
	ip -n b xfrm policy add src $A dst $B proto gre dir in \
		tmpl src $A dst $B proto esp mode "$mode"
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

# tunnel mode (seed 002's transform set as IOS negotiates it)
K24=${EK}0011223344556677
xfrm_b_tunnel() { MODE=tunnel xfrm_b "$@"; }
check "tunnel: XFRM tunnel-mode SAs, GRE selectors" \
	xfrm_b_tunnel enc 'cbc(des3_ede)' 0x$K24 auth-trunc 'hmac(md5)' 0x$EK 96
check "tunnel: flush mgre" ctl a flush dev dmvpn0
check "tunnel: mgre tunnel-mode SAs" ctl a sa add dev dmvpn0 nbma $B dir out spi 0x2002 \
	enc 3des enc-key $K24 auth md5 auth-key $EK mode tunnel
check "tunnel: mgre inbound tunnel-mode SA" ctl a sa add dev dmvpn0 nbma $B dir in spi 0x2001 \
	enc 3des enc-key $K24 auth md5 auth-key $EK mode tunnel
check "tunnel: sa show says mode tunnel" sh -c "ip netns exec a $DMVPNCTL sa show dev dmvpn0 | grep -c 'mode tunnel' | grep -qx 2"
CAP=$TMPDIR/02-tunnel.pcap
capture b eth0 "$CAP" esp
check "tunnel: mgre -> ip_gre+XFRM" ip netns exec a ping -c 3 -i 0.2 -W 2 $B_O
check "tunnel: ip_gre+XFRM -> mgre" ip netns exec b ping -c 3 -i 0.2 -W 2 $A_O
capture_stop
check "tunnel: XFRM decrypted our packets" \
	sh -c "ip -n b -s xfrm state get src $A dst $B proto esp spi 0x2002 | grep -Eq '[1-9][0-9]*\(bytes\), [1-9][0-9]*\(packets\)'"
check "tunnel: we decrypted XFRM's packets" test "$(peer_stat a $B rx_packets)" -ge 3
check "tunnel: no GRE errors (next header 4 taken)" test "$(peer_stat a $B gre_err)" -eq 0
# tshark with both SAs' keys: every frame ESP with a good ICV, next header
# 4, the inner IPv4 header between the outer addresses, GRE key 7 inside
tunnel_decode() {
	local u='"TripleDES-CBC [RFC2451]","0x'$K24'","HMAC-MD5-96 [RFC2403]","0x'$EK'"'
	tshark -n -r "$CAP" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE \
		-o "uat:esp_sa:\"IPv4\",\"$A\",\"$B\",\"0x00002002\",$u" \
		-o "uat:esp_sa:\"IPv4\",\"$B\",\"$A\",\"0x00002001\",$u" \
		-T fields -E occurrence=a -E aggregator=, -e ip.src -e ip.dst -e esp.icv_good \
		-e esp.protocol -e gre.key -e icmp.type -e _ws.malformed 2>/dev/null
}
# (ip.src and ip.dst list the outer, the inner and the overlay header's;
# tshark prints the next header and the key in hex: 0x04, 0x00000007)
tunnel_frames_ok() {
	local out
	out=$(tunnel_decode)
	echo "$out" | sed 's/^/#   /'
	echo "$out" | awk -F'\t' -v a=$A -v b=$B '{ split($1, s, ","); split($2, d, ",")
		if (s[1] != s[2] || d[1] != d[2] || $3 != "1" || $4 !~ /^(0x)?0*4$/ ||
		    $5 !~ /^(0x)?0*7$/ || $7 != "")
			bad++
		n[s[1]]++ }
		END { print "frames " NR ", from A " n[a] + 0 ", from B " n[b] + 0 ", bad " bad + 0
		      exit !(bad == 0 && n[a] >= 2 && n[b] >= 2) }'
}
check "tunnel: tshark: ESP next header 4, inner IPv4 = outer addresses, GRE key 7, ICVs good" \
	tunnel_frames_ok

# ip_gre, esp4 and an XFRM state on the same host as mgre: an XFRM SA in
# namespace a itself keeps working next to ours (SPIs not ours pass through).
check "coexistence: XFRM SA next to mgre in one namespace" \
	ip -n a xfrm state add src $B dst $A proto esp spi 0x3001 mode transport \
		enc 'cbc(aes)' 0x$EK auth-trunc 'hmac(sha1)' 0x$AK 96
nodes_down
finish

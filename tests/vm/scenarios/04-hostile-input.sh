#!/bin/bash
# 04: malformed and hostile ESP is dropped and counted, never crashes.
# Packets are made by hand (NULL encryption + HMAC-SHA1-96, so a valid ICV
# can be computed without a cipher) and sent from a raw socket.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

A=10.0.0.1 B=10.0.0.2
AK=0102030405060708090a0b0c0d0e0f1011121314
SPI=0x4242
CRAFT="$(dirname "$0")/../esp-craft.py"

send() { ip netns exec a python3 "$CRAFT" $B $SPI $AK "$@"; }
stat() { peer_stat b $A "$1"; }
# moved FIELD N CASE [SEQ] [COUNT]: sending CASE moves counter FIELD by N
moved() {
	local field=$1 n=$2 before after
	shift 2
	before=$(stat "$field")
	send "$@" || return 1
	sleep 0.3
	after=$(stat "$field")
	echo "$field: $before -> $after (want +$n)"
	[ $((after - before)) -eq "$n" ]
}

check "modprobe mgre" modprobe mgre
wan_up
node a "$A/24"
node b "$B/24"
check "mgre on B" mgre_dev b $B 10.1.1.2/24 key 9
ip -n b link set dmvpn0 mtu 1400
nhrp_map b 10.1.1.1 $A
check "inbound SA on B (null + sha1)" ctl b sa add dev dmvpn0 nbma $A dir in spi $SPI \
	enc null auth sha1 auth-key $AK replay-window 64
check "outbound SA on B" ctl b sa add dev dmvpn0 nbma $A dir out spi 0x4343 \
	enc null auth sha1 auth-key $AK

check "a valid crafted packet is accepted (the crafting is right)" moved rx_packets 1 valid 1000
check "its echo reply goes back as ESP" test "$(stat tx_packets)" -ge 1
check "replay of the same packet: replay" moved replay 1 valid 1000
check "sequence number left of the window: replay" moved replay 1 valid 10
check "truncated ESP: invalid length" moved invalid_len 1 truncated 1001
check "bad ICV: verify failed" moved auth_fail 1 badicv 1002
check "bad padding bytes: invalid length" moved invalid_len 1 badpad 1003
check "pad length past the start: invalid length" moved invalid_len 1 badpadlen 1004
check "wrong GRE key: GRE error" moved gre_err 1 wrongkey 1005
check "GRE without the key: GRE error" moved gre_err 1 nokey 1006
check "GRE routing bit: GRE error" moved gre_err 1 routing 1007
check "GRE version 1: GRE error" moved gre_err 1 version1 1008
check "next header 4 instead of GRE: GRE error" moved gre_err 1 nexthdr 1009
unknown_spi() {
	local before after
	before=$(ctl b -j peer show dev dmvpn0 | md5sum)
	ip netns exec a python3 "$CRAFT" $B 0x9999 $AK valid 1 || return 1
	sleep 0.3
	after=$(ctl b -j peer show dev dmvpn0 | md5sum)
	[ "$before" = "$after" ]
}
check "unknown SPI: left to XFRM, none of our counters move" unknown_spi
check "a 4000-byte packet, fragmented on the wire, is reassembled and accepted" \
	moved rx_packets 1 big 1010
too_big() { ip netns exec b ping -c 1 -W 1 -M do -s 1450 10.1.1.1 2>&1 | grep -qi 'too long\|mtu'; }
check "oversized overlay ping with DF: refused locally" too_big
garbage() {
	local before after rx
	before=$(($(stat auth_fail) + $(stat invalid_len) + $(stat replay)))
	rx=$(stat rx_packets)
	send garbage 1 2000 || return 1
	sleep 1
	after=$(($(stat auth_fail) + $(stat invalid_len) + $(stat replay)))
	echo "dropped and counted: $((after - before)) of 2000; accepted: $(($(stat rx_packets) - rx))"
	[ $((after - before)) -ge 1900 ] && [ "$(stat rx_packets)" = "$rx" ]
}
check "2000 random packets with our SPI: dropped, counted, none accepted" garbage
check "still working afterwards" moved rx_packets 1 valid 1012
nodes_down
finish

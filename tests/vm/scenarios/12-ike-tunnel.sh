#!/bin/bash
# 12: tunnel mode through the kernel's own IPsec (XFRM), against charon.
# One dmvpnd on A holds a crypto map (seed 000: subnet proxies from an
# access list, tunnel mode, per-peer key) and an IPv6 VTI (seed 003:
# "tunnel mode ipsec ipv6", proxies ::/0, IKE over IPv6, key for
# "address ipv6 ::/0").  B is charon with the mirror image.  The VTI comes
# up on its own; traffic into the crypto map's access list makes the kernel
# ask (ACQUIRE); charon initiates too, with the same and with narrower
# proxies, and proxies outside the access list are refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../swan.sh"
. "$(dirname "$0")/../dmvpnd.sh"

A=10.0.0.1 B=10.0.0.2 A6=2001:db8::1 B6=2001:db8::2
PSK=$DMVPND_PSK
SW=$TMPDIR/12-swan
CAP=${RESULTS:-$TMPDIR}/12-ike.pcap

write_conf() {
	(
		umask 077
		cat >"$DMVPND_DIR/dmvpnd.conf" <<EOF
hostname A
crypto isakmp policy 10
 encr aes
 hash sha
 group 14
 authentication pre-share
crypto isakmp key $PSK address $B
crypto isakmp key $PSK address ipv6 ::/0
!
crypto ipsec transform-set myset esp-aes esp-sha-hmac
crypto ipsec transform-set TRA esp-aes esp-sha-hmac
 mode transport
crypto ipsec profile PRO
 set transform-set TRA
!
crypto map mymap 10 ipsec-isakmp
 set peer $B
 set transform-set myset
 match address 110
!
interface eth0
 ip address $A 255.255.255.0
 crypto map mymap
!
interface Tunnel23
 ipv6 address fd00:23::1/64
 tunnel source eth0
 tunnel mode ipsec ipv6
 tunnel destination $B6
 tunnel protection ipsec profile PRO
!
access-list 110 permit ip 10.1.1.0 0.0.0.255 172.16.1.0 0.0.0.255
access-list 110 permit ip 192.168.1.0 0.0.0.255 172.16.1.0 0.0.0.255
EOF
	)
}

swan_children() {
	cat >"$SW/swanctl.conf" <<EOF
connections {
	map {
		version = 1
		local_addrs = $B
		remote_addrs = $A
		proposals = aes128-sha1-modp2048
		local { auth = psk
			id = $B }
		remote { auth = psk
			id = $A }
		children {
			lan1 { mode = tunnel
				local_ts = 172.16.1.0/24
				remote_ts = 10.1.1.0/24
				esp_proposals = aes128-sha1 }
			lan2 { mode = tunnel
				local_ts = 172.16.1.0/24
				remote_ts = 192.168.1.0/24
				esp_proposals = aes128-sha1 }
			narrow { mode = tunnel
				local_ts = 172.16.1.1/32
				remote_ts = 10.1.1.1/32
				esp_proposals = aes128-sha1 }
			outside { mode = tunnel
				local_ts = 172.16.1.0/24
				remote_ts = 10.9.9.0/24
				esp_proposals = aes128-sha1 }
		}
	}
	vti {
		version = 1
		local_addrs = $B6
		remote_addrs = $A6
		proposals = aes128-sha1-modp2048
		local { auth = psk
			id = $B6 }
		remote { auth = psk
			id = $A6 }
		children {
			vti { mode = tunnel
				local_ts = ::/0
				remote_ts = ::/0
				if_id_in = 23
				if_id_out = 23
				esp_proposals = aes128-sha1 }
		}
	}
}
secrets {
	ike-map { id-l = $B
		id-r = $A
		secret = "$PSK" }
	ike-vti { id-l = $B6
		id-r = $A6
		secret = "$PSK" }
}
EOF
	swan_ctl "$SW" --load-all --file "$SW/swanctl.conf"
}

sa_json() { dshow -j show crypto ipsec sa; }
# sas_where FIELD VALUE: how many of dmvpnd's pairs have it
sas_where() {
	sa_json | python3 -c 'import json,sys
print(sum(1 for s in json.load(sys.stdin) if str(s[sys.argv[1]]) == sys.argv[2]))' "$1" "$2"
}
has_sa() {	# has_sa FIELD VALUE [N]: at least N (1) such pairs, both SAs in XFRM
	local n
	n=$(sa_json | python3 -c 'import json,sys
print(sum(1 for s in json.load(sys.stdin) if str(s[sys.argv[1]]) == sys.argv[2] and s["in_kernel"]))' "$1" "$2")
	echo "$n pairs with $1 $2"
	[ "$n" -ge "${3:-1}" ]
}
pings_from() { ip netns exec "$1" ping -I "$2" -c "$4" -i 0.2 -W 2 "$3"; }
tunnel_states() {	# tunnel_states NS PATTERN: ESP tunnel-mode states matching
	ip -n "$1" xfrm state | grep -A3 "$2" | grep -c 'mode tunnel'
}
encaps_at_least() {	# the map pair's outbound counter from XFRM
	local n
	n=$(sa_json | python3 -c 'import json,sys
print(max([s["pkts_encaps"] for s in json.load(sys.stdin) if s["interface"] == sys.argv[1]] or [0]))' "$1")
	echo "$n packets encapsulated"
	[ "$n" -ge "$2" ]
}
tshark_ok() {
	local n n6 bad
	n=$(tshark -n -r "$CAP" -Y isakmp 2>/dev/null | wc -l)
	n6=$(tshark -n -r "$CAP" -Y 'isakmp && ipv6' 2>/dev/null | wc -l)
	bad=$(tshark -n -r "$CAP" -Y '_ws.malformed || _ws.expert.severity >= 8388608' 2>/dev/null | wc -l)
	echo "$n ISAKMP packets ($n6 over IPv6), $bad malformed or with expert errors"
	[ "$n" -ge 20 ] && [ "$n6" -ge 9 ] && [ "$bad" -eq 0 ]
}

check "modprobe xfrm_user xfrm_interface esp4 esp6" \
	modprobe -a xfrm_user xfrm_interface esp4 esp6
wan_up
node a "$A/24"
node b "$B/24"
ip -n a -6 addr add $A6/64 dev eth0 nodad
ip -n b -6 addr add $B6/64 dev eth0 nodad
for n in a b; do ip -n $n link add lan0 type dummy && ip -n $n link set lan0 up; done
ip -n a addr add 10.1.1.1/24 dev lan0
ip -n a addr add 192.168.1.1/24 dev lan0
ip -n b addr add 172.16.1.1/24 dev lan0
ip -n a route add 172.16.1.0/24 via $B
ip -n b route add 10.1.1.0/24 via $A
ip -n b route add 192.168.1.0/24 via $A
check "an XFRM interface on A (if_id 23)" \
	ip -n a link add Tunnel23 type xfrm dev eth0 if_id 23
ip -n a -6 addr add fd00:23::1/64 dev Tunnel23 nodad
ip -n a link set Tunnel23 up
check "and on B" ip -n b link add ipsec23 type xfrm dev eth0 if_id 23
ip -n b -6 addr add fd00:23::2/64 dev ipsec23 nodad
ip -n b link set ipsec23 up
check "IPv6 underlay A -> B" ip netns exec a ping -6 -c 1 -W 5 $B6
check "charon on B" swan_start b "$SW"
check "charon config: a crypto map's children and a VTI over IPv6" swan_children
ip netns exec wan tcpdump -q -n -U --immediate-mode -i br0 -w "$CAP" udp port 500 \
	>/dev/null 2>"$CAP.tcpdump" &
TCPDUMP=$!
sleep 1

check "dmvpnd config (crypto map, access list, VTI)" write_conf
t0=$(date +%s%N)
dmvpnd_start a
check "dmvpnd starts" test -n "$DPID"
check "it installs the crypto map's policies (two lines, three directions)" \
	test "$(ip -n a xfrm policy | grep -c 'tmpl src')" -ge 6
# the VTI comes up on its own, over IPv6
check "VTI: dmvpnd brings it up, charon installs the CHILD_SA" swan_wait_child "$SW" vti 40
echo "# vti: dmvpnd start to CHILD_SA installed: $((($(date +%s%N) - t0) / 1000000)) ms"
check "VTI: a pair on Tunnel23, both SAs in XFRM" until_ok 10 has_sa interface Tunnel23
check "VTI: tunnel mode, IPv6 endpoints, if_id 23" \
	sh -c "ip -n a xfrm state | grep -A6 'src $B6 dst $A6' | grep -q 'mode tunnel' &&
		ip -n a xfrm state | grep -q 'if_id 0x17'"
check "VTI: A -> B through the XFRM interfaces" ip netns exec a ping -6 -c 5 -i 0.2 -W 2 fd00:23::2
check "VTI: B -> A" ip netns exec b ping -6 -c 3 -i 0.2 -W 2 fd00:23::1
check "VTI: show crypto ipsec sa counts them (XFRM)" encaps_at_least Tunnel23 5
check "VTI: proxies ::/0 both ways" \
	sh -c "ip netns exec a $DMVPNCTL -S $DMVPND_DIR/sock show crypto ipsec sa |
		grep -q 'local  ident (addr/mask/prot/port): (::/0/0/0)'"

# the crypto map: traffic into access list 110 makes the kernel ask
t0=$(date +%s%N)
pings_from a 10.1.1.1 172.16.1.1 1 >/dev/null 2>&1
check "map: dmvpnd initiates on the ACQUIRE, charon installs lan1" swan_wait_child "$SW" lan1 30
echo "# map: first packet to CHILD_SA installed: $((($(date +%s%N) - t0) / 1000000)) ms"
check "map: a pair for 10.1.1.0/24 <-> 172.16.1.0/24" \
	until_ok 10 has_sa local_ident 10.1.1.0/255.255.255.0/0/0
check "map: 10.1.1.1 -> 172.16.1.1 protected" pings_from a 10.1.1.1 172.16.1.1 5
check "map: 172.16.1.1 -> 10.1.1.1" pings_from b 172.16.1.1 10.1.1.1 3
check "map: tunnel-mode states on B for it" test "$(tunnel_states b "src $A dst $B")" -ge 1
check "map: show crypto ipsec sa: the crypto map tag" \
	sh -c "ip netns exec a $DMVPNCTL -S $DMVPND_DIR/sock show crypto ipsec sa |
		grep -q 'Crypto map tag: mymap, local addr $A'"
check "map: counted (XFRM)" encaps_at_least eth0 5
pings_from a 192.168.1.1 172.16.1.1 1 >/dev/null 2>&1
check "map: the second line, its own CHILD_SA" swan_wait_child "$SW" lan2 30
check "map: 192.168.1.1 -> 172.16.1.1 protected" pings_from a 192.168.1.1 172.16.1.1 3
check "map: three pairs in all (VTI, two lines), one ISAKMP SA per peer" \
	sh -c "[ \"\$(ip netns exec a $DMVPNCTL -S $DMVPND_DIR/sock -j show crypto ipsec sa |
		grep -o '\"conn_id\"' | wc -l)\" -eq 3 ] &&
		[ \"\$(ip netns exec a $DMVPNCTL -S $DMVPND_DIR/sock show crypto isakmp sa |
		grep -c QM_IDLE)\" -eq 2 ]"
check "show crypto session: the flows" \
	sh -c "ip netns exec a $DMVPNCTL -S $DMVPND_DIR/sock show crypto session |
		grep -q 'IPSEC FLOW: permit ip 10.1.1.0/255.255.255.0 172.16.1.0/255.255.255.0'"

# charon initiates: dmvpnd finds the crypto map entry for the proxies
check "charon deletes the crypto map's SAs" swan_ctl "$SW" --terminate --ike map
check "responder: the map's SAs are gone from XFRM on A" \
	until_ok 10 count_is 0 tunnel_states a "src $A dst $B"
check "responder: charon initiates lan1, dmvpnd responds" swan_initiate "$SW" lan1
check "responder: the pair is in XFRM" until_ok 10 has_sa local_ident 10.1.1.0/255.255.255.0/0/0
check "responder: 172.16.1.1 -> 10.1.1.1" pings_from b 172.16.1.1 10.1.1.1 3
check "responder: a narrower proxy within line 1 (host to host)" swan_initiate "$SW" narrow
check "responder: its pair, with policies of its own" \
	until_ok 10 has_sa local_ident 10.1.1.1/255.255.255.255/0/0
check "responder: host policies on A" \
	sh -c "ip -n a xfrm policy | grep -q 'src 10.1.1.1/32 dst 172.16.1.1/32'"
check "responder: 10.1.1.1 -> 172.16.1.1" pings_from a 10.1.1.1 172.16.1.1 3
check "responder: proxies outside every line are refused" \
	sh -c "! STRONGSWAN_CONF=$SW/strongswan.conf swanctl --initiate --child outside \
		--timeout 15 --uri unix://$SW/charon.vici"
check "responder: dmvpnd says why" \
	grep -q 'proxy identities not supported' "$DMVPND_LOG"
check "the VTI's pair is untouched by all this" has_sa interface Tunnel23

# SIGHUP keeps the SAs and the policies
kill -HUP "$DPID"
check "SIGHUP reloads" until_ok 10 grep -q 'configuration reloaded' "$DMVPND_LOG"
check "after the reload: the crypto map traffic flows" pings_from a 10.1.1.1 172.16.1.1 3
check "after the reload: the VTI traffic flows" ip netns exec a ping -6 -c 3 -i 0.2 -W 2 fd00:23::2
# clear crypto sa: every pair goes; traffic into the VTI asks for a new one
check "clear crypto sa" dshow clear crypto sa
check "cleared: no pair left" until_ok 10 count_is 0 pairs
ip netns exec a ping -6 -c 1 -W 1 fd00:23::2 >/dev/null 2>&1
check "VTI: the kernel's ACQUIRE (if_id 23) brings it back" until_ok 30 has_sa interface Tunnel23
check "VTI: traffic flows again" ip netns exec a ping -6 -c 3 -i 0.2 -W 2 fd00:23::2
dmvpnd_stop
check "dmvpnd stops (SIGTERM, exit 0)" test $? -eq 0
check "with dmvpnd gone, XFRM carries on" ip netns exec a ping -6 -c 3 -i 0.2 -W 2 fd00:23::2
swan_stop b "$SW" >/dev/null 2>&1

sleep 1
kill $TCPDUMP 2>/dev/null
wait $TCPDUMP 2>/dev/null
check "tshark: every IKE packet decodes, IPv4 and IPv6, none malformed" tshark_ok
cp "$SW/charon.log" "${RESULTS:-$TMPDIR}/12-charon.log" 2>/dev/null
finish

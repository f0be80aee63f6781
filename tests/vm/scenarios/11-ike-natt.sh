#!/bin/bash
# 11: dmvpnd through a NAT (iptables MASQUERADE), against strongSwan's
# charon: NAT-D finds the NAT, IKE floats to port 4500 (non-ESP marker),
# Quick Mode negotiates UDP-encapsulated transport mode with NAT-OA, and
# the module carries ESP-in-UDP on the 4500 socket dmvpnd handed it.
# First charon sits behind the NAT and initiates (a spoke calling the hub),
# then dmvpnd sits behind it and initiates on traffic (ACQUIRE), sending
# NAT keepalives.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../swan.sh"
. "$(dirname "$0")/../dmvpnd.sh"

PUB=198.51.100.1 NAT_OUT=198.51.100.2 NAT_IN=10.9.0.1 PRIV=10.9.0.2
PUB_O=172.30.0.1 PRIV_O=172.30.0.2
SW=$TMPDIR/11-swan

# pub (on the wan) and priv (behind the NAT router "nat")
topology() {
	wan_up
	node pub "$PUB/24"
	behind_nat priv $NAT_OUT $NAT_IN $PRIV
}
# ip_gre for charon's side: LOCAL REMOTE OVERLAY in namespace NS
gre_side() {
	ip -n "$1" tunnel add gre1 mode gre local "$2" remote "$3" key 0 ttl 64 &&
	ip -n "$1" addr add "$4/24" dev gre1 &&
	ip -n "$1" link set gre1 up
}
udp_capture() {	# udp_capture NS IF: tcpdump of UDP 4500 into $CAP
	CAP=${RESULTS:-$TMPDIR}/11-$1.pcap
	capture "$1" "$2" "$CAP" 'udp port 4500'
}
encap_of() {	# the module's encapsulation for a peer: "udp SPORT DPORT" or "esp"
	ctl "$1" -j peer show dev dmvpn0 nbma "$2" | python3 -c 'import json,sys
d=json.load(sys.stdin); d=d[0] if isinstance(d,list) else d
print(d.get("encap"), d.get("sport",""), d.get("dport",""))'
}

encap_is() {	# encap_is NS NBMA REGEX
	local e
	e=$(encap_of "$1" "$2")
	echo "$e"
	echo "$e" | grep -Eq "$3"
}

check "modprobe mgre ip_gre esp4 xfrm_user" modprobe -a mgre ip_gre esp4 xfrm_user

# 1. charon behind the NAT calls dmvpnd (the hub) on the public side
topology
check "hub: mgre" mgre_dev pub $PUB $PUB_O/24 key 0
nhrp_map pub $PRIV_O $NAT_OUT
check "spoke: ip_gre to the hub" gre_side priv $PRIV $PUB $PRIV_O
check "hub: dmvpnd config" dmvpnd_conf $PUB_O " encr aes\n hash sha\n group 14" \
	"esp-aes esp-sha-hmac"
dmvpnd_start pub
check "hub: dmvpnd starts" test -n "$DPID"
check "spoke: charon" swan_start priv "$SW"
check "spoke: charon config" swan_conf "$SW" local=$PRIV remote=$PUB psk=$DMVPND_PSK \
	ike=aes128-sha1-modp2048 esp=aes128-sha1 start=none
udp_capture pub eth0
check "spoke: charon initiates through the NAT" swan_initiate "$SW" gre
check "hub: NAT-D found the peer behind a NAT" grep -q 'the peer is behind a NAT' "$DMVPND_LOG"
check "hub: the peer floated to 4500" grep -q 'peer floated to' "$DMVPND_LOG"
check "hub: SAs in the module" until_ok 10 in_kernel
check "hub: Quick Mode chose UDP-encapsulated transport (RFC 3947: 4)" \
	test "$(sa_field encapsulation)" = 4
check "hub: the module's peer is ESP-in-UDP from 4500 to the NAT's port" \
	encap_is pub $NAT_OUT '^udp 4500 [0-9]+$'
check "spoke -> hub through the NAT" pings priv $PUB_O 5
check "hub -> spoke through the NAT" pings pub $PRIV_O 5
capture_stop
check "the hub saw ESP-in-UDP from the NAT address" \
	sh -c "tcpdump -n -r $CAP 2>/dev/null | grep -q '$NAT_OUT.[0-9]* > $PUB.4500: UDP-encap'"
check "the hub sent ESP-in-UDP to the NAT address" \
	sh -c "tcpdump -n -r $CAP 2>/dev/null | grep -q '$PUB.4500 > $NAT_OUT.[0-9]*: UDP-encap'"
check "the hub decapsulated ESP-in-UDP" test "$(peer_stat pub $NAT_OUT rx_packets)" -ge 5
dmvpnd_stop
swan_stop priv "$SW"
nodes_down

# 2. dmvpnd behind the NAT calls charon on the public side, on traffic
topology
check "spoke: mgre" mgre_dev priv $PRIV $PRIV_O/24 key 0
nhrp_map priv $PUB_O $PUB
check "hub: ip_gre to the NAT address" gre_side pub $PUB $NAT_OUT $PUB_O
check "spoke: dmvpnd config (keepalive)" dmvpnd_conf $PRIV_O " encr 3des\n hash sha\n group 2" \
	"esp-3des esp-sha-hmac"
dmvpnd_start priv
check "spoke: dmvpnd starts" test -n "$DPID"
check "hub: charon" swan_start pub "$SW"
check "hub: charon config" swan_conf "$SW" local=$PUB remote=%any psk=$DMVPND_PSK \
	ike=3des-sha1-modp1024 esp=3des-sha1 start=none
udp_capture nat eth0
ip netns exec priv ping -c 1 -W 1 $PUB_O >/dev/null 2>&1
check "spoke: traffic made dmvpnd initiate; charon installs the CHILD_SA" \
	swan_wait_child "$SW" gre 30
check "spoke: NAT-D: we are behind a NAT" grep -q 'we are behind a NAT' "$DMVPND_LOG"
check "spoke: floated to port 4500" grep -q 'floating to port 4500' "$DMVPND_LOG"
check "spoke: SAs in the module" until_ok 10 in_kernel
check "spoke -> hub" pings priv $PUB_O 5
check "hub -> spoke" pings pub $PRIV_O 5
check "spoke: Quick Mode chose UDP-encapsulated transport" test "$(sa_field encapsulation)" = 4
check "spoke: the module's peer is ESP-in-UDP 4500 -> 4500" encap_is priv $PUB '^udp 4500 4500$'
sleep 21	# one NAT keepalive interval
capture_stop
check "the NAT router forwarded ESP-in-UDP both ways" \
	sh -c "tcpdump -n -r $CAP 2>/dev/null | grep -c 'UDP-encap' | awk '\$1 >= 10 { ok = 1 } END { exit !ok }'"
check "dmvpnd sent a NAT keepalive (0xff to 4500)" \
	sh -c "tcpdump -n -r $CAP 2>/dev/null | grep -q 'isakmp-nat-keep-alive'"
dmvpnd_stop
swan_stop pub "$SW"
nodes_down
finish

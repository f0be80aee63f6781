#!/bin/bash
# 13: a crypto map through a NAT (iptables MASQUERADE), against charon.
# With crypto maps only, dmvpnd's port 4500 socket is XFRM's
# (UDP_ENCAP_ESPINUDP): NAT-D finds the NAT, IKE floats to 4500, Quick
# Mode negotiates UDP-encapsulated tunnel mode and XFRM carries ESP-in-UDP.
# First dmvpnd sits behind the NAT and initiates on traffic (ACQUIRE), then
# charon sits behind it and dmvpnd answers on the public side.  Last, the
# NATed dmvpnd also protects an mgre device: the 4500 socket is then the
# module's, which hands ESP-in-UDP for SPIs not its own to XFRM, and the
# crypto map works through the NAT all the same.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../swan.sh"
. "$(dirname "$0")/../dmvpnd.sh"

PUB=198.51.100.1 NAT_OUT=198.51.100.2 NAT_IN=10.9.0.1 PRIV=10.9.0.2
PSK=$DMVPND_PSK
SW=$TMPDIR/13-swan

topology() {	# pub on the wan, priv behind the NAT router; a LAN on each
	wan_up
	node pub "$PUB/24"
	behind_nat priv $NAT_OUT $NAT_IN $PRIV
	for n in pub priv; do ip -n $n link add lan0 type dummy && ip -n $n link set lan0 up; done
	ip -n priv addr add 10.1.1.1/24 dev lan0
	ip -n pub addr add 172.16.1.1/24 dev lan0
	ip -n pub route add 10.1.1.0/24 via $NAT_OUT
}

dmvpnd_map() {	# dmvpnd_map PEER LOCAL_NET REMOTE_NET [EXTRA] (the peer as we see it)
	(
		umask 077
		cat >"$DMVPND_DIR/dmvpnd.conf" <<EOF
crypto isakmp policy 10
 encr aes
 hash sha
 group 14
 authentication pre-share
crypto isakmp key $PSK address $1
crypto ipsec transform-set myset esp-aes esp-sha-hmac
crypto map mymap 10 ipsec-isakmp
 set peer $1
 set transform-set myset
 match address 110
interface eth0
 crypto map mymap
access-list 110 permit ip $2 0.0.0.255 $3 0.0.0.255
${4:-}
EOF
	)
}

swan_map() {	# swan_map LOCAL REMOTE_ADDRS REMOTE_ID LOCAL_TS REMOTE_TS
	cat >"$SW/swanctl.conf" <<EOF
connections {
	map {
		version = 1
		local_addrs = $1
		remote_addrs = $2
		proposals = aes128-sha1-modp2048
		local { auth = psk
			id = $1 }
		remote { auth = psk
			id = $3 }
		children {
			lan { mode = tunnel
				local_ts = $4
				remote_ts = $5
				esp_proposals = aes128-sha1 }
		}
	}
}
secrets {
	ike-map { id-l = $1
		id-r = $3
		secret = "$PSK" }
}
EOF
	swan_ctl "$SW" --load-all --file "$SW/swanctl.conf"
}

pings_from() { ip netns exec "$1" ping -I "$2" -c "$4" -i 0.2 -W 2 "$3"; }
udp_encap_states() {	# ESP-in-UDP tunnel-mode states in NS
	ip -n "$1" xfrm state | grep -c 'encap type espinudp sport 4500'
}
only_udp_esp() {	# the capture has ESP-in-UDP and no bare ESP
	local udp esp
	udp=$(tshark -n -r "$1" -Y 'udp.port == 4500 && esp' 2>/dev/null | wc -l)
	esp=$(tshark -n -r "$1" -Y 'ip.proto == 50' 2>/dev/null | wc -l)
	echo "$udp ESP-in-UDP, $esp bare ESP"
	[ "$udp" -ge 6 ] && [ "$esp" -eq 0 ]
}

check "modprobe xfrm_user esp4" modprobe -a xfrm_user esp4

# 1. dmvpnd behind the NAT initiates on traffic into its crypto map
topology
check "charon on the public side" swan_start pub "$SW"
check "charon config (any peer address, the NATed side's own id)" \
	swan_map $PUB %any $PRIV 172.16.1.0/24 10.1.1.0/24
check "dmvpnd config: a crypto map to charon" dmvpnd_map $PUB 10.1.1.0 172.16.1.0
dmvpnd_start priv
check "dmvpnd starts behind the NAT" test -n "$DPID"
check "its 4500 socket is XFRM's (no mgre device)" \
	grep -q 'XFRM takes ESP-in-UDP on port 4500' "$DMVPND_LOG"
CAP=${RESULTS:-$TMPDIR}/13-wan-1.pcap
capture wan br0 "$CAP" 'udp port 4500 or ip proto 50'
pings_from priv 10.1.1.1 172.16.1.1 1 >/dev/null 2>&1
check "ACQUIRE: dmvpnd initiates, charon installs the CHILD_SA" swan_wait_child "$SW" lan 30
check "NAT-D found the NAT, IKE floated to 4500" \
	grep -q 'NAT found, floating to port 4500' "$DMVPND_LOG"
check "XFRM on the NATed side: UDP-encapsulated tunnel mode, both SAs" \
	until_ok 10 count_is 2 udp_encap_states priv
check "LAN to LAN through the NAT" pings_from priv 10.1.1.1 172.16.1.1 5
check "and back" pings_from pub 172.16.1.1 10.1.1.1 3
capture_stop
check "on the wire: ESP only inside UDP 4500" only_udp_esp "$CAP"
check "show crypto ipsec sa: the peer on port 4500, counted" \
	sh -c "ip netns exec priv $DMVPNCTL -S $DMVPND_DIR/sock show crypto ipsec sa |
		grep -q 'current_peer $PUB port 4500' &&
		ip netns exec priv $DMVPNCTL -S $DMVPND_DIR/sock -j show crypto ipsec sa |
		grep -Eq '\"pkts_encaps\":([6-9]|[1-9][0-9])'"
dmvpnd_stop
swan_stop pub "$SW" >/dev/null 2>&1
nodes_down

# 2. charon behind the NAT calls dmvpnd on the public side
topology
ip -n pub route del 10.1.1.0/24
ip -n priv addr flush dev lan0
ip -n pub addr flush dev lan0
ip -n priv addr add 172.16.1.1/24 dev lan0
ip -n pub addr add 10.1.1.1/24 dev lan0
ip -n pub route add 172.16.1.0/24 via $NAT_OUT
check "charon behind the NAT" swan_start priv "$SW"
check "charon config" swan_map $PRIV $PUB $PUB 172.16.1.0/24 10.1.1.0/24
check "dmvpnd config: the map's peer is the NAT's public address" \
	dmvpnd_map $NAT_OUT 10.1.1.0 172.16.1.0
dmvpnd_start pub
check "dmvpnd starts" test -n "$DPID"
check "charon initiates through the NAT, dmvpnd responds" swan_initiate "$SW" lan
check "dmvpnd's SAs are UDP-encapsulated" until_ok 10 count_is 2 udp_encap_states pub
check "LAN to LAN, from the public side" pings_from pub 10.1.1.1 172.16.1.1 5
check "and from behind the NAT" pings_from priv 172.16.1.1 10.1.1.1 3
dmvpnd_stop
swan_stop priv "$SW" >/dev/null 2>&1
nodes_down

# 3. as 1, and the NATed dmvpnd protects an mgre device too
topology
check "mgre beside the crypto map" ip -n priv link add dmvpn0 type mgre local $PRIV key 0
ip -n priv addr add 10.77.0.1/24 dev dmvpn0
ip -n priv link set dmvpn0 up
check "charon on the public side" swan_start pub "$SW"
check "charon config" swan_map $PUB %any $PRIV 172.16.1.0/24 10.1.1.0/24
check "dmvpnd config: the crypto map and a protected mgre device" \
	dmvpnd_map $PUB 10.1.1.0 172.16.1.0 "crypto ipsec transform-set gre esp-aes esp-sha-hmac
 mode transport
crypto ipsec profile dm
 set transform-set gre
interface dmvpn0
 tunnel mode gre multipoint
 tunnel protection ipsec profile dm"
dmvpnd_start priv
check "dmvpnd starts" test -n "$DPID"
pings_from priv 10.1.1.1 172.16.1.1 1 >/dev/null 2>&1
check "mgre beside: dmvpnd initiates, charon installs the CHILD_SA" swan_wait_child "$SW" lan 30
check "mgre beside: UDP-encapsulated tunnel mode in XFRM" \
	until_ok 10 count_is 2 udp_encap_states priv
check "mgre beside: LAN to LAN through the NAT (ESP-in-UDP: module, then XFRM)" \
	pings_from priv 10.1.1.1 172.16.1.1 5
check "mgre beside: and back" pings_from pub 172.16.1.1 10.1.1.1 3
dmvpnd_stop
swan_stop pub "$SW" >/dev/null 2>&1
cp "$SW/charon.log" "${RESULTS:-$TMPDIR}/13-charon.log" 2>/dev/null
finish

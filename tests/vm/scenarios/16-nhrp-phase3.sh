#!/bin/bash
# 16: DMVPN phase 3 with dmvpnd everywhere, IKE and NHRP real: the hub has
# "ip nhrp redirect", the spokes "ip nhrp shortcut" and only a summary
# route through the hub (as EIGRP summarised at the hub gives them).  Spoke
# 1 pings spoke 2's LAN: the hub relays it and sends spoke 1 a Traffic
# Indication; spoke 1 resolves the LAN, the hub forwards the request along
# its route to spoke 2, which answers for its /24; spoke 1 installs a
# route to it through spoke 2 (protocol dmvpn) and the hub no longer sees
# the traffic.  Spoke 2's replies get their shortcut the same way (both
# ways, FRR #4845 is one-way).  A shortcut never replaces a route of the
# same prefix, and goes when the daemon stops.  The same over the IPv6
# overlay on the same tunnels (ipv6 nhrp redirect, ipv6 nhrp shortcut,
# IPv4 NBMA): the module reports the relayed IPv6 packet, the hub sends an
# IPv6 Traffic Indication, the spokes get IPv6 shortcut routes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../dmvpnd.sh"

LAN1=2.2.2.2 LAN2=3.3.3.3 LANH=1.1.1.1
PSK=cisco123

p3_conf() {	# p3_conf FILE OVERLAY NHRP_LINES
	(
		umask 077
		cat >"$1" <<EOF
crypto isakmp policy 10
 authentication pre-share
 encr aes
 hash sha
 group 14
crypto isakmp key $PSK address 0.0.0.0 0.0.0.0
crypto ipsec transform-set ts esp-aes esp-sha-hmac
 mode transport
crypto ipsec profile dmvpn
 set transform-set ts
interface dmvpn0
 ip address $2 255.255.255.0
$(printf '%b' "$3")
 tunnel source eth0
 tunnel mode gre multipoint
 tunnel protection ipsec profile dmvpn
EOF
	)
}

HUB_NHRP=' ip nhrp network-id 1\n ip nhrp map multicast dynamic\n ip nhrp redirect\n ip nhrp holdtime 300'
SPOKE_NHRP=" ip nhrp network-id 1\n ip nhrp map $HUB_O $HUB\n ip nhrp map multicast $HUB\n ip nhrp nhs $HUB_O\n ip nhrp shortcut\n ip nhrp holdtime 300"
# the IPv6 overlay: tunnel addresses 2001:db8:100::/64, LANs 2001:db8:N::/64
HUB6=2001:db8:100::1 S1_6=2001:db8:100::2 S2_6=2001:db8:100::3
LAN1_6=2001:db8:2::2 LAN2_6=2001:db8:3::3 LANH_6=2001:db8:1::1
HUB_NHRP+="\n ipv6 address $HUB6/64\n ipv6 nhrp network-id 1\n ipv6 nhrp map multicast dynamic\n ipv6 nhrp redirect\n ipv6 nhrp holdtime 300"
spoke6() {	# spoke6 ADDRESS: a spoke's ipv6 nhrp lines
	printf '%s' "\n ipv6 address $1/64\n ipv6 nhrp network-id 1\n ipv6 nhrp map $HUB6/64 $HUB\n ipv6 nhrp map multicast $HUB\n ipv6 nhrp nhs $HUB6\n ipv6 nhrp shortcut\n ipv6 nhrp holdtime 300"
}

lab_up() {
	wan_up
	node hub "$HUB/24"
	node s1 "$S1/24"
	node s2 "$S2/24"
	mgre_dev hub "$HUB" "$HUB_O/24" &&
	mgre_dev s1 "$S1" "$S1_O/24" &&
	mgre_dev s2 "$S2" "$S2_O/24" || return 1
	for n in hub s1 s2; do
		ip -n $n link add lan0 type dummy || return 1
		ip -n $n link set lan0 up
	done
	ip -n hub addr add $LANH/24 dev lan0 &&
	ip -n s1 addr add $LAN1/24 dev lan0 &&
	ip -n s2 addr add $LAN2/24 dev lan0 || return 1
	# the hub knows each LAN; the spokes only a summary through the hub
	ip -n hub route add 2.2.2.0/24 via "$S1_O" &&
	ip -n hub route add 3.3.3.0/24 via "$S2_O" &&
	ip -n s1 route add 0.0.0.0/1 via "$HUB_O" &&
	ip -n s2 route add 0.0.0.0/1 via "$HUB_O" || return 1
	ip netns exec hub sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0
	ip netns exec s1 sysctl -qw net.ipv4.conf.all.send_redirects=0
	ip netns exec s2 sysctl -qw net.ipv4.conf.all.send_redirects=0
	# IPv6: the same, the LANs' /64s, the spokes' summary 2001:db8::/32 through the hub
	ip netns exec hub sysctl -qw net.ipv6.conf.all.forwarding=1
	# the tunnels' IPv6 addresses, as their IPv4 ones (mgre_dev): the lab's devices
	ip -n hub addr add $HUB6/64 dev dmvpn0 nodad &&
	ip -n s1 addr add $S1_6/64 dev dmvpn0 nodad &&
	ip -n s2 addr add $S2_6/64 dev dmvpn0 nodad &&
	ip -n hub addr add $LANH_6/64 dev lan0 nodad &&
	ip -n s1 addr add $LAN1_6/64 dev lan0 nodad &&
	ip -n s2 addr add $LAN2_6/64 dev lan0 nodad || return 1
}
routes6() {
	ip -n hub -6 route replace 2001:db8:2::/64 via "$S1_6" dev dmvpn0 &&
	ip -n hub -6 route replace 2001:db8:3::/64 via "$S2_6" dev dmvpn0 &&
	ip -n s1 -6 route replace 2001:db8::/32 via "$HUB6" dev dmvpn0 &&
	ip -n s2 -6 route replace 2001:db8::/32 via "$HUB6" dev dmvpn0
}

shortcut_is() {	# shortcut_is NS PREFIX VIA: the kernel routes PREFIX via VIA, protocol dmvpn
	ip -n "$1" route show proto 177 | grep -q "^$2 via $3 dev dmvpn0" ||
		{ ip -n "$1" route show; dn "$1" show ip nhrp; return 1; }
}
hub_rx() { peer_stat hub "$1" rx_packets; }
ti_sent() { dn hub -j show ip nhrp traffic | grep -Eq '"tx_8":[1-9]'; }
lists_shortcut() { dn s1 show ip nhrp | grep -q '^3.3.3.0/24'; }
no_dmvpn_routes() { ! ip -n s1 route show proto 177 | grep -q . && ! ip -n s1 -6 route show proto 177 | grep -q .; }
shortcut6_is() {	# shortcut6_is NS PREFIX VIA: an IPv6 route, protocol dmvpn
	ip -n "$1" -6 route show proto 177 | grep -q "^$2 via $3 dev dmvpn0" ||
		{ ip -n "$1" -6 route show; dn "$1" show ipv6 nhrp; return 1; }
}
lists_shortcut6() { dn s1 show ipv6 nhrp | grep -q '^2001:DB8:3::/64'; }
ti6_sent() { dn hub -j show ipv6 nhrp traffic | grep -Eq '"tx_8":[1-9]'; }
pings() {	# pings NS DST COUNT SRC: from the LAN behind NS, as its hosts would
	ip netns exec "$1" ping -c "$3" -i 0.2 -W 2 -I "$4" "$2" >/dev/null
}

check "modprobe mgre" modprobe mgre
check "phase 3 lab (summary routes through the hub)" lab_up || skip_rest "no lab"
p3_conf "$TMPDIR/16-hub.conf" "$HUB_O" "$HUB_NHRP"
p3_conf "$TMPDIR/16-s1.conf" "$S1_O" "$SPOKE_NHRP$(spoke6 $S1_6)"
p3_conf "$TMPDIR/16-s2.conf" "$S2_O" "$SPOKE_NHRP$(spoke6 $S2_6)"
check "dmvpnd on the hub" dnode_start hub "$TMPDIR/16-hub.conf"
check "dmvpnd on spoke 1" dnode_start s1 "$TMPDIR/16-s1.conf"
check "dmvpnd on spoke 2" dnode_start s2 "$TMPDIR/16-s2.conf"
check "spoke 1 registered" until_ok 30 nhs_up s1
check "spoke 2 registered" until_ok 30 nhs_up s2

# the first packets through the hub, which redirects; then the shortcut
check "spoke 1 -> spoke 2's LAN (through the hub first)" pings s1 "$LAN2" 5 "$LAN1"
check "spoke 1: a shortcut 3.3.3.0/24 via spoke 2" until_ok 20 shortcut_is s1 3.3.3.0/24 "$S2_O"
check "spoke 2: a shortcut 2.2.2.0/24 via spoke 1 (the other way)" \
	until_ok 20 shortcut_is s2 2.2.2.0/24 "$S1_O"
check "spoke 1's neighbour $S2_O is spoke 2's NBMA" \
	until_ok 10 sh -c "ip -n s1 neigh show $S2_O dev dmvpn0 | grep -q 'lladdr $S2'"
check "hub: traffic indications sent" ti_sent
before=$(hub_rx "$S1")
check "spoke 1 -> spoke 2's LAN over the shortcut" pings s1 "$LAN2" 10 "$LAN1"
after=$(hub_rx "$S1")
check "the hub no longer carries it ($before -> $after)" test $((after - before)) -le 2
check "spoke 1 sends to spoke 2 directly" test "$(peer_stat s1 "$S2" tx_packets)" -gt 0
check "spoke 2 -> spoke 1's LAN direct" pings s2 "$LAN1" 5 "$LAN2"
check "the hub's own LAN still through the hub" pings s1 "$LANH" 3 "$LAN1"
check "show ip nhrp on spoke 1 lists the shortcut" lists_shortcut

# phase 3 over the IPv6 overlay
t6=$(date +%s)
check "IPv6 routes: the hub knows each LAN, the spokes a summary through it" routes6
check "spoke 1 registered its IPv6 address" until_ok 30 nhs_up s1 ipv6
check "spoke 2 registered its IPv6 address" until_ok 30 nhs_up s2 ipv6
check "spoke 1 -> spoke 2's IPv6 LAN (through the hub first)" pings s1 "$LAN2_6" 5 "$LAN1_6"
check "hub: IPv6 traffic indications sent (the module's TRAFFIC with IPv6 addresses)" \
	until_ok 10 ti6_sent
check "spoke 1: a shortcut 2001:db8:3::/64 via $S2_6" \
	until_ok 20 shortcut6_is s1 2001:db8:3::/64 "$S2_6"
check "spoke 2: a shortcut 2001:db8:2::/64 via $S1_6 (the other way)" \
	until_ok 20 shortcut6_is s2 2001:db8:2::/64 "$S1_6"
check "spoke 1's IPv6 neighbour $S2_6 is spoke 2's NBMA" \
	until_ok 10 sh -c "ip -n s1 neigh show $S2_6 dev dmvpn0 | grep -q 'lladdr $S2'"
before=$(hub_rx "$S1")
check "spoke 1 -> spoke 2's IPv6 LAN over the shortcut" pings s1 "$LAN2_6" 10 "$LAN1_6"
after=$(hub_rx "$S1")
check "the hub no longer carries it ($before -> $after)" test $((after - before)) -le 2
check "show ipv6 nhrp on spoke 1 lists the shortcut" lists_shortcut6
echo "# the IPv6 overlay's checks took $(($(date +%s) - t6)) s"

check "dmvpnd on spoke 1 stops; its shortcut goes with it" dnode_stop s1
check "no dmvpn route left on spoke 1" no_dmvpn_routes
check "dmvpnd on spoke 2 exits cleanly" dnode_stop s2
check "dmvpnd on the hub exits cleanly" dnode_stop hub
nodes_down
finish

#!/bin/bash
# 19: the demo ("make demo" runs this script, in the VM or on a host that
# can load mgre.ko): seed 002's lab from examples/, the three routers'
# configurations as the document prints them (line breaks repaired, one
# "linux interface FastEthernet0/0 eth0" line).  dmvpnd makes each
# router's Tunnel0 from its interface block, the spokes register with the
# hub (IKE and NHRP real), spoke 1's LAN pings spoke 2's LAN, NHRP builds
# the spoke-to-spoke tunnel, and the counters show the traffic took it.
# A line per step with the time since the start; a one-line verdict.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../dmvpnd.sh"

EX=$TOP/examples
MGRE_DEV=Tunnel0	# peer_stat reads this device
HUB=209.168.202.225 S1=209.168.202.131 S2=209.168.202.130
HUB_O=192.168.1.1 S1_O=192.168.1.2 S2_O=192.168.1.3
LANH=1.1.1.1 LAN1=2.2.2.2 LAN2=3.3.3.3
T0=$(date +%s%N)
step() { awk -v t="$(($(date +%s%N) - T0))" -v m="$*" 'BEGIN { printf "# [%6.1f s] %s\n", t / 1e9, m }'; }
VERDICT="the lab did not come up"

lan() {	# lan NS ADDR: the router's LAN (FastEthernet0/1), a dummy device
	ip -n "$1" link add lan0 type dummy && ip -n "$1" addr add "$2/24" dev lan0 &&
		ip -n "$1" link set lan0 up
}
tunnel_made() {	# tunnel_made NS OVERLAY: Tunnel0 is an mgre device, up, with its address and mtu
	ip -n "$1" -d link show Tunnel0 | grep -q 'mgre' &&
		ip -n "$1" link show Tunnel0 | grep -Eq '[<,]UP[,>].* mtu 1440 ' &&
		ip -n "$1" -4 addr show dev Tunnel0 | grep -q "inet $2/24"
}
hub_rx() { peer_stat hub "$1" rx_packets; }
ping_lan() {	# ping_lan NS FROM TO COUNT: every reply back
	ip netns exec "$1" ping -I "$2" -c "$4" -i 0.2 -W 2 "$3" | tee /dev/stderr |
		grep -q ' 0% packet loss'
}

step "seed 002's lab: hub sv9-2 ($HUB), spokes sv9-3 ($S1) and sv9-4 ($S2) on one WAN"
check "the mgre module is there" sh -c "lsmod | grep -q '^mgre ' || modprobe -d '${MODROOT:-/}' mgre"
wan_up && node hub "$HUB/24" && node s1 "$S1/24" && node s2 "$S2/24" &&
	lan hub "$LANH" && lan s1 "$LAN1" && lan s2 "$LAN2" || skip_rest "no lab"
ip netns exec hub sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0
for n in s1 s2; do
	ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0
done

step "dmvpnd on each router with its configuration from examples/ (002-hub.conf, 002-spoke1.conf, 002-spoke2.conf)"
check "dmvpnd on the hub" dnode_start hub "$EX/002-hub.conf"
check "dmvpnd on spoke 1" dnode_start s1 "$EX/002-spoke1.conf"
check "dmvpnd on spoke 2" dnode_start s2 "$EX/002-spoke2.conf"
check "hub: dmvpnd made Tunnel0 (mgre, mtu 1440, 192.168.1.1/24, up)" until_ok 10 tunnel_made hub "$HUB_O"
check "spoke 1: Tunnel0 made" until_ok 10 tunnel_made s1 "$S1_O"
check "spoke 2: Tunnel0 made" until_ok 10 tunnel_made s2 "$S2_O"
ip -n hub -d link show Tunnel0 | sed 's/^/#   /'
# what EIGRP 90 would learn over Tunnel0 (routing is the system's, not dmvpnd's)
ip -n hub route add 2.2.2.0/24 via "$S1_O" && ip -n hub route add 3.3.3.0/24 via "$S2_O" &&
	ip -n s1 route add 3.3.3.0/24 via "$S2_O" && ip -n s1 route add 1.1.1.0/24 via "$HUB_O" &&
	ip -n s2 route add 2.2.2.0/24 via "$S1_O" && ip -n s2 route add 1.1.1.0/24 via "$HUB_O" ||
	skip_rest "routes"

step "the spokes register with the hub: the registration starts IKE (main mode, quick mode), then NHRP goes through the SAs"
check "spoke 1 registered with the NHS 192.168.1.1" until_ok 30 nhs_up s1
check "spoke 2 registered" until_ok 30 nhs_up s2
check "hub: spoke 1 dynamic, NBMA $S1" cache_has hub "$S1_O" dynamic "$S1"
check "hub: spoke 2 dynamic, NBMA $S2" cache_has hub "$S2_O" dynamic "$S2"
step "registered"

step "spoke 1's LAN ($LAN1) pings spoke 2's LAN ($LAN2): through the hub while NHRP resolves 192.168.1.3"
check "$LAN1 -> $LAN2: every reply back" ping_lan s1 "$LAN1" "$LAN2" 10
check "spoke 1 resolved 192.168.1.3 -> $S2" until_ok 20 cache_has s1 "$S2_O" cached "$S2"
check "the spoke-to-spoke SAs carry spoke 1's packets to spoke 2" until_ok 20 sends_to s1 "$S2"
step "the spoke-to-spoke tunnel is up: the next pings take it"
hub_before=$(hub_rx "$S1")
direct_before=$(peer_stat s1 "$S2" tx_packets)
check "$LAN1 -> $LAN2 over the spoke-to-spoke tunnel" ping_lan s1 "$LAN1" "$LAN2" 10
hub_after=$(hub_rx "$S1")
direct_after=$(peer_stat s1 "$S2" tx_packets)
check "the hub carried none of them ($hub_before -> $hub_after packets from spoke 1)" \
	test $((hub_after - hub_before)) -le 2
check "spoke 1 sent them to spoke 2 directly ($direct_before -> $direct_after)" \
	test $((direct_after - direct_before)) -ge 10
check "$LAN2 -> $LAN1, back the same way" ping_lan s2 "$LAN2" "$LAN1" 5

for n in hub s1 s2; do
	step "show dmvpn on $n"
	dn "$n" show dmvpn | sed 's/^/#   /'
done
step "spoke 1's IPsec SAs (show crypto ipsec sa: the counters)"
dn s1 show crypto ipsec sa | grep -E 'interface|current_peer|#pkts|local crypto endpt' | sed 's/^/#   /'

if [ "$T_FAIL" -eq 0 ]; then
	VERDICT="PASSED: $LAN1 reached $LAN2 over the spoke-to-spoke tunnel NHRP built ($((direct_after - direct_before)) packets direct, $((hub_after - hub_before)) through the hub)"
else
	VERDICT="FAILED: $T_FAIL of $((T_PASS + T_FAIL)) checks failed (see above)"
fi
dnodes_stop
step "demo $VERDICT"
finish

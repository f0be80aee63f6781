#!/bin/bash
# 17: NHRP interop with FRR's nhrpd (Debian's FRR 8.4) on the kernel's
# ip_gre, both ways, IPsec real: dmvpnd's IKE against charon, which keys
# GRE in ESP transport mode for the FRR node (FRR 8.4's nhrpd asks for
# IPsec only through a patched strongSwan over VICI; it has no ip nhrp
# authentication, so none is configured):
#   A. an FRR hub and two dmvpnd spokes: both register, the hub's cache has
#      them, spoke 1 resolves spoke 2 through the FRR hub and reaches it
#      directly;
#   B. a dmvpnd hub, an FRR spoke and a dmvpnd spoke, in phase 3 (FRR's
#      nhrpd resolves only on a Traffic Indication): the FRR spoke
#      registers with dmvpnd (its GRE to the hub trapped by charon), FRR
#      sees its NHS up, traffic flows between the FRR spoke and our hub;
#      the FRR spoke pings our spoke's LAN through the hub, our hub
#      redirects it, FRR resolves the LAN through our hub, our spoke keys
#      IPsec to it and answers for its /24, and FRR's shortcut carries the
#      traffic directly.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../dmvpnd.sh"
. "$(dirname "$0")/../swan.sh"
. "$(dirname "$0")/../frr.sh"

plain_conf() {	# plain_conf FILE OVERLAY NHRP_LINES: IKE as charon's side speaks it
	cat >"$1" <<EOF
crypto isakmp policy 10
 authentication pre-share
 encr 3des
 hash sha
 group 2
crypto isakmp key $FRR_PSK address 0.0.0.0 0.0.0.0
crypto ipsec transform-set ts esp-3des esp-sha-hmac
 mode transport
crypto ipsec profile frr
 set transform-set ts
interface dmvpn0
 ip address $2 255.255.255.0
$(printf '%b' "$3")
 tunnel source eth0
 tunnel mode gre multipoint
 tunnel protection ipsec profile frr
EOF
	chmod 600 "$1"
}
OUR_SPOKE=" ip nhrp network-id 1\n ip nhrp holdtime 300\n ip nhrp map $HUB_O $HUB\n ip nhrp nhs $HUB_O"
OUR_HUB=' ip nhrp network-id 1\n ip nhrp holdtime 300\n ip nhrp map multicast dynamic'

frr_cache_has() {	# frr_cache_has DIR PROTO NBMA: FRR's cache maps PROTO to NBMA
	frr_sh "$1" "show ip nhrp cache" | grep -E "^[a-z]+ +$2 +$3 " >/dev/null ||
		frr_sh "$1" "show ip nhrp cache" | grep -E " $2 .* $3( |$)" >/dev/null ||
		{ frr_sh "$1" "show ip nhrp cache"; return 1; }
}
# FRR 8.4 prints an NHS's protocol address once it has registered ("(unspec)" before)
frr_nhs_up() { frr_sh "$1" "show ip nhrp nhs" | grep -Eq "^gre1 .* $2 *$" ||
	{ frr_sh "$1" "show ip nhrp nhs"; frr_sh "$1" "show ip nhrp cache"; return 1; }; }
pings() { ip netns exec "$1" ping -c "$3" -i 0.2 -W 2 "$2" >/dev/null; }
LAN1=2.2.2.2 LAN2=3.3.3.3
lan_pings() { ip netns exec "$1" ping -c "$3" -i 0.2 -W 2 -I "$4" "$2" >/dev/null; }
ti_sent() { dn hub -j show ip nhrp traffic | grep -Eq '"tx_8":[1-9]'; }
frr_shortcut_is() {	# frr_shortcut_is NS PREFIX VIA: zebra put FRR's shortcut in the kernel
	ip -n "$1" route show "$2" | grep -Eq "via $3 dev gre1 proto (nhrp|191)" ||
		{ ip -n "$1" route show; frr_sh "$TMPDIR/17-frr-$1" "show ip nhrp shortcut"
		  frr_sh "$TMPDIR/17-frr-$1" "show ip nhrp cache"; return 1; }
}

check "modprobe mgre" modprobe mgre
check "modprobe ip_gre, esp4, xfrm_user" modprobe -a ip_gre esp4 xfrm_user
check "FRR is installed" test -x "$FRR_DIR/nhrpd" || skip_rest "no FRR"

# A. FRR hub, our spokes
lab_a() {
	wan_up
	node hub "$HUB/24"
	node s1 "$S1/24"
	node s2 "$S2/24"
	frr_gre hub "$HUB" "$HUB_O/24" &&
	mgre_dev s1 "$S1" "$S1_O/24" &&
	mgre_dev s2 "$S2" "$S2_O/24" || return 1
	ip netns exec hub sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0
}
check "A: lab (FRR hub on ip_gre, two mGRE spokes)" lab_a || skip_rest "no lab"
cat >"$TMPDIR/17-frr-hub.conf" <<EOF
debug nhrp all
interface gre1
 ip nhrp network-id 1
 ip nhrp holdtime 300
 ip nhrp map multicast dynamic
 tunnel source eth0
exit
EOF
check "A: charon on the FRR hub" swan_start hub "$TMPDIR/17-swan-hub"
check "A: charon answers GRE in transport mode" frr_swan_conf "$TMPDIR/17-swan-hub" "$HUB"
check "A: FRR nhrpd on the hub" frr_start hub "$TMPDIR/17-frr-hub" "$TMPDIR/17-frr-hub.conf"
plain_conf "$TMPDIR/17-s1.conf" "$S1_O" "$OUR_SPOKE"
plain_conf "$TMPDIR/17-s2.conf" "$S2_O" "$OUR_SPOKE"
check "A: dmvpnd on spoke 1" dnode_start s1 "$TMPDIR/17-s1.conf"
check "A: dmvpnd on spoke 2" dnode_start s2 "$TMPDIR/17-s2.conf"
frr_logs() { cp "$1/nhrpd.log" "${RESULTS:-$TMPDIR}/17-$2-nhrpd.log" 2>/dev/null; }
a_ok=1
check "A: spoke 1 registered with the FRR hub" until_ok 30 nhs_up s1 || a_ok=0
check "A: spoke 2 registered with the FRR hub" until_ok 30 nhs_up s2 || a_ok=0
frr_logs "$TMPDIR/17-frr-hub" frr-hub
if [ $a_ok = 1 ]; then
check "A: FRR's cache: spoke 1 at $S1" until_ok 10 frr_cache_has "$TMPDIR/17-frr-hub" "$S1_O" "$S1"
check "A: FRR's cache: spoke 2 at $S2" frr_cache_has "$TMPDIR/17-frr-hub" "$S2_O" "$S2"
check "A: spoke 1 -> FRR hub overlay" pings s1 "$HUB_O" 3
check "A: spoke 1 -> spoke 2 overlay (through the hub, then resolved)" pings s1 "$S2_O" 5
check "A: spoke 1 resolved spoke 2 through the FRR hub" until_ok 20 cache_has s1 "$S2_O" cached "$S2"
check "A: spoke 1 -> spoke 2 directly" pings s1 "$S2_O" 3
check "A: spoke 1 sends to spoke 2 directly" until_ok 10 sends_to s1 "$S2"
fi
check "A: dmvpnd on spoke 1 stops" dnode_stop s1
check "A: dmvpnd on spoke 2 stops" dnode_stop s2
frr_stop "$TMPDIR/17-frr-hub"
swan_stop hub "$TMPDIR/17-swan-hub"
frr_logs "$TMPDIR/17-frr-hub" frr-hub
MGRE_NODES=(wan hub s1 s2)	# made inside check's subshell: named here
nodes_down

# B. our hub, an FRR spoke and our spoke
lab_b() {
	wan_up
	node hub "$HUB/24"
	node s1 "$S1/24"
	node s2 "$S2/24"
	mgre_dev hub "$HUB" "$HUB_O/24" &&
	frr_gre s1 "$S1" "$S1_O/24" &&
	mgre_dev s2 "$S2" "$S2_O/24" || return 1
	# phase 3: the LANs behind the spokes, known to the hub; the spokes
	# reach the other LAN only through the hub until a shortcut exists
	for n in s1 s2; do
		ip -n $n link add lan0 type dummy || return 1
		ip -n $n link set lan0 up
	done
	ip -n s1 addr add $LAN1/24 dev lan0 &&
	ip -n s2 addr add $LAN2/24 dev lan0 &&
	ip -n hub route add 2.2.2.0/24 via "$S1_O" &&
	ip -n hub route add 3.3.3.0/24 via "$S2_O" &&
	ip -n s1 route add 0.0.0.0/1 via "$HUB_O" dev gre1 onlink &&
	ip -n s2 route add 0.0.0.0/1 via "$HUB_O" || return 1
	for n in hub s1 s2; do
		ip netns exec $n sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0
	done
}
check "B: lab (dmvpnd hub, FRR spoke on ip_gre, mGRE spoke)" lab_b || skip_rest "no lab"
plain_conf "$TMPDIR/17-hub.conf" "$HUB_O" "$OUR_HUB\n ip nhrp redirect"
plain_conf "$TMPDIR/17-s2b.conf" "$S2_O" "$OUR_SPOKE\n ip nhrp shortcut"
cat >"$TMPDIR/17-frr-s1.conf" <<EOF
debug nhrp all
interface gre1
 ip nhrp network-id 1
 ip nhrp holdtime 300
 ip nhrp nhs $HUB_O nbma $HUB
 ip nhrp registration no-unique
 ip nhrp shortcut
 tunnel source eth0
exit
EOF
check "B: dmvpnd on the hub" dnode_start hub "$TMPDIR/17-hub.conf"
check "B: charon on the FRR spoke" swan_start s1 "$TMPDIR/17-swan-s1"
check "B: charon traps GRE to the hub, answers the rest" \
	frr_swan_conf "$TMPDIR/17-swan-s1" "$S1" "$HUB"
check "B: FRR nhrpd on spoke 1" frr_start s1 "$TMPDIR/17-frr-s1" "$TMPDIR/17-frr-s1.conf"
check "B: dmvpnd on spoke 2" dnode_start s2 "$TMPDIR/17-s2b.conf"
check "B: the FRR spoke registered with dmvpnd" until_ok 30 cache_has hub "$S1_O" dynamic "$S1"
frr_logs "$TMPDIR/17-frr-s1" frr-s1
check "B: FRR says its NHS is up" until_ok 10 frr_nhs_up "$TMPDIR/17-frr-s1" "$HUB_O"
check "B: our spoke registered" until_ok 30 cache_has hub "$S2_O" dynamic "$S2"
check "B: FRR spoke -> our hub overlay" pings s1 "$HUB_O" 3
check "B: our hub -> FRR spoke overlay" pings hub "$S1_O" 3
# FRR 8.4's nhrpd sends no Resolution Request on a neighbour miss (its
# application probes only consult its cache): it resolves on a Traffic
# Indication, so the FRR spoke resolving ours is tested in phase 3.
check "B: FRR spoke's LAN -> our spoke's LAN (through the hub first)" \
	lan_pings s1 "$LAN2" 5 "$LAN1"
check "B: our hub sent the FRR spoke a Traffic Indication" ti_sent
check "B: FRR installed a shortcut 3.3.3.0/24 via our spoke" \
	until_ok 30 frr_shortcut_is s1 3.3.3.0/24 "$S2_O"
frr_logs "$TMPDIR/17-frr-s1" frr-s1
check "B: our spoke cached the FRR spoke (the requester) at $S1" \
	cache_has s2 "$S1_O" cached "$S1"
check "B: FRR's neighbour $S2_O is our spoke's NBMA" \
	until_ok 10 sh -c "ip -n s1 neigh show $S2_O dev gre1 | grep -q 'lladdr $S2'"
before=$(peer_stat hub "$S1" rx_packets)
check "B: FRR spoke's LAN -> our spoke's LAN over the shortcut" lan_pings s1 "$LAN2" 10 "$LAN1"
after=$(peer_stat hub "$S1" rx_packets)
check "B: the hub no longer carries it ($before -> $after)" test $((after - before)) -le 2
check "B: our spoke received from the FRR spoke directly" \
	test "$(peer_stat s2 "$S1" rx_packets)" -gt 0
check "B: dmvpnd on spoke 2 stops" dnode_stop s2
check "B: dmvpnd on the hub stops" dnode_stop hub
frr_stop "$TMPDIR/17-frr-s1"
swan_stop s1 "$TMPDIR/17-swan-s1"
frr_logs "$TMPDIR/17-frr-s1" frr-s1
MGRE_NODES=(wan hub s1 s2)
nodes_down
finish

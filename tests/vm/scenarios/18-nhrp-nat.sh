#!/bin/bash
# 18: a spoke behind a MASQUERADE NAT, dmvpnd everywhere, IKE (with NAT-T)
# and NHRP real: the spoke registers through the NAT; the hub keeps the
# address it saw (post-NAT) and says so in its reply, so the spoke learns
# its public address; the other spoke resolves it and gets that public
# address (FRR #8236 used the private one), and traffic flows between them.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../dmvpnd.sh"

NAT_OUT=209.168.202.140 NAT_IN=10.9.0.1 PRIV=10.9.0.2

nat_conf() {	# nat_conf FILE OVERLAY NHRP_LINES
	(
		umask 077
		cat >"$1" <<EOF
crypto isakmp policy 10
 authentication pre-share
 encr 3des
 hash md5
 group 2
crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0
crypto ipsec transform-set strong esp-3des esp-md5-hmac
 mode transport
crypto ipsec profile cisco
 set transform-set strong
interface dmvpn0
 ip address $2 255.255.255.0
$(printf '%b' "$3")
 tunnel source eth0
 tunnel mode gre multipoint
 tunnel protection ipsec profile cisco
EOF
	)
}
HUB_NHRP=' ip nhrp network-id 1\n ip nhrp map multicast dynamic\n ip nhrp holdtime 300'
SPOKE_NHRP=" ip nhrp network-id 1\n ip nhrp map $HUB_O $HUB\n ip nhrp nhs $HUB_O\n ip nhrp holdtime 300"

lab_up() {
	wan_up
	node hub "$HUB/24"
	node s2 "$S2/24"
	behind_nat s1 "$NAT_OUT" "$NAT_IN" "$PRIV"
	mgre_dev hub "$HUB" "$HUB_O/24" &&
	mgre_dev s1 "$PRIV" "$S1_O/24" &&
	mgre_dev s2 "$S2" "$S2_O/24"
}

nat_learned() {	# the spoke's NHS says how it sees us
	dn s1 -j show ip nhrp nhs | grep -q "\"nat_nbma\":\"$NAT_OUT\"" ||
		{ dn s1 -j show ip nhrp nhs; return 1; }
}
hub_claimed() {	# the hub's entry keeps the claimed (private) address beside the seen one
	dn hub -j show ip nhrp | grep -q "\"claimed_nbma\":\"$PRIV\"" || { dn hub show ip nhrp; return 1; }
}
pings() { ip netns exec "$1" ping -c "$3" -i 0.2 -W 2 "$2" >/dev/null; }

check "modprobe mgre" modprobe mgre
lab_up >"$TMPDIR/18-lab.log" 2>&1
check "lab: spoke 1 behind a MASQUERADE NAT" ip -n s1 link show dmvpn0
nat_conf "$TMPDIR/18-hub.conf" "$HUB_O" "$HUB_NHRP"
nat_conf "$TMPDIR/18-s1.conf" "$S1_O" "$SPOKE_NHRP"
nat_conf "$TMPDIR/18-s2.conf" "$S2_O" "$SPOKE_NHRP"
check "dmvpnd on the hub" dnode_start hub "$TMPDIR/18-hub.conf"
check "dmvpnd on spoke 1 (behind the NAT)" dnode_start s1 "$TMPDIR/18-s1.conf"
check "dmvpnd on spoke 2" dnode_start s2 "$TMPDIR/18-s2.conf"
check "hub: spoke 1 registered at the NAT's address" \
	until_ok 40 cache_has hub "$S1_O" dynamic "$NAT_OUT"
check "hub: the claimed private address kept beside it" hub_claimed
check "spoke 1 learned its public address from the reply" until_ok 10 nat_learned
check "hub: spoke 2 registered" until_ok 30 cache_has hub "$S2_O" dynamic "$S2"
check "spoke 1 -> hub overlay (through the NAT)" pings s1 "$HUB_O" 3
check "spoke 2 -> spoke 1 overlay" until_ok 20 pings s2 "$S1_O" 3
check "spoke 2 resolved spoke 1 to its public address, not $PRIV" \
	until_ok 20 cache_has s2 "$S1_O" cached "$NAT_OUT"
check "spoke 2 -> spoke 1 directly, through the NAT" pings s2 "$S1_O" 5
check "spoke 2 sends to spoke 1's public address" until_ok 10 sends_to s2 "$NAT_OUT"
for n in s2 s1 hub; do
	check "dmvpnd on $n exits cleanly" dnode_stop "$n"
done
nodes_down
finish

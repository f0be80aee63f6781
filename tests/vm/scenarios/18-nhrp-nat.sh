#!/bin/bash
# 18: a spoke behind a MASQUERADE NAT, dmvpnd everywhere, IKE (with NAT-T)
# and NHRP real: the spoke registers through the NAT; the hub keeps the
# address it saw (post-NAT) and says so in its reply, so the spoke learns
# its public address; the other spoke resolves it and gets that public
# address (FRR #8236 used the private one), and traffic flows between them.
# Then a third spoke behind a second NAT pings the first (FRR #3475: no
# loss, through the hub, only public addresses anywhere), and a fourth
# behind the first one's NAT is refused by the hub while the first keeps
# working (FRR #8308: the two used to take each other's SAs).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../dmvpnd.sh"

NAT_OUT=209.168.202.140 NAT_IN=10.9.0.1 PRIV=10.9.0.2
# spoke 3 behind a second NAT; spoke 4 behind spoke 1's NAT (another LAN of it)
NAT2_OUT=209.168.202.150 NAT2_IN=10.9.1.1 PRIV3=10.9.1.2 S3_O=192.168.1.4
NAT_IN4=10.9.2.1 PRIV4=10.9.2.2 S4_O=192.168.1.5

HUB_NHRP=' ip nhrp network-id 1\n ip nhrp map multicast dynamic\n ip nhrp holdtime 300'
SPOKE_NHRP=" ip nhrp network-id 1\n ip nhrp map $HUB_O $HUB\n ip nhrp nhs $HUB_O\n ip nhrp holdtime 300"

lab_up() {
	wan_up
	node hub "$HUB/24"
	node s2 "$S2/24"
	behind_nat s1 "$NAT_OUT" "$NAT_IN" "$PRIV"
	behind_nat s3 "$NAT2_OUT" "$NAT2_IN" "$PRIV3" nat2
	behind_nat s4 "$NAT_OUT" "$NAT_IN4" "$PRIV4"
	# the hub relays spoke-to-spoke traffic until (and unless) a shortcut forms
	ip netns exec hub sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0
	mgre_dev hub "$HUB" "$HUB_O/24" &&
	mgre_dev s1 "$PRIV" "$S1_O/24" &&
	mgre_dev s2 "$S2" "$S2_O/24" &&
	mgre_dev s3 "$PRIV3" "$S3_O/24" &&
	mgre_dev s4 "$PRIV4" "$S4_O/24"
}

nat_learned() {	# the spoke's NHS says how it sees us
	dn s1 -j show ip nhrp nhs | grep -q "\"nat_nbma\":\"$NAT_OUT\"" ||
		{ dn s1 -j show ip nhrp nhs; return 1; }
}
hub_claimed() {	# the hub's entry keeps the claimed (private) address beside the seen one
	dn hub -j show ip nhrp | grep -q "\"claimed_nbma\":\"$PRIV\"" || { dn hub show ip nhrp; return 1; }
}
pings() { ip netns exec "$1" ping -c "$3" -i 0.2 -W 2 "$2" >/dev/null; }
bg_ping() {	# bg_ping NS DST: every 0.2 s until bg_ping_stop
	ip netns exec "$1" ping -n -i 0.2 -W 1 "$2" >"$TMPDIR/18-$1.ping" 2>&1 &
	echo $! >"$TMPDIR/18-$1.ping.pid"
}
bg_ping_stop() {	# prints "LOST SENT"
	local f=$TMPDIR/18-$1.ping pid sent got
	pid=$(cat "$f.pid")
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$f")
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$f")
	echo "$((${sent:-0} - ${got:-0})) ${sent:-0}"
}
via_hub_or_sa() {	# via_hub_or_sa NS OVERLAY: NS sends OVERLAY's packets to the hub, or
	# to an NBMA address it has an outbound SA for (never into a blackhole)
	local ll
	ll=$(ip -n "$1" neigh show "$2" dev dmvpn0 | sed -n 's/.*lladdr \([0-9.]*\) .*/\1/p')
	echo "$1: $2 -> ${ll:-none}"
	[ "$ll" = "$HUB" ] && return 0
	[ -n "$ll" ] && ctl "$1" peer show dev dmvpn0 | grep -q "^peer $ll .*out-spi" && return 0
	ip -n "$1" neigh show dev dmvpn0
	ctl "$1" peer show dev dmvpn0 | grep '^peer'
	return 1
}
post_nat_only() {	# no private (10.9/16) NBMA address in NS's neighbours, peers, NHRP
	local bad
	bad=$( {
		ip -n "$1" neigh show dev dmvpn0 | grep 'lladdr 10\.9\.'
		ctl "$1" peer show dev dmvpn0 | grep '^peer 10\.9\.'
		dn "$1" -j show ip nhrp | grep -o '"nbma":"10\.9\.[^"]*"'
		dn "$1" -j show dmvpn | grep -o '"nbma":"10\.9\.[^"]*"'
	} )
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}
nat_refused() {	# the hub refused a second host behind one NAT
	dn hub -j show crypto call admission statistics | grep -q '"rejected_behind_nat":[1-9]'
}

check "modprobe mgre" modprobe mgre
lab_up >"$TMPDIR/18-lab.log" 2>&1
check "lab: spoke 1 behind a MASQUERADE NAT" ip -n s1 link show dmvpn0
lab_conf "$TMPDIR/18-hub.conf" "$HUB_O" "$HUB_NHRP"
lab_conf "$TMPDIR/18-s1.conf" "$S1_O" "$SPOKE_NHRP"
lab_conf "$TMPDIR/18-s2.conf" "$S2_O" "$SPOKE_NHRP"
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

# Two spokes behind two different NATs (FRR #3475): spoke 3 pings spoke 1.
# Spoke 1 answers the resolution once IPsec to spoke 3's public address is
# up; its IKE there meets a port-restricted NAT (MASQUERADE) that spoke 3
# never opened, so the direct path does not form (unless spoke 3's own IKE
# to spoke 1 happens to cross it), and the traffic must go on through the
# hub without a loss (IOS falls back to the hub alike).
lab_conf "$TMPDIR/18-s3.conf" "$S3_O" "$SPOKE_NHRP"
check "dmvpnd on spoke 3 (behind a second NAT)" dnode_start s3 "$TMPDIR/18-s3.conf"
check "hub: spoke 3 registered at its NAT's address" \
	until_ok 40 cache_has hub "$S3_O" dynamic "$NAT2_OUT"
check "spoke 3 -> hub overlay (through its NAT)" until_ok 10 pings s3 "$HUB_O" 3
bg_ping s3 "$S1_O"
sleep 12
lost=$(bg_ping_stop s3)
echo "# spoke 3 -> spoke 1 while NHRP resolves and IKE tries the direct path: lost/sent $lost"
check "spoke 3 -> spoke 1: no ping lost (${lost% *} of ${lost#* })" \
	test "${lost% *}" -eq 0 -a "${lost#* }" -gt 30
s1_log=${RESULTS:-$TMPDIR}/$SCENARIO-s1-dmvpnd.log
check "spoke 1 tried IKE to spoke 3's public address, never to $PRIV3" \
	eval "grep -q 'sa_request.*remote= $NAT2_OUT' '$s1_log' && ! grep 'remote= $PRIV3' '$s1_log'"
check "spoke 1 delayed its answer until IPsec to that address is up" \
	grep -q "delaying resolution reply to $S3_O (NBMA $NAT2_OUT)" "$s1_log"
check "spoke 3 -> spoke 1 through the hub (or IPsec, never a blackhole)" via_hub_or_sa s3 "$S1_O"
check "spoke 1 -> spoke 3 through the hub (or IPsec, never a blackhole)" via_hub_or_sa s1 "$S3_O"
echo "# $(via_hub_or_sa s3 "$S1_O" | head -1); $(via_hub_or_sa s1 "$S3_O" | head -1)"
for n in hub s1 s2 s3; do
	check "$n: NBMA addresses post-NAT only (neighbours, module peers, NHRP)" post_nat_only "$n"
done
check "spoke 3 -> spoke 1 still answered" pings s3 "$S1_O" 3

# Two spokes behind one NAT: the hub sees both at $NAT_OUT, with different
# UDP ports.  Peers are keyed by their address (module, IKE, NHRP), so the
# hub cannot carry both: the first keeps its SAs, the second is refused at
# IKE, logged and counted (it used to take the first one's SAs, in turns).
lab_conf "$TMPDIR/18-s4.conf" "$S4_O" "$SPOKE_NHRP"
check "dmvpnd on spoke 4 (behind spoke 1's NAT)" dnode_start s4 "$TMPDIR/18-s4.conf"
check "hub: spoke 4 refused at IKE, counted" until_ok 40 nat_refused
check "hub: says why" grep -q "is a second host behind the NAT of $NAT_OUT" \
	"${RESULTS:-$TMPDIR}/$SCENARIO-hub-dmvpnd.log"
check "spoke 1 -> hub still" pings s1 "$HUB_O" 3
check "hub -> spoke 1 still" pings hub "$S1_O" 3
check "hub: the module's peer $NAT_OUT is still spoke 1's (port 4500)" \
	eval "ctl hub peer show dev dmvpn0 | grep -q 'peer $NAT_OUT .*dport 4500 '"
check "hub: spoke 4 not registered" eval "! cache_has hub $S4_O dynamic $NAT_OUT"
for n in s4 s3 s2 s1 hub; do
	check "dmvpnd on $n exits cleanly" dnode_stop "$n"
done
nodes_down
finish

#!/bin/bash
# 21: kill -9 of dmvpnd in the middle of an exchange, then a restart.  A hub
# and two spokes (seed 002's crypto, NHRP registration), both spokes pinging
# the hub's LAN throughout.  The exchange is held at a chosen message by an
# nftables rule dropping the next one (ISAKMP's exchange type and encryption
# flag), so the moment of the kill is not a matter of timing:
#   Main Mode   the hub is killed, a new hub finds the old SAs in the module
#               and starts Main Mode to both spokes; the spokes drop its
#               MM5, and this hub is killed too;
#   Quick Mode  a third hub gets through Main Mode, the hub drops every
#               Quick Mode message it receives (the spokes have installed
#               their inbound SA of its QM1), and it is killed;
#   recovery    a fourth hub, nothing held: both spokes registered again,
#               pings, none of the first hub's SAs left in its module, and
#               in each node's module only SAs its dmvpnd knows;
#   rekey       the SAs have a 2560 KB lifetime; a ping flood from spoke 1
#               crosses the soft limit, the rekey's Quick Mode is held both
#               ways, spoke 1's dmvpnd is killed and started again: none
#               of its old SAs left, on either side.
# The spokes' lost pings are counted in each phase and reported, with a
# bound of their own (of both spokes' pings together, 5 a second each):
#   LOST_DEAD   no dmvpnd on the hub for 3 s: the kernel's SAs carry the
#               pings, none should be lost (the one in flight when the
#               count stops may count);
#   LOST_MM     from the second hub's start: it flushes the neighbour
#               entries an earlier run left (not its to trust) and the
#               spokes register again only over new SAs, which the hold
#               prevents, so the hub's answers are lost until the phase ends;
#   LOST_QM     the third hub's INITIAL-CONTACT makes the spokes drop the
#               first hub's SAs, the new ones wait for the held Quick Mode,
#               then for the fourth hub's negotiation;
#   LOST_REKEY  spoke 1's old SAs carry its pings until its restarted
#               dmvpnd's new ones are in.
# LOST_MM and LOST_QM are generous: the pings are lost there on purpose,
# for as long as the phase takes under emulation.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../dmvpnd.sh"
. "$(dirname "$0")/../nhrp_lab.sh"

LIFE=' set security-association lifetime kilobytes 2560'
LOST_DEAD=${LOST_DEAD:-4} LOST_MM=${LOST_MM:-300} LOST_QM=${LOST_QM:-600} LOST_REKEY=${LOST_REKEY:-25}
T0=$(date +%s)
say() { echo "# [$(($(date +%s) - T0)) s] $*"; }

# hold NS RULE: drop the matching packets in NS (input; hold_out: output)
hold() {
	printf 'table inet hold {\n chain in {\n  type filter hook input priority 0;\n  %s counter drop\n }\n chain out {\n  type filter hook output priority 0;\n }\n}\n' \
		"$2" | ip netns exec "$1" nft -f -
}
hold_out() { ip netns exec "$1" nft add rule inet hold out "$2" counter drop; }
unhold() { ip netns exec "$1" nft delete table inet hold; }
held() {	# held NS N: the hold in NS dropped at least N packets
	local n
	n=$(ip netns exec "$1" nft list table inet hold | grep -o 'packets [0-9]*' |
		awk '{ s += $2 } END { print s + 0 }')
	echo "$n packets dropped"
	[ "$n" -ge "$2" ]
}
# ISAKMP over UDP: the exchange type is byte 18 (bit 208 from the UDP
# header), the flags byte 19 (bit 216, encryption = 1)
MM_ENCRYPTED='@th,208,8 0x02 @th,216,8 & 0x01 == 0x01'
QM='@th,208,8 0x20'

isakmp_states() {	# isakmp_states NS STATE N: N phase-1 SAs of NS's in STATE
	local n
	n=$(dn "$1" -j show crypto isakmp sa | grep -o "\"state\":\"$2\"" | wc -l)
	echo "$n in $2"
	[ "$n" -ge "$3" ]
}
soft_expiries() { grep -c 'reached its soft lifetime' "${RESULTS:-$TMPDIR}/$SCENARIO-s1-dmvpnd.log"; }
none_left() {	# none_left NS FILE: none of the SAs listed in FILE is in NS's module
	local left
	left=$(module_spis "$1" | grep -Fxf "$2")
	echo "$(wc -l <"$2") SAs before, left: ${left:-none}"
	[ -z "$left" ]
}
module_count() { module_spis "$1" | wc -l; }
pings_on() { bg_ping s1 "$LAB_LANH" && bg_ping s2 "$LAB_LANH"; }
lost_in() {	# lost_in PHASE MAX: stop the pings, report and bound their loss
	local l1 n1 l2 n2
	read -r l1 n1 < <(bg_ping_stop s1)
	read -r l2 n2 < <(bg_ping_stop s2)
	echo "# lost pings, $1: spoke 1 $l1 of $n1, spoke 2 $l2 of $n2"
	check "$1: lost pings within the bound ($((l1 + l2)) <= $2)" test $((l1 + l2)) -le "$2"
	check "$1: pings were sent ($n1, $n2)" test "$n1" -gt 10 -a "$n2" -gt 10
}

check "modprobe mgre" modprobe mgre
check "a hub and two spokes" lab_up 2 || skip_rest "no lab"
say "lab up"
check "dmvpnd on the hub and the spokes (lifetime 2560 KB)" lab_start 2 "$LIFE" ||
	skip_rest "no daemons"
check "both spokes registered" until_ok 30 registered 1 2
say "registered"
check "the spokes ping the hub's LAN" until_ok 10 pings s1 "$LAB_LANH" 2
pings_on
check "SAs: the module holds what dmvpnd knows, on every node" sas_owned hub s1 s2

# Main Mode: the first hub dies with its SAs in place; the second is held at MM5
module_spis hub >"$TMPDIR/21-hub1.spis"
hold_mm5() { hold s1 "udp sport 500 $MM_ENCRYPTED" && hold s2 "udp sport 500 $MM_ENCRYPTED"; }
check "the spokes drop Main Mode's encrypted messages from the hub (nftables)" hold_mm5
check "kill -9 the hub's dmvpnd (established)" dnode_kill hub
check "the hub's module keeps its SAs" count_is "$(wc -l <"$TMPDIR/21-hub1.spis")" module_count hub
sleep 3
lost_in "no dmvpnd on the hub" "$LOST_DEAD"
pings_on
check "a second hub's dmvpnd" dnode_start hub "$TMPDIR/$SCENARIO-hub.conf"
check "it starts Main Mode to both spokes: held at MM5 (MM_KEY_EXCH)" \
	until_ok 20 isakmp_states hub MM_KEY_EXCH 2
check "the spokes dropped its MM5" held s1 1
say "Main Mode held"
check "kill -9 the hub's dmvpnd in Main Mode" dnode_kill hub
unhold s1
unhold s2
lost_in "Main Mode kill" "$LOST_MM"
pings_on

# Quick Mode: Main Mode completes, no QM2 (nor a spoke's QM1) reaches the hub
check "the hub drops every Quick Mode message it receives" hold hub "udp dport 500 $QM"
check "a third hub's dmvpnd" dnode_start hub "$TMPDIR/$SCENARIO-hub.conf"
check "Main Mode with both spokes (QM_IDLE)" until_ok 30 isakmp_states hub QM_IDLE 2
check "Quick Mode held: the hub dropped QM2 of both spokes" until_ok 20 held hub 2
say "Quick Mode held"
check "kill -9 the hub's dmvpnd in Quick Mode" dnode_kill hub
unhold hub

# recovery: nothing held
check "a fourth hub's dmvpnd" dnode_start hub "$TMPDIR/$SCENARIO-hub.conf"
check "both spokes registered again" until_ok 60 registered 1 2
say "recovered from the kills in Main Mode and Quick Mode"
check "the spokes ping the hub's LAN" until_ok 20 pings s1 "$LAB_LANH" 2
check "none of the first hub's SAs left in its module" until_ok 20 none_left hub "$TMPDIR/21-hub1.spis"
check "no SA nobody owns: hub, spoke 1, spoke 2" until_ok 20 sas_owned hub s1 s2

lost_in "Quick Mode kill" "$LOST_QM"
pings_on

# rekey: spoke 1's SAs reach their soft byte limit while Quick Mode is held
module_spis s1 >"$TMPDIR/21-s1.spis"
hold_qm_s1() { hold s1 "udp dport 500 $QM" && hold_out s1 "udp dport 500 $QM"; }
check "spoke 1 drops Quick Mode both ways" hold_qm_s1
flood_to_rekey() {	# the module's soft expiry reaches spoke 1's dmvpnd
	local before
	before=$(soft_expiries)
	for _ in $(seq 20); do
		ip netns exec s1 ping -q -f -s 1200 -c 200 -W 1 "$HUB_O" >/dev/null
		[ "$(soft_expiries)" -gt "$before" ] && return 0
	done
	return 1
}
check "a flood of 1228-byte pings: the soft byte limit starts a rekey" flood_to_rekey
check "the rekey's Quick Mode held at spoke 1" until_ok 10 held s1 1
say "rekey held"
check "kill -9 spoke 1's dmvpnd in the rekey" dnode_kill s1
unhold s1
check "spoke 1's dmvpnd again" dnode_start s1 "$TMPDIR/$SCENARIO-s1.conf"
check "both spokes registered" until_ok 60 registered 1 2
say "recovered from the kill in the rekey"
check "spoke 1 pings the hub's LAN" until_ok 20 pings s1 "$LAB_LANH" 2
check "none of spoke 1's old SAs left in its module" until_ok 20 none_left s1 "$TMPDIR/21-s1.spis"
check "no SA nobody owns after the rekey kill" until_ok 20 sas_owned hub s1 s2

lost_in "rekey kill" "$LOST_REKEY"
for n in s2 s1 hub; do
	check "dmvpnd on $n exits cleanly" dnode_stop "$n"
done
nodes_down
finish

#!/bin/bash
# Inside the VM (make bench-flood): a hub dmvpnd with SPOKES established
# dmvpnd spokes pinging its LAN through their SAs, then mm1_flood sending
# Main Mode message 1 from 65536 spoofed addresses at the hub as fast as it
# can (or RATE a second) for SECS seconds.  A third of the way in, a new
# spoke starts; the time until it is registered and pings is measured.
# MODE=nhrp: instead, spoke 1 (established: an attacker that knows the
# keys) sends NHRP Registration and/or Resolution Requests (KIND reg, res,
# mix) for other addresses through its SA at the hub (tests/bench/nhrp_flood.c);
# the other spokes are the established ones whose pings and entries count.
# Figures to $RES/report, the daemons' logs beside it.
RES=$1
export MODROOT=$2
SECS=${3:-30}
SPOKES=${4:-3}
RATE=${5:-0}		# packets a second, 0: as fast as it can
MODE=${6:-ike}
KIND=${7:-mix}
export RESULTS=$RES
cd "$(dirname "$0")" || exit 1
. ./lib.sh
SCENARIO=bench-flood
. ./mgre.sh
. ./dmvpnd.sh
. ./nhrp_lab.sh
exec >"$RES/log" 2>&1
set -x

FLOOD=$TOP/tests/bench/mm1_flood
NFLOOD=$TOP/tests/bench/nhrp_flood
FLOOD_NODE=209.168.202.200
NEW=$((SPOKES + 1))
HZ=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
snmp_udp() {	# snmp_udp FIELD: the hub's UDP counter
	ip netns exec hub awk -v f="$1" '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c[f] }' /proc/net/snmp
}
rx_packets() { ip -n hub -s -j link show eth0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }
cac() { jq_dn hub "d['$1']" show crypto call admission statistics; }
dev_rx() { ip -n hub -s -j link show dmvpn0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }
nhrp_traffic() { dn hub -j show ip nhrp traffic >"$1"; }
nhrp_entries() { dn hub -j show ip nhrp | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

modprobe mgre
lab_up "$NEW" || exit 1
node flood "$FLOOD_NODE/24"
# the hub answers the spoofed addresses towards the flood node, which drops the MM2s
ip -n hub route add 100.64.0.0/10 via "$FLOOD_NODE"
ip netns exec hub sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
export DNODE_DEBUG=	# as in service: no debug trace (each MM1 would write a page of it)
r0=$(date +%s)
lab_start "$SPOKES" || exit 1
lab_conf "$TMPDIR/$SCENARIO-s$NEW.conf" "$(spoke_overlay "$NEW")" "$LAB_SPOKE_NHRP"
# shellcheck disable=SC2046
until_ok 60 registered $(seq "$SPOKES") || exit 1
reg0=$(($(date +%s) - r0))
for i in $(seq "$SPOKES"); do
	until_ok 20 pings "s$i" "$LAB_LANH" 1
	bg_ping "s$i" "$LAB_LANH"
done
sleep 5
hub=$(dnode_pid hub)
rss0=$(rss_kb "$hub")
cpu0=$(cpu_ticks "$hub") rx0=$(rx_packets) in0=$(cac incoming) drop0=$(snmp_udp RcvbufErrors)
if [ "$MODE" = nhrp ]; then
	rx0=$(dev_rx) ent0=$(nhrp_entries)
	nhrp_traffic "$RES/nhrp0.json"
	# addresses of the subnet nobody holds (.20-.254), and the other established spokes'
	victims=$(for i in $(seq 2 "$SPOKES"); do spoke_overlay "$i"; done | paste -sd,)
	ip netns exec s1 "$NFLOOD" -i dmvpn0 -d "$HUB" -s "$(spoke_nbma 1)" -o "$(spoke_overlay 1)" \
		-O "$HUB_O" -k cisco123 -m "$KIND" -b 192.168.1.20 -n 235 ${victims:+-V "$victims"} \
		-t "$SECS" -r "$RATE" >"$RES/flood.out" 2>&1 &
else
	ip netns exec flood "$FLOOD" -d "$HUB" -n 65536 -t "$SECS" -r "$RATE" >"$RES/flood.out" 2>&1 &
fi
fpid=$!
t0=$(date +%s.%N)
rss_max=$rss0 joined=
while kill -0 "$fpid" 2>/dev/null; do
	r=$(rss_kb "$hub")
	[ "$r" -gt "$rss_max" ] && rss_max=$r
	if [ -z "$joined" ] && [ $(($(date +%s) - ${t0%.*})) -ge $((SECS / 3)) ]; then
		joined=started
		(	# the new spoke, beside the sampling
			j0=$(date +%s%N)
			# its debug trace (one negotiation's worth) says what kept it out
			DNODE_DEBUG=-d dnode_start "s$NEW" "$TMPDIR/$SCENARIO-s$NEW.conf"
			if until_ok 30 registered "$NEW" && until_ok 10 pings "s$NEW" "$LAB_LANH" 1; then
				j1=$(date +%s%N)
				echo "$(((j1 - j0) / 1000000000)).$(((j1 - j0) / 100000000 % 10)) s" \
					"($(kill -0 "$fpid" 2>/dev/null && echo "the flood still on" ||
						echo "the flood over by then"))" >"$RES/join"
			else
				echo "never (60 s)" >"$RES/join"
			fi
		) &
		jpid=$!
	fi
	sleep 1
done
wait "$fpid"
t1=$(date +%s.%N)
cpu1=$(cpu_ticks "$hub") rx1=$(rx_packets) in1=$(cac incoming) drop1=$(snmp_udp RcvbufErrors)
rss1=$(rss_kb "$hub")
if [ "$MODE" = nhrp ]; then
	rx1=$(dev_rx)
	nhrp_traffic "$RES/nhrp1.json"
	ent1=$(nhrp_entries)
	# shellcheck disable=SC2046
	kept=$(registered $(seq 2 "$SPOKES") >/dev/null && echo yes || echo NO)
fi
wait "$jpid"
dn hub show crypto call admission statistics >"$RES/cac"
lost=
for i in $(seq "$SPOKES"); do
	read -r l n < <(bg_ping_stop "s$i")
	lost="$lost s$i $l/$n"
done
sleep 16		# fresh half-open SAs time out after 15 s
after=$(cac responder_negotiating)
rss2=$(rss_kb "$hub")
dnodes_stop
nodes_down

{
	w=$(python3 -c "print($t1 - $t0)")
	if [ "$MODE" = nhrp ]; then
	echo "# $(uname -r), 2 vCPUs, NHRP flood ($KIND) ${SECS} s from spoke 1 through its SA (rate ${RATE/#0/as fast as it can}), $SPOKES spokes established"
	echo "offered: $(cat "$RES/flood.out")"
	python3 - "$RES/nhrp0.json" "$RES/nhrp1.json" <<PY
import json, sys
w = $(python3 -c "print($t1 - $t0)")
a, b = (json.load(open(f))[0] for f in sys.argv[1:3])
d = {k: b[k] - a[k] for k in b if isinstance(b[k], int)}
print('at the hub: %d packets into dmvpn0 (%.0f/s); NHRP read: %d Registration Requests, %d Resolution Requests (%.0f/s)' %
      ($rx1 - $rx0, ($rx1 - $rx0) / w, d['rx_3'], d['rx_1'], (d['rx_3'] + d['rx_1']) / w))
print('answered: %d Registration Replies, %d Resolution Replies, %d Error Indications' % (d['tx_4'], d['tx_2'], d['tx_7']))
print('dropped by reason: ' + (', '.join('%s %d' % (k[5:], v) for k, v in sorted(d.items()) if k.startswith('drop_') and v) or 'none'))
print('hub dmvpnd CPU during the flood: %.0f%% of one vCPU' % (100.0 * ($cpu1 - $cpu0) / $HZ / w))
PY
	echo "hub NHRP cache: $ent0 entries before, $ent1 at the end of the flood"
	echo "spokes 2-$SPOKES still registered at the hub after it: $kept"
	else
	echo "# $(uname -r), 2 vCPUs, flood ${SECS} s from 65536 spoofed addresses (rate ${RATE/#0/as fast as it can}), $SPOKES spokes established"
	echo "offered: $(cat "$RES/flood.out")"
	python3 -c "
w = $w
print('at the hub: %d packets on eth0 (%.0f/s), %d MM1 read by dmvpnd (%.0f/s), %d dropped at its full socket buffer' %
      ($rx1 - $rx0, ($rx1 - $rx0) / w, $in1 - $in0, ($in1 - $in0) / w, $drop1 - $drop0))
print('hub dmvpnd CPU during the flood: %.0f%% of one vCPU' % (100.0 * ($cpu1 - $cpu0) / $HZ / w))"
	fi
	echo "hub dmvpnd RSS: $rss0 KB before, $rss_max KB max during, $rss1 KB at the end, $rss2 KB 16 s later"
	echo "spokes' pings to the hub's LAN during the flood (lost/sent):$lost$([ "$MODE" = nhrp ] && echo ' (s1 the flooder)')"
	echo "a new spoke started $((SECS / 3)) s into the flood, registered and pinging in: $(cat "$RES/join")"
	echo "(the $SPOKES spokes, started together without a flood, were registered in $reg0 s)"
	echo "half-open responder SAs 16 s after the flood: $after"
	cat "$RES/cac"
} >"$RES/report"

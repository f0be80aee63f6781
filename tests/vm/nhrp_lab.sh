# shellcheck shell=bash
# A seed 002 style DMVPN of dmvpnd nodes for the robustness scenarios and
# benchmarks (sourced after lib.sh, mgre.sh and dmvpnd.sh): a hub and N
# spokes on the underlay bridge, each spoke registering with the hub's NHS;
# the hub has a LAN (1.1.1.1/24 on lan0) the spokes ping.
#
#   (lab_conf, the nodes' configuration, is in dmvpnd.sh)
#   lab_up N              the hub and spokes s1..sN (namespaces, dmvpn0)
#   lab_start N           dmvpnd on the hub and the N spokes
#   spoke_nbma I          spoke I's NBMA address (209.168.202.140+I)
#   spoke_overlay I       its overlay address (192.168.1.10+I)
#   bg_ping NS DST [TAG]  ping DST from NS every 0.2 s in the background
#   bg_ping_stop NS [TAG] stop it; prints "LOST SENT"
#   rss_kb PID            VmRSS of a process, KB
#   registered I...       spokes I... in the hub's NHRP cache, their NHS up
#   module_spis NS        the SAs in NS's module, a "dir":"in","spi":N line each
#   sas_owned NS...       every SA in each NS's module is one its dmvpnd
#                         knows, and every pair it holds installed is there

LAB_LANH=1.1.1.1
LAB_HUB_NHRP=' ip nhrp authentication cisco123\n ip nhrp map multicast dynamic\n ip nhrp network-id 1\n ip nhrp holdtime 300'
LAB_SPOKE_NHRP=" ip nhrp authentication cisco123\n ip nhrp map $HUB_O $HUB\n ip nhrp map multicast $HUB\n ip nhrp network-id 1\n ip nhrp holdtime 300\n ip nhrp nhs $HUB_O"

spoke_nbma() { echo "209.168.202.$((140 + $1))"; }
spoke_overlay() { echo "192.168.1.$((10 + $1))"; }

lab_up() {
	local i
	wan_up
	node hub "$HUB/24"
	mgre_dev hub "$HUB" "$HUB_O/24" key 0 && ip -n hub link set dmvpn0 mtu 1440 || return 1
	ip -n hub link add lan0 type dummy && ip -n hub addr add $LAB_LANH/24 dev lan0 &&
		ip -n hub link set lan0 up || return 1
	for i in $(seq "$1"); do
		node "s$i" "$(spoke_nbma "$i")/24"
		mgre_dev "s$i" "$(spoke_nbma "$i")" "$(spoke_overlay "$i")/24" key 0 &&
			ip -n "s$i" link set dmvpn0 mtu 1440 || return 1
		ip -n "s$i" route add 1.1.1.0/24 via "$HUB_O" || return 1
	done
}

lab_start() {	# lab_start N [PROFILE_LINES]: configurations in $TMPDIR, daemons up
	local i
	lab_conf "$TMPDIR/$SCENARIO-hub.conf" "$HUB_O" "$LAB_HUB_NHRP" "${2:-}"
	dnode_start hub "$TMPDIR/$SCENARIO-hub.conf" || return 1
	for i in $(seq "$1"); do
		lab_conf "$TMPDIR/$SCENARIO-s$i.conf" "$(spoke_overlay "$i")" "$LAB_SPOKE_NHRP" "${2:-}"
		dnode_start "s$i" "$TMPDIR/$SCENARIO-s$i.conf" || return 1
	done
}

bg_ping() {
	local f=$TMPDIR/$SCENARIO-$1${3:+-$3}.ping
	ip netns exec "$1" ping -n -i 0.2 -W 1 "$2" >"$f" 2>&1 &
	echo $! >"$f.pid"
}

bg_ping_stop() {
	local f=$TMPDIR/$SCENARIO-$1${2:+-$2}.ping pid sent got
	pid=$(cat "$f.pid")
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$f")
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$f")
	echo "$((${sent:-0} - ${got:-0})) ${sent:-0}"
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# JSON read with grep (flat objects, one field order): python's start costs
# seconds under TCG, and these run in polling loops
registered() {	# registered I...: spokes I... in the hub's cache, their NHS up
	local i c
	c=$(dn hub -j show ip nhrp) || return 1
	for i; do
		grep -q "\"target\":\"$(spoke_overlay "$i")/32\",\"via\":\"[^\"]*\",\"type\":\"dynamic\",\"flags\":\"[^\"]*\",\"nbma\":\"$(spoke_nbma "$i")\"" <<<"$c" ||
			{ echo "spoke $i not in the hub's cache"; return 1; }
		dn "s$i" -j show ip nhrp nhs | grep -q '"flags":"[^"]*R[^"]*","state":"UP"' ||
			{ echo "spoke $i: NHS not up"; return 1; }
	done
}

module_spis() { ctl "$1" -j sa show dev dmvpn0 | grep -o '"dir":"[a-z]*","spi":[0-9]*'; }

sas_owned() {	# sas_owned NS...
	local ns args=()
	for ns; do
		args+=("$ns" "$(ctl "$ns" -j sa show dev dmvpn0)" "$(dn "$ns" -j show crypto ipsec sa)") ||
			return 1
	done
	python3 -c '
import json, sys
bad = False
a = sys.argv[1:]
for ns, mod, pairs in zip(a[0::3], a[1::3], a[2::3]):
    mod = json.loads(mod or "[]")
    pairs = json.loads(pairs)
    have = {(s["dir"], s["spi"]) for s in mod}
    known = set()
    for c in pairs:
        known |= {("in", c["inbound_spi"]), ("out", c["outbound_spi"])}
    orphans = sorted(have - known)
    missing = sorted(x for c in pairs if c["in_kernel"]
                     for x in (("in", c["inbound_spi"]), ("out", c["outbound_spi"]))
                     if x not in have)
    print("%s: %d SAs in the module, %d pairs in dmvpnd; orphans %s, missing %s" %
          (ns, len(have), len(pairs), orphans, missing))
    bad |= bool(orphans or missing)
sys.exit(bad)' "${args[@]}"
}

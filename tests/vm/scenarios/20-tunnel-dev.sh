#!/bin/bash
# 20: the tunnel devices dmvpnd makes from "interface TunnelN" blocks,
# seed 004's two routers from examples/: an mGRE hub (tunnel source
# Ethernet0/0, tunnel key 1, ip mtu 1400, ip tcp adjust-mss 1360) and a
# point-to-point GRE spoke (tunnel destination the hub).  The spoke
# registers over them; a TCP SYN forwarded into the hub's tunnel leaves
# with MSS 1360 (nftables, table inet dmvpnd); a reload applies a new MTU,
# description and no adjust-mss without touching the tunnel (same device,
# same SAs, the registration kept); shutdown / no shutdown; a restart
# adopts the device; a tunnel removed from the file loses its device.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../dmvpnd.sh"

MGRE_DEV=Tunnel0	# peer_stat reads this device
HUB=172.16.10.1 SPOKE=172.16.1.1 HUB_O=10.1.1.254 SPOKE_O=10.1.1.1 HLAN=10.20.0

EX=$TOP/examples
# variant NAME SED-SCRIPT: the hub's example file changed by SED-SCRIPT, as $TMPDIR/20-NAME.conf
variant() { (umask 077 && sed "$2" "$EX/004-hub.conf" >"$TMPDIR/20-$1.conf"); }

ifindex() { ip -n "$1" -o link show Tunnel0 2>/dev/null | cut -d: -f1; }
link_has() { ip -n "$1" -d link show Tunnel0 | tr '\n' ' ' | grep -Eq "$2"; }
reload() {	# reload NS FILE: SIGHUP with a new file, wait for the log line
	local dir n log=$RESULTS/$SCENARIO-$1-dmvpnd.log t0
	dir=$(dnode_dir "$1")
	n=$(grep -c 'configuration reloaded' "$log")
	install -m 600 "$2" "$dir/dmvpnd.conf"
	t0=$(date +%s)
	kill -HUP "$(dnode_pid "$1")"
	# a CI run under TCG once saw two of these reloads (the ones that
	# delete the nftables table) take over 20 s, after scenario 19's
	# namespaces; dmvpnd names any step slower than 1 s in its log, and
	# the log's end is printed here when the line is late
	if ! until_ok 30 test "$(grep -c 'configuration reloaded' "$log")" -gt "$n"; then
		echo "no 'configuration reloaded' after $(($(date +%s) - t0)) s; the log's end:"
		tail -n 12 "$log"
		return 1
	fi
}
syn_mss() {	# syn_mss: the MSS of a SYN from the hub's LAN host to the spoke, leaving Tunnel0
	local out
	ip netns exec hub timeout 8 tcpdump -l -n -v -c 1 -i Tunnel0 'tcp[tcpflags] & tcp-syn != 0' \
		>"$TMPDIR/20-syn.txt" 2>/dev/null &
	sleep 1
	ip netns exec hl timeout 2 bash -c "echo >/dev/tcp/$SPOKE_O/5000" 2>/dev/null
	wait
	out=$(grep -o 'mss [0-9]*' "$TMPDIR/20-syn.txt" | head -n 1)
	echo "${out#mss }"
}
RESULTS=${RESULTS:-$TMPDIR}

check "modprobe mgre" modprobe mgre
wan_up && node hub "$HUB/16" && node s1 "$SPOKE/16" || skip_rest "no lab"
# a host on the hub's LAN whose TCP goes through the tunnel
ip netns add hl && MGRE_NODES+=(hl)
ip link add eth1 netns hub type veth peer name eth0 netns hl
ip -n hub addr add "$HLAN.1/24" dev eth1 && ip -n hub link set eth1 up
ip -n hl addr add "$HLAN.2/24" dev eth0 && ip -n hl link set eth0 up && ip -n hl link set lo up
ip -n hl route add default via "$HLAN.1"
ip netns exec hub sysctl -qw net.ipv4.ip_forward=1

# seed 004's two routers, from examples/ as they are
check "dmvpnd on the hub (examples/004-hub.conf)" dnode_start hub "$EX/004-hub.conf"
check "dmvpnd on the spoke (examples/004-spoke.conf)" dnode_start s1 "$EX/004-spoke.conf"
check "hub: Tunnel0 is mgre, multipoint, source eth0's $HUB, key 1" \
	until_ok 10 link_has hub "mgre local $HUB .*key 1"
check "hub: mtu 1400, up" link_has hub "[<,]UP[,>].* mtu 1400 "
check "hub: ip address $HUB_O/24" sh -c "ip -n hub -4 addr show dev Tunnel0 | grep -q 'inet $HUB_O/24'"
check "spoke: Tunnel0 point-to-point to $HUB" link_has s1 "POINTOPOINT.*mgre local $SPOKE remote $HUB .*key 1"
ip -n s1 -d link show Tunnel0 | sed 's/^/#   /'
check "the spoke registers over the p2p tunnel" until_ok 30 nhs_up s1
check "hub: the spoke dynamic, NBMA $SPOKE" cache_has hub "$SPOKE_O" dynamic "$SPOKE"
ip -n s1 route add "$HLAN.0/24" via "$HUB_O"
check "the hub's LAN host reaches the spoke through the tunnel" \
	ip netns exec hl ping -c 3 -i 0.2 -W 2 "$SPOKE_O"

# ip tcp adjust-mss 1360: the kernel's nftables, a table of dmvpnd's own
check "hub: nft table inet dmvpnd clamps SYNs on Tunnel0 to 1360" \
	sh -c "ip netns exec hub nft list table inet dmvpnd | grep -q 'oifname \"Tunnel0\" .*maxseg size set 1360'"
check "a SYN from the LAN (MSS 1460) leaves Tunnel0 with MSS 1360" test "$(syn_mss)" = 1360

# reload: mtu, description, no adjust-mss; the tunnel itself untouched
idx=$(ifindex hub)
spi=$(jq_dn hub "sorted(s['outbound_spi'] for s in d)" show crypto ipsec sa 2>/dev/null)
variant hub2 's/ip mtu 1400/ip mtu 1380/; /ip tcp adjust-mss/d; /^interface Tunnel0/a\
 description DMVPN hub, seed 004'
check "reload: ip mtu 1380, a description, no ip tcp adjust-mss" reload hub "$TMPDIR/20-hub2.conf"
check "after the reload: mtu 1380, the description as its alias" \
	until_ok 5 link_has hub "mtu 1380 .*alias DMVPN hub, seed 004"
check "the same device (ifindex $idx), not made again" test "$(ifindex hub)" = "$idx"
check "the same SAs" test "$(jq_dn hub "sorted(s['outbound_spi'] for s in d)" show crypto ipsec sa)" = "$spi"
check "no adjust-mss: the nft table is gone" sh -c "! ip netns exec hub nft list table inet dmvpnd"
check "the spoke's registration kept; traffic flows" \
	sh -c "ip netns exec hl ping -c 2 -i 0.2 -W 2 $SPOKE_O"
check "a SYN keeps its MSS now" test "$(syn_mss)" = 1460

# shutdown, no shutdown
variant hub3 '/^interface Tunnel0/a\
 shutdown'
check "reload with shutdown" reload hub "$TMPDIR/20-hub3.conf"
check "shutdown: Tunnel0 down" until_ok 5 sh -c "! ip -n hub link show Tunnel0 | grep -Eq '[<,]UP[,>]'"
variant hub ''
check "reload with no shutdown" reload hub "$TMPDIR/20-hub.conf"
check "no shutdown: Tunnel0 up" until_ok 5 link_has hub "[<,]UP[,>]"

# a restart adopts the device as it is
check "dmvpnd on the hub stops" dnode_stop hub
check "the device stays without dmvpnd" test "$(ifindex hub)" = "$idx"
check "dmvpnd on the hub again" dnode_start hub "$TMPDIR/20-hub.conf"
check "the same device adopted (ifindex $idx)" until_ok 5 test "$(ifindex hub)" = "$idx"
check "the spoke registers again" until_ok 40 cache_has hub "$SPOKE_O" dynamic "$SPOKE"

# the tunnel leaves the configuration: its device goes
variant hub4 '/^interface Tunnel0/,/^end/d'
check "reload without Tunnel0" reload hub "$TMPDIR/20-hub4.conf"
check "Tunnel0 removed" until_ok 5 sh -c "! ip -n hub link show Tunnel0 2>/dev/null"
check "the log says so" grep -q 'Tunnel0: no longer in the configuration: device removed' \
	"$RESULTS/$SCENARIO-hub-dmvpnd.log"

# a device of that name that is not an mgre one is left alone
dnode_stop s1
ip -n s1 link del Tunnel0 2>/dev/null
ip -n s1 link add Tunnel0 type dummy
check "spoke: dmvpnd with a non-mgre Tunnel0 there" dnode_start s1 "$EX/004-spoke.conf"
check "it says so and leaves it" until_ok 5 grep -q 'device Tunnel0 is there and is not an mgre device' \
	"$RESULTS/$SCENARIO-s1-dmvpnd.log"
check "the dummy Tunnel0 is untouched" sh -c "ip -n s1 -d link show Tunnel0 | grep -q dummy"
dnodes_stop
finish

# shellcheck shell=bash
# Helpers for the mgre scenarios (sourced after lib.sh).  Topology: one
# namespace "wan" holding a bridge; every node is a namespace with a veth
# into it.  The project's own binaries are used from the checkout.
#
#   wan_up                          create the underlay bridge
#   node NAME ADDR/LEN              a host on the underlay
#   mgre_dev NAME LOCAL OVERLAY/LEN [ip link options...]
#                                   create dmvpn0 (type mgre) and bring it up
#   behind_nat NAME NAT_OUT NAT_IN ADDR [ROUTER]
#                                   a NAT router ROUTER (default "nat") on the
#                                   underlay (NAT_OUT) masquerading a LAN (NAT_IN)
#                                   with host NAME (ADDR); a router already made
#                                   gets one more LAN (several hosts behind one NAT)
#   nhrp_map NAME OVERLAY NBMA      static NBMA mapping (ip neigh)
#   sa_pair A NBMA_A B NBMA_B SPI SA_ARGS...
#                                   inbound SA on B, then outbound on A (to B)
#   ctl NAME ARGS...                dmvpnctl in a namespace
#   peer_stat NAME NBMA FIELD       one counter of a peer (JSON)
#   capture NS IF FILE FILTER       tcpdump in the background ($TCPDUMP)
#   capture_stop                    let the last packets in, stop it
#   nodes_down                      delete every namespace made here

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DMVPNCTL="$TOP/daemon/ctl/dmvpnctl"
export IP_LIB_DIR="$TOP/tools/iproute2"
MGRE_NODES=()

wan_up() {
	ip netns add wan
	ip -n wan link add br0 type bridge
	ip -n wan link set br0 up
	ip -n wan link set lo up
	MGRE_NODES+=(wan)
}

node() {
	local name=$1 addr=$2
	ip netns add "$name"
	ip link add "u-$name" type veth peer name eth0 netns "$name"
	ip link set "u-$name" netns wan
	ip -n wan link set "u-$name" master br0 up
	ip -n "$name" link set lo up
	ip -n "$name" addr add "$addr" dev eth0
	ip -n "$name" link set eth0 up
	MGRE_NODES+=("$name")
}

behind_nat() {
	local name=$1 out=$2 in=$3 addr=$4 nat=${5:-nat} lan
	if ! ip netns list | grep -qw "^$nat"; then
		node "$nat" "$out/24"
		ip netns exec "$nat" sysctl -qw net.ipv4.ip_forward=1
		ip netns exec "$nat" iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
	fi
	lan=eth$(($(ip -n "$nat" -o link show | grep -c ': eth[0-9]*@')))
	ip netns add "$name"
	MGRE_NODES+=("$name")
	ip link add "$lan" netns "$nat" type veth peer name eth0 netns "$name"
	ip -n "$nat" addr add "$in/24" dev "$lan"
	ip -n "$nat" link set "$lan" up
	ip -n "$name" addr add "$addr/24" dev eth0
	ip -n "$name" link set eth0 up
	ip -n "$name" link set lo up
	ip -n "$name" route add default via "$in"
}

mgre_dev() {
	local name=$1 local=$2 overlay=$3
	shift 3
	ip -n "$name" link add dmvpn0 type mgre local "$local" "$@" || return 1
	ip -n "$name" addr add "$overlay" dev dmvpn0
	ip -n "$name" link set dmvpn0 up
}

nhrp_map() {
	ip -n "$1" neigh replace "$2" lladdr "$3" dev dmvpn0 nud permanent
}

ctl() {
	local name=$1
	shift
	ip netns exec "$name" "$DMVPNCTL" "$@"
}

# The receiver's inbound SA goes in first, so that no packet ever arrives
# for an SPI not installed yet (make-before-break).  NBMA_A is A's address
# as B sees it, NBMA_B is B's address as A sees it (they differ behind NAT).
sa_pair() {
	local a=$1 nbma_a=$2 b=$3 nbma_b=$4 spi=$5
	shift 5
	ctl "$b" sa add dev dmvpn0 nbma "$nbma_a" dir in spi "$spi" "$@" &&
	ctl "$a" sa add dev dmvpn0 nbma "$nbma_b" dir out spi "$spi" "$@"
}

peer_stat() {
	local name=$1 nbma=$2 field=$3
	ctl "$name" -j peer show dev "${MGRE_DEV:-dmvpn0}" nbma "$nbma" |
		python3 -c 'import json,sys
d=json.load(sys.stdin)
d=d[0] if isinstance(d,list) else d
s=d.get("stats",d)
print(s.get(sys.argv[1],d.get(sys.argv[1],"")))' "$field"
}

capture() {
	ip netns exec "$1" tcpdump -q -n -U --immediate-mode -i "$2" -w "$3" "$4" >/dev/null 2>&1 &
	TCPDUMP=$!
	sleep 1
}

capture_stop() {
	sleep 1
	kill "$TCPDUMP" 2>/dev/null
	wait "$TCPDUMP" 2>/dev/null
}

nodes_down() {
	local n
	for n in "${MGRE_NODES[@]}"; do
		ip netns del "$n" 2>/dev/null
	done
	MGRE_NODES=()
}

# The seed 002 DMVPN: hub 209.168.202.225 / 192.168.1.1, spokes
# .131 / 192.168.1.2 and .130 / 192.168.1.3, tunnel key 0, ip mtu 1440.
HUB=209.168.202.225 S1=209.168.202.131 S2=209.168.202.130
HUB_O=192.168.1.1 S1_O=192.168.1.2 S2_O=192.168.1.3

seed002_up() {
	wan_up
	node hub "$HUB/24"
	node s1 "$S1/24"
	node s2 "$S2/24"
	mgre_dev hub "$HUB" "$HUB_O/24" key 0 && ip -n hub link set dmvpn0 mtu 1440 &&
	mgre_dev s1 "$S1" "$S1_O/24" key 0 && ip -n s1 link set dmvpn0 mtu 1440 &&
	mgre_dev s2 "$S2" "$S2_O/24" key 0 && ip -n s2 link set dmvpn0 mtu 1440 || return 1
	nhrp_map hub "$S1_O" "$S1"
	nhrp_map hub "$S2_O" "$S2"
	nhrp_map s1 "$HUB_O" "$HUB"
	nhrp_map s1 "$S2_O" "$S2"
	nhrp_map s2 "$HUB_O" "$HUB"
	nhrp_map s2 "$S1_O" "$S1"
}

# SAs between every pair of seed002 nodes; $1 is a number making SPIs unique.
seed002_sas() {
	local base=$1
	shift
	sa_pair hub "$HUB" s1 "$S1" $((base + 1)) "$@" &&
	sa_pair s1 "$S1" hub "$HUB" $((base + 2)) "$@" &&
	sa_pair hub "$HUB" s2 "$S2" $((base + 3)) "$@" &&
	sa_pair s2 "$S2" hub "$HUB" $((base + 4)) "$@" &&
	sa_pair s1 "$S1" s2 "$S2" $((base + 5)) "$@" &&
	sa_pair s2 "$S2" s1 "$S1" $((base + 6)) "$@"
}

#!/bin/bash
# Inside the VM: a hub namespace and a namespace of N simulated spokes on
# one veth; the spokes' NBMA addresses (10.1.0.0/16) are routed to it, so
# the hub has one ARP entry for all of them, as behind a real gateway.
RES=$1
export MODROOT=$2
N=${3:-1000}
cd "$(dirname "$0")" || exit 1
. ./mgre.sh
. ./frr.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TMPDIR=/run
modprobe() { command modprobe -d "$MODROOT" "$@"; }
modprobe mgre
modprobe ip_gre
exec >"$RES/log" 2>&1
DMVPND="$TOP/daemon/dmvpnd/dmvpnd"

lab() {
	ip netns add hub
	ip netns add sim
	ip link add eth0 netns hub type veth peer name eth0 netns sim
	ip -n hub addr add 10.0.0.1/24 dev eth0
	ip -n sim addr add 10.0.0.2/24 dev eth0
	for n in hub sim; do
		ip -n $n link set eth0 up
		ip -n $n link set lo up
	done
	ip -n hub route add 10.1.0.0/16 via 10.0.0.2
	ip netns exec hub sysctl -qw net.core.rmem_max=16777216 net.core.wmem_max=16777216
}
lab_down() { ip netns del hub; ip netns del sim; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

run_sim() {	# run_sim LABEL: the simulated spokes against the hub that is up
	ip netns exec sim "$RES/nhrp_spokes" 10.0.0.1 172.16.0.1 10.1.0.0 172.16.1.0 "$N" 300 \
		| tee "$RES/$1.out"
}

# the simulator counts addresses straight up from 10.1.0.0: put those on lo
alias_flat() {
	ip -n sim addr flush dev lo
	ip -n sim link set lo up
	for ((i = 0; i < N; i++)); do
		echo "addr add 10.1.$((i >> 8)).$((i & 255))/32 dev lo"
	done | ip -n sim -b -
}

# 1. dmvpnd on mgre
lab
alias_flat
ip -n hub link add dmvpn0 type mgre local 10.0.0.1
ip -n hub addr add 172.16.0.1/16 dev dmvpn0
ip -n hub link set dmvpn0 up
mkdir -p "$TMPDIR/bh"
cat >"$TMPDIR/bh/dmvpnd.conf" <<CONF
interface dmvpn0
 ip address 172.16.0.1 255.255.0.0
 ip nhrp network-id 1
 ip nhrp map multicast dynamic
 tunnel source eth0
 tunnel mode gre multipoint
CONF
chmod 600 "$TMPDIR/bh/dmvpnd.conf"
ip netns exec hub "$DMVPND" -f -c "$TMPDIR/bh/dmvpnd.conf" -s "$TMPDIR/bh/sock" -S "$TMPDIR/bh" \
	>"$RES/dmvpnd.log" 2>&1 &
pid=$!
sleep 3
r0=$(rss_kb $pid) s0=$(slab_kb)
run_sim dmvpnd
sleep 1
r1=$(rss_kb $pid) s1=$(slab_kb)
ours_neigh=$(ip -n hub neigh show dev dmvpn0 | grep -c PERMANENT)
kill $pid
wait $pid
lab_down

# 2. FRR nhrpd on ip_gre
lab
alias_flat
ip -n hub tunnel add gre1 mode gre ttl 64 local 10.0.0.1 dev eth0
ip -n hub addr add 172.16.0.1/16 dev gre1
ip -n hub link set gre1 up
cat >"$TMPDIR/frr-hub.conf" <<CONF
interface gre1
 ip nhrp network-id 1
 ip nhrp holdtime 7200
 ip nhrp map multicast dynamic
 tunnel source eth0
exit
CONF
frr_start hub "$TMPDIR/frr" "$TMPDIR/frr-hub.conf"
sleep 3
fpid=$(cat "$TMPDIR/frr/nhrpd.pid") zpid=$(cat "$TMPDIR/frr/zebra.pid")
f0=$(rss_kb "$fpid") z0=$(rss_kb "$zpid") t0=$(slab_kb)
run_sim frr
sleep 1
f1=$(rss_kb "$fpid") z1=$(rss_kb "$zpid") t1=$(slab_kb)
frr_neigh=$(ip -n hub neigh show dev gre1 | grep -vc FAILED)
frr_stop "$TMPDIR/frr"
lab_down

rate() { sed -n 's/.*: \([0-9]*\)\/s.*/\1/p' "$RES/$1.out"; }
secs() { sed -n 's/.* in \([0-9.]*\) s.*/\1/p' "$RES/$1.out"; }
{
	echo "NHRP hub, $N spokes registering at once (no IPsec), same simulator"
	printf '%-22s %10s %12s %16s %18s\n' hub "converge s" "regs/s" "daemon KB/spoke" "kernel slab KB/spoke"
	printf '%-22s %10s %12s %16.2f %18.2f\n' "dmvpnd + mgre" "$(secs dmvpnd)" "$(rate dmvpnd)" \
		"$(echo "($r1 - $r0) / $N" | bc -l)" "$(echo "($s1 - $s0) / $N" | bc -l)"
	printf '%-22s %10s %12s %16.2f %18.2f\n' "FRR nhrpd+zebra, ip_gre" "$(secs frr)" "$(rate frr)" \
		"$(echo "($f1 - $f0 + $z1 - $z0) / $N" | bc -l)" "$(echo "($t1 - $t0) / $N" | bc -l)"
	echo "neighbour entries made: dmvpnd $ours_neigh, FRR $frr_neigh"
	r=$(rate dmvpnd) f=$(rate frr)
	[ -n "$r" ] && [ -n "$f" ] && [ "$f" -gt 0 ] &&
		echo "registrations per second, dmvpnd / FRR: $(echo "scale=2; $r / $f" | bc)"
} >"$RES/report.tmp"
mv "$RES/report.tmp" "$RES/report"

#!/bin/bash
# Inside the VM (make bench-spokes): N simulated spokes (tests/bench/spokes.c,
# one process in namespace "sim", each spoke its own NBMA address on lo)
# against a hub in namespace "hub", the two joined by one veth:
#   1. dmvpnd + mgre as seed 002's hub (lab_conf: 3des md5 group 2, ESP
#      3des md5 transport, NHRP authentication cisco123, a /16 overlay):
#      IKE (Main Mode + Quick Mode) of every spoke at once, then the keys
#      into the simulator's XFRM, then a Registration Request from each
#      spoke, encrypted; the hub measured between the phases.
#   2. strongSwan's charon as the hub (a wildcard PSK, transport-mode GRE
#      proxies, the same proposals): the same spokes, IKE only.
# Figures to $RES/report, the logs beside it.  A benchmark, not a test.
RES=$1
export MODROOT=$2
N=${3:-500}
export RESULTS=$RES
cd "$(dirname "$0")" || exit 1
. ./lib.sh
SCENARIO=bench-spokes
. ./mgre.sh
. ./dmvpnd.sh
. ./nhrp_lab.sh
. ./swan.sh
exec >"$RES/log" 2>&1
set -x

SIM=$TOP/tests/bench/spokes
HZ=$(getconf CLK_TCK)
HUB_LAN=192.168.1.1	# the hub's overlay address, a /16 for all the spokes
SIM_ADDR=209.168.202.2
# charon: the IKE_SA table sized for hundreds of peers (its default is one
# bucket); threads as shipped (16)
SWAN_TUNE='ikesa_table_size = 1024
	ikesa_table_segments = 16'

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
now() { date +%s.%N; }
calc() { python3 -c "print($*)"; }
snmp_udp() {	# snmp_udp NS FIELD
	ip netns exec "$1" awk -v f="$2" '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c[f] }' /proc/net/snmp
}
module_sas() { ctl hub -j sa show dev dmvpn0 | grep -o '"spi":' | wc -l; }
xfrm_states() { ip -n hub xfrm state count | grep -o '[0-9]*' | head -n 1; }
# wait_for SECS WANT CMD...: poll CMD until it prints WANT or more; prints the
# wall clock then (or "never")
wait_for() {
	local end=$(($(date +%s) + $1)) want=$2 got
	shift 2
	while [ "$(date +%s)" -lt "$end" ]; do
		got=$("$@")
		[ "${got:-0}" -ge "$want" ] && { now; return 0; }
		sleep 0.2
	done
	echo never
	return 1
}
# sim_until WORD: wait until the simulator's output has a line starting with WORD
sim_until() {
	local i
	for i in $(seq 3000); do
		grep -q "^$1" "$RES/$2.out" && return 0
		kill -0 "$SIMPID" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

lab() {
	ip netns add hub
	ip netns add sim
	ip link add eth0 netns hub type veth peer name eth0 netns sim
	ip -n hub addr add "$HUB/24" dev eth0
	ip -n sim addr add "$SIM_ADDR/24" dev eth0
	for n in hub sim; do
		ip -n $n link set eth0 up
		ip -n $n link set lo up
	done
	# the spokes behind one gateway, as a hub sees many sites
	ip -n hub route add 10.1.0.0/16 via "$SIM_ADDR"
	for ((i = 1; i <= N; i++)); do
		echo "addr add 10.1.$((i >> 8)).$((i & 255))/32 dev lo"
	done | ip -n sim -b -
}
lab_down() { ip netns del hub; ip netns del sim; }

# The kernel's first SA of an algorithm instantiates its crypto templates
# (authenc, echainiv and the DRBG behind it, with their self-tests): seconds
# under TCG, paid once a boot by whichever run came first.  Pay it here, for
# both hubs alike: one XFRM pair with seed 002's algorithms in a scratch
# namespace (the mgre module allocates the same authenc transform).
crypto_warm() {
	local e=0x000102030405060708090a0b0c0d0e0f1011121314151617 a=0x000102030405060708090a0b0c0d0e0f
	ip netns add warm
	ip -n warm link set lo up
	ip -n warm xfrm state add src 127.0.0.1 dst 127.0.0.2 proto esp spi 0x100 mode transport \
		enc 'cbc(des3_ede)' $e auth-trunc 'hmac(md5)' $a 96 &&
	ip -n warm xfrm state add src 127.0.0.2 dst 127.0.0.1 proto esp spi 0x101 mode transport \
		enc 'cbc(des3_ede)' $e auth-trunc 'hmac(md5)' $a 96
	ip netns del warm
}
# slabinfo FILE: each slab cache's bytes (objects x size) now
slabinfo() { awk 'NR > 2 { print $1, $3 * $4 }' /proc/slabinfo >"$1"; }
# slab_top A B: the caches that grew most from A to B, KB
slab_top() {
	python3 - "$1" "$2" <<'EOF'
import sys
a = dict(l.split() for l in open(sys.argv[1]))
b = dict(l.split() for l in open(sys.argv[2]))
d = sorted(((int(v) - int(a.get(k, 0))) / 1024, k) for k, v in b.items())
print(", ".join("%s +%.0f" % (k, kb) for kb, k in reversed(d[-6:]) if kb > 0))
EOF
}

modprobe mgre || exit 1
crypto_warm
lab
LAB_MASK=255.255.0.0 lab_conf "$TMPDIR/spoke.conf" 192.168.2.1 " ip nhrp authentication cisco123\n ip nhrp network-id 1" \
	" set security-association lifetime seconds 3600"
LAB_MASK=255.255.0.0 lab_conf "$TMPDIR/hub.conf" "$HUB_LAN" "$LAB_HUB_NHRP" \
	" set security-association lifetime seconds 3600"
echo "$(nproc) vCPUs, $(free -m | awk '/^Mem:/ { print $2 }') MB"

# 1. dmvpnd on mgre
mgre_dev hub "$HUB" "$HUB_LAN/16" key 0 && ip -n hub link set dmvpn0 mtu 1440 || exit 1
export DNODE_DEBUG=	# as in service: no debug trace
dnode_start hub "$TMPDIR/hub.conf" || exit 1
sleep 2
hub=$(dnode_pid hub)
rss0=$(rss_kb "$hub") slab0=$(slab_kb) cpu0=$(cpu_ticks "$hub") udp0=$(snmp_udp hub RcvbufErrors)
slabinfo "$RES/slab.d0"
mkfifo "$TMPDIR/go"
ip netns exec sim "$SIM" -c "$TMPDIR/spoke.conf" -H "$HUB" -O "$HUB_LAN" -n "$N" -s 10.1.0.1 \
	-o 192.168.2.1 -m full -k 0 -a cisco123 -t 400 -w <"$TMPDIR/go" >"$RES/dmvpnd.out" 2>"$RES/dmvpnd.err" &
SIMPID=$!
exec 8>"$TMPDIR/go"
sim_until "waiting before xfrm" dmvpnd
# the hub is done when its module holds both SAs of every spoke
d_done=$(wait_for 120 $((2 * N)) module_sas)
cpu1=$(cpu_ticks "$hub") rss1=$(rss_kb "$hub") slab1=$(slab_kb) udp1=$(snmp_udp hub RcvbufErrors)
slabinfo "$RES/slab.d1"
d_sas=$(module_sas)
dn hub show crypto call admission statistics >"$RES/cac"
echo go >&8
sim_until "waiting before nhrp" dmvpnd
slab2=$(slab_kb) rss2=$(rss_kb "$hub") cpu2=$(cpu_ticks "$hub")
slabinfo "$RES/slab.d2"
echo go >&8
wait "$SIMPID"
d_rc=$?
exec 8>&-
sleep 1
cpu3=$(cpu_ticks "$hub") rss3=$(rss_kb "$hub") slab3=$(slab_kb)
slabinfo "$RES/slab.d3"
d_cache=$(dn hub -j show ip nhrp | grep -o '"type":"dynamic"' | wc -l)
d_neigh=$(ip -n hub neigh show dev dmvpn0 | grep -c .)
dn hub show ip nhrp traffic >"$RES/nhrp-traffic" 2>&1
dn hub show dmvpn >"$RES/dmvpn" 2>&1
dnode_stop hub
ip -n sim xfrm state flush
ip -n sim xfrm policy flush
ip -n hub link del dmvpn0
sleep 2

# 2. charon, IKE only
SWAN_LOG_LEVEL=0 SWAN_CHARON_EXTRA=$SWAN_TUNE swan_start hub "$TMPDIR/swan" || exit 1
swan_hub_conf "$TMPDIR/swan" "$HUB" cisco123 3des-md5-modp1024 3des-md5 || exit 1
sleep 2
spid=$(swan_pid "$TMPDIR/swan")
srss0=$(rss_kb "$spid") sslab0=$(slab_kb) scpu0=$(cpu_ticks "$spid") sudp0=$(snmp_udp hub RcvbufErrors)
slabinfo "$RES/slab.s0"
ip netns exec sim "$SIM" -c "$TMPDIR/spoke.conf" -H "$HUB" -O "$HUB_LAN" -n "$N" -s 10.1.0.1 \
	-m ike -t 400 >"$RES/charon.out" 2>"$RES/charon.err" &
SIMPID=$!
wait "$SIMPID"
s_rc=$?
s_done=$(wait_for 120 $((2 * N)) xfrm_states)
scpu1=$(cpu_ticks "$spid") srss1=$(rss_kb "$spid") sslab1=$(slab_kb) sudp1=$(snmp_udp hub RcvbufErrors)
slabinfo "$RES/slab.s1"
s_sas=$(xfrm_states)
swan_ctl "$TMPDIR/swan" --stats >"$RES/charon-stats" 2>&1
swan_stop hub "$TMPDIR/swan"
lab_down

field() {	# field FILE PHASE REGEX: the first group of REGEX on PHASE's line
	sed -n "s/^$2: .*$3.*/\\1/p" "$RES/$1.out" | head -n 1
}
{
	d_start=$(sed -n 's/^start: //p' "$RES/dmvpnd.out")
	s_start=$(sed -n 's/^start: //p' "$RES/charon.out")
	echo "# $(uname -r), $(nproc) vCPUs (TCG), $N spokes at once from one simulator process," \
		"IKEv1 MM+QM 3des/md5/group 2, ESP 3des/md5 transport (seed 002)"
	echo "## dmvpnd + mgre as the hub"
	echo "simulator: $(grep '^ike:' "$RES/dmvpnd.out")"
	echo "simulator: $(grep '^xfrm:' "$RES/dmvpnd.out")"
	echo "simulator: $(grep '^nhrp:' "$RES/dmvpnd.out")"
	echo "SAs in the hub's module: $d_sas (want $((2 * N))); NHRP cache: $d_cache dynamic entries;" \
		"neighbours on dmvpn0: $d_neigh"
	echo "hub UDP receive buffer drops during IKE: $((udp1 - udp0))"
	python3 - "$d_start" "$d_done" "$N" <<EOF
import sys
start, done, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
hz = $HZ
if done != "never":
    t = float(done) - float(start)
    print("IKE converged at the hub (module SAs 2N) in %.1f s: %.1f handshakes/s" % (t, n / t))
print("hub dmvpnd CPU: IKE %.2f s (%.1f ms a handshake), NHRP %.2f s" %
      (($cpu1 - $cpu0) / hz, 1000.0 * ($cpu1 - $cpu0) / hz / n, ($cpu3 - $cpu2) / hz))
print("hub dmvpnd RSS: %d KB idle, +%d KB after IKE, +%d KB after NHRP: %.2f KB a spoke" %
      ($rss0, $rss1 - $rss0, $rss3 - $rss0, ($rss3 - $rss0) / n))
print("kernel slab: +%d KB for the hub's IKE (module SAs), +%d KB for its NHRP (neighbours,"
      " peers, routes): %.2f KB a spoke; the simulator's own XFRM states +%d KB (not counted)" %
      ($slab1 - $slab0, $slab3 - $slab2, (($slab1 - $slab0) + ($slab3 - $slab2)) / n, $slab2 - $slab1))
EOF
	echo "slab caches grown by the hub's IKE (KB): $(slab_top "$RES/slab.d0" "$RES/slab.d1")"
	echo "slab caches grown by the hub's NHRP (KB): $(slab_top "$RES/slab.d2" "$RES/slab.d3")"
	echo "## strongSwan charon $(dpkg-query -W -f "\${Version}" strongswan-charon 2>/dev/null) as the hub, IKE only"
	echo "simulator: $(grep '^ike:' "$RES/charon.out")"
	echo "XFRM states in the hub: $s_sas (want $((2 * N)))"
	echo "hub UDP receive buffer drops during IKE: $((sudp1 - sudp0))"
	python3 - "$s_start" "$s_done" "$N" <<EOF
import sys
start, done, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
hz = $HZ
if done != "never":
    t = float(done) - float(start)
    print("IKE converged at the hub (XFRM states 2N) in %.1f s: %.1f handshakes/s" % (t, n / t))
print("hub charon CPU: IKE %.2f s (%.1f ms a handshake)" %
      (($scpu1 - $scpu0) / hz, 1000.0 * ($scpu1 - $scpu0) / hz / n))
print("hub charon RSS: %d KB idle, +%d KB after IKE: %.2f KB a spoke" %
      ($srss0, $srss1 - $srss0, ($srss1 - $srss0) / n))
print("kernel slab: +%d KB (XFRM states and policies): %.2f KB a spoke" %
      ($sslab1 - $sslab0, ($sslab1 - $sslab0) / n))
EOF
	echo "slab caches grown by charon's IKE (KB): $(slab_top "$RES/slab.s0" "$RES/slab.s1")"
	echo "## side by side"
	python3 - "$d_start" "$d_done" "$s_start" "$s_done" "$N" <<EOF
import sys
ds, dd, ss, sd, n = sys.argv[1:6]
n = int(n)
hz = $HZ
if "never" not in (dd, sd):
    d = n / (float(dd) - float(ds))
    s = n / (float(sd) - float(ss))
    print("handshakes/s at the hub: dmvpnd %.1f, charon %.1f: ratio %.2f" % (d, s, d / s))
dc = ($cpu1 - $cpu0) / hz
sc = ($scpu1 - $scpu0) / hz
if dc > 0:
    print("hub CPU a handshake: dmvpnd %.1f ms, charon %.1f ms: charon / dmvpnd %.2f" %
          (1000 * dc / n, 1000 * sc / n, sc / dc))
EOF
	echo "simulator exit: dmvpnd run $d_rc, charon run $s_rc (0: every spoke through every phase)"
	echo "dmvpnd's call admission after IKE:"
	sed 's/^/  /' "$RES/cac"
} >"$RES/report.tmp"
mv "$RES/report.tmp" "$RES/report"

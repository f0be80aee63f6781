#!/bin/bash
# Inside the VM: namespace pairs on veth, one with mgre, one with ip_gre +
# XFRM (same ESP algorithm, keys and replay window), and one with plain
# ip_gre and no ESP (the ceiling of the framing); iperf3 TCP and 64-byte
# UDP through each, REPEATS runs per row interleaved across the paths,
# medians reported; openssl speed as the cipher ceiling.
RES=$1
export MODROOT=$2
SECS=${3:-10}
REPEATS=${4:-3}
cd "$(dirname "$0")" || exit 1
. ./mgre.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TMPDIR=/run
modprobe() { command modprobe -d "$MODROOT" "$@"; }
modprobe mgre
modprobe -a ip_gre esp4 xfrm_user
EK=00112233445566778899aabbccddeeff
AK=0102030405060708090a0b0c0d0e0f1011121314
MK=0102030405060708090a0b0c0d0e0f10
GK=000102030405060708090a0b0c0d0e0f10111213
WIN=1024	# mgre's default replay window; XFRM gets the same
exec >"$RES/log" 2>&1
set -x

# veth: GRO on gives each end a NAPI instance (veth_napi_add, since 5.13,
# without XDP), and threaded NAPI runs it in a kthread rather than in the
# sender's softirq, so the receive side can run on the other vCPU.
napi() {	# napi NS
	ip netns exec "$1" ethtool -K eth0 gro on ||
		echo "napi: $1: no GRO on veth"
	ip netns exec "$1" sh -c 'echo 1 >/sys/class/net/eth0/threaded' ||
		echo "napi: $1: no threaded NAPI on veth"
	ip netns exec "$1" ethtool -k eth0 | grep -E 'generic-receive-offload|rx-gro-list'
	ip netns exec "$1" cat /sys/class/net/eth0/threaded
}

pair() {	# pair A B: namespaces on one veth, 10.0.0.1 and 10.0.0.2
	ip netns add "$1"
	ip netns add "$2"
	ip link add eth0 netns "$1" type veth peer name eth0 netns "$2"
	ip -n "$1" addr add 10.0.0.1/24 dev eth0
	ip -n "$2" addr add 10.0.0.2/24 dev eth0
	for n in "$1" "$2"; do
		ip -n "$n" link set eth0 up
		ip -n "$n" link set lo up
	done
	napi "$1"
	napi "$2"
}

setup_mgre() {	# setup_mgre ALG-ARGS...
	pair ma mb
	for n in ma:1:2 mb:2:1; do
		ns=${n%%:*} me=$(echo "$n" | cut -d: -f2) oth=${n##*:}
		ip -n "$ns" link add dmvpn0 type mgre local 10.0.0.$me key 1
		ip -n "$ns" addr add 10.1.1.$me/24 dev dmvpn0
		ip -n "$ns" link set dmvpn0 mtu 1400 up
		ip -n "$ns" neigh replace 10.1.1.$oth lladdr 10.0.0.$oth dev dmvpn0 nud permanent
	done
	ctl ma sa add dev dmvpn0 nbma 10.0.0.2 dir out spi 0x1001 replay-window $WIN "$@"
	ctl mb sa add dev dmvpn0 nbma 10.0.0.1 dir in spi 0x1001 replay-window $WIN "$@"
	ctl mb sa add dev dmvpn0 nbma 10.0.0.1 dir out spi 0x1002 replay-window $WIN "$@"
	ctl ma sa add dev dmvpn0 nbma 10.0.0.2 dir in spi 0x1002 replay-window $WIN "$@"
}

gre_pair() {	# gre_pair A B: ip_gre between the two ends of a new veth pair
	pair "$1" "$2"
	for n in "$1":1:2 "$2":2:1; do
		ns=${n%%:*} me=$(echo "$n" | cut -d: -f2) oth=${n##*:}
		ip -n "$ns" tunnel add gre1 mode gre local 10.0.0.$me key 1 ttl 64
		ip -n "$ns" addr add 10.1.1.$me/24 dev gre1
		ip -n "$ns" link set gre1 mtu 1400 up
		ip -n "$ns" neigh replace 10.1.1.$oth lladdr 10.0.0.$oth dev gre1 nud permanent
	done
}

setup_gre() {	# plain ip_gre, no ESP
	gre_pair ga gb
}

setup_xfrm() {	# setup_xfrm XFRM-ALG-ARGS...
	gre_pair xa xb
	for n in xa:1:2 xb:2:1; do
		ns=${n%%:*} me=$(echo "$n" | cut -d: -f2) oth=${n##*:}
		ip -n "$ns" xfrm state add src 10.0.0.$me dst 10.0.0.$oth proto esp \
			spi 0x200$me mode transport replay-window $WIN "$@"
		ip -n "$ns" xfrm state add src 10.0.0.$oth dst 10.0.0.$me proto esp \
			spi 0x200$oth mode transport replay-window $WIN "$@"
		ip -n "$ns" xfrm policy add src 10.0.0.$me dst 10.0.0.$oth proto gre dir out \
			tmpl src 10.0.0.$me dst 10.0.0.$oth proto esp mode transport
		ip -n "$ns" xfrm policy add src 10.0.0.$oth dst 10.0.0.$me proto gre dir in \
			tmpl src 10.0.0.$oth dst 10.0.0.$me proto esp mode transport
	done
	ip -n xb xfrm state list | grep -A1 'anti-replay esn'	# replay_window
}

counters() {	# counters NS...: what explains a figure (reordering, replays, drops)
	for ns in "$@"; do
		ip netns exec "$ns" nstat -az TcpExtTCPSACKReorder TcpExtTCPTSReorder \
			TcpExtTCPRenoReorder TcpExtTCPRetransFail TcpRetransSegs \
			TcpExtTCPOFOQueue | sed "s/^/$ns /"
		ip -n "$ns" -s link show eth0 | sed "s/^/$ns /"
		case $ns in
		m*) ctl "$ns" peer show dev dmvpn0 | sed "s/^/$ns /" ;;
		x*) ip netns exec "$ns" awk '$2 != 0' /proc/net/xfrm_stat | sed "s/^/$ns /" ;;
		esac
	done
}

tcp() {	# tcp CLIENT-NS SERVER-NS: Mbit/s
	ip netns exec "$2" iperf3 -s -D -1 -B 10.1.1.2 >/dev/null 2>&1
	sleep 0.5
	ip netns exec "$1" iperf3 -c 10.1.1.2 -t "$SECS" -J 2>/dev/null |
		python3 -c 'import json,sys; print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))'
}

pps() {	# pps CLIENT-NS SERVER-NS: 64-byte UDP packets/s received
	ip netns exec "$2" iperf3 -s -D -1 -B 10.1.1.2 >/dev/null 2>&1
	sleep 0.5
	ip netns exec "$1" iperf3 -c 10.1.1.2 -u -l 64 -b 0 -t "$SECS" -J 2>/dev/null |
		python3 -c 'import json,sys; s=json.load(sys.stdin)["end"]["sum"]; print("%.0f" % ((s["packets"]-s["lost_packets"])/s["seconds"]))'
}

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print NR ? v[int((NR+1)/2)] : ""}'; }

ratio() { python3 -c "import sys; a,b=float(sys.argv[1] or 0),float(sys.argv[2] or 0); print('%.2f' % (a/b) if b else 'n/a')" "$1" "$2"; }

# measure KIND PATH...: REPEATS rounds, each running KIND (tcp or pps)
# through every PATH in turn (m: mgre, x: XFRM, g: plain GRE); sets
# med_m, med_x, med_g and logs every run.
measure() {
	local kind=$1 r p
	shift
	declare -A runs=()
	for r in $(seq "$REPEATS"); do
		for p in "$@"; do
			v=$("$kind" "${p}a" "${p}b")
			echo "run $kind $p $r: $v"
			runs[$p]="${runs[$p]} $v"
		done
	done
	for p in "$@"; do
		# shellcheck disable=SC2086
		eval "med_$p=$(median ${runs[$p]})"
		echo "runs $kind $p:${runs[$p]} median $(eval echo \$med_$p)"
	done
}

row() {	# row NAME UNIT MGRE XFRM GRE
	printf '%-17s %-6s mgre %7s  ip_gre+XFRM %7s  plain ip_gre %7s %-7s  mgre/XFRM %5s  mgre/GRE %5s  XFRM/GRE %5s\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$(ratio "$3" "$4")" "$(ratio "$3" "$5")" "$(ratio "$4" "$5")"
}

bench() {	# bench NAME: both kinds through mgre, XFRM (and GRE), rows to the report
	local name=$1
	measure tcp m x g
	counters ma mb xa xb
	echo "$name tcp mgre $med_m xfrm $med_x gre $med_g" >>"$RES/medians"
	row "$name" TCP "$med_m" "$med_x" "$med_g" Mbit/s >>"$RES/report.tmp"
	measure pps m x g
	counters ma mb xa xb
	echo "$name pps mgre $med_m xfrm $med_x gre $med_g" >>"$RES/medians"
	row "$name" UDP64 "$med_m" "$med_x" "$med_g" pkt/s >>"$RES/report.tmp"
}

med_m='' med_x='' med_g=''
: >"$RES/medians"
{
	echo "# $(uname -r), ${SECS}s per run, median of $REPEATS interleaved runs" \
		"(mgre, XFRM, plain GRE in turn), MTU 1400 overlays, replay window $WIN both sides," \
		"veth GRO + threaded NAPI, AES-NI: $(grep -qw aes /proc/cpuinfo && echo yes || echo no)"
} >"$RES/report.tmp"
# The plain GRE pair stays up throughout: its runs interleave with each
# cipher's, so every row has its own ceiling from the same minutes.
setup_gre
setup_mgre enc null auth md5 auth-key $MK
setup_xfrm enc 'ecb(cipher_null)' '' auth-trunc 'hmac(md5)' 0x$MK 96
bench "null+hmac-md5"
ip netns delete ma; ip netns delete mb; ip netns delete xa; ip netns delete xb
setup_mgre enc aes-gcm enc-key $GK
setup_xfrm aead 'rfc4106(gcm(aes))' 0x$GK 128
bench "aes128-gcm"
ip netns delete ma; ip netns delete mb; ip netns delete xa; ip netns delete xb
setup_mgre enc aes enc-key $EK auth sha1 auth-key $AK
setup_xfrm enc 'cbc(aes)' 0x$EK auth-trunc 'hmac(sha1)' 0x$AK 96
bench "aes128-cbc+sha1"
ip -all netns delete
{
	echo "# ceiling, userspace cipher speed on 1408-byte blocks (openssl speed):"
	openssl speed -seconds 2 -bytes 1408 -evp aes-128-gcm 2>/dev/null | tail -n 1
	openssl speed -seconds 2 -bytes 1408 -evp aes-128-cbc-hmac-sha1 2>/dev/null | tail -n 1
} >>"$RES/report.tmp"
mv "$RES/report.tmp" "$RES/report"

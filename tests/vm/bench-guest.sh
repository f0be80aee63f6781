#!/bin/bash
# Inside the VM: two namespace pairs on veth, one with mgre, one with
# ip_gre + XFRM, same ESP algorithm and keys; iperf3 TCP and 64-byte UDP
# through each, and openssl speed as the cipher ceiling.
RES=$1
export MODROOT=$2
SECS=${3:-10}
cd "$(dirname "$0")" || exit 1
. ./mgre.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TMPDIR=/run
modprobe() { command modprobe -d "$MODROOT" "$@"; }
modprobe mgre
modprobe -a ip_gre esp4 xfrm_user
EK=00112233445566778899aabbccddeeff
AK=0102030405060708090a0b0c0d0e0f1011121314
GK=000102030405060708090a0b0c0d0e0f10111213
exec >"$RES/log" 2>&1

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
	ctl ma sa add dev dmvpn0 nbma 10.0.0.2 dir out spi 0x1001 "$@"
	ctl mb sa add dev dmvpn0 nbma 10.0.0.1 dir in spi 0x1001 "$@"
	ctl mb sa add dev dmvpn0 nbma 10.0.0.1 dir out spi 0x1002 "$@"
	ctl ma sa add dev dmvpn0 nbma 10.0.0.2 dir in spi 0x1002 "$@"
}

setup_xfrm() {	# setup_xfrm XFRM-ALG-ARGS...
	pair xa xb
	for n in xa:1:2 xb:2:1; do
		ns=${n%%:*} me=$(echo "$n" | cut -d: -f2) oth=${n##*:}
		ip -n "$ns" tunnel add gre1 mode gre local 10.0.0.$me key 1 ttl 64
		ip -n "$ns" addr add 10.1.1.$me/24 dev gre1
		ip -n "$ns" link set gre1 mtu 1400 up
		ip -n "$ns" neigh replace 10.1.1.$oth lladdr 10.0.0.$oth dev gre1 nud permanent
		ip -n "$ns" xfrm state add src 10.0.0.$me dst 10.0.0.$oth proto esp \
			spi 0x200$me mode transport "$@"
		ip -n "$ns" xfrm state add src 10.0.0.$oth dst 10.0.0.$me proto esp \
			spi 0x200$oth mode transport "$@"
		ip -n "$ns" xfrm policy add src 10.0.0.$me dst 10.0.0.$oth proto gre dir out \
			tmpl src 10.0.0.$me dst 10.0.0.$oth proto esp mode transport
		ip -n "$ns" xfrm policy add src 10.0.0.$oth dst 10.0.0.$me proto gre dir in \
			tmpl src 10.0.0.$oth dst 10.0.0.$me proto esp mode transport
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

ratio() { python3 -c "import sys; a,b=float(sys.argv[1] or 0),float(sys.argv[2] or 0); print('%.2f' % (a/b) if b else 'n/a')" "$1" "$2"; }

report() {
	local name=$1 m_tcp=$2 x_tcp=$3 m_pps=$4 x_pps=$5
	printf '%-16s TCP  mgre %6s Mbit/s  ip_gre+XFRM %6s Mbit/s  ratio %s\n' \
		"$name" "$m_tcp" "$x_tcp" "$(ratio "$m_tcp" "$x_tcp")"
	printf '%-16s UDP64 mgre %6s pkt/s  ip_gre+XFRM %6s pkt/s  ratio %s\n' \
		"$name" "$m_pps" "$x_pps" "$(ratio "$m_pps" "$x_pps")"
}

{
	echo "# $(uname -r), ${SECS}s per run, MTU 1400 overlays, AES-NI: $(grep -qw aes /proc/cpuinfo && echo yes || echo no)"
	setup_mgre enc aes-gcm enc-key $GK
	setup_xfrm aead 'rfc4106(gcm(aes))' 0x$GK 128
	report "aes128-gcm" "$(tcp ma mb)" "$(tcp xa xb)" "$(pps ma mb)" "$(pps xa xb)"
	ip -all netns delete
	setup_mgre enc aes enc-key $EK auth sha1 auth-key $AK
	setup_xfrm enc 'cbc(aes)' 0x$EK auth-trunc 'hmac(sha1)' 0x$AK 96
	report "aes128-cbc-sha1" "$(tcp ma mb)" "$(tcp xa xb)" "$(pps ma mb)" "$(pps xa xb)"
	ip -all netns delete
	echo "# ceiling, userspace cipher speed on 1408-byte blocks (openssl speed):"
	openssl speed -seconds 2 -bytes 1408 -evp aes-128-gcm 2>/dev/null | tail -n 1
	openssl speed -seconds 2 -bytes 1408 -evp aes-128-cbc-hmac-sha1 2>/dev/null | tail -n 1
} >"$RES/report.tmp" 2>>"$RES/log"
mv "$RES/report.tmp" "$RES/report"

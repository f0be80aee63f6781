#!/bin/bash
# 08: what the keying daemon and NHRP rely on: ACQUIRE for traffic without
# an SA (and for an overlay address without an NBMA mapping), TRAFFIC when
# the hub relays spoke to spoke, soft and hard EXPIRE from packet and time
# lifetimes, NHRP (ethertype 0x2001) through AF_PACKET with the NBMA address
# as link-layer address, neighbour misses as application probes, and
# ip -d link show through the plugin.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

EK=00112233445566778899aabbccddeeff
AK=0102030405060708090a0b0c0d0e0f1011121314
EV=$TMPDIR/08-events

monitor() {	# monitor NS COUNT SECONDS: events into $EV in the background
	local i
	ip netns exec "$1" "$DMVPNCTL" -j monitor -c "$2" -t "$3" >"$EV" 2>&1 &
	MON=$!
	for i in $(seq 100); do	# subscribed before any traffic
		grep -q listening "$EV" && return 0
		sleep 0.1
	done
	return 1
}
events() { wait "$MON"; cat "$EV"; }
has_event() { grep -q "$1" "$EV"; }

check "modprobe mgre" modprobe mgre
check "seed 002 topology" seed002_up
check "ip -d link show prints the mgre options" \
	sh -c "ip -d -n hub link show dmvpn0 | grep -q 'mgre local $HUB remote any key 0 ttl inherit'"

# ACQUIRE: a peer without an outbound SA, and an overlay address without NBMA
monitor hub 2 10
ip netns exec hub ping -c 1 -W 1 "$S1_O" >/dev/null
ip netns exec hub ping -c 1 -W 1 192.168.1.77 >/dev/null
events
check "ACQUIRE names the peer and the overlay packet" \
	has_event "\"event\":\"acquire\",\"dev\":\"dmvpn0\",\"nbma\":\"$S1\",\"src\":\"$HUB_O\",\"dst\":\"$S1_O\""
check "ACQUIRE without a peer for an unmapped overlay address" \
	has_event "\"event\":\"acquire\",\"dev\":\"dmvpn0\",\"nbma\":\"0.0.0.0\",\"src\":\"$HUB_O\",\"dst\":\"192.168.1.77\""

# TRAFFIC: s1 reaches s2 through the hub (phase 1 DMVPN, no shortcut yet)
check "SAs" seed002_sas 0xa000 enc aes enc-key $EK auth sha1 auth-key $AK
nhrp_map s1 "$S2_O" "$HUB"
ip netns exec hub sysctl -qw net.ipv4.ip_forward=1
ip netns exec hub sysctl -qw net.ipv4.conf.all.send_redirects=0
ip netns exec hub sysctl -qw net.ipv4.conf.dmvpn0.send_redirects=0
monitor hub 1 10
check "s1 -> s2 relayed by the hub" ip netns exec s1 ping -c 2 -i 0.3 -W 2 "$S2_O"
events
check "the hub reports the relayed flow (TRAFFIC)" \
	has_event "\"event\":\"traffic\",\"dev\":\"dmvpn0\",\"nbma\":\"$S2\",\"src\":\"$S1_O\",\"dst\":\"$S2_O\""

# EXPIRE: soft at 3 packets, hard at 6, on a fresh outbound SA s2 -> hub
check "flush s2" ctl s2 flush dev dmvpn0
check "SA with packet limits" ctl s2 sa add dev dmvpn0 nbma "$HUB" dir out spi 0xb001 \
	enc aes enc-key $EK auth sha1 auth-key $AK soft-packets 3 hard-packets 6
monitor s2 2 15
ip netns exec s2 ping -c 8 -i 0.2 -W 1 "$HUB_O" >/dev/null
events
check "soft EXPIRE after 3 packets" has_event '"expire":"soft"'
check "hard EXPIRE after 6 packets" has_event '"expire":"hard"'
check "past the hard limit nothing is sent" \
	sh -c "! ip netns exec s2 ping -c 1 -W 1 $HUB_O"
gone() { ! ctl s2 -j sa show dev dmvpn0 | grep -q '"spi":45057'; }
sleep 2
check "the hard-expired SA is removed" gone

# time lifetimes: soft after 2 s, hard after 4 s
check "SA with time limits" ctl s2 sa add dev dmvpn0 nbma "$HUB" dir out spi 0xb002 \
	enc aes enc-key $EK auth sha1 auth-key $AK soft-seconds 2 hard-seconds 4
monitor s2 2 10
events
check "soft then hard EXPIRE by time" \
	sh -c "grep -q '\"expire\":\"soft\"' $EV && grep -q '\"expire\":\"hard\"' $EV"

# NHRP packets: AF_PACKET, ethertype 0x2001, NBMA address as link-layer address
nhrp() {
	local ready=$TMPDIR/08-nhrp-ready i
	rm -f "$ready"
	ip netns exec hub python3 - "$S1" "$ready" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x2001))
s.bind(("dmvpn0", 0x2001))
s.settimeout(20)
open(sys.argv[2], "w").close()
data, addr = s.recvfrom(2000)
ok = data == b"NHRP registration" and addr[1] == 0x2001 and addr[4] == socket.inet_aton(sys.argv[1])
print("hub got", data, addr)
sys.exit(0 if ok else 1)
PY
	local rx=$!
	for i in $(seq 200); do
		[ -e "$ready" ] && break
		sleep 0.1
	done
	ip netns exec s1 python3 - "$HUB" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x2001))
for i in range(3):
    s.sendto(b"NHRP registration", ("dmvpn0", 0x2001, 0, 0, socket.inet_aton(sys.argv[1])))
    time.sleep(0.3)
PY
	wait $rx
}
check "NHRP over AF_PACKET: sent to an NBMA address, received with the sender's" nhrp

# With ARP on (as opennhrp and FRR nhrpd run it), a neighbour miss reaches
# userspace as an application probe (RTM_GETNEIGH, "miss" in ip monitor).
app_probe() {
	local mon=$TMPDIR/08-neigh i
	ip -n s2 link set dmvpn0 arp on
	ip netns exec s2 sysctl -qw net.ipv4.neigh.dmvpn0.app_solicit=1 \
		net.ipv4.neigh.dmvpn0.ucast_solicit=0 net.ipv4.neigh.dmvpn0.mcast_solicit=0
	ip -n s2 monitor neigh >"$mon" 2>&1 &
	local pid=$!
	sleep 1
	ip netns exec s2 ping -c 1 -W 2 192.168.1.99 >/dev/null
	for i in $(seq 50); do
		grep -q 'miss 192.168.1.99 dev dmvpn0' "$mon" && break
		sleep 0.2
	done
	kill $pid
	cat "$mon"
	grep -q 'miss 192.168.1.99 dev dmvpn0' "$mon"
}
check "ARP on: a neighbour miss is an application probe" app_probe
nodes_down
finish

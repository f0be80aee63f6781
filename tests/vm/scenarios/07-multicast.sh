#!/bin/bash
# 07: multicast and broadcast overlay packets are replicated in the kernel
# to every NBMA address on the device's multicast list (static entries and
# dynamic ones, as "ip nhrp map multicast [dynamic]").
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

EK=00112233445566778899aabbccddeeff
AK=0102030405060708090a0b0c0d0e0f1011121314

rx() { ip -n "$1" -s -j link show dmvpn0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }

send_mcast() {
	ip netns exec hub python3 - "$HUB_O" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for i in range(5):
    s.sendto(b"hello routing protocol", ("224.0.0.9", 520))
PY
}

check "modprobe mgre" modprobe mgre
check "seed 002 topology" seed002_up
check "SAs" seed002_sas 0x9000 enc aes enc-key $EK auth sha1 auth-key $AK
check "multicast route on the hub overlay" ip -n hub route add 224.0.0.0/4 dev dmvpn0
check "static multicast entry s1" ctl hub mcast add dev dmvpn0 nbma "$S1"
check "dynamic multicast entry s2" ctl hub mcast add dev dmvpn0 nbma "$S2" dynamic
dup_refused() { ! ctl hub mcast add dev dmvpn0 nbma "$S1" 2>/dev/null; }
check "duplicate entry refused" dup_refused
s1_before=$(rx s1) s2_before=$(rx s2)
check "hub sends 5 multicast datagrams" send_mcast
sleep 0.5
check "s1 received all 5 replicas" test $(($(rx s1) - s1_before)) -ge 5
check "s2 received all 5 replicas" test $(($(rx s2) - s2_before)) -ge 5
listed() { ctl hub -j mcast show dev dmvpn0 | grep -q "\"$1\""; }
check "list shows s1" listed "$S1"
check "list shows s2" listed "$S2"
check "delete s2 from the list" ctl hub mcast del dev dmvpn0 nbma "$S2"
s1_before=$(rx s1) s2_before=$(rx s2)
check "hub sends again" send_mcast
sleep 0.5
check "s1 still receives" test $(($(rx s1) - s1_before)) -ge 5
check "s2 no longer receives" test $(($(rx s2) - s2_before)) -eq 0
nodes_down
finish

#!/bin/bash
# 06: NAT traversal.  The spoke sits behind a NAT router (iptables
# MASQUERADE); both ends use ESP-in-UDP on port 4500 through sockets handed
# to the module by dmvpnctl.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

HUB=198.51.100.1 NAT_OUT=198.51.100.2 NAT_IN=10.9.0.1 SPOKE=10.9.0.2
HUB_O=172.30.0.1 SPOKE_O=172.30.0.2
EK=00112233445566778899aabbccddeeff
AK=0102030405060708090a0b0c0d0e0f1011121314

check "modprobe mgre" modprobe mgre
wan_up
node hub "$HUB/24"
# the spoke's LAN behind a NAT router (iptables MASQUERADE)
behind_nat spoke $NAT_OUT $NAT_IN $SPOKE
check "NAT router: MASQUERADE" \
	ip netns exec nat iptables -t nat -C POSTROUTING -o eth0 -j MASQUERADE

check "hub mgre" mgre_dev hub $HUB $HUB_O/24 key 1
check "spoke mgre" mgre_dev spoke $SPOKE $SPOKE_O/24 key 1
nhrp_map hub $SPOKE_O $NAT_OUT
nhrp_map spoke $HUB_O $HUB
check "hub: UDP 4500 socket handed to the module" ctl hub encap set dev dmvpn0 port 4500
check "spoke: UDP 4500 socket handed to the module" ctl spoke encap set dev dmvpn0 port 4500
check "hub: peer behind NAT uses ESP-in-UDP" \
	ctl hub peer set dev dmvpn0 nbma $NAT_OUT encap udp sport 4500 dport 4500
check "spoke: hub uses ESP-in-UDP" \
	ctl spoke peer set dev dmvpn0 nbma $HUB encap udp sport 4500 dport 4500
# the hub knows the spoke by its NAT address, the spoke the hub by its own
check "SAs spoke -> hub" sa_pair spoke $NAT_OUT hub $HUB 0x8001 \
	enc aes enc-key $EK auth sha1 auth-key $AK
check "SAs hub -> spoke" sa_pair hub $HUB spoke $NAT_OUT 0x8002 \
	enc aes enc-key $EK auth sha1 auth-key $AK

cap=$(mktemp --suffix=.pcap)
ip netns exec hub tcpdump -q -n -i eth0 -w "$cap" udp port 4500 2>/dev/null &
tcpdump_pid=$!
sleep 1
check "spoke -> hub through the NAT" ip netns exec spoke ping -c 3 -i 0.2 -W 2 $HUB_O
check "hub -> spoke through the NAT" ip netns exec hub ping -c 3 -i 0.2 -W 2 $SPOKE_O
sleep 0.5
kill $tcpdump_pid
wait $tcpdump_pid 2>/dev/null
check "the hub saw UDP 4500 from the NAT address" \
	sh -c "tcpdump -n -r $cap 2>/dev/null | grep -q '$NAT_OUT.4500 > $HUB.4500: UDP-encap'"
check "hub decapsulated ESP-in-UDP" test "$(peer_stat hub $NAT_OUT rx_packets)" -ge 3
# IKE (non-ESP marker) still reaches the daemon's socket: keepalives are eaten
check "NAT keepalive (0xff) is absorbed, no error" \
	ip netns exec spoke python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('$SPOKE', 4501)); s.sendto(b'\xff', ('$HUB', 4500))"
check "encap socket detach" ctl hub encap del dev dmvpn0
rm -f "$cap"
nodes_down
finish

#!/bin/bash
# 05: make-before-break rekey under a 100 pps ping loses nothing; module
# unload and reload while traffic flows, without a kernel complaint.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

EK=00112233445566778899aabbccddeeff
AK=0102030405060708090a0b0c0d0e0f1011121314
EK2=ffeeddccbbaa99887766554433221100
AK2=1413121110090807060504030201000f0e0d0c0b

check "modprobe mgre" modprobe mgre
check "seed 002 topology" seed002_up
check "first generation SAs" seed002_sas 0x5000 enc aes enc-key $EK auth sha1 auth-key $AK

rekey() {
	# the responder's new inbound SA first, then the initiator's new
	# outbound one takes over; the old inbound SAs drain, then go
	sleep 2
	sa_pair hub "$HUB" s1 "$S1" 0x6001 enc aes enc-key $EK2 auth sha1 auth-key $AK2 || return 1
	sa_pair s1 "$S1" hub "$HUB" 0x6002 enc aes enc-key $EK2 auth sha1 auth-key $AK2 || return 1
	sleep 2
	ctl hub sa del dev dmvpn0 dir out spi 0x5001 nbma "$S1" &&
	ctl s1 sa del dev dmvpn0 dir out spi 0x5002 nbma "$HUB" &&
	sleep 1 &&
	ctl s1 sa del dev dmvpn0 dir in spi 0x5001 &&
	ctl hub sa del dev dmvpn0 dir in spi 0x5002
}

out=$(mktemp)
ip netns exec s1 ping -i 0.01 -c 800 -W 1 "$HUB_O" >"$out" 2>&1 &
ping_pid=$!
check "rekey both directions during the ping" rekey
wait $ping_pid
check "no ping lost across the rekey" grep -q ' 0% packet loss' "$out"
grep 'packet loss' "$out"
check "new outbound SA carries the traffic" \
	test "$(peer_stat s1 "$HUB" out_spi)" = "$((0x6002))"

# unload and reload while a ping runs
ip netns exec s1 ping -i 0.01 -c 600 -W 1 "$HUB_O" >"$out" 2>&1 &
ping_pid=$!
sleep 1
check "rmmod mgre while traffic flows" rmmod mgre
check "the devices went with the module" sh -c '! ip -n hub link show dmvpn0 2>/dev/null'
check "modprobe mgre again" modprobe mgre
wait $ping_pid
nodes_down
check "second topology after reload" seed002_up
check "SAs after reload" seed002_sas 0x7000 enc aes enc-key $EK auth sha1 auth-key $AK
check "traffic after reload" ip netns exec s1 ping -c 3 -i 0.2 -W 2 "$S2_O"
nodes_down
finish

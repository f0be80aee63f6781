#!/bin/bash
# 01: the seed 002 DMVPN (hub and two spokes, tunnel key 0, mtu 1440) with
# static NBMA mappings and hand-installed SAs: spoke-hub and spoke-spoke
# ping both ways with aes-cbc+sha1, 3des+md5 and gcm, and the counters.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

check "modprobe mgre" modprobe mgre
# with DKMS (make check): the module DKMS built and installed, on this booted kernel
if [ -f "$MODROOT/lib/modules/$(uname -r)/updates/dkms/mgre.ko" ]; then
	check "the loaded mgre.ko is DKMS's (updates/dkms)" \
		sh -c "modinfo -b '$MODROOT' -n mgre | grep -q '/updates/dkms/mgre.ko'"
fi
check "seed 002 topology" seed002_up

K16=00112233445566778899aabbccddeeff
K20=0102030405060708090a0b0c0d0e0f1011121314
K24=000102030405060708090a0b0c0d0e0f1011121314151617

base=0x1000
for alg in aes-sha1 3des-md5 gcm; do
	case $alg in
	aes-sha1) args=(enc aes enc-key "$K16" auth sha1 auth-key "$K20") ;;
	3des-md5) args=(enc 3des enc-key "$K24" auth md5 auth-key "$K16") ;;
	gcm) args=(enc aes-gcm enc-key "$K20") ;;
	esac
	check "$alg: install SAs on hub and spokes" seed002_sas "$base" "${args[@]}"
	check "$alg: s1 -> hub" ip netns exec s1 ping -c 3 -i 0.2 -W 2 "$HUB_O"
	check "$alg: hub -> s1" ip netns exec hub ping -c 3 -i 0.2 -W 2 "$S1_O"
	check "$alg: s2 -> hub" ip netns exec s2 ping -c 3 -i 0.2 -W 2 "$HUB_O"
	check "$alg: s1 -> s2 (spoke to spoke)" ip netns exec s1 ping -c 3 -i 0.2 -W 2 "$S2_O"
	check "$alg: s2 -> s1 (spoke to spoke)" ip netns exec s2 ping -c 3 -i 0.2 -W 2 "$S1_O"
	check "$alg: 1400-byte ping fits mtu 1440" \
		ip netns exec s1 ping -c 2 -i 0.2 -W 2 -M do -s 1400 "$S2_O"
	check "$alg: hub counted packets decapsulated from s1" \
		test "$(peer_stat hub "$S1" rx_packets)" -ge 6
	check "$alg: s1 counted packets encapsulated to s2" \
		test "$(peer_stat s1 "$S2" tx_packets)" -ge 5
	check "$alg: no auth failures or replays at hub" \
		test "$(peer_stat hub "$S1" auth_fail)" = 0 -a "$(peer_stat hub "$S1" replay)" = 0
	for n in hub s1 s2; do
		check "$alg: flush $n" ctl "$n" flush dev dmvpn0
	done
	base=$((base + 0x100))
done

no_ping() { ! ip netns exec "$1" ping -c 2 -i 0.2 -W 1 "$2"; }
check "without SAs nothing passes" no_ping s1 "$HUB_O"
check "peer without an outbound SA" ctl s1 peer set dev dmvpn0 nbma "$HUB"
check "peer without an outbound SA: traffic dropped" no_ping s1 "$HUB_O"
check "no-sa counter" test "$(peer_stat s1 "$HUB" no_sa)" -ge 2
nodes_down
finish

#!/bin/bash
# 09: the strongSwan reference peer (swan.sh).  A and B run stock ip_gre
# point-to-point tunnels (key 0, as in the seed DMVPN) protected by IKEv1
# between two charons: main mode with PSK, quick mode for GRE host to host
# in ESP transport mode, what Cisco's "GRE over IPsec" negotiates.  The SAs
# must come up, carry the overlay traffic both ways, and again with other
# proposals after a reload.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../swan.sh"

A=10.0.0.1 B=10.0.0.2 A_O=10.1.1.1 B_O=10.1.1.2
SA=$TMPDIR/swan-a SB=$TMPDIR/swan-b
trap 'swan_stop a "$SA"; swan_stop b "$SB"' EXIT

gre_p2p() {	# gre_p2p NAME LOCAL REMOTE OVERLAY/LEN
	ip -n "$1" tunnel add gre1 mode gre local "$2" remote "$3" key 0 ttl 64 &&
	ip -n "$1" addr add "$4" dev gre1 &&
	ip -n "$1" link set gre1 up
}

sas_match() {	# sas_match DIR ERE...: swanctl --list-sas has a line for each
	local sas re
	sas=$(swan_sas "$1")
	shift
	for re; do
		grep -Eq "$re" <<<"$sas" || { echo "no '$re' in:"; echo "$sas"; return 1; }
	done
}

esp_states() {	# number of ESP transport states in a namespace
	ip -n "$1" xfrm state | grep -Ec '^[[:space:]]+proto esp .* mode transport'
}

esp_bytes() {	# esp_bytes NS SRC DST: bytes through the states SRC -> DST
	ip -n "$1" -s xfrm state list src "$2" dst "$3" proto esp |
		awk '/lifetime current:/ { getline; sub(/\(bytes\).*/, ""); n += $1 }
			END { print n + 0 }'
}

# a's outbound and inbound, b's outbound and inbound
esp_counters() {
	echo "$(esp_bytes a $A $B) $(esp_bytes a $B $A) $(esp_bytes b $B $A) $(esp_bytes b $A $B)"
}

grew() {	# grew "BEFORE..." "AFTER...": every counter increased
	local before after i
	read -ra before <<<"$1"
	read -ra after <<<"$2"
	echo "before: $1, after: $2"
	for i in 0 1 2 3; do
		[ "${after[i]:-0}" -gt "${before[i]:-0}" ] || return 1
	done
}

# round LABEL IKE ESP IKE_ALGS ESP_ALGS KERNEL_ENC [swan_conf options...]
round() {
	local label=$1 ike=$2 esp=$3 ike_algs=$4 esp_algs=$5 enc=$6 c0
	shift 6
	check "$label: load swanctl.conf in b" \
		swan_conf "$SB" local=$B remote=$A ike="$ike" esp="$esp" "$@"
	check "$label: load swanctl.conf in a" \
		swan_conf "$SA" local=$A remote=$B ike="$ike" esp="$esp" "$@"
	check "$label: initiate from a" swan_initiate "$SA" gre
	check "$label: CHILD_SA INSTALLED in a" swan_wait_child "$SA" gre 20
	check "$label: CHILD_SA INSTALLED in b" swan_wait_child "$SB" gre 20
	check "$label: IKE_SA ESTABLISHED, IKEv1 $ike_algs in a" \
		sas_match "$SA" "^gre: #[0-9]+, ESTABLISHED, IKEv1, .*_i\\* " "^ +$ike_algs\$"
	check "$label: IKE_SA ESTABLISHED, IKEv1 $ike_algs in b" \
		sas_match "$SB" "^gre: #[0-9]+, ESTABLISHED, IKEv1, .*_r\\*\$" "^ +$ike_algs\$"
	check "$label: CHILD_SA TRANSPORT ESP:$esp_algs, GRE only" \
		sas_match "$SA" "^ +gre: #[0-9]+, reqid [0-9]+, INSTALLED, TRANSPORT, ESP:$esp_algs\$" \
			"^ +local +$A/32\\[gre\\]\$" "^ +remote +$B/32\\[gre\\]\$"
	check "$label: two ESP transport states in a" test "$(esp_states a)" -eq 2
	check "$label: two ESP transport states in b" test "$(esp_states b)" -eq 2
	check "$label: kernel SAs use $enc" sh -c "ip -n b xfrm state | grep -qF 'enc $enc'"
	c0=$(esp_counters)
	check "$label: overlay ping a -> b" ip netns exec a ping -c 3 -i 0.2 -W 2 $B_O
	check "$label: overlay ping b -> a" ip netns exec b ping -c 3 -i 0.2 -W 2 $A_O
	check "$label: the pings went through all four ESP SAs" grew "$c0" "$(esp_counters)"
}

charons_gone() {	# both exited and truncated their pid files
	! swan_pid "$SA" && ! swan_pid "$SB" &&
		[ ! -s "$SA/charon.pid" ] && [ ! -s "$SB/charon.pid" ]
}

no_esp() {	# wait until a namespace has no ESP state left
	local i
	for i in $(seq 50); do
		[ "$(esp_states "$1")" -eq 0 ] && return 0
		sleep 0.2
	done
	ip -n "$1" xfrm state
	return 1
}

check "modprobe ip_gre esp4 xfrm_user" modprobe -a ip_gre esp4 xfrm_user
wan_up
node a "$A/24"
node b "$B/24"
check "ip_gre point-to-point in a" gre_p2p a $A $B $A_O/24
check "ip_gre point-to-point in b" gre_p2p b $B $A $B_O/24
check "charon in a" swan_start a "$SA" || skip_rest "charon does not start"
check "charon in b" swan_start b "$SB" || skip_rest "charon does not start"
check "two charons, two pid files, none in the shared /run" \
	sh -c "[ -s '$SA/charon.pid' ] && [ -s '$SB/charon.pid' ] &&
		! cmp -s '$SA/charon.pid' '$SB/charon.pid' && [ ! -e /run/charon.pid ]"

round "3des" 3des-sha1-modp1024 3des-sha1 \
	3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024 3DES_CBC/HMAC_SHA1_96 'cbc(des3_ede)'

check "terminate the IKE_SA from a" swan_ctl "$SA" --terminate --ike gre --timeout 30
check "a removed its ESP SAs" no_esp a
check "b removed its ESP SAs on the DELETE" no_esp b

round "aes128 after reload" aes128-sha1-modp2048 aes128-sha1 \
	AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048 AES_CBC-128/HMAC_SHA1_96 'cbc(aes)' \
	dpd=30s rekey=50m life=1h

check "stop charon in a" swan_stop a "$SA"
check "stop charon in b" swan_stop b "$SB"
check "no charon left" charons_gone
check "charon removed its SAs and policies in a" \
	sh -c "[ -z \"\$(ip -n a xfrm state)\" ] && ! ip -n a xfrm policy | grep -q 'proto gre'"
check "charon removed its SAs and policies in b" \
	sh -c "[ -z \"\$(ip -n b xfrm state)\" ] && ! ip -n b xfrm policy | grep -q 'proto gre'"
nodes_down
finish

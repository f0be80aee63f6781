#!/bin/bash
# 03: the underlay, captured and decoded by tshark with the ESP keys: every
# packet is valid ESP (ICV checked) carrying GRE with key 0 and the right
# inner packet, sequence numbers in order, nothing malformed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

K16=00112233445566778899aabbccddeeff
K20=0102030405060708090a0b0c0d0e0f1011121314
K24=000102030405060708090a0b0c0d0e0f1011121314151617
CAP=$TMPDIR/03.pcap

# uat SRC DST SPI: one esp_sa record for tshark with the current algorithm
uat() {
	printf -- '-o\nuat:esp_sa:"IPv4","%s","%s","0x%08x","%s","0x%s","%s","0x%s"\n' \
		"$1" "$2" "$3" "$T_ENC" "$T_EKEY" "$T_AUTH" "$T_AKEY"
}

decode() {	# decode FILTER: matching frames, with every s1 SA's keys
	local -a o
	mapfile -t o < <(uat "$S1" "$HUB" $((base + 2)); uat "$HUB" "$S1" $((base + 1))
			 uat "$S1" "$S2" $((base + 5)); uat "$S2" "$S1" $((base + 6)))
	tshark -n -r "$CAP" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE "${o[@]}" -Y "$1" -T fields \
		-e frame.number 2>/dev/null | wc -l
}
count_is() {	# count_is N FILTER
	local n
	n=$(decode "$2")
	echo "$2: $n frames (want $1)"
	[ "$n" -eq "$1" ]
}
seq_in_order() {	# every SPI's sequence numbers are 1, 2, 3, ...
	tshark -n -r "$CAP" -Y esp -T fields -e esp.spi -e esp.sequence 2>/dev/null |
		awk '{ if ($2 != ++n[$1]) { print "spi " $1 ": " $2 " after " n[$1]-1; bad=1 } }
		     END { exit bad }'
}

check "modprobe mgre" modprobe mgre
check "seed 002 topology" seed002_up

base=0x3000
for alg in aes-sha1 3des-md5 gcm; do
	case $alg in
	aes-sha1)
		args=(enc aes enc-key "$K16" auth sha1 auth-key "$K20")
		T_ENC="AES-CBC [RFC3602]" T_EKEY=$K16 T_AUTH="HMAC-SHA-1-96 [RFC2404]" T_AKEY=$K20 ;;
	3des-md5)
		args=(enc 3des enc-key "$K24" auth md5 auth-key "$K16")
		T_ENC="TripleDES-CBC [RFC2451]" T_EKEY=$K24 T_AUTH="HMAC-MD5-96 [RFC2403]" T_AKEY=$K16 ;;
	gcm)
		args=(enc aes-gcm enc-key "$K20")
		T_ENC="AES-GCM with 16 octet ICV [RFC4106]" T_EKEY=$K20 T_AUTH="NULL" T_AKEY="" ;;
	esac
	check "$alg: SAs" seed002_sas "$base" "${args[@]}"
	ip netns exec wan tcpdump -q -n -U -i u-s1 -w "$CAP" ip 2>/dev/null &
	tcpdump_pid=$!
	sleep 1
	check "$alg: s1 -> hub, 5 pings" ip netns exec s1 ping -c 5 -i 0.2 -W 2 "$HUB_O"
	check "$alg: s1 -> s2, 5 pings" ip netns exec s1 ping -c 5 -i 0.2 -W 2 "$S2_O"
	sleep 0.5
	kill $tcpdump_pid
	wait $tcpdump_pid 2>/dev/null
	check "$alg: 20 ESP packets on the wire, nothing else" count_is 20 "ip"
	check "$alg: all of them ESP" count_is 20 "esp"
	check "$alg: every ICV verified good by tshark" count_is 20 "esp.icv_good == 1"
	check "$alg: no bad ICV" count_is 0 "esp.icv_bad == 1"
	check "$alg: every one decrypts to GRE with key 0 carrying IPv4" \
		count_is 20 "esp && gre.key == 0 && gre.proto == 0x0800 && ip.src == 192.168.1.0/24"
	check "$alg: 10 echo requests from s1 inside" \
		count_is 10 "gre && icmp.type == 8 && ip.src == $S1_O"
	check "$alg: 10 echo replies to s1 inside" \
		count_is 10 "gre && icmp.type == 0 && ip.dst == $S1_O"
	check "$alg: nothing malformed" count_is 0 "_ws.malformed || _ws.expert.severity == error"
	check "$alg: sequence numbers 1, 2, 3... per SPI" seq_in_order
	for n in hub s1 s2; do
		ctl "$n" flush dev dmvpn0
	done
	base=$((base + 0x100))
done
rm -f "$CAP"
nodes_down
finish

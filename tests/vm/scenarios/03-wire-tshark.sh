#!/bin/bash
# 03: the underlay, captured and decoded by tshark with the ESP keys: every
# packet is valid ESP (ICV verified by tshark) carrying GRE with key 0 and
# the right inner packet, sequence numbers in order, nothing malformed.
# One tshark pass per algorithm (tshark starts slowly under emulation).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

# The bytes on the wire come from the same module code on every kernel, and
# tshark is slow under emulation: check them on the first kernel only.
case $(uname -r) in
6.1.*) ;;
*) echo "# 03-wire-tshark: runs on the 6.1 kernel only"; exit 0 ;;
esac

K16=00112233445566778899aabbccddeeff
K20=0102030405060708090a0b0c0d0e0f1011121314
K24=000102030405060708090a0b0c0d0e0f1011121314151617
TCHECK="$(dirname "$0")/../tshark-check.py"

# uat SRC DST SPI: one esp_sa record (tshark 4.0: protocol, source,
# destination, SPI, encryption, key, authentication, key)
uat() {
	printf 'uat:esp_sa:"IPv4","%s","%s","0x%08x","%s","0x%s","%s","0x%s"' \
		"$1" "$2" "$3" "$T_ENC" "$T_EKEY" "$T_AUTH" "$T_AKEY"
}

# decode: the capture, decrypted with the keys of s1's four SAs, one line a frame
decode() {
	tshark -n -r "$CAP" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE \
		-o "$(uat "$S1" "$HUB" $((base + 2)))" -o "$(uat "$HUB" "$S1" $((base + 1)))" \
		-o "$(uat "$S1" "$S2" $((base + 5)))" -o "$(uat "$S2" "$S1" $((base + 6)))" \
		-Y ip -T fields -E occurrence=a -e frame.number -e esp.spi -e esp.sequence \
		-e esp.icv_good -e esp.icv_bad -e gre.key -e gre.proto -e ip.src -e ip.dst \
		-e icmp.type -e _ws.malformed -e _ws.expert.severity
}
has() { python3 "$TCHECK" "$CAP.txt" "$@"; }
capturing() {	# tcpdump says "listening on" once it captures
	local i
	for i in $(seq 150); do
		grep -q 'listening on' "$1" && return 0
		sleep 0.2
	done
	return 1
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
	CAP=${RESULTS:-$TMPDIR}/03-$alg.pcap	# kept with the results
	check "$alg: SAs" seed002_sas "$base" "${args[@]}"
	# 20 packets: it stops by itself once it has them all (or is killed below)
	ip netns exec wan tcpdump -q -n -U -c 20 -i u-s1 -w "$CAP" ip 2>"$CAP.tcpdump" &
	tcpdump_pid=$!
	check "$alg: capture running" capturing "$CAP.tcpdump"
	check "$alg: s1 -> hub, 5 pings" ip netns exec s1 ping -c 5 -i 0.2 -W 2 "$HUB_O"
	check "$alg: s1 -> s2, 5 pings" ip netns exec s1 ping -c 5 -i 0.2 -W 2 "$S2_O"
	for i in $(seq 100); do	# tcpdump drains its buffer slowly under emulation
		kill -0 $tcpdump_pid 2>/dev/null || break
		sleep 0.2
	done
	kill $tcpdump_pid 2>/dev/null
	wait $tcpdump_pid 2>/dev/null
	decode >"$CAP.txt" 2>"$CAP.err"
	check "$alg: tshark decodes the capture" test -s "$CAP.txt"
	check "$alg: 20 IPv4 packets on the wire" has frames 20
	check "$alg: all of them ESP" has esp 20
	check "$alg: every ICV verified good by tshark" has icv-good 20
	check "$alg: no bad ICV" has icv-bad 0
	check "$alg: every one decrypts to GRE key 0 carrying overlay IPv4" has gre-key0-ipv4 20
	check "$alg: 10 echo requests from s1 inside" has echo-from 10 "$S1_O"
	check "$alg: 10 echo replies to s1 inside" has reply-to 10 "$S1_O"
	check "$alg: sequence numbers 1, 2, 3... per SPI" has seq-in-order
	check "$alg: nothing malformed, no expert error" has malformed 0
	for n in hub s1 s2; do
		ctl "$n" flush dev dmvpn0
	done
	base=$((base + 0x100))
done
nodes_down
finish

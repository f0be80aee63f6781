#!/bin/bash
# 03: the underlay, captured while s1 pings the hub and s2 with aes-cbc+sha1,
# 3des+md5 and gcm SAs in turn, decoded by tshark with the ESP keys: every
# frame is ESP whose ICV tshark verifies, with padding 1, 2, 3.., next
# header 47, carrying GRE (key 0, 0x0800) with the right inner IPv4 ICMP
# echo; the counts are what was sent, sequence numbers run 1, 2, 3.. per
# SPI, IVs never repeat, nothing is malformed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

K16=00112233445566778899aabbccddeeff
K20=0102030405060708090a0b0c0d0e0f1011121314
K24=000102030405060708090a0b0c0d0e0f1011121314151617
CAP=${RESULTS:-$TMPDIR}/03.pcap	# kept with the results, and its decoding
TAB=$CAP.txt
ERR=$CAP.err
N=5	# pings each way
ALGS="aes-sha1 3des-md5 gcm"

# alg NAME: its SPI base, dmvpnctl arguments, IV length and tshark names
alg() {
	case $1 in
	aes-sha1)
		base=0x3000 ivlen=16 args=(enc aes enc-key "$K16" auth sha1 auth-key "$K20")
		T_ENC="AES-CBC [RFC3602]" T_EKEY=0x$K16 T_AUTH="HMAC-SHA-1-96 [RFC2404]" T_AKEY=0x$K20 ;;
	3des-md5)
		base=0x3100 ivlen=8 args=(enc 3des enc-key "$K24" auth md5 auth-key "$K16")
		T_ENC="TripleDES-CBC [RFC2451]" T_EKEY=0x$K24 T_AUTH="HMAC-MD5-96 [RFC2403]" T_AKEY=0x$K16 ;;
	gcm)	# the key is AES-128 and the 4-byte salt, for both
		base=0x3200 ivlen=8 args=(enc aes-gcm enc-key "$K20")
		T_ENC="AES-GCM with 16 octet ICV [RFC4106]" T_EKEY=0x$K20 T_AUTH="NULL" T_AKEY="" ;;
	esac
	# this algorithm's frames in $TAB: SPIs 0x0000XX01..06
	ALG_ROWS=$(printf '$5 ~ /^0x%06x0[1-6]$/' $((base >> 8)))
}

# uat SRC DST SPI: one esp_sa record (tshark 4.0: protocol, source,
# destination, SPI, encryption, key, authentication, key) for alg's T_*
uat() {
	printf 'uat:esp_sa:"IPv4","%s","%s","0x%08x","%s","%s","%s","%s"' \
		"$1" "$2" "$3" "$T_ENC" "$T_EKEY" "$T_AUTH" "$T_AKEY"
}

# decode: one tshark run over the capture (it is slow to start under TCG),
# with the keys of s1's SAs of every algorithm and ICV checking, into
# $TAB: one line per frame, tab-separated, a field of both IP layers as
# "outer,inner":
#   $1 frame  $2 ip.src  $3 ip.dst  $4 ip.version  $5 esp.spi  $6 esp.sequence
#   $7 esp.icv_good  $8 esp.protocol  $9 esp.pad_len  $10 esp.pad  $11 esp.iv
#   $12 gre.flags_and_version  $13 gre.key  $14 gre.proto  $15 icmp.type
#   $16 _ws.malformed  $17 _ws.expert.severity  $18 _ws.expert.message
decode() {
	local t0=$SECONDS rc f a
	local -a o=()
	for a in $ALGS; do
		alg "$a"
		o+=(-o "$(uat "$S1" "$HUB" $((base + 2)))" -o "$(uat "$HUB" "$S1" $((base + 1)))"
		    -o "$(uat "$S1" "$S2" $((base + 5)))" -o "$(uat "$S2" "$S1" $((base + 6)))")
	done
	for f in frame.number ip.src ip.dst ip.version esp.spi esp.sequence esp.icv_good \
		esp.protocol esp.pad_len esp.pad esp.iv gre.flags_and_version gre.key gre.proto \
		icmp.type _ws.malformed _ws.expert.severity _ws.expert.message; do
		o+=(-e "$f")
	done
	timeout 600 tshark -n -r "$CAP" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE \
		-T fields -E occurrence=a -E aggregator=, "${o[@]}" >"$TAB" 2>"$ERR"
	rc=$?
	echo "tshark exit $rc after $((SECONDS - t0)) s, $(wc -l <"$TAB") frames"
	grep -v 'Running as user' "$ERR"
	[ $rc -eq 0 ]
}
rows_is() {	# rows_is N CONDITION: N frames of $TAB satisfy the awk condition
	local n
	n=$(awk -F'\t' "$2 { n++ } END { print n + 0 }" "$TAB")
	echo "$2: $n frames (want $1)"
	[ "$n" -eq "$1" ] || { head -n 40 "$TAB"; return 1; }
}
alg_rows_is() {	# alg_rows_is N CONDITION: the same among this algorithm's frames
	rows_is "$1" "($ALG_ROWS) && ($2)"
}
flow_is() {	# flow_is N OUTER_SRC OUTER_DST INNER_SRC INNER_DST ICMP_TYPE
	alg_rows_is "$1" "\$2 == \"$2,$4\" && \$3 == \"$3,$5\" && \$15 == \"$6\""
}
seq_in_order() {	# every SPI's sequence numbers are 1, 2, 3...
	awk -F'\t' "$ALG_ROWS"' { if ($6 != ++n[$5]) { print "spi " $5 ": " $6 " after " n[$5] - 1; bad = 1 } }
		END { for (s in n) { print "spi " s ": " n[s] " packets"; k++ }; if (k != 4) print k + 0 " SPIs, want 4"; exit bad || k != 4 }' "$TAB"
}
pad_ok() {	# every frame's padding is 1, 2, 3.. (pad length of them)
	awk -F'\t' "$ALG_ROWS"' { k++; want = ""; for (i = 1; i <= $9; i++) want = want sprintf("%02x", i)
		if ($9 == "" || $10 != want) { print "frame " $1 ": pad length " $9 ", pad " $10; bad = 1 } }
		END { if (!k) print "no frames"; exit bad || !k }' "$TAB"
}
iv_ok() {	# iv_ok LEN: every IV is LEN bytes and none repeats under one SPI
	awk -F'\t' -v len="$1" "$ALG_ROWS"' { k++
		if (length($11) != 2 * len) { print "frame " $1 ": IV " $11 " is not " len " bytes"; bad = 1 }
		if (n[$5 " " $11]++) { print "frame " $1 ": spi " $5 " IV " $11 " again"; bad = 1 } }
		END { if (!k) print "no frames"; exit bad || !k }' "$TAB"
}
capturing() {	# tcpdump says "listening on" once it captures
	for _ in $(seq 150); do
		grep -q 'listening on' "$CAP.tcpdump" && [ -s "$CAP" ] && return 0
		sleep 0.2
	done
	cat "$CAP.tcpdump"
	return 1
}
capture_stop() {	# once tcpdump has written everything (slow under TCG)
	local size=-1
	for _ in $(seq 60); do	# until the file has not grown for 2 s
		sleep 2
		[ "$(stat -c %s "$CAP")" = "$size" ] && break
		size=$(stat -c %s "$CAP")
	done
	kill "$tcpdump_pid"
	wait "$tcpdump_pid"
}

check "modprobe mgre" modprobe mgre
check "seed 002 topology" seed002_up
# tcpdump on s1's port of the underlay bridge, for the whole scenario
rm -f "$CAP"
ip netns exec wan tcpdump -q -n -U --immediate-mode -i u-s1 -w "$CAP" ip >/dev/null 2>"$CAP.tcpdump" &
tcpdump_pid=$!
check "tcpdump captures on s1's port of the underlay bridge" capturing
for a in $ALGS; do
	alg "$a"
	check "$a: SAs" seed002_sas "$base" "${args[@]}"
	check "$a: s1 pings the hub ($N)" ip netns exec s1 ping -c $N -i 0.2 -W 2 "$HUB_O"
	check "$a: s1 pings s2 ($N)" ip netns exec s1 ping -c $N -i 0.2 -W 2 "$S2_O"
	for n in hub s1 s2; do
		check "$a: flush $n" ctl "$n" flush dev dmvpn0
	done
done
capture_stop
check "the capture has something" test -s "$CAP"
check "tshark decodes the capture with the keys" decode
check "nothing but ESP on the wire" rows_is 0 '$5 == ""'
check "$((12 * N)) frames in all" rows_is $((12 * N)) 1
for a in $ALGS; do
	alg "$a"
	check "$a: $((4 * N)) ESP frames" alg_rows_is $((4 * N)) 1
	check "$a: tshark verified every ICV" alg_rows_is $((4 * N)) '$7 == "1"'
	check "$a: every one decrypts to next header 47, GRE (K only, key 0, IPv4), ICMP echo" \
		alg_rows_is $((4 * N)) '$8 == "0x2f" && $12 == "0x2000" && $13 == "0x00000000" &&
			$14 == "0x0800" && $4 == "4,4" && ($15 == "0" || $15 == "8")'
	check "$a: s1 -> hub: $N echo requests, $S1_O -> $HUB_O inside" \
		flow_is $N "$S1" "$HUB" "$S1_O" "$HUB_O" 8
	check "$a: hub -> s1: $N echo replies, $HUB_O -> $S1_O inside" \
		flow_is $N "$HUB" "$S1" "$HUB_O" "$S1_O" 0
	check "$a: s1 -> s2 directly: $N echo requests, $S1_O -> $S2_O inside" \
		flow_is $N "$S1" "$S2" "$S1_O" "$S2_O" 8
	check "$a: s2 -> s1 directly: $N echo replies, $S2_O -> $S1_O inside" \
		flow_is $N "$S2" "$S1" "$S2_O" "$S1_O" 0
	# PI_WARN is 0x600000, PI_ERROR 0x800000: tshark's own check of the
	# ESP sequence numbers reports a gap or repeat as a warning
	check "$a: nothing malformed, no expert warnings or errors" \
		alg_rows_is 0 '$16 != "" || $17 ~ /(6291456|8388608)/'
	check "$a: padding 1, 2, 3.." pad_ok
	check "$a: sequence numbers 1, 2, 3.. per SPI" seq_in_order
	check "$a: $ivlen-byte IVs, none repeated under one SPI" iv_ok $ivlen
done
nodes_down
finish

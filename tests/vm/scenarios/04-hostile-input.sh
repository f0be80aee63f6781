#!/bin/bash
# 04: malformed and hostile ESP is dropped and counted, never crashes.
# Packets are made by hand (NULL encryption + HMAC-SHA1-96, so a valid ICV
# needs no cipher, see 04-esp-craft.py) and sent from a raw socket in A to
# B, which runs mgre.  Every case checks that exactly the expected counters
# moved: B's peer counters for A, B's overlay device (nothing delivered),
# B's IP reassembly and XFRM input statistics.  The VM harness checks
# dmesg for splats after all scenarios.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"

A=10.0.0.1 B=10.0.0.2 A_O=10.1.1.1 B_O=10.1.1.2
AK=0102030405060708090a0b0c0d0e0f1011121314
SPI=0x4242 OSPI=0x4343
CRAFT="$(dirname "$0")/04-esp-craft.py"
VALID=$TMPDIR/04-valid.esp

# send SPI CASE [ARGS...]: one command to the packet crafter running in A
# (started once: python is slow to start under TCG); its output, and
# whether it succeeded
send() {
	local line
	echo "$B $1 $AK ${*:2}" >&"${CRAFTER[1]}" || return 1
	while read -r -t 120 line <&"${CRAFTER[0]}"; do
		case $line in
		OK) return 0 ;;
		FAIL) return 1 ;;
		*) echo "$line" ;;
		esac
	done
	echo "no answer from the packet crafter"
	return 1
}

# snap: "name value" lines: B's counters for peer A, B's dmvpn0
# rx_packets, and B's IP reassemblies and XFRM input errors (per namespace).
# Shell tools only: python takes seconds to start under TCG.
snap() {
	ctl b -j peer show dev dmvpn0 nbma $A |
		sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p' | tr ',' '\n' | tr -d '"' | tr ':' ' '
	ip netns exec b awk '
		FILENAME ~ /rx_packets/ { print "dev_rx_packets", $1 }
		FILENAME ~ /snmp/ && /^Ip:/ {
			if (!h++) for (i = 1; i <= NF; i++) col[i] = $i
			else for (i = 1; i <= NF; i++) if (col[i] == "ReasmOKs") print "ReasmOKs", $i
		}
		FILENAME ~ /xfrm_stat/ && $1 ~ /^(XfrmInNoStates|XfrmInHdrError)$/ { print $1, $2 }
	' /sys/class/net/dmvpn0/statistics/rx_packets /proc/net/snmp /proc/net/xfrm_stat
}

# counted "NAME=N ..." BEFORE AFTER: NAME moved by N (* = any amount;
# A+B=N: their sum), every other counter did not move (bytes aside).
counted() {
	printf '%s\n' "$2" | awk -v want="$1" -v after="$3" '
	BEGIN {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++) {
			split(w[i], kv, "=")
			ex[kv[1]] = kv[2]
			m = split(kv[1], p, "+")
			if (m > 1) for (j = 1; j <= m; j++) free[p[j]] = 1
		}
		m = split(after, l, "\n")
		for (i = 1; i <= m; i++) { split(l[i], f, " "); b[f[1]] = f[2] }
	}
	NF == 2 { a[$1] = $2 }
	END {
		ok = 1
		for (k in ex) {
			m = split(k, p, "+")
			for (j = 1; j <= m; j++) if (!(p[j] in a)) { print "no counter " p[j]; ok = 0 }
		}
		for (k in a) {
			if (k ~ /_bytes$/) continue
			d = b[k] - a[k]
			e = (k in ex) ? ex[k] : ((k in free) ? "*" : "0")
			if (e != "*" && d != e + 0) {
				printf "%s: %d -> %d, +%d, want +%s  <--\n", k, a[k], b[k], d, e; ok = 0
			} else if (d || (k in ex))
				printf "%s: %d -> %d, +%d\n", k, a[k], b[k], d
		}
		for (k in ex) if (index(k, "+")) {
			m = split(k, p, "+"); d = 0
			for (j = 1; j <= m; j++) d += b[p[j]] - a[p[j]]
			printf "%s: +%d, want +%s%s\n", k, d, ex[k], (d == ex[k] + 0) ? "" : "  <--"
			if (d != ex[k] + 0) ok = 0
		}
		exit !ok
	}'
}

# moved "NAME=N ..." SPI CASE [ARGS...]: send CASE from A, then exactly the
# named counters move (waits up to 4 s for them, then 0.3 s for strays)
moved() {
	local want=$1 before after
	shift
	before=$(snap) || return 1
	send "$@" || return 1
	for _ in $(seq 20); do
		after=$(snap) && counted "$want" "$before" "$after" >/dev/null && break
		sleep 0.2
	done
	sleep 0.3
	after=$(snap) || return 1
	counted "$want" "$before" "$after"
}

df_ping() {	# df_ping SIZE MTU: a DF ping from B's overlay is refused locally
	local out rc
	out=$(ip netns exec b ping -c 1 -W 1 -M "do" -s "$1" $A_O 2>&1)
	rc=$?
	printf 'exit %s\n%s\n' "$rc" "$out"
	[ $rc -ne 0 ] && printf '%s\n' "$out" | grep -Eq "message too long, mtu=$2|Frag needed.*mtu = $2"
}
df_fits() {	# df_fits SIZE: a DF ping from B's overlay is sent, no error
	local out tx
	tx=$(peer_stat b $A tx_packets)
	out=$(ip netns exec b ping -c 1 -W 1 -M "do" -s "$1" $A_O 2>&1)
	printf '%s\ntx_packets: %s -> %s\n' "$out" "$tx" "$(peer_stat b $A tx_packets)"
	! printf '%s\n' "$out" | grep -Eq 'too long|Frag needed' &&
		[ "$(peer_stat b $A tx_packets)" -eq $((tx + 1)) ]
}

check "the packet crafter's self test (independent parse, RFC 2202)" python3 "$CRAFT" selftest
check "modprobe mgre esp4" modprobe -a mgre esp4
wan_up
node a "$A/24"
node b "$B/24"
coproc CRAFTER { ip netns exec a python3 -u "$CRAFT" serve 2>&1; }
check "mgre on B (key 9)" mgre_dev b $B $B_O/24 key 9
check "mgre on B: mtu 1400" ip -n b link set dmvpn0 mtu 1400
nhrp_map b $A_O $A
check "inbound SA on B (null + sha1, window 64)" ctl b sa add dev dmvpn0 nbma $A dir in \
	spi $SPI enc null auth sha1 auth-key $AK replay-window 64
check "outbound SA on B (for the echo replies)" ctl b sa add dev dmvpn0 nbma $A dir out \
	spi $OSPI enc null auth sha1 auth-key $AK

check "(a) a valid crafted packet is accepted, delivered and answered as ESP" \
	moved "rx_packets=1 dev_rx_packets=1 tx_packets=1" $SPI valid 1000 \
		--reply $OSPI --save "$VALID" ||
	skip_rest "the crafted packets or the receive path are wrong: nothing below would mean anything"
check "(d) its exact bytes again: replay" moved "replay=1" $SPI resend --save "$VALID"
check "an older sequence number inside the window is still accepted" \
	moved "rx_packets=1 dev_rx_packets=1 tx_packets=1" $SPI valid 990 --reply $OSPI
check "(j) sequence number far left of the window: replay" moved "replay=1" $SPI valid 10
check "sequence number 0 (never sent): replay" moved "replay=1" $SPI valid 0
check "(b) truncated ESP (header and 5 bytes): invalid length" \
	moved "invalid_len=1" $SPI truncated 1001
check "ESP shorter than its header: not ours, XFRM counts a header error" \
	moved "XfrmInHdrError=1" $SPI short 1002
check "(c) bad ICV: verify failed" moved "auth_fail=1" $SPI badicv 1003
check "(e) bad padding bytes, valid ICV: invalid length" moved "invalid_len=1" $SPI badpad 1004
check "pad length beyond the payload, valid ICV: invalid length" \
	moved "invalid_len=1" $SPI badpadlen 1005
# a GRE error comes after decryption: rx_packets (decaps) may count it
check "(f) wrong GRE key: GRE error, nothing delivered" \
	moved "gre_err=1 rx_packets=*" $SPI wrongkey 1006
check "GRE without the key: GRE error, nothing delivered" \
	moved "gre_err=1 rx_packets=*" $SPI nokey 1007
check "(g) GRE routing bit: GRE error, nothing delivered" \
	moved "gre_err=1 rx_packets=*" $SPI routing 1008
check "(g) GRE version 1: GRE error, nothing delivered" \
	moved "gre_err=1 rx_packets=*" $SPI version1 1009
check "(h) next header 4 instead of GRE: GRE error, nothing delivered" \
	moved "gre_err=1 rx_packets=*" $SPI nexthdr 1010
check "(i) unknown SPI: left to XFRM (no state), none of our counters move" \
	moved "XfrmInNoStates=1" 0x9999 valid 1
check "(k) a 4000-byte packet, fragmented on the wire, is reassembled and accepted" \
	moved "rx_packets=1 dev_rx_packets=1 ReasmOKs=1 tx_packets=*" $SPI big 1011
check "(k) 1478-byte DF ping over dmvpn0 (mtu 1400): 'message too long' locally" \
	df_ping 1450 1400
# Underlay mtu 1300: the largest overlay packet is 1300 - 20 (IP) - 8 (SPI,
# seq) - 12 (ICV) - 2 (trailer) - 8 (GRE) = 1250, a multiple of 4 with them.
check "underlay mtu 1300" ip -n b link set eth0 mtu 1300
check "(k) 1251 bytes with DF fit dmvpn0 but not the underlay: Frag needed, mtu 1250" \
	df_ping 1223 1250
check "(k) 1250 bytes with DF still go out (no error, tx_packets +1)" df_fits 1222
check "(k) the peer shows the path MTU 1250" test "$(peer_stat b $A pmtu)" = 1250
check "underlay mtu back to 1500" ip -n b link set eth0 mtu 1500
check "(l) 2000 random packets with our SPI: all dropped as verify failed or invalid length" \
	moved "auth_fail+invalid_len=2000" $SPI garbage 7 --count 2000
check "still working afterwards" \
	moved "rx_packets=1 dev_rx_packets=1 tx_packets=1" $SPI valid 1012 --reply $OSPI
eval "exec ${CRAFTER[1]}>&-"	# EOF: the crafter exits
wait "$CRAFTER_PID"
rm -f "$VALID"
nodes_down
finish

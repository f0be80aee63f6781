#!/bin/bash
# 10: dmvpnd against strongSwan's charon, IKEv1 Main Mode with pre-shared
# keys and Quick Mode for GRE in transport mode (and tunnel mode, seed
# 002's transform set as pasted).  A runs mgre and dmvpnd;
# B runs stock ip_gre protected by charon through XFRM.  For each of the
# issue's proposals, dmvpnd initiates (traffic makes the module ask: the
# ACQUIRE) and responds (charon initiates); pings flow both ways through
# our module and XFRM.  Then a rekey under 20 pps loses nothing,
# INITIAL-CONTACT after charon's restart clears the stale SAs, DPD notices
# a killed charon, and tshark decodes every IKE packet without a malformed
# field.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../swan.sh"
. "$(dirname "$0")/../dmvpnd.sh"

A=10.0.0.1 B=10.0.0.2 A_O=10.1.1.1 B_O=10.1.1.2
PSK=$DMVPND_PSK
SW=$TMPDIR/10-swan
CAP=${RESULTS:-$TMPDIR}/10-ike.pcap

counted() {	# counted N: the module sent and received at least N packets with B
	local tx rx
	tx=$(peer_stat a $B tx_packets) rx=$(peer_stat a $B rx_packets)
	echo "tx $tx rx $rx"
	[ "$tx" -ge "$1" ] && [ "$rx" -ge "$1" ]
}
xfrm_states() { ip -n b xfrm state | grep -c '^src'; }
isakmp_idle() { dshow show crypto isakmp sa | grep -q QM_IDLE; }
isakmp_detail() {	# "1001  10.0.0.1  10.0.0.2  ACTIVE 3des sha psk 2 23:59:59"
	dshow show crypto isakmp sa detail |
		grep -Eq "^1[0-9]{3} +$A +$B +ACTIVE +(3des|aes|aes256|des) +(sha|sha256|md5) +psk +[0-9]+ +2[34]:[0-9]{2}:[0-9]{2}"
}
pairs_are() {	# pairs_are N [SPI_FIELD OLD]: N pairs, and the first one's field changed
	local n
	n=$(pairs)
	echo "$n pairs"
	[ "$n" -eq "$1" ] || return 1
	[ -z "${2:-}" ] || [ "$(sa_field "$2")" != "$3" ]
}
reset_sas() {
	dmvpnd_stop
	swan_ctl "$SW" --terminate --ike gre >/dev/null 2>&1
	ctl a flush dev dmvpn0
	ip -n b xfrm state flush
	ip -n b xfrm policy flush
	sleep 0.5
}
tshark_ok() {
	local n bad
	n=$(tshark -n -r "$CAP" -Y isakmp 2>/dev/null | wc -l)
	bad=$(tshark -n -r "$CAP" -Y '_ws.malformed || _ws.expert.severity >= 8388608' 2>/dev/null | wc -l)
	echo "$n ISAKMP packets, $bad malformed or with expert errors"
	[ "$n" -ge 40 ] && [ "$bad" -eq 0 ]
}

check "modprobe mgre ip_gre esp4 xfrm_user" modprobe -a mgre ip_gre esp4 xfrm_user
wan_up
node a "$A/24"
node b "$B/24"
check "mgre on A" mgre_dev a $A $A_O/24 key 0
nhrp_map a $B_O $B
check "ip_gre on B" ip -n b tunnel add gre1 mode gre local $B remote $A key 0 ttl 64
ip -n b addr add $B_O/24 dev gre1
ip -n b link set gre1 up
check "charon on B" swan_start b "$SW"
ip netns exec wan tcpdump -q -n -U --immediate-mode -i br0 -w "$CAP" udp port 500 \
	>/dev/null 2>"$CAP.tcpdump" &
TCPDUMP=$!

# name | IOS isakmp policy | IOS transform set | strongSwan ike | strongSwan esp | IOS profile
while IFS='|' read -r name pol tset sike sesp prof; do
	[ -n "$name" ] || continue
	check "$name: dmvpnd config" dmvpnd_conf $A_O "$pol" "$tset" "$prof"
	check "$name: charon config" swan_conf "$SW" local=$B remote=$A psk=$PSK \
		ike="$sike" esp="$sesp" start=none
	dmvpnd_start a
	check "$name: dmvpnd starts" test -n "$DPID"
	t0=$(date +%s%N)
	# dmvpnd initiates: the first packet to B makes the module ask for SAs
	ip netns exec a ping -c 1 -W 1 $B_O >/dev/null 2>&1
	check "$name: dmvpnd initiates, charon installs the CHILD_SA" \
		swan_wait_child "$SW" gre 30
	check "$name: both pairs in the module" until_ok 10 in_kernel
	echo "# $name: initiator, ping to CHILD_SA seen installed: $((($(date +%s%N) - t0) / 1000000)) ms"
	check "$name: A -> B over mgre and XFRM" pings a $B_O 5
	check "$name: B -> A over XFRM and mgre" pings b $A_O 5
	check "$name: the module counted them (encaps, decaps)" counted 10
	check "$name: XFRM on B has two transport states" test "$(xfrm_states)" -eq 2
	check "$name: show crypto isakmp sa: QM_IDLE" isakmp_idle
	check "$name: show crypto isakmp sa detail: the seed 004 columns" isakmp_detail
	reset_sas
	dmvpnd_start a
	check "$name: dmvpnd starts again" test -n "$DPID"
	t0=$(date +%s%N)
	# charon initiates, dmvpnd responds
	check "$name: charon initiates, dmvpnd responds" swan_initiate "$SW" gre
	echo "# $name: responder, swanctl --initiate: $((($(date +%s%N) - t0) / 1000000)) ms"
	check "$name: both pairs in the module" until_ok 10 in_kernel
	check "$name: A -> B" pings a $B_O 3
	check "$name: B -> A" pings b $A_O 3
	reset_sas
done <<'EOF'
3des-sha1-group2| encr 3des\n hash sha\n group 2|esp-3des esp-sha-hmac|3des-sha1-modp1024|3des-sha1
aes128-sha1-group14| encr aes\n hash sha\n group 14|esp-aes esp-sha-hmac|aes128-sha1-modp2048|aes128-sha1
aes256-sha256-group14| encr aes 256\n hash sha256\n group 14|esp-aes 256 esp-sha256-hmac|aes256-sha256-modp2048|aes256-sha256
des-md5-group1| encr des\n hash md5\n group 1|esp-des esp-md5-hmac|des-md5-modp768|des-md5
aes128-sha1-group14-pfs| encr aes\n hash sha\n group 14|esp-aes esp-sha-hmac|aes128-sha1-modp2048|aes128-sha1-modp2048| set pfs group14
EOF

# Tunnel mode: seed 002's transform set as pasted, without "mode
# transport" (IOS then negotiates tunnel mode for the GRE), against charon
# with mode = tunnel and GRE selectors; dmvpnd initiates, then responds.
# Then a set with "mode transport" (a request, as IOS documents it) takes
# charon insisting on tunnel mode.
dmvpnd_conf_tunnel() { TSET_MODE=tunnel dmvpnd_conf "$@"; }
xfrm_tunnel_states() { ip -n b xfrm state | grep -c 'mode tunnel'; }
module_tunnel_sas() { ctl a -j sa show dev dmvpn0 | grep -o '"mode":"tunnel"' | wc -l; }
tunnel_shown() { dshow show crypto ipsec sa | grep -q 'in use settings ={Tunnel, }'; }
check "tunnel: dmvpnd config (esp-3des esp-md5-hmac, no mode line)" dmvpnd_conf_tunnel $A_O \
	" encr 3des\n hash md5\n group 2" "esp-3des esp-md5-hmac"
check "tunnel: charon config (mode = tunnel)" swan_conf "$SW" local=$B remote=$A psk=$PSK \
	ike=3des-md5-modp1024 esp=3des-md5 start=none mode=tunnel
dmvpnd_start a
check "tunnel: dmvpnd starts" test -n "$DPID"
ip netns exec a ping -c 1 -W 1 $B_O >/dev/null 2>&1
check "tunnel: dmvpnd initiates, charon installs the CHILD_SA" swan_wait_child "$SW" gre 30
check "tunnel: both pairs in the module" until_ok 10 in_kernel
check "tunnel: A -> B" pings a $B_O 5
check "tunnel: B -> A" pings b $A_O 5
check "tunnel: XFRM on B has two tunnel-mode states" count_is 2 xfrm_tunnel_states
check "tunnel: the module's two SAs are tunnel mode" count_is 2 module_tunnel_sas
check "tunnel: show crypto ipsec sa: in use settings ={Tunnel, }" tunnel_shown
reset_sas
dmvpnd_start a
check "tunnel: dmvpnd starts again" test -n "$DPID"
check "tunnel: charon initiates, dmvpnd responds" swan_initiate "$SW" gre
check "tunnel: both pairs in the module" until_ok 10 in_kernel
check "tunnel: A -> B" pings a $B_O 3
check "tunnel: B -> A" pings b $A_O 3
check "tunnel: the module's two SAs are tunnel mode" count_is 2 module_tunnel_sas
reset_sas
check "transport set, tunnel peer: dmvpnd config (mode transport)" dmvpnd_conf $A_O \
	" encr 3des\n hash md5\n group 2" "esp-3des esp-md5-hmac"
dmvpnd_start a
check "transport set, tunnel peer: dmvpnd starts" test -n "$DPID"
check "transport set, tunnel peer: charon initiates in tunnel mode, dmvpnd accepts" \
	swan_initiate "$SW" gre
check "transport set, tunnel peer: both pairs in the module" until_ok 10 in_kernel
check "transport set, tunnel peer: A -> B" pings a $B_O 3
check "transport set, tunnel peer: tunnel mode in the module" count_is 2 module_tunnel_sas
reset_sas

# Aggressive Mode, configured on both: charon initiates, then dmvpnd does
check "aggressive: dmvpnd config" dmvpnd_conf $A_O " encr aes\n hash sha\n group 14" \
	"esp-aes esp-sha-hmac" "" "crypto isakmp aggressive-mode"
check "aggressive: charon config" swan_conf "$SW" local=$B remote=$A psk=$PSK \
	ike=aes128-sha1-modp2048 esp=aes128-sha1 start=none aggressive=yes
dmvpnd_start a
check "aggressive: dmvpnd starts" test -n "$DPID"
check "aggressive: charon initiates, dmvpnd responds" swan_initiate "$SW" gre
check "aggressive: it was Aggressive Mode" grep -q 'IKE_R_AM2' "$DMVPND_LOG"
check "aggressive: SAs in the module" until_ok 10 in_kernel
check "aggressive: A -> B" pings a $B_O 3
reset_sas
dmvpnd_start a
check "aggressive: dmvpnd starts again" test -n "$DPID"
ip netns exec a ping -c 1 -W 1 $B_O >/dev/null 2>&1
check "aggressive: dmvpnd initiates, charon installs the CHILD_SA" swan_wait_child "$SW" gre 30
check "aggressive: it was Aggressive Mode" grep -q 'beginning Aggressive Mode exchange' "$DMVPND_LOG"
check "aggressive: B -> A" pings b $A_O 3
reset_sas

# rekey under traffic: charon rekeys the CHILD_SA while A pings at 20 pps
check "rekey: dmvpnd config" dmvpnd_conf $A_O " encr aes\n hash sha\n group 14" "esp-aes esp-sha-hmac"
check "rekey: charon config" swan_conf "$SW" local=$B remote=$A psk=$PSK \
	ike=aes128-sha1-modp2048 esp=aes128-sha1 start=none
dmvpnd_start a
check "rekey: dmvpnd starts" test -n "$DPID"
check "rekey: charon initiates" swan_initiate "$SW" gre
check "rekey: SAs in the module" until_ok 10 in_kernel
ip netns exec a ping -c 200 -i 0.05 -W 2 $B_O >"$DMVPND_DIR/rekey-ping.txt" 2>&1 &
PING=$!
sleep 3
old_spi=$(sa_field outbound_spi)
check "rekey: charon rekeys the CHILD_SA" swan_ctl "$SW" --rekey --child gre
wait $PING
check "rekey: 200 pings, none lost" grep -q '200 packets transmitted, 200 received' \
	"$DMVPND_DIR/rekey-ping.txt"
# strongSwan keeps a rekeyed IKEv1 CHILD_SA until it expires (delete_rekeyed = no)
check "rekey: a second pair, the newest first" until_ok 15 pairs_are 2 outbound_spi "$old_spi"
check "rekey: the module sends on the new outbound SA" \
	test "$(peer_stat a $B out_spi)" = "$(sa_field outbound_spi)"
check "rekey: traffic on the new pair" pings a $B_O 3

# INITIAL-CONTACT: charon restarts and comes back; dmvpnd drops the stale pair
old_spi=$(sa_field inbound_spi)
check "restart: charon stops" swan_stop b "$SW"
check "restart: charon starts again" swan_start b "$SW"
check "restart: charon config" swan_conf "$SW" local=$B remote=$A psk=$PSK \
	ike=aes128-sha1-modp2048 esp=aes128-sha1 start=none
check "restart: charon initiates" swan_initiate "$SW" gre
check "restart: INITIAL-CONTACT processed" grep -q 'Process initial contact' "$DMVPND_LOG"
check "restart: one pair left, the new one" until_ok 10 pairs_are 1 inbound_spi "$old_spi"
check "restart: traffic flows" pings a $B_O 3

# dmvpnd restarts: the module's SAs carry traffic meanwhile; the new dmvpnd
# finds them, negotiates fresh ones with INITIAL-CONTACT and drops the old
dmvpnd_stop
check "dmvpnd stops (SIGTERM, exit 0)" test $? -eq 0
check "while dmvpnd is down, traffic flows on the module's SAs" pings a $B_O 3
old_spi=$(ctl a -j sa show dev dmvpn0 | grep -o '"spi":[0-9]*' | head -n 1)
check "dpd: dmvpnd config with keepalive" dmvpnd_conf $A_O " encr aes\n hash sha\n group 14" \
	"esp-aes esp-sha-hmac" "" "crypto isakmp keepalive 10 2 periodic"
dmvpnd_start a
check "dmvpnd starts again" test -n "$DPID"
check "it renegotiates with B on its own (SAs from an earlier dmvpnd)" \
	until_ok 30 pairs_are 1
check "the earlier SAs are removed from the module: two left" \
	until_ok 10 module_sas_are a 2
check "none of them is an old one" \
	sh -c "! ip netns exec a $DMVPNCTL -j sa show dev dmvpn0 | grep -q '$old_spi,'"
check "traffic flows on the new pair" pings a $B_O 3
# SIGHUP: the configuration is read again, the SAs stay
kill -HUP "$DPID"
check "SIGHUP reloads the configuration" until_ok 10 grep -q 'configuration reloaded' "$DMVPND_LOG"
check "the SAs stay across the reload" pairs_are 1
check "traffic still flows" pings a $B_O 3
check "dmvpnctl show crypto session: UP-ACTIVE" \
	sh -c "ip netns exec a $DMVPNCTL -S $DMVPND_DIR/sock show crypto session detail | grep -q UP-ACTIVE"
check "dpd: charon answers R-U-THERE" until_ok 25 grep -q 'R_U_THERE_ACK received' "$DMVPND_LOG"
check "dpd: charon killed" kill -9 "$(swan_pid "$SW")"
check "dpd: dmvpnd declares the peer dead within 40 s" until_ok 40 grep -q 'is dead' "$DMVPND_LOG"
check "dpd: its SAs are gone from dmvpnd" until_ok 5 pairs_are 0
check "dpd: and from the module" module_sas_are a 0
dmvpnd_stop
swan_stop b "$SW" >/dev/null 2>&1

sleep 1
kill $TCPDUMP 2>/dev/null
wait $TCPDUMP 2>/dev/null
check "tshark: every IKE packet decodes, none malformed" tshark_ok
check "no key material in dmvpnd's debug log (no -K)" sh -c "! grep -q 'KEYS' '$DMVPND_LOG'"
cp "$SW/charon.log" "${RESULTS:-$TMPDIR}/10-charon.log" 2>/dev/null
nodes_down
finish

#!/bin/bash
# 14: two DMVPN clouds protected by one dmvpnd, as IOS routers often run
# them: A has two mGRE devices, Tunnel0 (tunnel source 10.0.0.1, key 0,
# profile P1: 3des-sha) and Tunnel1 (source 10.0.0.11, key 1, profile P2:
# aes-sha).  B is charon + ip_gre on the first cloud, C charon + ip_gre on
# the second.  dmvpnd initiates on Tunnel0's ACQUIRE and answers C on
# Tunnel1 with Tunnel1's profile; each device holds only its own SAs.
# Forty control clients that connect and never speak do not hold IKE up.
# Tunnel1 deleted and made again by hand is found again without a reload.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../swan.sh"
. "$(dirname "$0")/../dmvpnd.sh"

A1=10.0.0.1 A2=10.0.0.11 B=10.0.0.2 C=10.0.0.3
A1_O=10.1.1.1 B_O=10.1.1.2 A2_O=10.2.2.1 C_O=10.2.2.3
PSK=$DMVPND_PSK
SWB=$TMPDIR/14-swan-b SWC=$TMPDIR/14-swan-c

two_clouds_conf() {
	(
		umask 077
		cat >"$DMVPND_DIR/dmvpnd.conf" <<EOF
hostname two-clouds
crypto isakmp policy 10
 encr 3des
 hash sha
 group 2
 authentication pre-share
crypto isakmp policy 20
 encr aes
 hash sha
 group 14
 authentication pre-share
crypto isakmp key $PSK address 0.0.0.0 0.0.0.0
crypto ipsec transform-set T1 esp-3des esp-sha-hmac
 mode transport
crypto ipsec transform-set T2 esp-aes esp-sha-hmac
 mode transport
crypto ipsec profile P1
 set transform-set T1
crypto ipsec profile P2
 set transform-set T2
interface Tunnel0
 ip address $A1_O 255.255.255.0
 tunnel mode gre multipoint
 tunnel key 0
 tunnel protection ipsec profile P1
interface Tunnel1
 ip address $A2_O 255.255.255.0
 tunnel mode gre multipoint
 tunnel key 1
 tunnel protection ipsec profile P2
EOF
	)
}

tunnel1_up() {
	ip -n a link add Tunnel1 type mgre local $A2 key 1 &&
	ip -n a addr add $A2_O/24 dev Tunnel1 &&
	ip -n a link set Tunnel1 up &&
	ip -n a neigh replace $C_O lladdr $C dev Tunnel1 nud permanent
}

dev_sas() {	# dev_sas DEV: the SAs the module holds on DEV
	ctl a -j sa show dev "$1" | grep -o '"spi":' | wc -l
}

sas_are() {	# sas_are DEV N
	local n
	n=$(dev_sas "$1")
	echo "$n SAs on $1"
	[ "$n" -eq "$2" ]
}

pair_on() {	# pair_on DEV ESP: show crypto ipsec sa has a pair on DEV with that cipher
	dshow -j show crypto ipsec sa | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d)
sys.exit(0 if any(p.get("interface") == sys.argv[1] and sys.argv[2] in json.dumps(p)
		  for p in d) else 1)' "$1" "$2"
}

check "modprobe mgre ip_gre esp4 xfrm_user" modprobe -a mgre ip_gre esp4 xfrm_user
wan_up
node a "$A1/24"
ip -n a addr add $A2/24 dev eth0
node b "$B/24"
node c "$C/24"
check "Tunnel0 on A (source $A1, key 0)" ip -n a link add Tunnel0 type mgre local $A1 key 0
ip -n a addr add $A1_O/24 dev Tunnel0
ip -n a link set Tunnel0 up
ip -n a neigh replace $B_O lladdr $B dev Tunnel0 nud permanent
check "Tunnel1 on A (source $A2, key 1)" tunnel1_up
check "ip_gre on B, to Tunnel0" ip -n b tunnel add gre1 mode gre local $B remote $A1 key 0 ttl 64
ip -n b addr add $B_O/24 dev gre1
ip -n b link set gre1 up
check "ip_gre on C, to Tunnel1" ip -n c tunnel add gre1 mode gre local $C remote $A2 key 1 ttl 64
ip -n c addr add $C_O/24 dev gre1
ip -n c link set gre1 up
check "charon on B" swan_start b "$SWB"
check "charon on C" swan_start c "$SWC"
check "charon B config (3des-sha1)" swan_conf "$SWB" local=$B remote=$A1 psk=$PSK \
	ike=3des-sha1-modp1024 esp=3des-sha1 start=none
check "charon C config (aes128-sha1)" swan_conf "$SWC" local=$C remote=$A2 psk=$PSK \
	ike=aes128-sha1-modp2048 esp=aes128-sha1 start=none

two_clouds_conf
dmvpnd_start a
check "dmvpnd starts" test -n "$DPID"
check "it protects both devices" grep -q 'GRE protection: Tunnel0 (profile P1), Tunnel1 (profile P2)' \
	"$DMVPND_LOG"

# cloud 1: traffic on Tunnel0 makes the module ask; dmvpnd initiates with P1
ip netns exec a ping -c 1 -W 1 $B_O >/dev/null 2>&1
check "Tunnel0: dmvpnd initiates, charon B installs the CHILD_SA" swan_wait_child "$SWB" gre 30
check "Tunnel0: both SAs in the module, on Tunnel0" until_ok 10 sas_are Tunnel0 2
check "Tunnel0: A -> B" pings a $B_O 3
check "Tunnel0: B -> A" pings b $A1_O 3

# cloud 2: C initiates to Tunnel1's source; dmvpnd answers with P2
check "Tunnel1: charon C initiates, dmvpnd responds" swan_initiate "$SWC" gre
check "Tunnel1: both SAs in the module, on Tunnel1" until_ok 10 sas_are Tunnel1 2
check "Tunnel0 still holds only its own two" sas_are Tunnel0 2
check "Tunnel1: C -> A" pings c $A2_O 3
check "Tunnel1: A -> C" pings a $C_O 3
check "show crypto ipsec sa: a 3des pair on Tunnel0" pair_on Tunnel0 3des
check "show crypto ipsec sa: an aes pair on Tunnel1" pair_on Tunnel1 aes

# a stuck dmvpnctl must not stall IKE: 40 clients connect and never speak
python3 - "$DMVPND_DIR/sock" 40 30 <<'EOF' &
import socket, sys, time
conns = []
for _ in range(int(sys.argv[2])):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    conns.append(s)
print("stalled", len(conns), flush=True)
time.sleep(int(sys.argv[3]))
EOF
STALL=$!
sleep 1
check "stalled clients: dmvpnctl still answers at once" \
	timeout 5 ip netns exec a "$DMVPNCTL" -S "$DMVPND_DIR/sock" show crypto isakmp sa
swan_ctl "$SWC" --terminate --ike gre >/dev/null 2>&1
sleep 1
t0=$(date +%s%N)
check "stalled clients: charon C negotiates again" swan_initiate "$SWC" gre
echo "# Main Mode + Quick Mode with 40 stalled control clients: $((($(date +%s%N) - t0) / 1000000)) ms"
check "stalled clients: traffic on the new pair" pings c $A2_O 3
kill $STALL 2>/dev/null
wait $STALL 2>/dev/null

check "Tunnel0 untouched" pings a $B_O 3

# Tunnel1 deleted and made again by hand (it is not dmvpnd's: no interface
# block makes it, it was there before): found again without a reload
swan_ctl "$SWC" --terminate --ike gre >/dev/null 2>&1
ip -n a link del Tunnel1
check "Tunnel1 made again" tunnel1_up
check "the new Tunnel1 is protected: charon C negotiates" swan_initiate "$SWC" gre
check "new Tunnel1: both SAs in the module, on it" until_ok 10 sas_are Tunnel1 2
check "new Tunnel1: C -> A" pings c $A2_O 3
check "Tunnel0 still untouched" pings a $B_O 3

dmvpnd_stop
check "dmvpnd stops (SIGTERM, exit 0)" test $? -eq 0
swan_stop b "$SWB" >/dev/null 2>&1
swan_stop c "$SWC" >/dev/null 2>&1
nodes_down
finish

#!/bin/bash
# 15: seed 002's DMVPN with dmvpnd on the hub and both spokes, IKE and NHRP
# real, no hand-made mapping: the spokes register (the registration starts
# IKE to the hub), the hub learns them and their multicast entries; spoke
# 1 pings spoke 2's LAN: the first packets go through the hub while NHRP
# resolves spoke 2 (the answer waits for the spoke-to-spoke SAs), then the
# shortcut carries them and the hub sees no more of them; the same the other
# way; a third spoke joins without touching the others; the hub restarts
# and the spokes register again; a spoke with the wrong NHRP password is
# refused.  Dual stack as IOS configures it: hub and spokes 1 and 2 also
# run "ipv6 nhrp" on the tunnel (IPv6 overlay, IPv4 NBMA): the spokes
# register their IPv6 addresses, spoke 1 pings spoke 2's IPv6 address
# through the hub, then directly once NHRP resolved it, and IPv6 multicast
# reaches the spokes through the multicast list.  Every NHRP packet on the
# wire is decoded by tshark, the IPv6 ones (protocol type 0x86DD) too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../mgre.sh"
. "$(dirname "$0")/../dmvpnd.sh"

S3=209.168.202.132 S3_O=192.168.1.4
LAN1=2.2.2.2 LAN2=3.3.3.3 LAN3=4.4.4.4 LANH=1.1.1.1
CAP=$TMPDIR/15-nhrp.pcap

HUB_NHRP=' ip nhrp authentication cisco123\n ip nhrp map multicast dynamic\n ip nhrp network-id 1\n ip nhrp holdtime 300'
SPOKE_NHRP=" ip nhrp authentication cisco123\n ip nhrp map multicast dynamic\n ip nhrp map $HUB_O $HUB\n ip nhrp map multicast $HUB\n ip nhrp network-id 1\n ip nhrp holdtime 300\n ip nhrp nhs $HUB_O"
# the IPv6 overlay on the same tunnels, as the Cisco guide for DMVPN over IPv6 writes it
V6=2001:db8:100 HUB6=2001:db8:100::1 S1_6=2001:db8:100::2 S2_6=2001:db8:100::3
HUB_NHRP6="\n ipv6 address $HUB6/64\n ipv6 address fe80::1 link-local\n ipv6 nhrp authentication cisco123\n ipv6 nhrp map multicast dynamic\n ipv6 nhrp network-id 1\n ipv6 nhrp holdtime 300"
spoke_nhrp6() {	# spoke_nhrp6 ADDRESS
	printf '%s' "\n ipv6 address $1/64\n ipv6 nhrp authentication cisco123\n ipv6 nhrp map $HUB6/64 $HUB\n ipv6 nhrp map multicast $HUB\n ipv6 nhrp network-id 1\n ipv6 nhrp holdtime 300\n ipv6 nhrp nhs $HUB6"
}

lab_up() {
	wan_up
	node hub "$HUB/24"
	node s1 "$S1/24"
	node s2 "$S2/24"
	mgre_dev hub "$HUB" "$HUB_O/24" key 0 && ip -n hub link set dmvpn0 mtu 1440 &&
	mgre_dev s1 "$S1" "$S1_O/24" key 0 && ip -n s1 link set dmvpn0 mtu 1440 &&
	mgre_dev s2 "$S2" "$S2_O/24" key 0 && ip -n s2 link set dmvpn0 mtu 1440 || return 1
	# the LANs behind the routers, and what EIGRP would route to them
	ip -n hub link add lan0 type dummy && ip -n hub addr add $LANH/24 dev lan0 &&
	ip -n hub link set lan0 up &&
	ip -n s1 link add lan0 type dummy && ip -n s1 addr add $LAN1/24 dev lan0 &&
	ip -n s1 link set lan0 up &&
	ip -n s2 link add lan0 type dummy && ip -n s2 addr add $LAN2/24 dev lan0 &&
	ip -n s2 link set lan0 up || return 1
	ip -n hub route add 2.2.2.0/24 via "$S1_O" &&
	ip -n hub route add 3.3.3.0/24 via "$S2_O" &&
	ip -n s1 route add 3.3.3.0/24 via "$S2_O" &&
	ip -n s1 route add 1.1.1.0/24 via "$HUB_O" &&
	ip -n s2 route add 2.2.2.0/24 via "$S1_O" &&
	ip -n s2 route add 1.1.1.0/24 via "$HUB_O" || return 1
	ip netns exec hub sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
		net.ipv6.conf.all.forwarding=1
	# the tunnels' IPv6 addresses, as their IPv4 ones (mgre_dev): the lab's devices
	ip -n hub addr add $HUB6/64 dev dmvpn0 nodad &&
	ip -n s1 addr add $S1_6/64 dev dmvpn0 nodad &&
	ip -n s2 addr add $S2_6/64 dev dmvpn0 nodad
	ip netns exec s1 sysctl -qw net.ipv4.conf.all.send_redirects=0
	ip netns exec s2 sysctl -qw net.ipv4.conf.all.send_redirects=0
}

mcast_has() { ctl "$1" -j mcast show dev dmvpn0 | grep -q "\"$2\""; }
neigh_is() { ip -n "$1" neigh show "$2" dev dmvpn0 | grep -q "lladdr $3"; }
hub_rx() { peer_stat hub "$1" rx_packets; }
shows() {	# shows NS REGEX COMMAND...: the command's text output matches
	local ns=$1 re=$2 out
	shift 2
	out=$(dn "$ns" "$@")
	printf '%s\n' "$out"
	printf '%s\n' "$out" | grep -Eq "$re"
}
count_dynamic() { dn hub -j show ip nhrp | grep -o '"dynamic"' | wc -l; }
no_loss() {
	local out
	out=$(ip netns exec "$1" ping -c "$3" -i 0.2 -W 2 "$2")
	printf '%s\n' "$out" | grep -q ' 0% packet loss' && return 0
	dn "$1" show ip nhrp
	ip -n "$1" neigh show dev dmvpn0
	printf '%s\n' "$out" | tail -n 3
	return 1
}

check "modprobe mgre" modprobe mgre
check "seed 002 lab (no NBMA mappings)" lab_up || skip_rest "no lab"
for n in hub s1 s2; do
	ip netns exec "$n" tcpdump -q -n -U -i any -w "$TMPDIR/15-$n.pcap" >/dev/null 2>&1 &
done
sleep 1

lab_conf "$TMPDIR/15-hub.conf" "$HUB_O" "$HUB_NHRP$HUB_NHRP6"
lab_conf "$TMPDIR/15-s1.conf" "$S1_O" "$SPOKE_NHRP$(spoke_nhrp6 $S1_6)"
lab_conf "$TMPDIR/15-s2.conf" "$S2_O" "$SPOKE_NHRP$(spoke_nhrp6 $S2_6)"
check "dmvpnd on the hub" dnode_start hub "$TMPDIR/15-hub.conf"
t0=$(date +%s)
check "dmvpnd on spoke 1" dnode_start s1 "$TMPDIR/15-s1.conf"
check "dmvpnd on spoke 2" dnode_start s2 "$TMPDIR/15-s2.conf"

# registration: it starts IKE to the hub, then goes through the new SAs
check "spoke 1 registered: the hub's NHS is up (RE)" until_ok 30 nhs_up s1
check "spoke 2 registered" until_ok 30 nhs_up s2
echo "# registered within $(($(date +%s) - t0)) s of the daemons' start"
check "hub: 192.168.1.2 dynamic, NBMA $S1" cache_has hub "$S1_O" dynamic "$S1"
check "hub: 192.168.1.3 dynamic, NBMA $S2" cache_has hub "$S2_O" dynamic "$S2"
check "hub: spoke 1's NBMA in the multicast list" mcast_has hub "$S1"
check "hub: spoke 2's NBMA in the multicast list" mcast_has hub "$S2"
check "hub: neighbour 192.168.1.2 -> $S1" neigh_is hub "$S1_O" "$S1"
check "spoke 1 -> hub overlay" ip netns exec s1 ping -c 3 -i 0.2 -W 2 "$HUB_O"
check "hub -> spoke 2 overlay" ip netns exec hub ping -c 3 -i 0.2 -W 2 "$S2_O"
check "spoke 1 -> hub LAN" ip netns exec s1 ping -c 2 -i 0.2 -W 2 "$LANH"
check "show dmvpn on the hub: the seed 004 layout" shows hub 'Type:Hub, NHRP Peers:2,' show dmvpn
check "show dmvpn on spoke 1: the hub UP, static" shows s1 "1 +$HUB +$HUB_O +UP .* S" show dmvpn

# phase 2: spoke 1 -> spoke 2's LAN, through the hub until the shortcut is up
check "spoke 1 -> spoke 2's LAN: no packet lost while NHRP resolves" no_loss s1 "$LAN2" 20
check "spoke 1 resolved 192.168.1.3 -> $S2" until_ok 20 cache_has s1 "$S2_O" cached "$S2"
check "spoke 1's neighbour 192.168.1.3 is spoke 2's NBMA" until_ok 20 neigh_is s1 "$S2_O" "$S2"
check "spoke 2 cached spoke 1 from the request" cache_has s2 "$S1_O" cached "$S1"
check "spoke-to-spoke SAs: spoke 1 sends to spoke 2 directly" \
	until_ok 10 test "$(peer_stat s1 "$S2" tx_packets)" -gt 0
before=$(hub_rx "$S1")
check "spoke 1 -> spoke 2's LAN over the shortcut" no_loss s1 "$LAN2" 10
after=$(hub_rx "$S1")
check "the hub no longer carries spoke 1 -> spoke 2 ($before -> $after)" \
	test $((after - before)) -le 2
check "spoke 2 -> spoke 1's LAN, direct both ways" no_loss s2 "$LAN1" 10
check "spoke 2 sends to spoke 1 directly" test "$(peer_stat s2 "$S1" tx_packets)" -gt 0
check "show ip nhrp on spoke 1 (text)" shows s1 '^192.168.1.3/32 via 192.168.1.3' show ip nhrp

# dual stack: ipv6 nhrp on the same tunnels, IPv4 NBMA
t6=$(date +%s)
check "spoke 1 registered its IPv6 address (show ipv6 nhrp nhs)" until_ok 30 nhs_up s1 ipv6
check "spoke 2 registered its IPv6 address" until_ok 30 nhs_up s2 ipv6
check "hub: $S1_6 dynamic, NBMA $S1" cache_has hub "$S1_6" dynamic "$S1"
check "hub: $S2_6 dynamic, NBMA $S2" cache_has hub "$S2_6" dynamic "$S2"
check "hub: IPv6 neighbour $S1_6 -> $S1 (NHRP's, not ND's)" neigh_is hub "$S1_6" "$S1"
check "spoke 1: IPv6 neighbour $HUB6 -> $HUB (ipv6 nhrp map)" neigh_is s1 "$HUB6" "$HUB"
check "spoke 1 -> hub IPv6 overlay" ip netns exec s1 ping -c 3 -i 0.2 -W 2 "$HUB6"
check "show ipv6 nhrp on the hub, as IOS prints it" \
	shows hub '^2001:DB8:100::2/128 via 2001:DB8:100::2' show ipv6 nhrp
check "show dmvpn on the hub: an IPv6 section" shows hub 'IPv6 NHRP Details' show dmvpn
check "spoke 1 -> spoke 2's IPv6 address: no packet lost while NHRP resolves" \
	no_loss s1 "$S2_6" 20
check "spoke 1 resolved $S2_6 -> $S2" until_ok 20 cache_has s1 "$S2_6" cached "$S2"
check "spoke 1's IPv6 neighbour $S2_6 is spoke 2's NBMA" until_ok 20 neigh_is s1 "$S2_6" "$S2"
check "spoke 2 cached spoke 1's IPv6 address from the request" \
	cache_has s2 "$S1_6" cached "$S1"
before=$(hub_rx "$S1")
check "spoke 1 -> spoke 2's IPv6 address over the shortcut" no_loss s1 "$S2_6" 10
after=$(hub_rx "$S1")
check "the hub no longer carries spoke 1 -> spoke 2 over IPv6 ($before -> $after)" \
	test $((after - before)) -le 2
check "spoke 2 -> spoke 1's IPv6 address, direct" no_loss s2 "$S1_6" 5
check "the IPv4 shortcut is still there" cache_has s1 "$S2_O" cached "$S2"
# IPv6 multicast (routing protocols' hellos) goes to the multicast list: the
# hub's ping to all nodes reaches the spokes (their answers to the hub's
# link-local address have no NHRP mapping: not counted)
ip netns exec hub ping -c 3 -i 0.2 -W 1 ff02::1%dmvpn0 >/dev/null 2>&1
echo "# the IPv6 overlay's checks took $(($(date +%s) - t6)) s"

# a third spoke joins: nobody else is touched
node s3 "$S3/24"
mgre_dev s3 "$S3" "$S3_O/24" key 0 && ip -n s3 link set dmvpn0 mtu 1440
ip -n s3 link add lan0 type dummy && ip -n s3 addr add $LAN3/24 dev lan0 && ip -n s3 link set lan0 up
ip -n s3 route add 2.2.2.0/24 via "$S1_O"
ip -n s1 route add 4.4.4.0/24 via "$S3_O"
ip -n hub route add 4.4.4.0/24 via "$S3_O"	# what EIGRP would tell the hub
lab_conf "$TMPDIR/15-s3.conf" "$S3_O" "$SPOKE_NHRP"
ip netns exec s3 tcpdump -q -n -U -i any -w "$TMPDIR/15-s3.pcap" >/dev/null 2>&1 &
sleep 1
check "dmvpnd on spoke 3" dnode_start s3 "$TMPDIR/15-s3.conf"
check "spoke 3 registered" until_ok 30 nhs_up s3
check "hub: three spokes" count_is 3 count_dynamic
check "spoke 1 -> spoke 3's LAN" no_loss s1 "$LAN3" 10
check "spoke 1 resolved spoke 3" until_ok 20 cache_has s1 "$S3_O" cached "$S3"
check "spoke 1 -> spoke 2 still direct" no_loss s1 "$LAN2" 5

# the hub restarts: the spokes register again and traffic recovers
check "hub's dmvpnd stopped" dnode_stop hub
check "hub's dmvpnd started again" dnode_start hub "$TMPDIR/15-hub.conf"
check "spoke 1 registered again" until_ok 60 cache_has hub "$S1_O" dynamic "$S1"
check "spoke 2 registered again" until_ok 60 cache_has hub "$S2_O" dynamic "$S2"
check "spoke 1 -> hub LAN after the restart" until_ok 30 ip netns exec s1 ping -c 1 -W 2 "$LANH"

# a spoke with the wrong password is refused and never registered
dnode_stop s3
lab_conf "$TMPDIR/15-s3.conf" "$S3_O" "${SPOKE_NHRP/authentication cisco123/authentication wrongpw}"
dn hub clear ip nhrp
check "spoke 3 with the wrong password started" dnode_start s3 "$TMPDIR/15-s3.conf"
sleep 8
auth_drops() { dn hub -j show ip nhrp traffic | grep -Eq '"drop_authentication":[1-9]'; }
not_cached() { ! dn hub -j show ip nhrp | grep -q "\"$1/"; }
check "the hub refused it (authentication drops counted)" auth_drops
check "spoke 3 is not in the hub's cache" not_cached "$S3_O"

for n in s3 s2 s1 hub; do
	check "dmvpnd on $n exits cleanly" dnode_stop "$n"
done
sleep 1
pkill -f "tcpdump -q -n -U -i any -w $TMPDIR/15-" 2>/dev/null
sleep 1

# tshark: every NHRP packet decodes, with a good checksum and nothing malformed
tshark_nhrp() {	# one tshark pass over the three captures' NHRP (tshark is slow under TCG)
	local n total=0 f all=$TMPDIR/15-all.nhrp
	for f in "$TMPDIR"/15-hub.pcap "$TMPDIR"/15-s1.pcap "$TMPDIR"/15-s2.pcap; do
		n=$(python3 "$TOP/tests/vm/nhrp_pcap.py" "$f" "$f.nhrp") || return 1
		total=$((total + n))
	done
	mergecap -w "$all" "$TMPDIR"/15-hub.pcap.nhrp "$TMPDIR"/15-s1.pcap.nhrp \
		"$TMPDIR"/15-s2.pcap.nhrp || return 1
	tshark -r "$all" -o nhrp.auth_ext_has_addr:FALSE -T fields -E separator=/t \
		-e nhrp.hdr.op.type -e nhrp.hdr.pktsz -e nhrp.hdr.chksum.status \
		-e _ws.malformed -e _ws.expert.severity -e nhrp.hdr.pro.type \
		>"$all.fields" 2>"$all.err" || { cat "$all.err"; return 1; }
	# an Error Indication carries the packet in error: a status per NHRP header;
	# expert severity 8388608 is an error, a malformed mark anything at all
	if awk -F'\t' '$3 !~ /^1(,1)*$/ || $4 != "" || $5 ~ /8388608/' "$all.fields" | grep -q .; then
		echo "a bad checksum, a malformed packet or an expert error:"
		awk -F'\t' '$3 !~ /^1(,1)*$/ || $4 != "" || $5 ~ /8388608/' "$all.fields" | head
		return 1
	fi
	echo "$total NHRP packets decoded (type, protocol type, size):"
	cut -f1,2,6 "$all.fields" | sort | uniq -c
	[ "$total" -gt 10 ] && [ "$(wc -l <"$all.fields")" -eq "$total" ]
}
check "tshark decodes every NHRP packet: good checksums, nothing malformed" tshark_nhrp
t6=$(date +%s)
# the IPv6 ones among them: registrations, resolutions (requests, replies) over 0x86DD
v6=$(awk -F'\t' '$6 == "0x86dd" { print $1 }' "$TMPDIR/15-all.nhrp.fields" | sort -u | tr '\n' ' ')
check "tshark: IPv6 NHRP (0x86DD) registration and resolution requests and replies ($v6)" \
	grep -q '^1 2 3 4 ' <<<"$v6"
# the hub's echo requests to ff02::1 each spoke received on its mGRE device
echo6() { tcpdump -r "$TMPDIR/15-$1.pcap" -n 'ip6 dst ff02::1 and icmp6 and ip6[40] == 128' 2>/dev/null | wc -l; }
m1=$(echo6 s1) m2=$(echo6 s2)
check "IPv6 multicast reached spokes 1 and 2 through the multicast list ($m1, $m2 of 3)" \
	test "$m1" -ge 3 -a "$m2" -ge 3
echo "# the IPv6 captures' checks took $(($(date +%s) - t6)) s"
nodes_down
finish

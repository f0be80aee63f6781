#!/bin/bash
# Inside the VM (tests/vm/soak.sh, make check-full): a hub and three spokes
# for MINUTES minutes with seed 002's IPsec lifetime of 120 s, so every pair
# is rekeyed every 102-110 s; each spoke pings the hub's LAN and spoke 1
# pings spoke 2 over their shortcut, every 0.2 s throughout.  The hub and
# spoke 1 run dmvpnd built with LeakSanitizer (LSAN_BIN), the other spokes
# the normal build.  Checks:
#   - rekeys happened (spoke 1's pair with the hub changed SPIs at least
#     once per 150 s);
#   - lost pings at most 3 + 0.5% of those sent, per stream (a rekey is
#     make-before-break: none should be lost);
#   - each dmvpnd's RSS flat: sampled every 10 s, the largest after the
#     first 3 minutes (a rekey cycle of every pair, the NHRP cache full)
#     at most 1024 KB above the largest of those 3 minutes;
#   - LeakSanitizer works here (a program that leaks is reported) and the
#     hub's and spoke 1's dmvpnd report nothing when they exit.
RES=$1
export MODROOT=$2
MINUTES=${3:-30}
LSAN_BIN=$4
export RESULTS=$RES
cd "$(dirname "$0")" || exit 1
. ./lib.sh
SCENARIO=soak
. ./mgre.sh
. ./dmvpnd.sh
. ./nhrp_lab.sh
exec >"$RES/soak.log" 2>&1

SPOKES=3
WARM=180		# s: the baseline of the RSS bound
RSS_SLACK=1024		# KB
NORMAL=$DMVPND
T0=$(date +%s)
say() { echo "# [$(($(date +%s) - T0)) s] $*"; }
all_registered() { registered $(seq "$SPOKES"); }
# spoke 1's inbound SAs from the hub in its module, one a line
spi_s1() { ctl s1 -j sa show dev dmvpn0 | grep -o "\"nbma\":\"$HUB\",\"dir\":\"in\",\"spi\":[0-9]*"; }

lsan_works() {	# the sanitizer itself, here: a leak is reported
	local d=$TMPDIR/soak-lsan
	mkdir -p "$d"
	printf '#include <stdlib.h>\nvoid *p;\nint main(void) { p = malloc(77); p = 0; return 0; }\n' >"$d/leak.c"
	gcc -fsanitize=leak -g -o "$d/leak" "$d/leak.c" || return 1
	"$d/leak" >"$d/out" 2>&1
	cat "$d/out"
	grep -q 'LeakSanitizer: detected memory leaks' "$d/out" && grep -q '77 byte' "$d/out"
}
lsan_clean() {	# lsan_clean NS: its log holds no sanitizer report
	local log=$RES/soak-$1-dmvpnd.log
	if grep -n -A20 'Sanitizer' "$log"; then
		return 1
	fi
	echo "no sanitizer report in $log"
}
rss_check() {	# rss_check NODE: prints first/last/max; fails beyond the bound
	awk -v n="$1" -v warm=$WARM -v slack=$RSS_SLACK '
		$2 == n { if (!first) first = $3; last = $3; if ($3 > max) max = $3
			  if ($1 <= warm) { if ($3 > base) base = $3 } else if ($3 > later) later = $3 }
		END { printf "%s: RSS first %d KB, last %d KB, max %d KB; largest in the first %d s %d KB, after %d KB (bound +%d KB)\n",
			n, first, last, max, warm, base, later, slack
		      exit !(first && later && later <= base + slack) }' "$RES/rss"
}

check "LeakSanitizer reports a leak in this guest (the control)" lsan_works
check "the LeakSanitizer build of dmvpnd is instrumented" \
	sh -c "nm '$LSAN_BIN' | grep -q __lsan"
check "modprobe mgre" modprobe mgre
check "a hub and $SPOKES spokes" lab_up $SPOKES || skip_rest "no lab"
LIFE=' set security-association lifetime seconds 120'
lab_conf "$TMPDIR/soak-hub.conf" "$HUB_O" "$LAB_HUB_NHRP" "$LIFE"
for i in $(seq $SPOKES); do
	lab_conf "$TMPDIR/soak-s$i.conf" "$(spoke_overlay "$i")" "$LAB_SPOKE_NHRP" "$LIFE"
done
DMVPND=$LSAN_BIN
check "hub: dmvpnd (LeakSanitizer build)" dnode_start hub "$TMPDIR/soak-hub.conf"
check "spoke 1: dmvpnd (LeakSanitizer build)" dnode_start s1 "$TMPDIR/soak-s1.conf"
DMVPND=$NORMAL
for i in $(seq 2 $SPOKES); do
	check "spoke $i: dmvpnd" dnode_start "s$i" "$TMPDIR/soak-s$i.conf"
done
check "every spoke registered" until_ok 60 all_registered || skip_rest "not registered"
for i in $(seq $SPOKES); do
	bg_ping "s$i" "$LAB_LANH"
done
check "spoke 1 -> spoke 2 over the overlay" until_ok 20 pings s1 "$(spoke_overlay 2)" 1
bg_ping s1 "$(spoke_overlay 2)" s2
say "registered; traffic on"

# sample: seconds, node, RSS KB; and spoke 1's inbound SPIs with the hub
: >"$RES/rss"
: >"$RES/spis"
T1=$(date +%s)
end=$((T1 + MINUTES * 60))
next_say=$((T1 + 60))
while [ "$(date +%s)" -lt "$end" ]; do
	t=$(($(date +%s) - T1))
	for n in hub $(seq -f 's%g' $SPOKES); do
		echo "$t $n $(rss_kb "$(dnode_pid "$n")")" >>"$RES/rss"
	done
	spi_s1 >>"$RES/spis"
	if [ "$(date +%s)" -ge "$next_say" ]; then
		say "hub RSS $(rss_kb "$(dnode_pid hub)") KB, spoke 1's SPIs seen $(sort -u "$RES/spis" | wc -l)"
		next_say=$((next_say + 60))
	fi
	sleep 10
done
say "soak over"

nspi=$(sort -u "$RES/spis" | wc -l)
want=$((MINUTES * 60 / 150))
check "rekeys: spoke 1's pair with the hub had $nspi inbound SPIs (want >= $((want + 1)))" \
	test "$nspi" -ge $((want + 1))
for s in s1 s2 s3 s1-s2; do
	ns=${s%%-*} tag=
	[ "$s" = s1-s2 ] && tag=s2
	read -r l n < <(bg_ping_stop "$ns" $tag)
	echo "# lost pings $s: $l of $n"
	check "$s: lost pings $l <= 3 + 0.5% of $n" test "$l" -le $((3 + n / 200))
	check "$s: pings were sent throughout ($n)" test "$n" -ge $((MINUTES * 60 * 4))
done
for n in hub $(seq -f 's%g' $SPOKES); do
	echo "# $(rss_check "$n")"
	check "$n: dmvpnd's RSS flat" rss_check "$n"
done
check "every spoke still registered" all_registered
for n in $(seq -f 's%g' $SPOKES -1 1) hub; do
	check "$n: dmvpnd exits cleanly" dnode_stop "$n"
done
check "hub: LeakSanitizer reports nothing at exit" lsan_clean hub
check "spoke 1: LeakSanitizer reports nothing at exit" lsan_clean s1
nodes_down
finish

#!/bin/bash
# make bench-flood: in one VM boot, a hub dmvpnd with established spokes
# under a flood of Main Mode message 1 from spoofed addresses
# (tests/bench/mm1_flood.c, tests/vm/bench-flood-guest.sh).  A benchmark,
# not a test: it prints the flood rate offered and received, the hub's CPU
# and memory, the call admission counters, the established spokes' lost
# pings and how long a new spoke takes to connect meanwhile.
# KERNEL=6.1|6.12 (default 6.1), FLOOD_SECONDS (default 30), FLOOD_SPOKES
# (established spokes, default 3), FLOOD_RATE (packets a second; default 0,
# as fast as the generator can), FLOOD_MODE=ike (MM1 from spoofed
# addresses, the default) or nhrp (NHRP requests from spoke 1 through its
# SA, tests/bench/nhrp_flood.c; FLOOD_NHRP=reg|res|mix, default mix), or
# both ("ike nhrp": one VM boot each).
set -u
cd "$(dirname "$0")" || exit 1
. ./kernels.sh
k=${KERNEL:-6.1}
abi=$(kernel_abi "$k") || exit 1
make -s -C "$TOP" tools >/dev/null || exit 1
cc -O2 -Wall -Wextra -o "$TOP/tests/bench/mm1_flood" "$TOP/tests/bench/mm1_flood.c" || exit 1
cc -O2 -Wall -Wextra -I"$TOP/daemon" -o "$TOP/tests/bench/nhrp_flood" \
	"$TOP/tests/bench/nhrp_flood.c" "$TOP/daemon/nhrp/wire.c" || exit 1
modes=${FLOOD_MODE:-ike}	# one or more, one VM boot each under one hold of the lock
mkdir -p "$CACHE"
exec 9>"$CACHE/vm.lock"
flock 9
kernel_fetch "$abi" && module_build "$abi" && initrd_build "$abi" || exit 1
rc=0
for mode in $modes; do
	res=${DMVPN_RESULTS:-$CACHE/results}/bench-flood-$mode-$abi
	rm -rf "$res"
	mkdir -p "$res"
	echo "# $abi, $(vm_accel), $(nproc) host cores, 2 vCPUs, $(date -u +%F)"
	VM_TIMEOUT=1800 vm_boot "$abi" "$res/console.log" "$PWD/bench-flood-guest.sh" "$res" \
		"$CACHE/kernels/$abi/root" "${FLOOD_SECONDS:-30}" "${FLOOD_SPOKES:-3}" \
		"${FLOOD_RATE:-0}" "$mode" "${FLOOD_NHRP:-mix}"
	if [ ! -f "$res/report" ]; then
		echo "the benchmark ($mode) did not finish"
		tail -n 30 "$res/log" "$res/console.log"
		rc=1
		continue
	fi
	cat "$res/report"
done
exit $rc

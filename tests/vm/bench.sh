#!/bin/bash
# make bench: in one VM boot, the same traffic through mgre and through
# ip_gre + XFRM ESP with the same cipher and keys, and the raw cipher
# speed as the ceiling, with plain ip_gre (no ESP) as the ceiling of the
# framing.  A benchmark, not a test: it prints medians and ratios.
# KERNEL=6.1|6.12 (default 6.1), BENCH_SECONDS (default 10) per run,
# BENCH_REPEATS (default 3) interleaved runs per path and row.
set -u
cd "$(dirname "$0")" || exit 1
. ./kernels.sh
k=${KERNEL:-6.1}
abi=$(kernel_abi "$k") || exit 1
make -s -C "$TOP" tools >/dev/null || exit 1
# alone on the host (another guest on the same cores would skew the
# figures), and the module build and the kernel tree's updates/ are shared
mkdir -p "$CACHE"
exec 9>"$CACHE/vm.lock"
if ! flock -n 9; then
	echo "# another VM run holds $CACHE/vm.lock; waiting"
	flock 9
fi
kernel_fetch "$abi" && module_build "$abi" && initrd_build "$abi" || exit 1
res=$CACHE/results/bench-$abi
rm -rf "$res"
mkdir -p "$res"
echo "# $abi, $(vm_accel), $(nproc) host cores, 2 vCPUs"
VM_TIMEOUT=3600 vm_boot "$abi" "$res/console.log" "$PWD/bench-guest.sh" "$res" \
	"$CACHE/kernels/$abi/root" "${BENCH_SECONDS:-10}" "${BENCH_REPEATS:-3}"
if [ ! -f "$res/report" ]; then
	echo "the benchmark did not finish"
	tail -n 30 "$res/console.log"
	exit 1
fi
cat "$res/report"

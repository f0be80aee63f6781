#!/bin/bash
# make bench-spokes: in one VM boot, SPOKES simulated spokes
# (tests/bench/spokes.c: one process, each spoke its own NBMA address,
# real IKEv1 by dmvpnd's engine over UDP, the keys in XFRM, real NHRP
# registrations over GRE through ESP) against dmvpnd + mgre as the hub,
# then the same spokes' IKE against strongSwan's charon as the hub
# (tests/vm/bench-spokes-guest.sh).  A benchmark, not a test: it prints
# the time to converge, handshakes and registrations per second, the hub's
# CPU and memory (daemon and kernel) per spoke, and the handshake ratio.
# KERNEL=6.1|6.12 (default 6.1), SPOKES (default 500).
set -u
cd "$(dirname "$0")" || exit 1
. ./kernels.sh
k=${KERNEL:-6.1}
abi=$(kernel_abi "$k") || exit 1
make -s -C "$TOP" tools >/dev/null || exit 1
D=$TOP/daemon
# shellcheck disable=SC2046	# the engine's and codec's sources, as daemon/Makefile takes them
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Wno-missing-field-initializers \
	-Wno-unused-parameter -I"$TOP/uapi" -I"$D" -o "$TOP/tests/bench/spokes" \
	"$TOP/tests/bench/spokes.c" $(ls "$D"/ike/*.c "$D"/conf/*.c "$D"/lib/*.c) "$D/nhrp/wire.c" \
	-lcrypto || exit 1
mkdir -p "$CACHE"
exec 9>"$CACHE/vm.lock"
flock 9
kernel_fetch "$abi" && module_build "$abi" && initrd_build "$abi" || exit 1
res=${DMVPN_RESULTS:-$CACHE/results}/bench-spokes-$abi
rm -rf "$res"
mkdir -p "$res"
echo "# $abi, $(vm_accel), $(nproc) host cores, 2 vCPUs, ${SPOKES:-500} spokes, $(date -u +%F)"
VM_TIMEOUT=1800 vm_boot "$abi" "$res/console.log" "$PWD/bench-spokes-guest.sh" "$res" \
	"$CACHE/kernels/$abi/root" "${SPOKES:-500}"
if [ ! -f "$res/report" ]; then
	echo "the benchmark did not finish"
	tail -n 30 "$res/log" "$res/console.log"
	exit 1
fi
cat "$res/report"

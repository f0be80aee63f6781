#!/bin/bash
# make bench-nhrp: in one VM boot, N lightweight spokes (tests/bench/
# nhrp_spokes.c: real Registration Requests over GRE from N NBMA
# addresses) register with dmvpnd on an mgre device, then with FRR's
# nhrpd on ip_gre, the same spokes the same way; prints the time to
# converge, registrations per second and the hub's memory per spoke for
# both, and the ratios.  A benchmark, not a test.  KERNEL=6.1|6.12
# (default 6.1), SPOKES (default 1000).  No IPsec: FRR 8.4 keys it only
# through a patched strongSwan; IKE against charon is not in this run.
set -u
cd "$(dirname "$0")" || exit 1
. ./kernels.sh
k=${KERNEL:-6.1}
abi=$(kernel_abi "$k") || exit 1
make -s -C "$TOP" tools >/dev/null || exit 1
res=$CACHE/results/bench-nhrp-$abi
rm -rf "$res"
mkdir -p "$res"
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Wno-missing-field-initializers \
	-I"$TOP/daemon" -o "$res/nhrp_spokes" "$TOP/tests/bench/nhrp_spokes.c" \
	"$TOP/daemon/nhrp/wire.c" || exit 1
kernel_fetch "$abi" && module_build "$abi" && initrd_build "$abi" || exit 1
echo "# $abi, $(vm_accel), $(nproc) host cores, 2 vCPUs, ${SPOKES:-1000} spokes"
VM_TIMEOUT=1800 vm_boot "$abi" "$res/console.log" "$PWD/bench-nhrp-guest.sh" "$res" \
	"$CACHE/kernels/$abi/root" "${SPOKES:-1000}"
if [ ! -f "$res/report" ]; then
	echo "the benchmark did not finish"
	tail -n 30 "$res/log" "$res/console.log" 2>/dev/null
	exit 1
fi
cat "$res/report"

#!/bin/bash
# The soak (make check-full, never make check): tests/vm/soak-guest.sh in
# one VM boot on Debian's 6.1 kernel, a hub and three spokes for
# SOAK_MINUTES (default 30) with rekeys every couple of minutes; the hub
# and spoke 1 run dmvpnd built with LeakSanitizer, here, in a build
# directory of its own (the normal binaries are untouched).  Prints the
# guest's checks and closes with "N passed, N failed".
set -u
cd "$(dirname "$0")" || exit 1
. ./kernels.sh
minutes=${SOAK_MINUTES:-30}
pass=0 fail=0
fin() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
abi=$(kernel_abi "${KERNEL:-6.1}") || { fail=1; echo "not ok - soak: no kernel package"; fin; }
make -s -C "$TOP" tools >/dev/null || { fail=1; echo "not ok - soak: the tools build"; fin; }

# dmvpnd with LeakSanitizer: a copy of daemon/ and uapi/ built with -fsanitize=leak
lsan=$CACHE/build/dmvpnd-lsan
mkdir -p "$lsan"
rsync -a --delete --exclude '*.o' --exclude '*.a' --exclude dmvpnd/dmvpnd \
	--exclude ctl/dmvpnctl "$TOP/daemon" "$TOP/uapi" "$lsan/" &&
	CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=leak" LDFLAGS=-fsanitize=leak \
		make -s -C "$lsan/daemon" -j2 dmvpnd/dmvpnd >"$lsan/build.log" 2>&1
if [ -x "$lsan/daemon/dmvpnd/dmvpnd" ]; then
	pass=$((pass + 1))
	echo "ok - soak: dmvpnd builds with -fsanitize=leak in $lsan"
else
	fail=$((fail + 1))
	echo "not ok - soak: dmvpnd builds with -fsanitize=leak"
	tail -n 20 "$lsan/build.log" | sed 's/^/#   /'
	fin
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/vm.lock"
if ! flock -n 9; then
	echo "# another VM run holds $CACHE/vm.lock; waiting"
	flock 9
fi
kernel_fetch "$abi" && module_build "$abi" && initrd_build "$abi" ||
	{ fail=1; echo "not ok - soak: $abi prepared"; fin; }
res=${DMVPN_RESULTS:-$CACHE/results}/soak-$abi
rm -rf "$res"
mkdir -p "$res"
echo "# soak: $abi, $(vm_accel), $minutes minutes; logs in $res"
t0=$(date +%s)
VM_TIMEOUT=$((minutes * 60 + 900)) vm_boot "$abi" "$res/console.log" "$PWD/soak-guest.sh" "$res" \
	"$CACHE/kernels/$abi/root" "$minutes" "$lsan/daemon/dmvpnd/dmvpnd"
echo "# soak: the VM ran $(($(date +%s) - t0)) s"
while read -r l; do
	case $l in
	"ok "*) pass=$((pass + 1)); echo "$l" | sed 's/^ok [0-9]* *- /ok - /' ;;
	"not ok "*) fail=$((fail + 1)); echo "$l" | sed 's/^not ok [0-9]* *- /not ok - /' ;;
	"#"*) echo "$l" ;;
	esac
done <"$res/soak.log" 2>/dev/null
if ! grep -q '^# soak: [0-9]* passed' "$res/soak.log" 2>/dev/null; then
	fail=$((fail + 1))
	echo "not ok - soak: the guest did not finish"
	tail -n 30 "$res/console.log" | sed 's/^/#   /'
fi
fin

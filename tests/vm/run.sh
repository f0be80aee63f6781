#!/bin/bash
# The VM scenarios on Debian's 6.1 and 6.12 kernels.  Prints one line per
# test, each phase's and each scenario's time, and closes with
# "N passed, N failed".
#   TIER=check|full      check (make check, the CI budget): every scenario on
#                        6.1, and on 6.12 the subset that covers every
#                        kernel-facing path (SCENARIOS_6_12); full
#                        (make check-full): every scenario on both
#   KERNELS="6.1 6.12"   which kernels (default both)
#   SCENARIOS="01 02"    which scenarios, on every kernel (overrides TIER)
set -u
cd "$(dirname "$0")" || exit 1
. ./kernels.sh

# The 6.12 subset of "make check": the module and DKMS build (always), the
# data path with each AEAD kind (01: authenc cbc+hmac, authenc 3des+md5,
# rfc4106 gcm), ESP interop with ip_gre + XFRM (02), hostile input (04) and
# one IKE run against charon that also carries NAT-T, ESP-in-UDP through a
# MASQUERADE (11).  The other scenarios run on 6.1 in make check and on
# both kernels in make check-full.
SCENARIOS_6_12=${SCENARIOS_6_12:-"01 02 04 11"}

scenarios_for() {	# scenarios_for 6.1|6.12: the list to pass to the guest ("" = all)
	if [ -n "${SCENARIOS:-}" ]; then
		echo "$SCENARIOS"
	elif [ "${TIER:-check}" = check ] && [ "$1" = 6.12 ]; then
		echo "$SCENARIOS_6_12"
	fi
}

# One VM phase at a time per host: the module build directory, the cached
# kernel tree's updates/ and the results directory are per kernel, so a
# second run on the same host waits here instead of overwriting them.
mkdir -p "$CACHE"
exec 9>"$CACHE/vm.lock"
if ! flock -n 9; then
	echo "# another VM run holds $CACHE/vm.lock; waiting"
	flock 9
fi

pass=0 fail=0
line() {	# line ok|fail description
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok - $2"
	else
		fail=$((fail + 1))
		echo "not ok - $2"
	fi
}

if make -s -C "$TOP" tools >/dev/null; then
	line ok "userspace tools build (dmvpnctl, link_mgre.so)"
else
	line fail "userspace tools build (dmvpnctl, link_mgre.so)"
fi

for k in ${KERNELS:-6.1 6.12}; do
	abi=$(kernel_abi "$k")
	if [ -z "$abi" ]; then
		line fail "$k: no kernel package found (apt-get update?)"
		continue
	fi
	t0=$(date +%s)
	if ! kernel_fetch "$abi"; then
		line fail "$abi: fetch linux-image-$abi"
		continue
	fi
	if module_build "$abi"; then
		line ok "$abi: mgre.ko builds warning-free against linux-headers-$abi"
	else
		line fail "$abi: mgre.ko builds warning-free against linux-headers-$abi"
		tail -n 30 "$CACHE/build/$abi/build.log" 2>/dev/null | sed 's/^/#   /'
	fi
	if [ -z "${NO_DKMS:-}" ]; then
		if dkms_check "$abi"; then
			line ok "$abi: dkms add/build"
		else
			line fail "$abi: dkms add/build"
		fi
	fi
	initrd_build "$abi"
	list=$(scenarios_for "$k")
	echo "# $abi: prepared in $(($(date +%s) - t0)) s, booting ($(vm_accel)), scenarios: ${list:-all}"
	res=${DMVPN_RESULTS:-$CACHE/results}/$abi
	rm -rf "$res"
	mkdir -p "$res"
	t0=$(date +%s)
	# shellcheck disable=SC2086	# the list is one argument per scenario
	vm_boot "$abi" "$res/console.log" "$PWD/guest.sh" "$res" "$CACHE/kernels/$abi/root" \
		$list
	echo "# $abi: VM ran $(($(date +%s) - t0)) s"
	if [ ! -f "$res/finished" ]; then
		line fail "$abi: the VM run did not finish"
		tail -n 40 "$res/console.log" | sed 's/^/#   /'
	fi
	while read -r l; do
		case $l in
		"ok "*) pass=$((pass + 1)); echo "$l" | sed "s/^ok [0-9]* *- /ok - $abi: /" ;;
		"not ok "*) fail=$((fail + 1)); echo "$l" | sed "s/^not ok [0-9]* *- /not ok - $abi: /" ;;
		*) echo "$l" ;;
		esac
	done <"$res/tap" 2>/dev/null
	for f in "$res"/[0-9]*.log; do
		[ -f "$f" ] || continue
		if grep -q '^not ok' "$f"; then
			echo "# --- $f"
			grep -v '^ok ' "$f" | tail -n 40 | sed 's/^/#   /'
		fi
	done
	cat "$res/times" 2>/dev/null
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

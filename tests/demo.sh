#!/bin/bash
# make demo: build everything, then bring up seed 002's lab from examples/
# (one hub, two spokes, IKE and NHRP real) and show the spoke-to-spoke
# tunnel NHRP builds: tests/vm/scenarios/19-demo.sh.  On a host that can
# load mgre.ko (built here against the running kernel) it runs on the host,
# in network namespaces; elsewhere (this CI machine kind, containers) in a
# qemu guest on Debian's 6.1 kernel, printing the lab's lines as they come.
# Ends with the demo's one-line verdict; exit 0 only if it passed.
#   DEMO_VM=1 make demo    the VM even where the host could load the module
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
T0=$(date +%s)
say() { printf '# [%4d s] %s\n' $(($(date +%s) - T0)) "$*"; }

[ "$(id -u)" -eq 0 ] || { echo "make demo: run it as root (network namespaces, the module)"; exit 1; }
say "building dmvpnd, dmvpnctl and the ip(8) plugin"
make -s -C daemon >/dev/null && make -s -C tools/iproute2 >/dev/null || { say "build failed"; exit 1; }

host_can() {	# the module built against the running kernel, and loaded
	[ -d "/lib/modules/$(uname -r)/build" ] || return 1
	lsmod | grep -q '^mgre ' && return 0
	say "building mgre.ko against the running kernel ($(uname -r))"
	make -s -C "/lib/modules/$(uname -r)/build" M="$TOP" modules >/dev/null 2>&1 &&
		insmod "$TOP/mgre.ko" 2>/dev/null
}

if [ -z "${DEMO_VM:-}" ] && host_can; then
	say "the host loads mgre.ko: the lab runs here, in network namespaces"
	TMPDIR=$(mktemp -d) RESULTS=$(mktemp -d) bash tests/vm/scenarios/19-demo.sh
	exit $?
fi

say "this kernel cannot load mgre.ko here: the lab runs in a qemu guest on Debian's 6.1 kernel"
say "preparing the guest (kernel package, module build: cached under ${DMVPN_CACHE:-/var/cache/dmvpn})"
res=$(mktemp -d)
DMVPN_RESULTS=$res SCENARIOS=19 KERNELS=6.1 NO_DKMS=1 tests/vm/run.sh >"$res/run.log" 2>&1 &
run=$!
log=""
while kill -0 "$run" 2>/dev/null && [ -z "$log" ]; do
	sleep 1
	log=$(ls "$res"/*/vm1/19-demo.log 2>/dev/null | head -n 1)
done
if [ -n "$log" ]; then
	say "the guest is up: the lab"
	tail -n +1 -F --pid="$run" "$log" 2>/dev/null
fi
wait "$run"
rc=$?
if [ -z "$log" ] || ! grep -q 'demo PASSED' "$log"; then
	say "the guest run said:"
	grep -E '^(not ok|# )' "$res/run.log" | tail -n 20
	say "demo FAILED (logs in $res)"
	exit 1
fi
say "done; the guest's logs are in $res"
exit $rc

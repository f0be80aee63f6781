# shellcheck shell=bash
# Guest-side test library for the VM scenarios (tests/vm/scenarios/*.sh).
#
#   check "description" cmd args...   run cmd; print "ok N - desc" or
#                                     "not ok N - desc" with its output
#   skip_rest "reason"                stop the scenario here, as a failure
#   finish                            print "# NAME: N passed, N failed",
#                                     clean up, exit 0 only if all passed
#
# Scenarios run as root inside the VM, in the host's root filesystem (9p),
# with TMPDIR=/run (a tmpfs).  modprobe finds mgre.ko and the distro kernel's
# modules through the harness's wrapper.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export TMPDIR=${TMPDIR:-/run}
SCENARIO=$(basename "$0" .sh)

# The guest runs the host's userland on a distro kernel: module tools must
# look in that kernel's tree (guest.sh exports MODROOT).
modprobe() { command modprobe -d "${MODROOT:-/}" "$@"; }
T_PASS=0
T_FAIL=0
T_N=0

check() {
	local desc=$1 out rc
	shift
	T_N=$((T_N + 1))
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		T_PASS=$((T_PASS + 1))
		echo "ok $T_N - $SCENARIO: $desc"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "not ok $T_N - $SCENARIO: $desc (exit $rc)"
		printf '%s\n' "$out" | tail -n 15 | sed 's/^/#   /'
	fi
	return $rc
}

skip_rest() {
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $((T_N + 1)) - $SCENARIO: $1 (rest of the scenario not run)"
	finish
}

finish() {
	if declare -F nodes_down >/dev/null; then
		nodes_down
	fi
	echo "# $SCENARIO: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
	exit $?
}

#!/bin/bash
# make check: unit tests, KUnit on UML, VM scenarios.  Each part ends with
# "N passed, N failed"; this sums them into the closing line and prints
# each part's time.
#   tests/check.sh [unit|kunit|vm|soak|all]
#   TIER=check (default; the CI budget) or full (make check-full: every VM
#   scenario on both kernels, a longer fuzz run, the soak)
set -u
cd "$(dirname "$0")/.." || exit 1
what=${1:-all}
total_p=0 total_f=0
export TIER=${TIER:-check}
[ "$TIER" = full ] && export FUZZ_SECONDS=${FUZZ_SECONDS:-300}
start=$(date +%s)
summary=()

part() {	# part NAME COMMAND...
	local name=$1 log p f rc t0
	shift
	log=$(mktemp)
	t0=$(date +%s)
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	if line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1) && [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
	else
		p=0 f=1
		echo "not ok - $name ended (exit $rc) without a summary line"
	fi
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	summary+=("$name: $p passed, $f failed in $(($(date +%s) - t0)) s")
	rm -f "$log"
}

case $what in unit | all) part unit tests/unit/run.sh ;; esac
case $what in kunit | all) part kunit tests/kunit/run.sh ;; esac
case $what in vm | all) part vm tests/vm/run.sh ;; esac
case $what in soak) part soak tests/vm/soak.sh ;; all) [ "$TIER" = full ] && part soak tests/vm/soak.sh ;; esac

echo "=== summary (TIER=$TIER, $(($(date +%s) - start)) s in all)"
printf '%s\n' "${summary[@]}"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]

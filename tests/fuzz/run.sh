#!/bin/bash
# Build the libFuzzer targets (clang, ASan, UBSan) and run them, the time
# split between them.
#   tests/fuzz/run.sh SECONDS    prints "N passed, N failed" (1 check a target)
#   fuzz_ike:  the ISAKMP codec and the IKE engine
#   fuzz_ike_sa: the plaintext inside an established phase-1 SA, hashed and
#              encrypted by the harness: Quick Mode (both roles), informational
#   fuzz_nhrp: the NHRP codec (parse, build, parse again)
#   fuzz_nhrp_engine: the NHRP engine, a hub and two spokes on an in-memory
#              wire driven by packets, the clock, misses, SA events
# Each target's coverage then: its corpus run once more with
# -print_coverage=1, the edges covered summed per file of daemon/
# (tests/fuzz/coverage.awk), a "#" line per directory.
set -u
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-600}
targets=(ike ike_sa nhrp nhrp_engine)
per=$((secs / ${#targets[@]}))
[ "$per" -ge 1 ] || per=1
# per run (two runs on one host do not collide); FUZZ_DIR keeps a corpus
if [ -n "${FUZZ_DIR:-}" ]; then
	out=$FUZZ_DIR
else
	out=$(mktemp -d "${TMPDIR:-/tmp}/dmvpn-fuzz.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi
pass=0 fail=0

# sources and libraries of each target
srcs() {
	case $1 in
	ike | ike_sa) ls daemon/ike/*.c daemon/conf/*.c daemon/lib/*.c ;;
	nhrp) echo daemon/nhrp/wire.c ;;
	nhrp_engine) ls daemon/nhrp/*.c daemon/lib/log.c ;;
	esac
}
libs() { case $1 in ike | ike_sa) echo -lcrypto ;; esac; }
# the ike corpus keeps its old place in FUZZ_DIR; seeds are read, not written
corpus() { [ "$1" = ike ] && echo "$out/corpus" || echo "$out/corpus-$1"; }

for t in "${targets[@]}"; do
	bin=$out/fuzz_$t
	c=$(corpus "$t")
	mkdir -p "$c"
	seeds=()
	[ -d "tests/fuzz/seeds/$t" ] && seeds=("tests/fuzz/seeds/$t")
	# shellcheck disable=SC2046	# the file lists are separate arguments
	if ! clang -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Idaemon -Iuapi -o "$bin" "tests/fuzz/fuzz_$t.c" \
		$(srcs "$t") $(libs "$t"); then
		echo "not ok - the fuzz target fuzz_$t builds"
		fail=$((fail + 1))
		continue
	fi
	if "$bin" -max_total_time="$per" -print_final_stats=1 "$c" "${seeds[@]}" \
		>"$out/log-$t" 2>&1; then
		echo "ok - fuzz_$t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$out/log-$t"), \
$(grep -o 'cov: [0-9]*' "$out/log-$t" | tail -n 1 | sed 's/cov: //') edges, no crash"
		pass=$((pass + 1))
		"$bin" -runs=0 -print_coverage=1 "$c" "${seeds[@]}" 2>&1 |
			awk -f tests/fuzz/coverage.awk | sed "s/^/#   fuzz_$t: /"
	else
		echo "not ok - fuzz_$t found a crash:"
		grep -A30 -E 'ERROR|runtime error|deadly signal' "$out/log-$t" | head -40 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

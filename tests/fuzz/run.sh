#!/bin/bash
# Build the libFuzzer target (clang, ASan, UBSan) and run it.
#   tests/fuzz/run.sh SECONDS    prints "N passed, N failed" (1 check)
set -u
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-600}
# per run (two runs on one host do not collide); FUZZ_DIR keeps a corpus
if [ -n "${FUZZ_DIR:-}" ]; then
	out=$FUZZ_DIR
else
	out=$(mktemp -d "${TMPDIR:-/tmp}/dmvpn-fuzz.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out/corpus"
src=$(ls daemon/ike/*.c daemon/conf/*.c daemon/lib/*.c)
# shellcheck disable=SC2086
if ! clang -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Idaemon -Iuapi -o "$out/fuzz_ike" tests/fuzz/fuzz_ike.c $src -lcrypto; then
	echo "not ok - the fuzz target builds"
	echo "0 passed, 1 failed"
	exit 1
fi
if "$out/fuzz_ike" -max_total_time="$secs" -print_final_stats=1 "$out/corpus" \
	>"$out/log" 2>&1; then
	echo "ok - fuzz_ike: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$out/log"), no crash"
	echo "1 passed, 0 failed"
else
	echo "not ok - fuzz_ike found a crash:"
	grep -A30 -E 'ERROR|runtime error|deadly signal' "$out/log" | head -40 | sed 's/^/#   /'
	echo "0 passed, 1 failed"
	exit 1
fi

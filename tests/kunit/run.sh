#!/bin/bash
# KUnit suites of kmod/ in a User-Mode Linux kernel built from Debian's
# linux-source-6.1, with KASAN and UBSAN (.kunitconfig).  The unpacked tree
# is cached under $DMVPN_CACHE/kunit, keyed by the package version, and the
# build by the version and the configuration (.kunitconfig and Kconfig), so
# a build made with another configuration is never reused.  A KASAN or
# UBSAN report, a BUG, WARNING or oops anywhere in the kernel's output
# fails the run, even when every case passed: 6.1's KASAN fails the case
# it hits only with CONFIG_KASAN_KUNIT_TEST (whose own suite makes reports
# on purpose), and a report from a worker or a timer belongs to no case.
# kasan_multi_shot: every bad access is reported, not only the boot's
# first.  Closes with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
CACHE=${DMVPN_CACHE:-/var/cache/dmvpn}
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null)
if [ -z "$ver" ]; then
	echo "linux-source-6.1 is not installed (tests/deps.sh)"
	echo "0 passed, 1 failed"
	exit 1
fi
src=$CACHE/kunit/linux-source-$ver
key=$(cat tests/kunit/.kunitconfig tests/kunit/Kconfig | sha256sum | cut -c1-12)
build=$CACHE/kunit/build-$ver-$key

# One run at a time: the tree's overlay and the build are shared by every
# checkout on the host.
mkdir -p "$CACHE/kunit"
exec 9>"$CACHE/kunit/lock"
if ! flock -n 9; then
	echo "# another KUnit run holds $CACHE/kunit/lock; waiting"
	flock 9
fi

if [ ! -f "$src/.unpacked" ]; then
	rm -rf "$src" "$CACHE/kunit/linux-source-6.1"
	tar -C "$CACHE/kunit" -xf /usr/src/linux-source-6.1.tar.xz || exit 1
	mv "$CACHE/kunit/linux-source-6.1" "$src"
	touch "$src/.unpacked"
fi

# The overlay: drivers/net/mgre_kunit holds our Kconfig/Makefile and links
# to this checkout's kmod/, uapi/ and test suites.
ov=$src/drivers/net/mgre_kunit
mkdir -p "$ov"
cp tests/kunit/Kconfig tests/kunit/Makefile "$ov/"
ln -sfn "$TOP/kmod" "$ov/kmod"
ln -sfn "$TOP/uapi" "$ov/uapi"
ln -sfn "$TOP/tests/kunit" "$ov/tests"
grep -q mgre_kunit "$src/drivers/net/Kconfig" ||
	echo 'source "drivers/net/mgre_kunit/Kconfig"' >>"$src/drivers/net/Kconfig"
grep -q mgre_kunit "$src/drivers/net/Makefile" ||
	echo 'obj-y += mgre_kunit/' >>"$src/drivers/net/Makefile"

# Our objects are always built from this checkout: another checkout's run
# may have left newer objects than our sources, which make would keep.
rm -rf "$build/drivers/net/mgre_kunit"
log=$(mktemp)
rm -f "$build/test.log"	# never a previous run's output
(cd "$src" && python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$TOP/tests/kunit/.kunitconfig" --build_dir="$build" \
	--jobs="$(nproc)" --timeout=600 --kernel_args=kasan_multi_shot) 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
line=$(grep -Eo 'Ran [0-9]+ tests?: passed: [0-9]+(, failed: [0-9]+)?' "$log" | tail -n 1)
rm -f "$log"
if [ -z "$line" ]; then
	echo "kunit.py produced no result (exit $rc)"
	echo "0 passed, 1 failed"
	exit 1
fi
p=$(echo "$line" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
f=$(echo "$line" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
f=${f:-0}
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1

# The kernel's whole output (kunit.py keeps it in test.log): a sanitizer
# report or a splat is a failure of its own, whichever case it came from.
reports=$(grep -E 'BUG: KASAN:|UBSAN:|BUG:|WARNING:|Oops|Kernel panic|refcount_t:|general protection' \
	"$build/test.log" 2>/dev/null)
if [ ! -s "$build/test.log" ]; then
	echo "not ok - no kernel output in $build/test.log"
	f=$((f + 1))
elif [ -n "$reports" ]; then
	echo "not ok - the kernel reported (full output: $build/test.log):"
	mapfile -t lines <<<"$reports"
	printf '#   %s\n' "${lines[@]}"
	f=$((f + 1))
else
	echo "ok - no KASAN, UBSAN or other report in the kernel's output"
	p=$((p + 1))
fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]

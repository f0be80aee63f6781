#!/bin/bash
# The module's netlink request policies and ops table, generated from the
# YNL spec by the kernel's own generator (tools/net/ynl/ynl-gen-c.py of
# Debian's linux-source-6.12), so that Documentation/netlink/specs/mgre.yaml
# is their single source:
#   tools/ynl-gen.sh           write kmod/netlink-gen.c and kmod/netlink-gen.h (make ynl-gen)
#   tools/ynl-gen.sh --check   exit 1 with the difference when they are not what the spec gives
# SPEC= and OUT= name another spec and another directory (the tests use them).
# The generator and its schema come from /usr/src/linux-source-6.12.tar.xz into
# $DMVPN_CACHE/ynl, keyed by the package version; it runs with Debian's
# python3 (python3-yaml, python3-jsonschema: tests/deps.sh).  Exit 2: no
# generator.
set -eu
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = --check ] && check=1
spec=${SPEC:-Documentation/netlink/specs/mgre.yaml}
out=${OUT:-kmod}
CACHE=${DMVPN_CACHE:-/var/cache/dmvpn}
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
if [ -z "$ver" ] || [ ! -f /usr/src/linux-source-6.12.tar.xz ]; then
	echo "ynl-gen: linux-source-6.12 is not installed (tests/deps.sh)" >&2
	exit 2
fi
if ! /usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null; then
	echo "ynl-gen: python3-yaml and python3-jsonschema are needed (tests/deps.sh)" >&2
	exit 2
fi
ynl=$CACHE/ynl/linux-source-$ver
# (and scripts/kernel-doc, which the unit tests run with -Wall: one pass
# over the tarball for both)
if [ ! -f "$ynl/.unpacked-2" ]; then
	rm -rf "$ynl"
	mkdir -p "$ynl"
	tar -C "$ynl" --strip-components=1 -xJf /usr/src/linux-source-6.12.tar.xz \
		linux-source-6.12/tools/net/ynl \
		linux-source-6.12/Documentation/netlink/genetlink-legacy.yaml \
		linux-source-6.12/scripts/kernel-doc
	touch "$ynl/.unpacked-2"
fi

# The generator names the spec by its path in a kernel tree (the directory
# with MAINTAINERS: it loops forever without one) and validates it against
# the schema beside specs/: a scratch tree holding our spec where the
# kernel keeps its own, so the files say Documentation/netlink/specs/mgre.yaml.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/Documentation/netlink/specs" "$t/gen"
: >"$t/MAINTAINERS"
cp "$ynl/Documentation/netlink/genetlink-legacy.yaml" "$t/Documentation/netlink/"
cp "$spec" "$t/Documentation/netlink/specs/mgre.yaml"
for kind in source header; do
	ext=c
	[ $kind = header ] && ext=h
	/usr/bin/python3 "$ynl/tools/net/ynl/ynl-gen-c.py" --mode kernel --$kind \
		--spec "$t/Documentation/netlink/specs/mgre.yaml" -o "$t/gen/netlink-gen.$ext"
done

if [ $check = 0 ]; then
	cp "$t/gen/netlink-gen.c" "$t/gen/netlink-gen.h" "$out/"
	exit 0
fi
rc=0
for f in netlink-gen.c netlink-gen.h; do
	if ! diff -u "$out/$f" "$t/gen/$f"; then
		echo "ynl-gen: $out/$f is not what $spec gives: run make ynl-gen" >&2
		rc=1
	fi
done
exit $rc

#!/bin/bash
# Userspace unit tests: dmvpnctl's parsers and output, the iproute2 plugin
# against the installed ip(8), the netlink spec against the uapi header.
# Closes with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
B=$(mktemp -d)
NS=dmvpn-unit-$$	# per run: two runs on one host do not collide
trap 'rm -rf "$B"; ip netns del "$NS" 2>/dev/null' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "not ok - $*"; }
t() {	# t "description" cmd...
	local d=$1
	shift
	if "$@" >"$B/out" 2>&1; then ok; else ko "$d"; sed 's/^/#   /' "$B/out" | tail -n 10; fi
}

make -s -C daemon >/dev/null && make -s -C tools/iproute2 >/dev/null || {
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
}

# 1. C unit tests, with ASan and UBSan; each ends with "N passed, N failed"
ctest() {	# ctest NAME SOURCES... [-- LIBS]: build, run, add its counts
	local name=$1 line f
	shift
	if ! gcc -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Wno-missing-field-initializers -Wno-unused-parameter -g \
		-fsanitize=address,undefined -fno-sanitize-recover=all -Iuapi -Idaemon \
		-Itests/unit -o "$B/$name" "$@" >"$B/$name.build" 2>&1; then
		ko "$name builds"
		sed 's/^/#   /' "$B/$name.build" | head -n 30
		return
	fi
	"$B/$name" "$B/$name.out" >"$B/$name.log" 2>&1
	local rc=$?
	grep -v ' passed, ' "$B/$name.log"
	# a sanitizer report at exit (LeakSanitizer) fails the test even after its summary
	if grep -q 'Sanitizer' "$B/$name.log" || [ $rc -gt 1 ]; then
		ko "$name exited $rc with a sanitizer report"
	fi
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$B/$name.log" | tail -n 1)
	if [ -z "$line" ]; then
		ko "$name ended without a summary (crashed?)"
		return
	fi
	pass=$((pass + ${line%% passed*}))
	f=${line#*passed, }
	fail=$((fail + ${f%% failed*}))
}
summary() {	# summary NAME LOG: a sub-suite's lines, and its "N passed, N failed" added
	local line
	grep -v ' passed, ' "$2"
	line=$(tail -n 1 "$2")
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
	else
		ko "$1 ended without a summary"
	fi
}
# the sources of each role (daemon/<role>/*.c), as the Makefile takes them
src() { for r; do ls daemon/"$r"/*.c; done; }
ctest test_ctl tests/unit/test_ctl.c daemon/ctl/args.c daemon/ctl/print.c
# shellcheck disable=SC2046
ctest test_conf_strict tests/unit/test_conf_strict.c $(src conf ike lib) -lcrypto
cp "$B/test_ctl.out" "$B/out.json" 2>/dev/null
# shellcheck disable=SC2046	# pkg-config's words and the file lists are separate arguments
ctest test_nl tests/unit/test_nl.c $(src kernel) $(pkg-config --cflags --libs libnl-genl-3.0 libnl-route-3.0 libnftables)
# shellcheck disable=SC2046
ctest test_tunlink tests/unit/test_tunlink.c daemon/kernel/tunlink.c daemon/kernel/rtlink.c \
	daemon/kernel/mss.c daemon/kernel/nl_extack.c $(pkg-config --cflags --libs libnl-route-3.0 libnftables)
# shellcheck disable=SC2046
ctest test_neigh tests/unit/test_neigh.c daemon/kernel/neigh.c daemon/kernel/nhrp_sock.c \
	daemon/kernel/nl_extack.c $(pkg-config --cflags --libs libnl-route-3.0)
# shellcheck disable=SC2046
ctest test_ike_crypto tests/unit/test_ike_crypto.c daemon/ike/crypto.c daemon/ike/dh.c daemon/ike/dh_groups.c -lcrypto
ctest test_ike_msg tests/unit/test_ike_msg.c daemon/ike/msg.c daemon/ike/proposal.c daemon/lib/addr.c
ctest test_nhrp_wire tests/unit/test_nhrp_wire.c daemon/nhrp/wire.c
# shellcheck disable=SC2046
ctest test_ike_conf tests/unit/test_ike_conf.c $(src conf ike lib) -lcrypto
# shellcheck disable=SC2046
ctest test_examples tests/unit/test_examples.c $(src conf ike lib) -lcrypto
# shellcheck disable=SC2046
ctest test_nhrp_conf tests/unit/test_nhrp_conf.c $(src conf ike lib) -lcrypto
ctest test_nhrp_engine tests/unit/test_nhrp_engine.c $(src nhrp) daemon/lib/log.c
# shellcheck disable=SC2046
ctest test_ike_engine tests/unit/test_ike_engine.c $(src conf ike lib) -lcrypto
ctest test_notify tests/unit/test_notify.c daemon/lib/notify.c
ctest test_isakmp_sock tests/unit/test_isakmp_sock.c daemon/kernel/isakmp_sock.c
# shellcheck disable=SC2046
ctest test_ctl_server tests/unit/test_ctl_server.c $(src lib) daemon/dmvpnd/ctl_server.c daemon/ctl/daemon.c
# shellcheck disable=SC2046	# the kernel's interface is faked in the test: headers only
ctest test_show tests/unit/test_show.c daemon/dmvpnd/show_*.c daemon/dmvpnd/ctl_answer.c \
	daemon/dmvpnd/ctl_server.c $(src conf ike lib nhrp) \
	$(pkg-config --cflags libnl-genl-3.0 libnl-route-3.0) -lcrypto
t "dmvpnd's show JSON is well-formed" python3 -c \
	'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==25 and d[-1] is None
cac=[x for x in d[:-1] if type(x) is dict]
assert len(cac)==2 and all(x["in_negotiation_limit"]==1000 for x in cac)
assert all(type(x) is list for x in d[:-1] if x not in cac) and d[0][0]["conn_id"]==1001' \
	"$B/test_show.out"
t "dmvpnctl JSON is well-formed" python3 -c \
	'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==3 and d[0]["stats"]["replay"]==2 and d[1]["spi"]==3935077313 and d[2]["dynamic"] is True' \
	"$B/out.json"
# the hub benchmark's spoke simulator (make bench-spokes) keeps building against
# the engine and the codec it drives; its arguments are checked before any socket
# shellcheck disable=SC2046
t "the spoke simulator builds" gcc -std=gnu11 -O0 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-Wno-missing-field-initializers -Wno-unused-parameter -Iuapi -Idaemon -o "$B/spokes" \
	tests/bench/spokes.c $(src conf ike lib) daemon/nhrp/wire.c -lcrypto
sim_usage() { "$B/spokes" "$@" >/dev/null 2>&1; [ $? -eq 2 ]; }
t "spoke simulator: no hub, usage, exit 2" sim_usage -c /dev/null -n 10
t "spoke simulator: 0 spokes, usage, exit 2" sim_usage -c /dev/null -H 10.0.0.1 -O 192.168.1.1 -n 0
t "spoke simulator: a password over 8, usage, exit 2" sim_usage -c /dev/null -H 10.0.0.1 \
	-O 192.168.1.1 -n 1 -a 123456789

# 2. dmvpnctl's command line
ctl=daemon/ctl/dmvpnctl
usage_exit() { "$ctl" "$@" >/dev/null 2>&1; [ $? -eq 2 ]; }
t "no arguments: usage, exit 2" usage_exit
t "unknown object: exit 2" usage_exit frobnicate
t "unknown option: exit 2" usage_exit -x peer show
t "help lists sa add" sh -c "$ctl help | grep -q 'sa add dev IF nbma A dir in|out spi N'"
# every argument is checked before netlink: the answer is about the argument, exit 2,
# even here where the mgre family never exists (no module can be loaded)
ctl_arg() {	# ctl_arg "message" ARGS...: exit 2, that message, and no word of netlink
	local want=$1 rc
	shift
	"$ctl" "$@" >"$B/ctl.out" 2>"$B/ctl.err"
	rc=$?
	[ $rc -eq 2 ] && grep -qF -- "$want" "$B/ctl.err" && ! grep -q netlink "$B/ctl.err" ||
		{ echo "exit $rc: $(cat "$B/ctl.err")"; return 1; }
}
t "ctl: sa add, bad address" ctl_arg 'invalid IPv4 address "10.0.0"' sa add dev lo nbma 10.0.0 dir in spi 1 enc aes
t "ctl: sa add, bad key" ctl_arg 'enc-key: key has a non-hex character' sa add dev lo nbma 10.0.0.1 dir in spi 1 enc aes enc-key zz
t "ctl: sa add, missing enc" ctl_arg 'sa add needs "enc"' sa add dev lo nbma 10.0.0.1 dir in spi 1
t "ctl: sa del, bad dir" ctl_arg 'dir must be in or out, not "both"' sa del dev lo dir both spi 1
t "ctl: peer set, bad encap" ctl_arg 'encap must be esp or udp' peer set dev lo nbma 10.0.0.1 encap gre
t "ctl: peer show, bad argument" ctl_arg 'unknown argument "spi" for peer show' peer show spi 1
t "ctl: spi alloc without dev" ctl_arg 'spi alloc needs "dev"' spi alloc
t "ctl: mcast add without nbma" ctl_arg 'mcast add needs "nbma"' mcast add dev lo
t "ctl: encap set, port 0" ctl_arg 'encap set needs a port 1-65535' encap set dev lo port 0
t "ctl: flush without dev" ctl_arg 'flush needs "dev"' flush
t "ctl: monitor, bad count" ctl_arg 'monitor [-c COUNT] [-t SECONDS]' monitor -c x
t "ctl: no such device (if_nametoindex, not netlink)" ctl_arg 'no such device "nosuch0"' sa show dev nosuch0
# a whole valid line gets as far as netlink, which says the family is missing: exit 1
t "ctl: a valid line reaches netlink" sh -c "$ctl sa add dev lo nbma 10.0.0.1 dir in spi 1 enc aes \
	enc-key 00112233445566778899aabbccddeeff 2>&1 | grep -q 'generic netlink family'"
# the version, from lib/version.h, is dkms.conf's PACKAGE_VERSION
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
t "dmvpnctl --version is dkms.conf's" sh -c "[ \"\$($ctl --version)\" = 'dmvpnctl $version' ]"
t "dmvpnd --version is dkms.conf's" sh -c "[ \"\$(daemon/dmvpnd/dmvpnd --version)\" = 'dmvpnd $version' ]"
t "dmvpnd --help" sh -c "daemon/dmvpnd/dmvpnd --help | grep -q -- '-t, --test'"
t "dmvpnd: a bad option, exit 2" sh -c "daemon/dmvpnd/dmvpnd --frob 2>/dev/null; [ \$? -eq 2 ]"
t "dmvpnd: a bad port, exit 2" sh -c "daemon/dmvpnd/dmvpnd -p 500x 2>&1 | grep -q \"'500x' is not a port\""

# dmvpnd -t: the file checked, exit 0 with the warnings or 1 with the error, on stderr
dmvpnd=daemon/dmvpnd/dmvpnd
mkdir -p "$B/conf"
cp tests/unit/seed002-hub.conf "$B/conf/good.conf"
printf 'crypto isakmp policy 1\n authentication pre-share\ncripto isakmp key k address 0.0.0.0 0.0.0.0\n' \
	>"$B/conf/bad.conf"
printf '\n! nothing\n' >"$B/conf/empty.conf"
chmod 600 "$B"/conf/*.conf
dtest() {	# dtest EXIT "stderr pattern" FILE
	local rc
	"$dmvpnd" -t -c "$3" >"$B/d.out" 2>"$B/d.err"
	rc=$?
	[ $rc -eq "$1" ] && grep -qF -- "$2" "$B/d.err" && [ ! -s "$B/d.out" ] ||
		{ echo "exit $rc: $(head -n 5 "$B/d.err")"; return 1; }
}
t "dmvpnd -t: seed 002's hub, exit 0" dtest 0 "good.conf: configuration OK (" "$B/conf/good.conf"
t "dmvpnd -t: its warnings on stderr" dtest 0 "good.conf:60: ignored: router eigrp 90 and the 3 lines under it" "$B/conf/good.conf"
t "dmvpnd -t: a typo, exit 1" dtest 1 "bad.conf:3: unknown command 'cripto' (did you mean 'crypto isakmp key'?)" "$B/conf/bad.conf"
t "dmvpnd -t: an empty file" dtest 1 "empty.conf: no configuration in it" "$B/conf/empty.conf"
t "dmvpnd -t: a directory" dtest 1 "conf: a directory, not a configuration file" "$B/conf"
t "dmvpnd -t: a missing file" dtest 1 "nosuch.conf: No such file or directory" "$B/conf/nosuch.conf"
head -c 4096 /dev/urandom | tr -d '\000' >"$B/conf/random.bin"
chmod 600 "$B/conf/random.bin"
t "dmvpnd -t: a binary" dtest 1 "random.bin: binary data" "$B/conf/random.bin"
if command -v strace >/dev/null; then
	t "dmvpnd -t opens no socket (the kernel untouched)" sh -c "strace -f -e trace=socket \
		$dmvpnd -t -c $B/conf/good.conf 2>&1 | grep -q 'configuration OK' && ! strace -f \
		-e trace=socket $dmvpnd -t -c $B/conf/good.conf 2>&1 | grep -q 'socket('"
fi
# without -f, an error before detaching is on stderr too, and the exit status says it
t "dmvpnd (no -f): a bad file, exit 1, the error on stderr" sh -c \
	"$dmvpnd -c $B/conf/bad.conf -s $B/d.sock -S $B 2>&1 >/dev/null | grep -q \"unknown command 'cripto'\" \
	 && ! $dmvpnd -c $B/conf/bad.conf -s $B/d.sock -S $B 2>/dev/null"
# and it goes to the background only once it runs: the starter exits 0 then, or with the
# daemon's status and its error on stderr if it stops first (here: the port taken)
dstart() {	# dstart SOCK: dmvpnd without -f in the unit namespace, on port 1500
	ip netns exec "$NS" "$dmvpnd" -c "$B/conf/good.conf" -s "$B/$1" -S "$B" -p 1500
}
ip netns add "$NS" 2>/dev/null
ip -n "$NS" link set lo up
t "dmvpnd (no -f) runs: the starter exits 0, the daemon answers" sh -c \
	"$(declare -f dstart); B=$B NS=$NS dmvpnd=$dmvpnd; dstart d1.sock && test -S $B/d1.sock"
t "dmvpnd (no -f) on a port in use: exit 1, the reason on stderr" sh -c \
	"$(declare -f dstart); B=$B NS=$NS dmvpnd=$dmvpnd; ! dstart d2.sock 2>$B/d2.err && \
	 grep -q 'cannot bind UDP port 1500: Address already in use' $B/d2.err"
pkill -f -- "-s $B/d1.sock" 2>/dev/null
# every command of dmvpnd's table, as lib/ctl_proto.c has them
for w in "show crypto sockets" "show crypto engine connections active" "show running-config" \
	"clear crypto session" "debug nhrp" "no debug crypto ipsec" "undebug all" "show debugging" \
	"show dmvpn \\[detail\\]"; do
	t "--help lists $w" sh -c "$ctl --help | grep -q '^  $w  '"
done

# 3. the iproute2 plugin, through the installed ip(8)
export IP_LIB_DIR=$TOP/tools/iproute2
ip netns add "$NS" 2>/dev/null
msg() {	# the RTM_NEWLINK request ip(8) sends for "ip link add ... type mgre ARGS"
	strace -f -e trace=sendmsg -e signal=none -s 512 -xx \
		ip -n "$NS" link add t0 type mgre "$@" 2>&1 |
		grep -o 'nlmsg_type=\(RTM_NEWLINK\|0x10\).*' | head -n 1
}
have_attr() {	# have_attr "hex of the IFLA_INFO_DATA attribute" ARGS...
	local want=$1
	shift
	msg "$@" | tr -d '\\x' | grep -q "$want"
}
if command -v strace >/dev/null; then
	# kind "mgre", then IFLA_MGRE_LOCAL (1) 209.168.202.225 and KEY (3) 0
	t "plugin: local" have_attr 08000100d1a8cae1 local 209.168.202.225 key 0
	t "plugin: key 0 is sent" have_attr 0800030000000000 local 209.168.202.225 key 0
	t "plugin: remote" have_attr 080002000a000001 local 10.0.0.2 remote 10.0.0.1
	t "plugin: ttl 64" have_attr 0500040040 local 10.0.0.2 ttl 64
	t "plugin: ttl inherit" have_attr 0500040000 local 10.0.0.2 ttl inherit
	t "plugin: tos inherit" have_attr 0500050001 local 10.0.0.2 tos inherit
	t "plugin: nopmtudisc" have_attr 0500070000 local 10.0.0.2 nopmtudisc
	t "plugin: dev lo" have_attr 0800060001000000 local 10.0.0.2 dev lo
else
	ko "strace is needed to check the plugin's netlink message"
fi
t "plugin: bad address refused" sh -c "ip -n $NS link add t0 type mgre local 1.2.3 2>&1 | grep -q 'invalid IPv4 address'"
t "plugin: bad key refused" sh -c "ip -n $NS link add t0 type mgre local 1.2.3.4 key x 2>&1 | grep -q 'invalid key'"
t "plugin: ttl 0 refused" sh -c "ip -n $NS link add t0 type mgre local 1.2.3.4 ttl 0 2>&1 | grep -q 'invalid ttl'"
t "plugin: unknown option refused" sh -c "ip -n $NS link add t0 type mgre frob 2>&1 | grep -q 'unknown option'"
t "plugin: missing value refused" sh -c "ip -n $NS link add t0 type mgre local 2>&1 | grep -q 'needs an argument'"

# dmvpnd as a Type=notify service sees it: NOTIFY_SOCKET's messages at start,
# reload and stop, in the namespace (UDP 500 is free there)
python3 tests/unit/notify_dmvpnd.py "$NS" daemon/dmvpnd/dmvpnd "$B/notify" >"$B/notify.log" 2>&1
summary "tests/unit/notify_dmvpnd.py" "$B/notify.log"

# 5. a short libFuzzer run over dmvpnd's parsers and engine (make fuzz: long)
line=$(tests/fuzz/run.sh "${FUZZ_SECONDS:-30}" | tee "$B/fuzz.log" | tail -n 1)
grep -v ' passed, ' "$B/fuzz.log" | grep -v '^ok ' 
if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
	pass=$((pass + BASH_REMATCH[1]))
	fail=$((fail + BASH_REMATCH[2]))
else
	ko "the fuzz targets (no summary)"
fi

# 4. the YNL spec describes exactly the uapi header (Debian's python3-yaml)
t "YNL spec matches uapi/linux/mgre.h" /usr/bin/python3 tests/unit/spec_check.py \
	Documentation/netlink/specs/mgre.yaml uapi/linux/mgre.h
sed 's/MGRE_SA_A_ESN,/MGRE_SA_A_ESN_RENAMED,/' uapi/linux/mgre.h >"$B/broken.h"
t "spec check catches a renamed attribute" sh -c "! /usr/bin/python3 tests/unit/spec_check.py \
	Documentation/netlink/specs/mgre.yaml $B/broken.h"
sed 's/^#define MGRE_REPLAY_WINDOW_MAX.*/#define MGRE_REPLAY_WINDOW_MAX\t\t2048/' uapi/linux/mgre.h >"$B/broken.h"
t "spec check catches a changed constant" sh -c "! /usr/bin/python3 tests/unit/spec_check.py \
	Documentation/netlink/specs/mgre.yaml $B/broken.h"
# the module's policies and ops table are what the kernel's YNL generator
# makes of the spec (tools/ynl-gen.sh, Debian's linux-source-6.12)
tools/ynl-gen.sh --check >"$B/ynl.log" 2>&1
case $? in
0) ok ;;
2) ko "kmod/netlink-gen.[ch]: no YNL generator"; sed 's/^/#   /' "$B/ynl.log" ;;
*) ko "kmod/netlink-gen.[ch] are not what the spec gives (make ynl-gen)"; sed 's/^/#   /' "$B/ynl.log" | head -n 20 ;;
esac
sed 's/checks: { max: replay-window-max }/checks: { max: 1024 }/' Documentation/netlink/specs/mgre.yaml >"$B/mgre.yaml"
t "generated policy check catches a changed spec" sh -c "SPEC=$B/mgre.yaml tools/ynl-gen.sh --check >$B/ynl2.log 2>&1;
	[ \$? -eq 1 ] && grep -q '^+.*MGRE_SA_A_REPLAY_WINDOW.*NLA_POLICY_MAX(NLA_U32, 1024)' $B/ynl2.log"

# 5b. kernel-doc on every non-static function of kmod/, with the kernel's own
# scripts/kernel-doc from Debian's linux-source-6.1 (the KUnit tree's, or
# the one file taken from the tarball into the cache), and 6.12's with
# -Wall (6.1's has no -Wall)
kernel_doc() {	# kernel_doc 6.1|6.12: the path of that version's kernel-doc
	local ver c=${DMVPN_CACHE:-/var/cache/dmvpn} d
	ver=$(dpkg-query -W -f='${Version}' "linux-source-$1" 2>/dev/null)
	[ -n "$ver" ] && [ -f "/usr/src/linux-source-$1.tar.xz" ] || return 1
	for d in "$c/kunit/linux-source-$ver" "$c/ynl/linux-source-$ver"; do	# KUnit's, ynl-gen's
		if [ -s "$d/scripts/kernel-doc" ]; then
			echo "$d/scripts/kernel-doc"
			return 0
		fi
	done
	d=$c/kernel-doc/$ver
	if [ ! -s "$d/kernel-doc" ]; then
		mkdir -p "$d" && tar -xJOf "/usr/src/linux-source-$1.tar.xz" \
			"linux-source-$1/scripts/kernel-doc" >"$d/kernel-doc.$$" &&
			mv "$d/kernel-doc.$$" "$d/kernel-doc" || return 1
	fi
	echo "$d/kernel-doc"
}
if kdoc=$(kernel_doc 6.1); then
	t "kernel-doc: kmod/ clean, every non-static function documented" \
		python3 tests/unit/kerneldoc_check.py "$kdoc" kmod/*.c kmod/*.h
	mkdir -p "$B/kd"
	cp kmod/*.c kmod/*.h "$B/kd/"
	sed -i 's|^/\*\*$|/*|' "$B/kd/gre.c"
	t "kernel-doc check catches an undocumented function" sh -c "python3 \
		tests/unit/kerneldoc_check.py $kdoc $B/kd/*.c >$B/kd.out; [ \$? -eq 1 ] &&
		grep -q 'mgre_gre_build() is not static and has no kernel-doc' $B/kd.out"
	cp kmod/gre.c "$B/kd/gre.c"
	sed -i 's/^ \* @has_key: whether to include/ * @haskey: whether to include/' "$B/kd/gre.c"
	t "kernel-doc check catches a misnamed parameter" sh -c "python3 \
		tests/unit/kerneldoc_check.py $kdoc $B/kd/*.c >$B/kd.out; [ \$? -eq 1 ] &&
		grep -q \"'has_key' not described in 'mgre_gre_build'\" $B/kd.out"
else
	ko "kernel-doc: linux-source-6.1 is not installed (tests/deps.sh)"
fi
if kdoc=$(kernel_doc 6.12); then
	t "kernel-doc 6.12 -Wall: kmod/ clean" \
		python3 tests/unit/kerneldoc_check.py -Wall "$kdoc" kmod/*.c kmod/*.h
	cp kmod/gre.c "$B/kd/gre.c"
	sed -i '/^ \* Return: the header.s length, or -EINVAL/,/^ \*\/$/{/^ \*\/$/!d}' "$B/kd/gre.c"
	t "kernel-doc 6.12 -Wall catches a missing Return:" sh -c "python3 \
		tests/unit/kerneldoc_check.py -Wall $kdoc $B/kd/*.c >$B/kd.out; [ \$? -eq 1 ] &&
		grep -q 'No description found for return value of .mgre_gre_parse.' $B/kd.out"
else
	ko "kernel-doc: linux-source-6.12 is not installed (tests/deps.sh)"
fi

# 6. packaging: make install into a staging root, the man pages, the systemd unit
tests/unit/install.sh "$B/pkg" >"$B/pkg.log" 2>&1
summary "tests/unit/install.sh" "$B/pkg.log"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

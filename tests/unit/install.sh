#!/bin/bash
# Packaging checks, run by tests/unit/run.sh with a scratch directory:
#   make install DESTDIR=... PREFIX=/usr installs exactly the expected files
#   and writes nothing outside DESTDIR (traced); PREFIX=/usr/local moves them;
#   the module asked for without a kernel tree fails and says what to do;
#   install-module against a stand-in kernel tree passes DESTDIR to kbuild
#   and runs depmod -b DESTDIR (or plain depmod without DESTDIR);
#   the man pages have no groff or man warnings;
#   systemd-analyze verify has nothing to say about the unit.
# Ends with "N passed, N failed"; a check that cannot run here says
# "skip - REASON" and counts as neither.
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
W=${1:?usage: install.sh SCRATCH-DIR}
rm -rf "$W"
mkdir -p "$W"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "not ok - $*"; }
skip() { echo "skip - $*"; }
t() {	# t "description" cmd...
	local d=$1
	shift
	if "$@" >"$W/out" 2>&1; then ok; else ko "$d"; sed 's/^/#   /' "$W/out" | tail -n 15; fi
}

make -s tools >/dev/null 2>&1 || { ko "make tools"; echo "$pass passed, $fail failed"; exit 1; }
MA=$(gcc -print-multiarch 2>/dev/null)
IPLIB=/usr/lib/${MA:+$MA/}ip

# 1. make install into a staging root, every file-creating system call traced
R=$W/root
# the syscalls that create, replace, remove or change a file by name, and
# those that say where a relative name is (the working directory, forks)
calls=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir
calls=$calls,link,linkat,symlink,symlinkat,chmod,fchmodat,chown,lchown,fchownat,truncate
calls=$calls,utimensat,chdir,fchdir,clone,clone3,fork,vfork
outside() {	# outside ROOT [START]: traced writes not under ROOT (strace -f -y, run in START)
	python3 - "$1" "$W/trace" "${2:-$TOP}" <<'PY'
import os, re, sys
root, trace, top = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(trace).read().splitlines()
full = re.compile(r'(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(?:\s+(\w+))?')
start = re.compile(r'(\d+)\s+(\w+)\(.*<unfinished \.\.\.>$')
resumed = re.compile(r'(\d+)\s+<\.\.\. (\w+) resumed>.*\)\s+=\s+(-?\d+)')
forks = ('clone', 'clone3', 'fork', 'vfork')
# pass 1: which line each child was forked at (its parent's working directory then
# is its own); under -f a child may run before its parent's call returns
born, pending = {}, {}
for n, line in enumerate(lines):
	m = full.match(line)
	if m and m.group(2) in forks and m.group(4).isdigit():
		born[n] = m.group(4)
		continue
	m = start.match(line)
	if m and m.group(2) in forks:
		pending[m.group(1)] = n
		continue
	m = resumed.match(line)
	if m and m.group(2) in forks and m.group(3).isdigit() and m.group(1) in pending:
		born[pending.pop(m.group(1))] = m.group(3)
# pass 2: every name resolved against its directory, the writes outside root
cwd, bad = {}, []
for n, line in enumerate(lines):
	pid = re.match(r'(\d+)', line)
	if not pid:
		continue
	here = cwd.setdefault(pid.group(1), top)	# the first process starts in the tree
	if n in born:
		cwd[born[n]] = here
	m = full.match(line)
	if not m:
		continue
	pid, call, args, ret, err = m.groups()
	if call == 'fchdir':
		d = re.match(r'\d+<([^>]*)>', args)
		if d and ret == '0':
			cwd[pid] = d.group(1)
		continue
	# the first name argument, and the directory it is relative to (strace -y
	# gives a descriptor's path, AT_FDCWD's too)
	d = re.match(r'(?:(AT_FDCWD|\d+)(?:<([^>]*)>)?, )?"([^"]*)"(.*)', args)
	if not d:
		continue
	dirfd, dirpath, name, rest = d.groups()
	path = os.path.normpath(os.path.join(dirpath or here, name))
	if call == 'chdir':
		if ret == '0':
			cwd[pid] = path
		continue
	if call in ('open', 'openat') and not re.search(r'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC', rest):
		continue
	if call in ('mkdir', 'mkdirat') and err == 'EEXIST':
		continue	# install -d walking down to DESTDIR through what exists
	if path in ('/dev/null', '/dev/tty') or path == root or path.startswith(root + '/'):
		continue
	bad.append(path + '\t<- ' + line.strip())
print('\n'.join(bad))
sys.exit(1 if bad else 0)
PY
}
if command -v strace >/dev/null; then
	strace -f -y -qq -o "$W/trace" -e trace="$calls" -e signal=none \
		make -s install DESTDIR="$R" PREFIX=/usr >"$W/install.log" 2>&1
	rc=$?
	t "make install DESTDIR PREFIX=/usr succeeds" test $rc -eq 0
	[ $rc -eq 0 ] || sed 's/^/#   /' "$W/install.log" | tail -n 20
	t "make install writes nothing outside DESTDIR" outside "$R"
else
	ko "strace is needed to check that make install stays in DESTDIR (tests/deps.sh)"
	make -s install DESTDIR="$R" PREFIX=/usr >"$W/install.log" 2>&1 || ko "make install"
fi
sort >"$W/want" <<EOF2
/etc/iproute2/rt_protos.d/dmvpn.conf
$IPLIB/link_mgre.so
/usr/lib/systemd/system/dmvpnd@.service
/usr/sbin/dmvpnctl
/usr/sbin/dmvpnd
/usr/share/doc/dmvpn/README.md
/usr/share/doc/dmvpn/examples/000-hub-with-spoke3.conf
/usr/share/doc/dmvpn/examples/000-hub.conf
/usr/share/doc/dmvpn/examples/000-spoke1.conf
/usr/share/doc/dmvpn/examples/000-spoke2.conf
/usr/share/doc/dmvpn/examples/000-spoke3.conf
/usr/share/doc/dmvpn/examples/002-hub.conf
/usr/share/doc/dmvpn/examples/002-spoke1.conf
/usr/share/doc/dmvpn/examples/002-spoke2.conf
/usr/share/doc/dmvpn/examples/003-r2.conf
/usr/share/doc/dmvpn/examples/003-r3.conf
/usr/share/doc/dmvpn/examples/004-hub.conf
/usr/share/doc/dmvpn/examples/004-spoke.conf
/usr/share/man/man5/dmvpnd.conf.5
/usr/share/man/man8/dmvpnctl.8
/usr/share/man/man8/dmvpnd.8
EOF2
(cd "$R" 2>/dev/null && find . ! -type d | sed 's/^\.//' | sort) >"$W/got"
t "make install: exactly the expected files (no module)" diff -u "$W/want" "$W/got"
mode() { [ "$(stat -c %a "$R$1")" = "$2" ]; }
t "dmvpnd is 0755" mode /usr/sbin/dmvpnd 755
t "dmvpnctl is 0755" mode /usr/sbin/dmvpnctl 755
t "the unit is 0644" mode /usr/lib/systemd/system/dmvpnd@.service 644
t "man pages are 0644" mode /usr/share/man/man8/dmvpnd.8 644
t "installed dmvpnd is the built one" cmp "$R/usr/sbin/dmvpnd" daemon/dmvpnd/dmvpnd
t "the unit runs PREFIX's dmvpnd" \
	grep -qx 'ExecStart=/usr/sbin/dmvpnd -f .*' "$R/usr/lib/systemd/system/dmvpnd@.service"

# the default PREFIX: /usr/local, units where systemd looks for the administrator's
make -s install DESTDIR="$W/local" >/dev/null 2>&1
t "PREFIX=/usr/local: dmvpnd in /usr/local/sbin" test -x "$W/local/usr/local/sbin/dmvpnd"
t "PREFIX=/usr/local: man in /usr/local/share/man" test -f "$W/local/usr/local/share/man/man8/dmvpnd.8"
t "PREFIX=/usr/local: the unit runs /usr/local/sbin/dmvpnd" grep -q '^ExecStart=/usr/local/sbin/dmvpnd ' \
	"$W/local/usr/local/lib/systemd/system/dmvpnd@.service"

# 2. the module without a kernel tree: a non-zero exit and what to do
no_kdir() {	# no_kdir MAKE-ARGS...: fails, names the headers package, KDIR= and make tools
	make -s "$@" KDIR=/nonexistent DESTDIR="$W/nomod" >"$W/nokdir.log" 2>&1 && return 1
	grep -q "linux-headers-$(uname -r)" "$W/nokdir.log" && grep -q 'KDIR=' "$W/nokdir.log" &&
		grep -q 'make tools' "$W/nokdir.log" && [ ! -e "$W/nomod/lib" ]
}
t "make install-module without KDIR fails with the fix" no_kdir install-module
t "make install MODULE=1 without KDIR fails" no_kdir install MODULE=1
t "make module without KDIR fails" no_kdir module
t "make (all) without KDIR fails" no_kdir all

# 3. install-module against a stand-in kernel tree: what kbuild and depmod are given
K=$W/kdir
mkdir -p "$K/include/config"
echo 6.1.0-test-amd64 >"$K/include/config/kernel.release"
cat >"$K/Makefile" <<'EOF2'
# a kernel build tree's interface, recording what it is asked
modules:
	@echo "modules M=$(M)" >>$(LOG)
modules_install:
	@echo "modules_install M=$(M) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) DEPMOD=$(DEPMOD)" >>$(LOG)
EOF2
printf '#!/bin/sh\necho "depmod $*" >>"%s"\n' "$W/kbuild.log" >"$W/depmod"
chmod +x "$W/depmod"
kbuild() {	# kbuild WANT-FILE MAKE-ARGS...
	local want=$1
	shift
	rm -f "$W/kbuild.log"
	make -s install-module KDIR="$K" LOG="$W/kbuild.log" DEPMOD="$W/depmod" "$@" &&
		diff -u "$want" "$W/kbuild.log"
}
cat >"$W/want.dest" <<EOF2
modules M=$TOP
modules_install M=$TOP INSTALL_MOD_PATH=$W/mod INSTALL_MOD_DIR=updates DEPMOD=true
depmod -b $W/mod -a 6.1.0-test-amd64
EOF2
t "install-module: DESTDIR to kbuild, updates/, depmod -b DESTDIR" kbuild "$W/want.dest" DESTDIR="$W/mod"
cat >"$W/want.sys" <<EOF2
modules M=$TOP
modules_install M=$TOP INSTALL_MOD_PATH= INSTALL_MOD_DIR=updates DEPMOD=true
depmod -a 6.1.0-test-amd64
EOF2
t "install-module without DESTDIR: depmod on the system's tree" kbuild "$W/want.sys"
cat >"$W/want.dkms" <<EOF2
modules M=$TOP
modules_install M=$TOP INSTALL_MOD_PATH=$W/mod INSTALL_MOD_DIR=extra DEPMOD=true
depmod -b $W/mod -a 6.1.0-test-amd64
EOF2
t "install-module INSTALL_MOD_DIR=extra" kbuild "$W/want.dkms" DESTDIR="$W/mod" INSTALL_MOD_DIR=extra
rm -f "$W/kbuild.log"
make -s install DESTDIR="$W/m1" MODULE=1 KDIR="$K" LOG="$W/kbuild.log" DEPMOD="$W/depmod" >/dev/null 2>&1
t "make install MODULE=1 installs the module too" grep -q "^depmod -b $W/m1 " "$W/kbuild.log"
rm -f "$W/kbuild.log"
make -s install DESTDIR="$W/m0" KDIR="$K" LOG="$W/kbuild.log" DEPMOD="$W/depmod" >/dev/null 2>&1
t "make install alone does not touch the module" test ! -e "$W/kbuild.log"

# and against a real kernel tree when one is installed (tests/vm installs
# Debian's linux-headers): built in a copy, installed into a staging root,
# depmod'ed there under the name the module's vermagic carries; nothing
# written outside the scratch directory (gcc's temporaries in it too)
kdir=
for k in "${KDIR_TEST:-}" "/lib/modules/$(uname -r)/build" /usr/src/linux-headers-*-amd64; do
	# the first: Debian 12's 6.1 headers, whose kernel.release is not the modules directory's name
	[ -n "$k" ] && [ -f "$k/Makefile" ] && [ -f "$k/include/generated/utsrelease.h" ] &&
		kdir=$k && break
done
if [ -z "$kdir" ]; then
	skip "install-module against a kernel tree: none installed (KDIR_TEST=, or linux-headers-*)"
elif ! command -v strace >/dev/null; then
	skip "install-module against a kernel tree: strace is not installed"
else
	mkdir -p "$W/src" "$W/tmp"
	cp -r Makefile Kbuild dkms.conf kmod uapi "$W/src/"
	(cd "$W/src" && TMPDIR=$W/tmp strace -f -y -qq -o "$W/trace" -e trace="$calls" -e signal=none \
		make -s install-module KDIR="$kdir" DESTDIR="$W/modroot") >"$W/kmod.log" 2>&1
	rc=$?
	t "install-module against $kdir" test $rc -eq 0
	[ $rc -eq 0 ] || sed 's/^/#   /' "$W/kmod.log" | tail -n 20
	rel=$(modinfo -F vermagic "$W/src/mgre.ko" 2>/dev/null | cut -d' ' -f1)
	# mgre.ko, or mgre.ko.xz where the kernel compresses its modules (6.12)
	t "the module is in updates/ of its vermagic's release ($rel)" \
		sh -c "[ -n '$rel' ] && ls '$W/modroot/lib/modules/$rel/updates/'mgre.ko*"
	t "depmod -b ran on the staging root" \
		grep -qE '^updates/mgre\.ko(\.[a-z]+)?:' "$W/modroot/lib/modules/$rel/modules.dep"
	t "install-module writes nothing outside DESTDIR, the build and TMPDIR" outside "$W" "$W/src"
fi

# the DKMS source tree, staged
make -s dkms-install DESTDIR="$W/dkms" >/dev/null 2>&1
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
t "dkms-install stages /usr/src/mgre-VERSION" test -f "$W/dkms/usr/src/mgre-$ver/dkms.conf" -a \
	-f "$W/dkms/usr/src/mgre-$ver/Kbuild" -a -f "$W/dkms/usr/src/mgre-$ver/kmod/main.c" -a \
	-f "$W/dkms/usr/src/mgre-$ver/uapi/linux/mgre.h"

# 4. the man pages: groff and man(1) have nothing to say
for m in Documentation/man/*.[58]; do
	t "groff: $m" sh -c "out=\$(groff -man -ww -z '$m' 2>&1) && [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
	t "man: $m" sh -c "out=\$(MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l '$m' 2>&1 >/dev/null) && [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
done

# 5. systemd-analyze verify: the installed unit, ExecStart at the installed
# binary and the man pages it names looked up in the staging root
U=$W/units
mkdir -p "$U"
sed "s|^ExecStart=/usr/sbin/|ExecStart=$R/usr/sbin/|" "$R/usr/lib/systemd/system/dmvpnd@.service" \
	>"$U/dmvpnd@.service"
# a unit that is certainly right: whether verify itself works in this container
printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$U/probe.service"
probe=$(cd "$U" && systemd-analyze verify probe.service 2>&1)
probe_rc=$?
rm -f "$U/probe.service"
if ! command -v systemd-analyze >/dev/null; then
	skip "systemd-analyze verify: systemd-analyze is not installed (tests/deps.sh installs systemd)"
elif [ $probe_rc -ne 0 ] || [ -n "$probe" ]; then
	skip "systemd-analyze verify cannot run here (a trivial unit fails: ${probe//$'\n'/ })"
else
	verify() {	# no output at all: its warnings do not change the exit status
		local out rc
		out=$(cd "$U" && MANPATH=$R/usr/share/man systemd-analyze verify "$@" 2>&1)
		rc=$?
		echo "$out"
		[ $rc -eq 0 ] && [ -z "$out" ]
	}
	t "systemd-analyze verify dmvpnd@hub.service" verify dmvpnd@hub.service
	# and that it would notice a bad value (a warning, exit 0) and a missing binary
	sed 's/^ProtectHome=yes/ProtectHome=maybe/' "$U/dmvpnd@.service" >"$U/bad@.service"
	t "verify notices a bad value" sh -c "cd '$U' && MANPATH='$R/usr/share/man' systemd-analyze verify bad@x.service 2>&1 | grep -q 'bad@.service:[0-9]*: .*protect home'"
	sed "s|^ExecStart=$R/usr/sbin/|ExecStart=$W/nothing/|" "$U/dmvpnd@.service" >"$U/bad@.service"
	t "verify notices a missing ExecStart binary" sh -c "! (cd '$U' && MANPATH='$R/usr/share/man' systemd-analyze verify bad@x.service >/dev/null 2>&1)"
	rm -f "$U/bad@.service"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

# dmvpn: top-level build.  Kbuild (the module) is in ./Kbuild; this file
# drives the module build against KDIR, the userspace tools and the tests.
#
#   make                       the tools and mgre.ko (fails without a kernel tree at KDIR)
#   make tools                 the tools only (dmvpnd, dmvpnctl, link_mgre.so)
#   make install               the tools, man pages, systemd unit, docs (not the module)
#   make install MODULE=1      the same and mgre.ko; also: make install-module
#   make dkms-install          the module's source into /usr/src for DKMS, and DKMS builds it
#   make ynl-gen               kmod/netlink-gen.[ch] again from the netlink spec
# DESTDIR stages an install (a package build): nothing is written outside it,
# and depmod runs against it (depmod -b), never against the running system.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/dmvpn
# systemd reads units from /usr/local/lib/systemd/system as from /usr/lib/systemd/system
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
# the module goes where depmod looks first (updates/ before the kernel's own);
# DKMS uses updates/dkms (dkms.conf)
INSTALL_MOD_DIR ?= updates
DEPMOD ?= depmod
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

MAN8 := Documentation/man/dmvpnd.8 Documentation/man/dmvpnctl.8
MAN5 := Documentation/man/dmvpnd.conf.5
EXAMPLES := $(wildcard examples/*.conf)

.PHONY: all module tools install install-tools install-module dkms-install clean check \
	check-full check-unit check-kunit check-vm check-soak bench bench-flood bench-spokes fuzz deps kdir demo \
	ynl-gen

all: tools module

# Asked for the module without a kernel tree: say what to do, and fail.
kdir:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "mgre.ko: no kernel build tree at KDIR=$(KDIR)" >&2; \
		echo "  install the headers of the kernel: apt-get install linux-headers-$$(uname -r)," >&2; \
		echo "  or set KDIR= to a kernel build tree (make KDIR=/lib/modules/VERSION/build)," >&2; \
		echo "  or build and install the userspace tools only: make tools, make install" >&2; \
		exit 1; \
	fi

module: kdir
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

tools:
	$(MAKE) -C daemon
	$(MAKE) -C tools/iproute2

install: install-tools $(if $(filter-out 0,$(MODULE)),install-module)

install-tools: tools
	$(MAKE) -C daemon install SBINDIR=$(SBINDIR) DESTDIR=$(DESTDIR)
	$(MAKE) -C tools/iproute2 install DESTDIR=$(DESTDIR)
	install -D -m 0644 etc/iproute2/rt_protos.d/dmvpn.conf \
		$(DESTDIR)$(SYSCONFDIR)/iproute2/rt_protos.d/dmvpn.conf
	install -d $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|^ExecStart=/usr/sbin/|ExecStart=$(SBINDIR)/|' etc/systemd/dmvpnd@.service \
		>$(DESTDIR)$(UNITDIR)/dmvpnd@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/dmvpnd@.service
	install -d $(DESTDIR)$(DOCDIR)/examples
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(EXAMPLES) $(DESTDIR)$(DOCDIR)/examples/

# kbuild's own depmod is turned off (DEPMOD=true): it skips itself without
# a System.map, which Debian's linux-headers do not have (it still says
# so).  Ours runs against DESTDIR, or the system when there is none, for
# the release the modules directory is named after: UTS_RELEASE (Debian's
# headers give "6.1.0-57-amd64" there, and "6.1.192" in kernel.release).
install-module: module
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" INSTALL_MOD_PATH="$(DESTDIR)" \
		INSTALL_MOD_DIR="$(INSTALL_MOD_DIR)" DEPMOD=true modules_install
	kver=$$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$$/\1/p' \
		"$(KDIR)/include/generated/utsrelease.h" 2>/dev/null); \
	[ -n "$$kver" ] || kver=$$(cat "$(KDIR)/include/config/kernel.release"); \
	[ -n "$$kver" ] || { echo "mgre.ko: no kernel release in $(KDIR)" >&2; exit 1; }; \
	if [ -n "$(DESTDIR)" ]; then $(DEPMOD) -b "$(DESTDIR)" -a "$$kver"; \
	else $(DEPMOD) -a "$$kver"; fi

# The module's source where DKMS takes it (/usr/src/mgre-VERSION), then
# DKMS adds, builds and installs it for the running kernel (and, by
# AUTOINSTALL, for each kernel installed later).  With DESTDIR only the
# source is staged: a package's postinst runs the dkms commands.
DKMS_SRC := /usr/src/mgre-$(VERSION)
dkms-install:
	@if [ -z "$(DESTDIR)" ]; then \
		command -v dkms >/dev/null || { echo "dkms-install: apt-get install dkms" >&2; exit 1; }; \
		dkms remove -m mgre -v $(VERSION) --all >/dev/null 2>&1 || true; \
	fi
	rm -rf $(DESTDIR)$(DKMS_SRC)
	install -d $(DESTDIR)$(DKMS_SRC)
	cp -r Kbuild dkms.conf kmod uapi $(DESTDIR)$(DKMS_SRC)/
	if [ -z "$(DESTDIR)" ]; then \
		dkms add -m mgre -v $(VERSION) && dkms install -m mgre -v $(VERSION); \
	fi

# without a kernel tree, kbuild's outputs go by name
clean:
	@if [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; \
	else \
		rm -f *.ko *.mod *.mod.c *.o kmod/*.o kmod/.*.cmd .*.cmd Module.symvers modules.order; \
	fi
	$(MAKE) -C daemon clean
	$(MAKE) -C tools/iproute2 clean

# Seed 002's lab (a hub, two spokes) from examples/, on the host if it can
# load mgre.ko, else in a qemu guest; ends with a one-line verdict.
demo:
	tests/demo.sh

# kmod/netlink-gen.c and .h from Documentation/netlink/specs/mgre.yaml, by the
# kernel's YNL generator (Debian's linux-source-6.12); the unit tests check
# that the checked-in files are up to date.
ynl-gen:
	tools/ynl-gen.sh

# Debian packages the tests need (idempotent; CI calls it).
deps:
	tests/deps.sh

# The tests: userspace unit tests, KUnit on UML, namespace scenarios in
# qemu: every one on Debian's 6.1 kernel, a subset on 6.12 (the CI budget:
# 45 minutes on a 2-core host without KVM).  Ends with "N passed, N failed".
check:
	tests/check.sh

# Everything on both kernels (a 5-minute fuzz run, the 30-minute soak); for hosts with KVM.
check-full:
	TIER=full tests/check.sh

check-unit:
	tests/check.sh unit

check-kunit:
	tests/check.sh kunit

check-vm:
	tests/check.sh vm

# a hub and three spokes for SOAK_MINUTES (default 30) with rekeys, dmvpnd's
# memory and LeakSanitizer (part of check-full)
check-soak:
	tests/check.sh soak

bench:
	tests/vm/bench.sh

# a hub with established spokes under a flood of spoofed Main Mode message 1
bench-flood:
	tests/vm/bench-flood.sh

# a hub and SPOKES (500) simulated spokes, IKE and NHRP real: dmvpnd + mgre,
# then the same spokes' IKE against strongSwan's charon as the hub
bench-spokes:
	tests/vm/bench-spokes.sh

# dmvpnd's libFuzzer targets (IKE, NHRP), ten minutes split between them (make check: 30 s)
fuzz:
	tests/fuzz/run.sh $${FUZZ_SECONDS:-600}

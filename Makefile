# dmvpn: top-level build.  Kbuild (the module) is in ./Kbuild; this file
# drives the module build against KDIR, the userspace tools and the tests.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all module tools install install-tools dkms-install clean check \
	check-full check-unit check-kunit check-vm bench fuzz deps demo

all: tools module

module:
	@if [ -d "$(KDIR)" ]; then \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules; \
	else \
		echo "mgre.ko: no kernel build tree at $(KDIR); set KDIR= (skipped)"; \
	fi

tools:
	$(MAKE) -C daemon
	$(MAKE) -C tools/iproute2

install: install-tools
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules_install; fi

install-tools:
	$(MAKE) -C daemon install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(MAKE) -C tools/iproute2 install DESTDIR=$(DESTDIR)
	install -D -m 0644 etc/iproute2/rt_protos.d/dmvpn.conf \
		$(DESTDIR)/etc/iproute2/rt_protos.d/dmvpn.conf

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	$(MAKE) -C daemon clean
	$(MAKE) -C tools/iproute2 clean

# Seed 002's lab (a hub, two spokes) from examples/, on the host if it can
# load mgre.ko, else in a qemu guest; ends with a one-line verdict.
demo:
	tests/demo.sh

# Debian packages the tests need (idempotent; CI calls it).
deps:
	tests/deps.sh

# The tests: userspace unit tests, KUnit on UML, namespace scenarios in
# qemu: every one on Debian's 6.1 kernel, a subset on 6.12 (the CI budget:
# 45 minutes on a 2-core host without KVM).  Ends with "N passed, N failed".
check:
	tests/check.sh

# Everything on both kernels (and a 5-minute fuzz run); for hosts with KVM.
check-full:
	TIER=full tests/check.sh

check-unit:
	tests/check.sh unit

check-kunit:
	tests/check.sh kunit

check-vm:
	tests/check.sh vm

bench:
	tests/vm/bench.sh

# dmvpnd's libFuzzer targets (IKE, NHRP), ten minutes split between them (make check: 30 s)
fuzz:
	tests/fuzz/run.sh $${FUZZ_SECONDS:-600}

# shellcheck shell=bash
# Host side: resolve, fetch and cache Debian kernels, and build mgre.ko
# against their headers as DKMS would.  Sourced by run.sh and bench.sh.
#
#   kernel_abi 6.1|6.12     the ABI name the archive's metapackage points at
#   kernel_fetch ABI        extract linux-image-ABI into the cache (once)
#   module_build ABI        install linux-headers-ABI, build mgre.ko, put it
#                           into the cached tree's updates/ and run depmod
#   initrd_build ABI        busybox initramfs that mounts the host root (9p)
#   vm_boot ABI SCRIPT ARGS boot the kernel and run SCRIPT ARGS in the guest

CACHE=${DMVPN_CACHE:-/var/cache/dmvpn}
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# linux-image-amd64 (Debian 12's default, 6.1) or linux-image-6.12-amd64
kernel_abi() {
	local meta
	case $1 in
	6.1) meta=linux-image-amd64 ;;
	6.12) meta=linux-image-6.12-amd64 ;;
	*) echo "unknown kernel $1" >&2; return 1 ;;
	esac
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(.*\)$/\1/p' | head -n 1
}

kernel_fetch() {
	local abi=$1 dir=$CACHE/kernels/$1 tmp
	[ -f "$dir/ok" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download "linux-image-$abi" >/dev/null) || return 1
	dpkg -x "$tmp"/linux-image-"$abi"_*.deb "$dir/root" || return 1
	rm -rf "$tmp"
	depmod -b "$dir/root" "$abi" || return 1
	touch "$dir/ok"
}

module_build() {
	local abi=$1 b=$CACHE/build/$1 mods=$CACHE/kernels/$1/root/lib/modules/$1
	if [ ! -d "/lib/modules/$abi/build" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			-o DPkg::Lock::Timeout=300 --no-install-recommends \
			"linux-headers-$abi" >/dev/null || return 1
	fi
	rm -rf "$b"
	mkdir -p "$b"
	cp -r "$TOP/Kbuild" "$TOP/kmod" "$TOP/uapi" "$b/"
	make -s -C "/lib/modules/$abi/build" M="$b" modules 2>&1 | tee "$b/build.log" >&2
	[ -f "$b/mgre.ko" ] || return 1
	! grep -q 'warning:' "$b/build.log" || return 1
	mkdir -p "$mods/updates"
	rm -rf "$mods/updates/dkms"	# an earlier run's DKMS build: dkms_check puts it back
	cp "$b/mgre.ko" "$mods/updates/"
	depmod -b "$CACHE/kernels/$abi/root" "$abi"
}

# DKMS as a user would run it, against the installed headers; its module
# goes where "dkms install" puts it (updates/dkms) in the guest's tree, in
# place of module_build's, so every scenario loads the DKMS build.
dkms_check() {
	local abi=$1 ver src ko mods=$CACHE/kernels/$1/root/lib/modules/$1
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
	src=/usr/src/mgre-$ver
	dkms remove -m mgre -v "$ver" --all >/dev/null 2>&1
	rm -rf "$src"
	mkdir -p "$src"
	cp -r "$TOP/Kbuild" "$TOP/dkms.conf" "$TOP/kmod" "$TOP/uapi" "$src/"
	dkms add -m mgre -v "$ver" >/dev/null &&
	dkms build -m mgre -v "$ver" -k "$abi" >/dev/null &&
	ko=$(ls /var/lib/dkms/mgre/"$ver"/"$abi"/x86_64/module/mgre.ko* 2>/dev/null | head -n 1) &&
	[ -n "$ko" ] && mkdir -p "$mods/updates/dkms" &&
	case $ko in	# compressed as the kernel's own modules are (6.12: xz)
	*.xz) xz -dc "$ko" >"$mods/updates/dkms/mgre.ko" ;;
	*.zst) zstd -dc "$ko" >"$mods/updates/dkms/mgre.ko" ;;
	*) cp "$ko" "$mods/updates/dkms/mgre.ko" ;;
	esac &&
	rm -f "$mods/updates/mgre.ko" &&
	depmod -b "$CACHE/kernels/$abi/root" "$abi"
	local rc=$?
	dkms remove -m mgre -v "$ver" --all >/dev/null 2>&1
	rm -rf "$src"
	return $rc
}

# The 9p chain: virtio transport (often built in) and the 9p file system.
VM_MODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"

initrd_build() {
	local abi=$1 root=$CACHE/kernels/$1/root d m f
	local mods=$root/lib/modules/$abi out=$CACHE/kernels/$1/initrd.gz
	[ -f "$out" ] && [ "$out" -nt "${BASH_SOURCE[0]}" ] && return 0
	d=$(mktemp -d)
	mkdir -p "$d/bin" "$d/sbin" "$d/lib" "$d/proc" "$d/sys" "$d/dev" "$d/mnt"
	cp /bin/busybox "$d/bin/"
	: >"$d/lib/order"
	for m in $VM_MODS; do
		f=$(grep -E "/$m\.ko(\.xz|\.zst|\.gz)?:" "$mods/modules.dep" | cut -d: -f1)
		[ -n "$f" ] || continue		# built in
		case $f in
		*.xz) xz -dc "$mods/$f" >"$d/lib/$m.ko" ;;
		*.zst) zstd -qdc "$mods/$f" >"$d/lib/$m.ko" ;;
		*.gz) gzip -dc "$mods/$f" >"$d/lib/$m.ko" ;;
		*) cp "$mods/$f" "$d/lib/$m.ko" ;;
		esac
		echo "$m" >>"$d/lib/order"
	done
	# the kernel's own module requests run from the initramfs root
	printf '#!/bin/sh\nexec /bin/chroot /mnt /sbin/modprobe -d %s "$@"\n' "$root" \
		>"$d/sbin/modprobe-wrap"
	cat >"$d/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/order); do insmod /lib/$m.ko || echo "insmod $m failed"; done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 hostroot /mnt || poweroff -f
mount -t proc proc /mnt/proc
mount -t sysfs sys /mnt/sys
mount -t devtmpfs dev /mnt/dev
ln -sf /proc/self/fd /mnt/dev/fd
mount -t tmpfs run /mnt/run
echo /sbin/modprobe-wrap >/proc/sys/kernel/modprobe
set -- $(cat /proc/cmdline)
for a; do case $a in dmvpn.cmd=*) cmd=$(echo "${a#dmvpn.cmd=}" | tr , ' ');; esac; done
chroot /mnt /bin/bash $cmd
poweroff -f
INIT
	chmod +x "$d/init" "$d/sbin/modprobe-wrap"
	(cd "$d" && find . | cpio -o -H newc 2>/dev/null | gzip -1 >"$out")
	rm -rf "$d"
}

vm_accel() {
	if grep -Eqw 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
		echo "-accel kvm -cpu host"
	else
		echo "-accel tcg,thread=multi -cpu max"
	fi
}

# vm_boot ABI LOG SCRIPT ARGS...: arguments must not contain spaces or commas
vm_boot() {
	local abi=$1 log=$2 root=$CACHE/kernels/$1/root
	shift 2
	# shellcheck disable=SC2046
	timeout "${VM_TIMEOUT:-2400}" qemu-system-x86_64 $(vm_accel) -smp 2 -m 2048 \
		-nographic -no-reboot -kernel "$root/boot/vmlinuz-$abi" \
		-initrd "$CACHE/kernels/$abi/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet mitigations=off dmvpn.cmd=$(echo "$*" | tr ' ' ,)" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,multidevs=remap \
		</dev/null >"$log" 2>&1
}

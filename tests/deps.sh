#!/bin/bash
# Install every Debian 12 package the build and the tests need (idempotent).
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs=(
	build-essential pkg-config libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libnftables-dev nftables
	libssl-dev libelf-dev uthash-dev bc flex bison dwarves python3 sparse kmod cpio xz-utils zstd
	qemu-system-x86 busybox-static linux-source-6.1 dkms
	linux-source-6.12 python3-jsonschema	# the YNL generator (tools/ynl-gen.sh) and its schema check
	iproute2 iputils-ping iptables tcpdump tshark iperf3 ethtool strace python3-yaml
	strongswan-charon strongswan-swanctl libstrongswan-standard-plugins clang libclang-rt-14-dev
	frr
	systemd groff-base man-db	# the packaging checks: systemd-analyze verify, man page lint
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# kernel package names are resolved from the lists at run time: keep them fresh
if [ ${#missing[@]} -gt 0 ] || [ -z "$(find /var/lib/apt/lists -name '*_Packages*' -mmin -720 2>/dev/null | head -n 1)" ]; then
	apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
	# no daemons started by package scripts
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
	rm -f /usr/sbin/policy-rc.d
fi

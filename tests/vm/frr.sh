# shellcheck shell=bash
# FRR's nhrpd (Debian 12: FRR 8.4) as an NHRP reference peer in a namespace,
# on the kernel's own ip_gre in NBMA mode (no remote), with zebra beside it
# (nhrpd needs it).  Every instance keeps its sockets, pid files, logs and
# configuration in its own directory DIR; nothing of /etc/frr is used.
#
#   frr_gre NS LOCAL OVERLAY/LEN    gre1: ip_gre NBMA tunnel from LOCAL, up; the
#                                   overlay address as a /32 (nhrpd takes no other:
#                                   "is not a host prefix") and a route to its subnet
#   frr_start NS DIR NHRPD_CONF     zebra and nhrpd in NS, waiting for nhrpd's vty
#   frr_sh DIR COMMAND              vtysh -c COMMAND against that nhrpd
#   frr_stop DIR                    TERM both, wait for them to exit
#
#   frr_swan_conf DIR LOCAL [NHS]   charon's swanctl.conf for an FRR node: GRE
#                                   in ESP transport mode (IKEv1, PSK), answering
#                                   anyone, and with NHS a trap towards it
#
# FRR 8.4's nhrpd has no "ip nhrp authentication" and asks for IPsec only
# through a patched strongSwan over VICI (FRR #11967); the mgre device
# carries nothing in the clear.  So the FRR node's IPsec is charon's own:
# GRE to the NHS is trapped (its first packet makes charon negotiate), the
# rest is answered.  nhrpd's VICI client finds no socket and sends anyway.

FRR_DIR=${FRR_DIR:-/usr/lib/frr}
FRR_PSK=${FRR_PSK:-cisco123}

frr_gre() {
	local ns=$1 local=$2 overlay=$3
	ip -n "$ns" tunnel add gre1 mode gre ttl 64 local "$local" dev eth0 || return 1
	ip -n "$ns" addr add "${overlay%/*}/32" dev gre1 &&
	ip -n "$ns" link set gre1 up &&
	# as nhrpd wants it (opennhrp and FRR document it): the kernel's
	# neighbour misses on gre1 reach nhrpd as application probes
	ip -n "$ns" link set gre1 arp on &&
	ip netns exec "$ns" sysctl -qw net.ipv4.neigh.gre1.app_solicit=1 \
		net.ipv4.neigh.gre1.ucast_solicit=0 net.ipv4.neigh.gre1.mcast_solicit=0 &&
	ip -n "$ns" route add "$overlay" dev gre1 2>/dev/null ||
		ip -n "$ns" route add "$(python3 -c 'import ipaddress,sys
print(ipaddress.ip_interface(sys.argv[1]).network)' "$overlay")" dev gre1
}

frr_start() {
	local ns=$1 dir=$2 conf=$3
	mkdir -p "$dir" || return 1
	chown frr:frr "$dir" 2>/dev/null
	: >"$dir/zebra.conf"
	cp "$conf" "$dir/nhrpd.conf"
	chown frr:frr "$dir"/*.conf 2>/dev/null
	ip netns exec "$ns" "$FRR_DIR/zebra" -d -f "$dir/zebra.conf" -i "$dir/zebra.pid" \
		-z "$dir/zserv.api" --vty_socket "$dir" --log "file:$dir/zebra.log" || return 1
	for _ in $(seq 50); do
		[ -S "$dir/zserv.api" ] && break
		sleep 0.1
	done
	ip netns exec "$ns" "$FRR_DIR/nhrpd" -d -f "$dir/nhrpd.conf" -i "$dir/nhrpd.pid" \
		-z "$dir/zserv.api" --vty_socket "$dir" --log "file:$dir/nhrpd.log" || return 1
	for _ in $(seq 50); do
		[ -S "$dir/nhrpd.vty" ] && return 0
		sleep 0.1
	done
	echo "nhrpd did not come up:"
	tail -n 20 "$dir/nhrpd.log" "$dir/zebra.log" 2>/dev/null
	return 1
}

frr_sh() {
	local dir=$1
	shift
	vtysh --vty_socket "$dir" -d nhrpd -c "$*"
}

frr_stop() {
	local dir=$1 d pid
	for d in nhrpd zebra; do
		pid=$(cat "$dir/$d.pid" 2>/dev/null) || continue
		kill "$pid" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	done
}

frr_swan_conf() {
	local dir=$1 local=$2 nhs=${3:-} trap=''
	[ -n "$nhs" ] && trap="
	nhs {
		version = 1
		local_addrs = $local
		remote_addrs = $nhs
		proposals = 3des-sha1-modp1024
		local {
			auth = psk
			id = $local
		}
		remote {
			auth = psk
			id = $nhs
		}
		children {
			nhs {
				mode = transport
				local_ts = dynamic[gre]
				remote_ts = dynamic[gre]
				esp_proposals = 3des-sha1
				start_action = trap
			}
		}
	}"
	cat >"$dir/swanctl.conf" <<CONF
connections {
	any {
		version = 1
		local_addrs = $local
		remote_addrs = %any
		proposals = 3des-sha1-modp1024
		local {
			auth = psk
			id = $local
		}
		remote {
			auth = psk
		}
		children {
			gre {
				mode = transport
				local_ts = dynamic[gre]
				remote_ts = dynamic[gre]
				esp_proposals = 3des-sha1
				start_action = none
			}
		}
	}$trap
}
secrets {
	ike-all {
		id-l = $local
		secret = "$FRR_PSK"
	}
}
CONF
	swan_ctl "$dir" --load-all --file "$dir/swanctl.conf"
}

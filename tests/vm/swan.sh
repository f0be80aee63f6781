# shellcheck shell=bash
# strongSwan's charon as an IKEv1 reference peer in a namespace (sourced after
# lib.sh).  Every charon keeps all of its state in its own directory DIR:
# strongswan.conf (STRONGSWAN_CONF), swanctl.conf (SWANCTL_DIR), the vici
# socket unix://DIR/charon.vici, DIR/charon.log and DIR/charon.pid.
#
#   swan_start NS DIR               start charon in namespace NS, wait for vici
#   swan_conf DIR KEY=VALUE...      write DIR/swanctl.conf and load it; keys:
#                                   local= remote= (IPv4, also the IKE ids)
#                                   psk= ike= esp= (3des-sha1-modp1024, 3des-sha1)
#                                   start=none|trap|start dpd= (dpd_delay)
#                                   ike_rekey= rekey= life= (IKE and CHILD)
#                                   conn= child= (names, default gre)
#                                   aggressive=yes|no (IKEv1 Aggressive Mode)
#   swan_hub_conf DIR LOCAL PSK IKE ESP   a responder for any peer (a hub)
#   swan_ctl DIR ARGS...            swanctl against this charon
#   swan_initiate DIR CHILD         initiate a CHILD_SA (and its IKE_SA)
#   swan_sas DIR                    swanctl --list-sas
#   swan_wait_child DIR NAME SECS   wait until CHILD_SA NAME is INSTALLED
#   swan_stop NS DIR                SIGTERM, wait for the exit, flush leftovers
#
# charon's pid file is compiled in as /var/run/charon.pid, and a second
# charon refuses to start while the first one's pid is alive.  So charon runs
# in a private mount namespace with a tmpfs on /run, DIR mounted back at its
# own path, and /run/charon.pid a symlink to DIR/charon.pid.  No starter, no
# /etc/ipsec.*, no /etc/swanctl: nothing of the host's configuration is used.

SWAN_CHARON=${SWAN_CHARON:-/usr/lib/ipsec/charon}
# the log's level for ike, knl, cfg and net (2: each message, the scenarios'
# traces); lines added inside charon { } (a benchmark's tuning)
SWAN_LOG_LEVEL=${SWAN_LOG_LEVEL:-2}
SWAN_CHARON_EXTRA=${SWAN_CHARON_EXTRA:-}
SWAN_PLUGINS="random nonce openssl kdf pem pkcs1 x509 revocation constraints pubkey socket-default kernel-netlink vici"

swan_ctl() {
	local dir=$1
	shift
	STRONGSWAN_CONF=$dir/strongswan.conf SWANCTL_DIR=$dir \
		swanctl "$@" --uri "unix://$dir/charon.vici"
}

swan_start() {
	local ns=$1 dir i pid
	mkdir -p "$2" || return 1
	dir=$(cd "$2" && pwd -P)
	cat >"$dir/strongswan.conf" <<EOF
charon {
	load = $SWAN_PLUGINS
	install_routes = no
	# strongSwan answers Aggressive Mode with pre-shared keys only with this
	# (the identity travels in the clear); scenario 10 tests our AM initiator
	i_dont_care_about_security_and_use_aggressive_mode_psk = yes
$SWAN_CHARON_EXTRA
	filelog {
		swan {
			path = $dir/charon.log
			time_format = %T
			default = $((SWAN_LOG_LEVEL < 1 ? SWAN_LOG_LEVEL : 1))
			ike = $SWAN_LOG_LEVEL
			knl = $SWAN_LOG_LEVEL
			cfg = $SWAN_LOG_LEVEL
			net = $SWAN_LOG_LEVEL
			flush_line = yes
		}
	}
	plugins {
		vici {
			socket = unix://$dir/charon.vici
		}
	}
}
swanctl {
	load = random openssl pem pkcs1 x509 revocation constraints pubkey
}
EOF
	rm -f "$dir/charon.pid"	# an empty one would be replaced, not followed
	# shellcheck disable=SC2016	# expanded by the inner sh
	STRONGSWAN_CONF=$dir/strongswan.conf DIR=$dir \
		ip netns exec "$ns" unshare -m sh -c '
			exec 3<"$DIR" &&
			mount -t tmpfs -o mode=0755 swan-run /run &&
			mkdir -p "$DIR" &&
			mount -c --bind /proc/self/fd/3 "$DIR" &&
			ln -s "$DIR/charon.pid" /run/charon.pid || exit 1
			exec 3<&- "$0"' "$SWAN_CHARON" \
		</dev/null >"$dir/charon.out" 2>&1 &
	for i in $(seq 100); do
		pid=$(cat "$dir/charon.pid" 2>/dev/null)
		if [ -n "$pid" ] && swan_ctl "$dir" --stats >/dev/null 2>&1; then
			return 0
		fi
		if ! kill -0 $! 2>/dev/null; then
			break
		fi
		sleep 0.2
	done
	echo "charon in $ns did not come up ($i tries):"
	tail -n 20 "$dir/charon.out" "$dir/charon.log"
	kill $! 2>/dev/null
	return 1
}

swan_conf() {
	local dir=$1 kv
	local local='' remote='' psk=dmvpn-swan-psk ike=3des-sha1-modp1024 esp=3des-sha1
	local start=none dpd='' ike_rekey=4h rekey=1h life='' conn=gre child=gre aggressive=no
	local mode=transport
	shift
	for kv; do
		case ${kv%%=*} in
		local | remote | psk | ike | esp | start | dpd | ike_rekey | rekey | life | conn | child | \
			aggressive | mode)
			printf -v "${kv%%=*}" %s "${kv#*=}" ;;
		*) echo "swan_conf: unknown key ${kv%%=*}" >&2; return 1 ;;
		esac
	done
	if [ -z "$local" ] || [ -z "$remote" ]; then
		echo "swan_conf: local= and remote= are required" >&2
		return 1
	fi
	cat >"$dir/swanctl.conf" <<EOF
connections {
	$conn {
		version = 1
		aggressive = $aggressive
		local_addrs = $local
		remote_addrs = $remote
		proposals = $ike
		rekey_time = $ike_rekey
		${dpd:+dpd_delay = $dpd}
		local {
			auth = psk
			id = $local
		}
		remote {
			auth = psk
			id = $remote
		}
		children {
			$child {
				mode = $mode
				local_ts = dynamic[gre]
				remote_ts = dynamic[gre]
				esp_proposals = $esp
				start_action = $start
				rekey_time = $rekey
				${life:+life_time = $life}
			}
		}
	}
}
secrets {
	ike-$conn {
		id-l = $local
		id-r = $remote
		secret = "$psk"
	}
}
EOF
	swan_ctl "$dir" --load-all --file "$dir/swanctl.conf"
}

# swan_hub_conf DIR LOCAL PSK IKE ESP: a responder for any peer (a DMVPN
# hub's part): IKEv1, any remote address and identity, one wildcard
# pre-shared key, transport-mode GRE between the two addresses
swan_hub_conf() {
	local dir=$1
	cat >"$dir/swanctl.conf" <<EOF
connections {
	hub {
		version = 1
		local_addrs = $2
		remote_addrs = %any
		proposals = $4
		local {
			auth = psk
			id = $2
		}
		remote {
			auth = psk
			id = %any
		}
		children {
			gre {
				mode = transport
				local_ts = dynamic[gre]
				remote_ts = dynamic[gre]
				esp_proposals = $5
				start_action = none
			}
		}
	}
}
secrets {
	ike-any {
		secret = "$3"
	}
}
EOF
	swan_ctl "$dir" --load-all --file "$dir/swanctl.conf"
}

swan_initiate() {
	swan_ctl "$1" --initiate --child "$2" --timeout 30
}

swan_sas() {
	swan_ctl "$1" --list-sas --noblock
}

swan_wait_child() {
	local dir=$1 name=$2 i
	for i in $(seq $((${3:-10} * 5))); do
		if swan_sas "$dir" | grep -Eq "^ +$name: #[0-9]+, reqid [0-9]+, INSTALLED,"; then
			return 0
		fi
		sleep 0.2
	done
	echo "CHILD_SA $name not INSTALLED after $i tries:"
	swan_sas "$dir"
	return 1
}

alive() {	# PID runs and is not a zombie
	[ -n "$1" ] && [ -d "/proc/$1" ] &&
		! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# the charon running for DIR, if any
swan_pid() {
	local pid
	pid=$(cat "$1/charon.pid" 2>/dev/null)
	alive "$pid" && echo "$pid"
}

# waits for the process itself (the pid file is emptied just before exit)
swan_stop() {
	local ns=$1 dir=$2 pid i
	pid=$(swan_pid "$dir") || return 0
	kill -TERM "$pid"
	for i in $(seq 50); do
		alive "$pid" || return 0
		sleep 0.2
	done
	echo "charon $pid in $ns ignored SIGTERM ($i tries), killing it"
	kill -KILL "$pid"
	ip -n "$ns" xfrm state flush
	ip -n "$ns" xfrm policy flush
	return 1
}

# shellcheck shell=bash
# dmvpnd in a scenario (sourced after lib.sh and mgre.sh).  State goes to
# $DMVPND_DIR (a tmpfs: the control socket), the log to $DMVPND_LOG (with
# the results, written as it runs).
#
#   dmvpnd_conf NODE_ADDR "POLICY LINES" "TRANSFORMS" [PROFILE LINES] [GLOBAL LINES]
#                            write the IOS-style configuration (mode 0600)
#   dmvpnd_start NS          start it in namespace NS (not inside check:
#                            DPID must reach the caller; empty on failure)
#   dmvpnd_stop              SIGTERM and wait
#   dshow ARGS...            dmvpnctl -S SOCKET ARGS (show/clear crypto ...)
#   sa_field FIELD           a field of the first IPsec SA pair (JSON view)
#   pairs                    how many IPsec SA pairs dmvpnd holds
#   in_kernel                the first pair is in the module, both SAs
#   module_sas_are NS N      the module of NS holds N SAs
#   until_ok SECONDS CMD...  retry CMD until it succeeds
#   count_is N CMD...        CMD prints N (run anew on every retry of until_ok)
#   pings FROM TO N          N pings, all answered

DMVPND="$TOP/daemon/dmvpnd/dmvpnd"
DMVPND_DIR=${DMVPND_DIR:-$TMPDIR/dmvpnd-$SCENARIO}
DMVPND_LOG=${DMVPND_LOG:-${RESULTS:-$TMPDIR}/$SCENARIO-dmvpnd.log}
DMVPND_PSK=${DMVPND_PSK:-dmvpn-swan-psk}
DMVPND_NS=
DPID=
mkdir -p "$DMVPND_DIR"

dmvpnd_conf() {
	local addr=$1
	(
		umask 077
		cat >"$DMVPND_DIR/dmvpnd.conf" <<EOF2
hostname $SCENARIO
crypto isakmp policy 10
$(printf '%b' "$2")
 authentication pre-share
crypto isakmp key $DMVPND_PSK address 0.0.0.0 0.0.0.0
$(printf '%b' "${5:-}")
crypto ipsec transform-set T $3
$([ "${TSET_MODE:-transport}" = transport ] && echo " mode transport")
crypto ipsec profile P
 set transform-set T
$(printf '%b' "${4:-}")
interface dmvpn0
 ip address $addr 255.255.255.0
 tunnel mode gre multipoint
 tunnel protection ipsec profile P
EOF2
	)
}

dmvpnd_start() {
	DMVPND_NS=$1
	DPID=
	rm -f "$DMVPND_DIR/sock"
	ip netns exec "$1" "$DMVPND" -f -d -c "$DMVPND_DIR/dmvpnd.conf" -s "$DMVPND_DIR/sock" -S "$DMVPND_DIR" \
		>>"$DMVPND_LOG" 2>&1 &
	DPID=$!
	for _ in $(seq 50); do
		[ -S "$DMVPND_DIR/sock" ] && return 0
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$DMVPND_LOG"
	DPID=
	return 1
}

dmvpnd_stop() {
	local rc
	[ -n "$DPID" ] || return 0
	kill "$DPID" && wait "$DPID"
	rc=$?
	DPID=
	return $rc
}

dshow() { ip netns exec "$DMVPND_NS" "$DMVPNCTL" -S "$DMVPND_DIR/sock" "$@"; }

sa_field() {
	dshow -j show crypto ipsec sa |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0][sys.argv[1]] if d else "")' "$1"
}

pairs() {
	dshow -j show crypto ipsec sa | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}

in_kernel() { [ "$(sa_field in_kernel)" = True ]; }

module_sas_are() {
	local n
	n=$(ctl "$1" -j sa show dev dmvpn0 | grep -o '"spi":' | wc -l)
	echo "$n SAs in the module"
	[ "$n" -eq "$2" ]
}

until_ok() {	# until_ok SECS CMD...: CMD succeeds within 2 x SECS of wall time
	local end=$(($(date +%s) + 2 * $1))
	shift
	# by the clock, not by tries (a try can take a second under TCG, and
	# SECS x 5 tries were minutes), with the slack TCG needs
	while [ "$(date +%s)" -lt "$end" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@"
}

count_is() {
	local want=$1 got
	shift
	got=$("$@")
	echo "$* -> $got (want $want)"
	[ "$got" -eq "$want" ]
}

pings() {
	ip netns exec "$1" ping -c "$3" -i 0.2 -W 2 "$2"
}

# Several daemons at once, one per namespace (NHRP labs):
#   dnode_start NS CONF_FILE   dmvpnd in NS with its own directory, socket, log
#                              (with -d unless DNODE_DEBUG is set, to "" or other options)
#   dnode_stop NS              stop it (TERM): 0 once it has exited (within 10 s)
#   dnode_kill NS              kill -9 (a crash)
#   dn NS ARGS...              dmvpnctl against NS's daemon
#   dnode_dir NS               its directory
# The pid lives in the node's directory, not in a shell variable: check()
# runs its command in a subshell, whose variables the scenario never sees.
dnode_dir() { echo "$TMPDIR/dmvpnd-$SCENARIO-$1"; }
dnode_pid() { cat "$(dnode_dir "$1")/pid" 2>/dev/null; }
dnode_start() {
	local ns=$1 conf=$2 dir pid
	dir=$(dnode_dir "$ns")
	mkdir -p "$dir"
	install -m 600 "$conf" "$dir/dmvpnd.conf"
	rm -f "$dir/sock"
	# shellcheck disable=SC2086	# DNODE_DEBUG: -d (the default) or nothing
	ip netns exec "$ns" "$DMVPND" -f ${DNODE_DEBUG--d} -c "$dir/dmvpnd.conf" -s "$dir/sock" -S "$dir" \
		>>"${RESULTS:-$TMPDIR}/$SCENARIO-$ns-dmvpnd.log" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >"$dir/pid"
	for _ in $(seq 50); do
		[ -S "$dir/sock" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "${RESULTS:-$TMPDIR}/$SCENARIO-$ns-dmvpnd.log"
	return 1
}
dnode_gone() {	# dnode_gone PID: wait up to 10 s for it to exit
	for _ in $(seq 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	echo "dmvpnd $1 still running"
	return 1
}
dnode_stop() {
	local pid
	pid=$(dnode_pid "$1")
	[ -n "$pid" ] || return 0
	rm -f "$(dnode_dir "$1")/pid"
	kill "$pid" 2>/dev/null || return 0
	dnode_gone "$pid"
}
dnode_kill() {
	local pid
	pid=$(dnode_pid "$1")
	[ -n "$pid" ] || return 0
	rm -f "$(dnode_dir "$1")/pid"
	kill -9 "$pid" 2>/dev/null
	dnode_gone "$pid"
}
dnodes_stop() {
	local f
	for f in "$TMPDIR"/dmvpnd-"$SCENARIO"-*/pid; do
		[ -f "$f" ] || continue
		f=${f%/pid}
		dnode_stop "${f##*/dmvpnd-"$SCENARIO"-}"
	done
}
dn() {
	local ns=$1
	shift
	# never a hung scenario: a daemon that does not answer is a failure
	timeout 20 ip netns exec "$ns" "$DMVPNCTL" -S "$(dnode_dir "$ns")/sock" "$@"
	local rc=$?
	[ $rc -eq 124 ] && echo "dmvpnctl $*: no answer from dmvpnd in $ns in 20 s"
	return $rc
}
# jfield NS 'python expression on d (the JSON)' COMMAND...: print the value
jq_dn() {
	local ns=$1 expr=$2
	shift 2
	dn "$ns" -j "$@" | python3 -c "import json,sys; d=json.load(sys.stdin); print($expr)"
}

# NHRP, as the scenarios read it from "dmvpnctl -j":
#   cache_has NS TARGET TYPE NBMA  "show ip nhrp" on NS holds that entry
#   nhs_up NS                      every NHS of NS is UP and answered the last request
#   sends_to NS NBMA               NS's module has sent to that peer
cache_has() {	# cache_has NS PROTO TYPE NBMA: in show ip nhrp (show ipv6 nhrp for X:X::X)
	local fam=ip
	case $2 in *:*) fam=ipv6 ;; esac
	dn "$1" -j show $fam nhrp | python3 -c '
import json, sys
w = sys.argv[1:]
sys.exit(0 if any(e["target"].split("/")[0] == w[0] and e["type"] == w[1] and
                  e["nbma"] == w[2] for e in json.load(sys.stdin)) else 1)' "$2" "$3" "$4" ||
		{ dn "$1" show $fam nhrp; return 1; }
}
nhs_up() {	# nhs_up NS [ip|ipv6]: every NHS of that NHRP UP and responding
	dn "$1" -j show "${2:-ip}" nhrp nhs | python3 -c '
import json, sys
n = json.load(sys.stdin)
sys.exit(0 if n and all(x["state"] == "UP" and "R" in x["flags"] for x in n) else 1)' ||
		{ dn "$1" show "${2:-ip}" nhrp nhs; return 1; }
}
sends_to() { test "$(peer_stat "$1" "$2" tx_packets)" -gt 0; }

# lab_conf FILE OVERLAY NHRP_LINES [PROFILE_LINES]: seed 002's crypto and
# Tunnel0 as pasted (3des md5, group 2, key cisco123), PROFILE_LINES in the
# ipsec profile (default a 600 s lifetime); the NHRP labs' nodes.  The
# overlay's mask is LAB_MASK (default 255.255.255.0)
lab_conf() {
	(
		umask 077
		cat >"$1" <<EOF
crypto isakmp policy 10
 authentication pre-share
 encr 3des
 hash md5
 group 2
crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0
crypto ipsec transform-set strong esp-3des esp-md5-hmac
 mode transport
crypto ipsec profile cisco
$(printf '%b' "${4:- set security-association lifetime seconds 600}")
 set transform-set strong
interface dmvpn0
 ip address $2 ${LAB_MASK:-255.255.255.0}
 ip mtu 1440
$(printf '%b' "$3")
 tunnel source eth0
 tunnel mode gre multipoint
 tunnel key 0
 tunnel protection ipsec profile cisco
EOF
	)
}

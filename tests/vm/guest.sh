#!/bin/bash
# Runs inside the VM (chrooted into the host's root over 9p): every scenario,
# then the dmesg check.  Results go to $1 on the shared filesystem.
export RESULTS=$1
export MODROOT=$2	# the distro kernel's tree, with mgre.ko in updates/
shift 2
SCENARIOS="$*"
cd "$(dirname "$0")" || exit 1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export TMPDIR=/run
mkdir -p "$RESULTS"
: >"$RESULTS/tap"
ulimit -c 0

for s in scenarios/[0-9]*.sh; do
	n=$(basename "$s")
	if [ -n "$SCENARIOS" ]; then
		case " $SCENARIOS " in *" ${n%%-*} "*) ;; *) continue ;; esac
	fi
	start=$(date +%s)
	timeout 900 bash "$s" >"$RESULTS/${n%.sh}.log" 2>&1
	rc=$?
	grep -E '^(not )?ok ' "$RESULTS/${n%.sh}.log" >>"$RESULTS/tap"
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$RESULTS/${n%.sh}.log"; then
		echo "not ok - ${n%.sh}: scenario exited $rc without a failed check" >>"$RESULTS/tap"
	fi
	echo "# ${n%.sh}: $(($(date +%s) - start)) s" >>"$RESULTS/times"
	ip -all netns delete 2>/dev/null
done

dmesg >"$RESULTS/dmesg"
splat='WARNING:|BUG:|Oops|refcount_t|lockdep|possible recursive locking|circular locking|KASAN|UBSAN|general protection|Call Trace|kernel BUG'
if grep -Eq "$splat" "$RESULTS/dmesg"; then
	echo "not ok - dmesg has kernel warnings" >>"$RESULTS/tap"
	grep -E -A5 "$splat" "$RESULTS/dmesg" | head -60 | sed 's/^/#   /' >>"$RESULTS/tap"
else
	echo "ok - dmesg free of WARN/BUG/oops/lockdep/refcount splats" >>"$RESULTS/tap"
fi
echo done >"$RESULTS/finished"

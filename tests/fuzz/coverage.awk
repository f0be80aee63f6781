# libFuzzer's -print_coverage=1 output (COVERED_FUNC / UNCOVERED_FUNC lines,
# "edges: COVERED/TOTAL NAME FILE:LINE") summed per source file of dmvpnd:
# one line, "DIR total C/T (P%): file C/T, ..." for each daemon/ directory
# the target reaches, the harness and libraries left out.
/^(UN)?COVERED_FUNC:/ {
	split($5, e, "/")
	f = $NF
	sub(/:[0-9]+$/, "", f)
	if (!sub(/.*\/daemon\//, "", f))
		next
	cov[f] += e[1]
	tot[f] += e[2]
}
END {
	n = 0
	for (f in tot)
		files[++n] = f
	# sort by name (insertion sort: a few dozen files)
	for (i = 2; i <= n; i++) {
		x = files[i]
		for (j = i - 1; j > 0 && files[j] > x; j--)
			files[j + 1] = files[j]
		files[j + 1] = x
	}
	for (i = 1; i <= n; i++) {
		d = files[i]
		sub(/\/.*/, "", d)
		dc[d] += cov[files[i]]
		dt[d] += tot[files[i]]
		base = files[i]
		sub(/.*\//, "", base)
		list[d] = list[d] (list[d] ? ", " : "") base " " cov[files[i]] "/" tot[files[i]]
		if (!(d in seen)) {
			seen[d] = 1
			dirs[++nd] = d
		}
	}
	for (i = 1; i <= nd; i++) {
		d = dirs[i]
		if (!dc[d])
			continue	# linked, never reached (the configuration parser)
		printf "daemon/%s %d/%d edges (%.0f%%): %s\n", d, dc[d], dt[d],
			dt[d] ? 100 * dc[d] / dt[d] : 0, list[d]
	}
}

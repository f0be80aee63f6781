/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU counters indexed by the uapi enum mgre_stats_attr. */
#ifndef _MGRE_STATS_H
#define _MGRE_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/mgre.h>

struct mgre_stats {
	u64_stats_t c[MGRE_STATS_A_MAX + 1];
	struct u64_stats_sync syncp;
};

static inline struct mgre_stats __percpu *mgre_stats_alloc(gfp_t gfp)
{
	struct mgre_stats __percpu *s = alloc_percpu_gfp(struct mgre_stats, gfp);
	int cpu;

	if (s)
		for_each_possible_cpu(cpu)
			u64_stats_init(&per_cpu_ptr(s, cpu)->syncp);
	return s;
}

static inline void mgre_stats_add(struct mgre_stats __percpu *s, int idx, u64 n)
{
	struct mgre_stats *st = get_cpu_ptr(s);

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->c[idx], n);
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(s);
}

/* Sum every counter over all CPUs into out[MGRE_STATS_A_MAX + 1]. */
static inline void mgre_stats_read(struct mgre_stats __percpu *s, u64 *out)
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * (MGRE_STATS_A_MAX + 1));
	for_each_possible_cpu(cpu) {
		const struct mgre_stats *st = per_cpu_ptr(s, cpu);
		u64 v[MGRE_STATS_A_MAX + 1];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i <= MGRE_STATS_A_MAX; i++)
				v[i] = u64_stats_read(&st->c[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i <= MGRE_STATS_A_MAX; i++)
			out[i] += v[i];
	}
}

#endif /* _MGRE_STATS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* What the configuration tests share. */
#ifndef DMVPN_TEST_CONF_TEST_H
#define DMVPN_TEST_CONF_TEST_H

#include <stdlib.h>
#include "conf/conf.h"

/* conf_p1_list() into a test's array: the count, the array freed. */
static inline int p1_copy(const struct conf *c, struct p1_attrs *out, int max)
{
	int n;
	struct p1_attrs *l = conf_p1_list(c, &n);

	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		out[i] = l[i];
	free(l);
	return n;
}

#endif /* DMVPN_TEST_CONF_TEST_H */

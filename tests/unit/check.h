/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* The unit tests' one assertion: counts, prints failures, ends with a summary. */
#ifndef DMVPN_TEST_CHECK_H
#define DMVPN_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("not ok - %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	fflush(stdout);
	return failed ? 1 : 0;
}

/* hex string to bytes; returns the length */
static inline size_t unhex(const char *s, unsigned char *out)
{
	size_t n = 0;
	unsigned int v;

	while (s[0] && s[1] && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (unsigned char)v;
		s += 2;
	}
	return n;
}

/* bytes equal to a hex string */
static inline int eqhex(const unsigned char *p, size_t n, const char *hex)
{
	unsigned char want[1024];
	size_t m = unhex(hex, want);

	if (m != n || memcmp(p, want, n)) {
		printf("#   got  ");
		for (size_t i = 0; i < n; i++)
			printf("%02x", p[i]);
		printf("\n#   want %s\n", hex);
		return 0;
	}
	return 1;
}

#endif /* DMVPN_TEST_CHECK_H */

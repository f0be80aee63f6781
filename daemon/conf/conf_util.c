// SPDX-License-Identifier: GPL-2.0
/*
 * The words of a configuration line (numbers, names, addresses, masks),
 * and the arrays that grow as lines come.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"
#include "lib/wipe.h"

int conf_num(struct parser *p, const char *s, unsigned long min, unsigned long max,
	       uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		return conf_fail(p, "'%s' is not a number from %lu to %lu", s, min, max);
	*out = (uint32_t)v;
	return 0;
}

bool conf_mask_ok(const uint8_t *m, int *plen)
{
	int i = 0;

	while (i < 32 && (m[i / 8] & (0x80 >> (i % 8))))
		i++;
	*plen = i;
	for (; i < 32; i++)
		if (m[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

bool conf_word_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

bool conf_is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int conf_addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* An IPv4 or IPv6 address into addr (16 bytes, zero-padded): its family, 0 if neither. */
int conf_parse_addr(const char *s, uint8_t *addr)
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1)
		return AF_INET;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET6, s, addr) == 1)
		return AF_INET6;
	memset(addr, 0, 16);
	return 0;
}

/* Zero the host bits of a prefix of len bytes. */
void conf_prefix_clear(uint8_t *a, int plen, int len)
{
	for (int i = 0; i < len; i++) {
		int bits = plen - 8 * i;

		if (bits <= 0)
			a[i] = 0;
		else if (bits < 8)
			a[i] &= (uint8_t)(0xff << (8 - bits));
	}
}

/* The elements an array of n has room for: 0, or a power of two from 4. */
static size_t room(int n)
{
	size_t r = 4;

	if (n <= 0)
		return 0;
	while (r < (size_t)n)
		r *= 2;
	return r;
}

void *conf_grow(struct parser *p, void *arr, int n, size_t size, bool secret)
{
	size_t have = room(n), want;
	void *b;

	if (n < 0 || (size_t)n < have)
		return arr;
	want = have ? 2 * have : 4;
	if (n > INT32_MAX / 2 || want > SIZE_MAX / size) {
		conf_fail(p, "out of memory");
		return NULL;
	}
	if (!secret) {
		b = realloc(arr, want * size);
	} else {
		b = malloc(want * size);
		if (b && have) {
			memcpy(b, arr, have * size);
			wipe(arr, have * size);
			free(arr);
		}
	}
	if (!b)
		conf_fail(p, "out of memory");
	return b;
}

void conf_free_secret(void *arr, int n, size_t size)
{
	if (arr)
		wipe(arr, room(n) * size);
	free(arr);
}

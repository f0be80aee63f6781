// SPDX-License-Identifier: GPL-2.0
/* Socket addresses of either family, and prefixes of raw addresses. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "lib/addr.h"

const void *addr_bytes(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ?
		(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr :
		(const void *)&((const struct sockaddr_in *)ss)->sin_addr;
}

void addr_set(struct sockaddr_storage *ss, int family, const void *addr, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET6)
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, addr, 16);
	else
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, addr, 4);
	addr_set_port(ss, port);
}

char *addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = addr_bytes(ss);

	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

bool addr_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

uint16_t addr_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port :
		     ((const struct sockaddr_in *)ss)->sin_port);
}

void addr_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

bool addr_prefix_match(const uint8_t *a, const uint8_t *p, int plen)
{
	int bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, p, (size_t)bytes))
		return false;
	return !bits || !((a[bytes] ^ p[bytes]) & (0xff << (8 - bits)));
}

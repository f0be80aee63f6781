/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DMVPN_LIB_ADDR_H
#define DMVPN_LIB_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* The address of a sockaddr_in or _in6 (4 or 16 bytes); set one from bytes. */
const void *addr_bytes(const struct sockaddr_storage *ss);
void addr_set(struct sockaddr_storage *ss, int family, const void *addr, uint16_t port);
char *addr_str(const struct sockaddr_storage *ss, char *buf, size_t len);
/* Same address (ports aside). */
bool addr_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b);
/* The port, host order. */
uint16_t addr_port(const struct sockaddr_storage *ss);
void addr_set_port(struct sockaddr_storage *ss, uint16_t port);
/* Whether raw address a is within prefix p/plen (network order bytes). */
bool addr_prefix_match(const uint8_t *a, const uint8_t *p, int plen);

#endif /* DMVPN_LIB_ADDR_H */

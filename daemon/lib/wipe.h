/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DMVPN_LIB_WIPE_H
#define DMVPN_LIB_WIPE_H

#include <string.h>

/* Wipe a secret (keys, key material): stores the compiler must keep. */
static inline void wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

#endif /* DMVPN_LIB_WIPE_H */

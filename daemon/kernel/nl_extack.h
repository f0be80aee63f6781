/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DMVPN_KERNEL_NL_EXTACK_H
#define DMVPN_KERNEL_NL_EXTACK_H

#include <linux/netlink.h>

/*
 * The kernel's extack message in an error (NLMSGERR_ATTR_MSG), or NULL:
 * the text a request was refused with, whichever netlink family it was.
 */
const char *nl_extack(const struct nlmsgerr *e);
/* What a failed request says: the kernel's message if it gave one, else strerror(-err). */
const char *nl_errstr(const char *errmsg, int err);

#endif /* DMVPN_KERNEL_NL_EXTACK_H */

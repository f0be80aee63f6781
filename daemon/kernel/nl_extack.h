/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DMVPN_KERNEL_NL_EXTACK_H
#define DMVPN_KERNEL_NL_EXTACK_H

#include <stddef.h>
#include <linux/netlink.h>

struct nl_msg;
struct nl_sock;

/*
 * The kernel's extack message in an error (NLMSGERR_ATTR_MSG), or NULL:
 * the text a request was refused with, whichever netlink family it was.
 */
const char *nl_extack(const struct nlmsgerr *e);
/* What a failed request says: the kernel's message if it gave one, else strerror(-err). */
const char *nl_errstr(const char *errmsg, int err);

/* A libnl error (no kernel errno behind it) as -errno. */
int nl_nle_errno(int nle);
/*
 * Send m (consumed) on sk with NLM_F_ACK and wait for the kernel's ack or
 * error: 0 or -errno, the kernel's reason (extack) or libnl's in errmsg.
 * nl_run_cb() hands each answer (a GET's) to valid(msg, arg) first.
 */
int nl_run(struct nl_sock *sk, struct nl_msg *m, char *errmsg, size_t errlen);
int nl_run_cb(struct nl_sock *sk, struct nl_msg *m, int (*valid)(struct nl_msg *, void *),
	      void *arg, char *errmsg, size_t errlen);

#endif /* DMVPN_KERNEL_NL_EXTACK_H */

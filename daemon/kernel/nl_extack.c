// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink requests, for every family we speak: sent with an ack awaited,
 * and the kernel's extack message in an error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include "kernel/nl_extack.h"

const char *nl_extack(const struct nlmsgerr *e)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	const struct nlattr *a;
	int len, rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	len = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		len += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);	/* as the kernel pads it */
	a = (const struct nlattr *)((const char *)e + len);
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - len;
	for (; nla_ok(a, rem); a = nla_next(a, &rem))
		if (nla_type(a) == NLMSGERR_ATTR_MSG)
			return nla_data(a);
	return NULL;
}

const char *nl_errstr(const char *errmsg, int err)
{
	return errmsg && errmsg[0] ? errmsg : strerror(-err);
}

int nl_nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INVAL:
	case NLE_MISSING_ATTR:
		return -EINVAL;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_EXIST:
		return -EEXIST;
	default:
		return -EIO;
	}
}

/* One request in flight: its ack or its error. */
struct nl_run {
	char *errmsg;
	size_t errlen;
	int err;
	bool done;
};

static int run_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nl_run *r = arg;
	const char *msg = nl_extack(e);

	r->err = e->error;
	r->done = true;
	if (msg)
		snprintf(r->errmsg, r->errlen, "%s", msg);
	return NL_STOP;
}

static int run_ack_cb(struct nl_msg *m, void *arg)
{
	struct nl_run *r = arg;

	r->done = true;
	return NL_STOP;
}

int nl_run_cb(struct nl_sock *sk, struct nl_msg *m, int (*valid)(struct nl_msg *, void *),
	      void *arg, char *errmsg, size_t errlen)
{
	struct nl_run r = { .errmsg = errmsg, .errlen = errlen };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	if (errlen)
		errmsg[0] = '\0';
	if (!cb) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	if (valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, run_ack_cb, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, run_err_cb, &r);
	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK;
	err = nl_send_auto(sk, m);
	nlmsg_free(m);
	while (err >= 0 && !r.done)
		err = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (r.err)
		return r.err;
	if (err < 0) {
		snprintf(errmsg, errlen, "netlink: %s", nl_geterror(err));
		return nl_nle_errno(err);
	}
	return 0;
}

int nl_run(struct nl_sock *sk, struct nl_msg *m, char *errmsg, size_t errlen)
{
	return nl_run_cb(sk, m, NULL, NULL, errmsg, errlen);
}

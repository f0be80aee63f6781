// SPDX-License-Identifier: GPL-2.0
/* The kernel's extack message in a netlink error, for every family we speak. */
#include <linux/netlink.h>
#include <string.h>
#include <netlink/attr.h>
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

// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's extack message in a netlink error, as dmvpnctl and dmvpnd
 * (the mgre family and XFRM) read it: capped and uncapped errors, none.
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include "check.h"
#include "kernel/mgre_nl.h"
#include "kernel/nl_extack.h"

static union {
	struct nlmsghdr h;
	uint8_t b[512];
} buf;

/* An NLMSG_ERROR for a request of req_len payload bytes, with msg as extack. */
static const struct nlmsgerr *error_msg(uint16_t flags, size_t req_len, const char *msg)
{
	struct nlmsgerr *e = NLMSG_DATA(&buf.h);
	size_t len = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;

	memset(&buf, 0, sizeof(buf));
	buf.h.nlmsg_type = NLMSG_ERROR;
	buf.h.nlmsg_flags = flags;
	e->error = -EINVAL;
	e->msg.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + req_len);
	if (!(flags & NLM_F_CAPPED))
		len += NLMSG_ALIGN(req_len);	/* the request's payload echoed back */
	if (msg) {
		a = (struct nlattr *)(buf.b + len);
		a->nla_type = NLMSGERR_ATTR_OFFS;	/* another attribute first */
		a->nla_len = NLA_HDRLEN + 4;
		len += NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)(buf.b + len);
		a->nla_type = NLMSGERR_ATTR_MSG;
		a->nla_len = (uint16_t)(NLA_HDRLEN + strlen(msg) + 1);
		memcpy(buf.b + len + NLA_HDRLEN, msg, strlen(msg) + 1);
		len += NLA_ALIGN(a->nla_len);
	}
	buf.h.nlmsg_len = (uint32_t)len;
	return e;
}

int main(void)
{
	const char *m;

	m = nl_extack(error_msg(NLM_F_ACK_TLVS | NLM_F_CAPPED, 40, "SPI already in use"));
	CHECK(m && !strcmp(m, "SPI already in use"));
	m = nl_extack(error_msg(NLM_F_ACK_TLVS, 40, "Invalid key length"));
	CHECK(m && !strcmp(m, "Invalid key length"));
	m = nl_extack(error_msg(NLM_F_ACK_TLVS, 37, "odd length"));
	CHECK(m && !strcmp(m, "odd length"));
	CHECK(!nl_extack(error_msg(0, 40, NULL)));	/* an old kernel: no TLVs */
	CHECK(!nl_extack(error_msg(NLM_F_ACK_TLVS | NLM_F_CAPPED, 40, NULL)));
	return check_summary();
}

// SPDX-License-Identifier: GPL-2.0
/* rtnetlink through libnl-3: an mgre device's attributes, link notifications. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include "kernel/rtlink.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#include <linux/mgre.h>

int rtlink_open(struct rtlink *r)
{
	int err, one = 1;

	memset(r, 0, sizeof(*r));
	r->req = nl_socket_alloc();
	r->ev = nl_socket_alloc();
	if (!r->req || !r->ev) {
		rtlink_close(r);
		return -ENOMEM;
	}
	nl_socket_disable_seq_check(r->ev);
	/*
	 * A GETLINK's answer is the link itself: an ACK after it would wait in
	 * the socket and be read as the next request's answer (seq mismatch).
	 */
	nl_socket_disable_auto_ack(r->req);
	err = nl_connect(r->req, NETLINK_ROUTE);
	if (!err)
		err = nl_connect(r->ev, NETLINK_ROUTE);
	if (!err)
		err = nl_socket_add_membership(r->ev, RTNLGRP_LINK);
	/* a tunnel source's address coming or going moves its tunnels */
	if (!err)
		err = nl_socket_add_membership(r->ev, RTNLGRP_IPV4_IFADDR);
	if (!err)
		err = nl_socket_set_nonblocking(r->ev);
	if (err) {
		rtlink_close(r);
		return -EPROTO;
	}
	/* refusals with the kernel's reason (extack); older kernels ignore it */
	setsockopt(nl_socket_get_fd(r->req), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return 0;
}

void rtlink_close(struct rtlink *r)
{
	if (r->req)
		nl_socket_free(r->req);
	if (r->ev)
		nl_socket_free(r->ev);
	r->req = r->ev = NULL;
}

int rtlink_event_fd(const struct rtlink *r)
{
	return nl_socket_get_fd(r->ev);
}

static int count_cb(struct nl_msg *m, void *arg)
{
	int type = nlmsg_hdr(m)->nlmsg_type;

	if (type == RTM_NEWLINK || type == RTM_DELLINK || type == RTM_NEWADDR ||
	    type == RTM_DELADDR)
		++*(int *)arg;
	return NL_OK;
}

int rtlink_events(struct rtlink *r)
{
	int n = 0;

	nl_socket_modify_cb(r->ev, NL_CB_VALID, NL_CB_CUSTOM, count_cb, &n);
	while (nl_recvmsgs_default(r->ev) == 0)
		;
	return n;
}

struct mgre_local {
	uint32_t local;
	int found;
};

static int link_cb(struct nl_msg *m, void *arg)
{
	struct mgre_local *ml = arg;
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1], *data[IFLA_MGRE_MAX + 1];

	if (nlmsg_parse(nlmsg_hdr(m), sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) ||
	    !tb[IFLA_LINKINFO] ||
	    nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) ||
	    !li[IFLA_INFO_KIND] || strcmp(nla_get_string(li[IFLA_INFO_KIND]), "mgre") ||
	    !li[IFLA_INFO_DATA] ||
	    nla_parse_nested(data, IFLA_MGRE_MAX, li[IFLA_INFO_DATA], NULL) ||
	    !data[IFLA_MGRE_LOCAL] || nla_len(data[IFLA_MGRE_LOCAL]) != 4)
		return NL_OK;
	memcpy(&ml->local, nla_data(data[IFLA_MGRE_LOCAL]), 4);
	ml->found = 1;
	return NL_OK;
}

int rtlink_mgre_local(struct rtlink *r, int ifindex, uint32_t *local)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct mgre_local ml = { 0 };
	int err;

	err = nl_send_simple(r->req, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	if (err < 0)
		return -EIO;
	nl_socket_modify_cb(r->req, NL_CB_VALID, NL_CB_CUSTOM, link_cb, &ml);
	err = nl_recvmsgs_default(r->req);
	if (err < 0)
		return err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND ? -ENODEV : -EIO;
	if (!ml.found)
		return -ENODEV;
	*local = ml.local;
	return 0;
}

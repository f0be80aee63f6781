// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel devices dmvpnd makes (tunlink.h).  libnl-route has no link
 * type for mgre, so the link requests are built here from the uapi
 * attributes; addresses go through libnl-route's rtnl_addr.  Every request
 * waits for its ack (nl_run).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include "kernel/nl_extack.h"
#include "kernel/tunlink.h"
#include <linux/mgre.h>

static struct nl_msg *link_msg(int type, int flags, int ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *m = nlmsg_alloc_simple(type, NLM_F_REQUEST | flags);

	if (m && nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* The mgre parameters in IFLA_INFO_DATA; false if the attributes are not an mgre's. */
static bool mgre_parse(struct nlattr *info, struct tun_mgre *m)
{
	struct nlattr *d[IFLA_MGRE_MAX + 1];

	if (nla_parse_nested(d, IFLA_MGRE_MAX, info, NULL) || !d[IFLA_MGRE_LOCAL] ||
	    nla_len(d[IFLA_MGRE_LOCAL]) != 4)
		return false;
	memcpy(&m->local, nla_data(d[IFLA_MGRE_LOCAL]), 4);
	if (d[IFLA_MGRE_REMOTE] && nla_len(d[IFLA_MGRE_REMOTE]) == 4)
		memcpy(&m->remote, nla_data(d[IFLA_MGRE_REMOTE]), 4);
	m->has_key = d[IFLA_MGRE_KEY] && nla_len(d[IFLA_MGRE_KEY]) == 4;
	if (m->has_key)
		m->key = nla_get_u32(d[IFLA_MGRE_KEY]);
	return true;
}

static int get_cb(struct nl_msg *msg, void *arg)
{
	struct tun_info *t = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	struct ifinfomsg *ifi = nlmsg_data(h);

	if (h->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return NL_OK;
	t->ifindex = ifi->ifi_index;
	t->flags = ifi->ifi_flags;
	if (tb[IFLA_MTU])
		t->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINKINFO] && !nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) &&
	    li[IFLA_INFO_KIND] && !strcmp(nla_get_string(li[IFLA_INFO_KIND]), MGRE_LINK_KIND) &&
	    li[IFLA_INFO_DATA])
		t->is_mgre = mgre_parse(li[IFLA_INFO_DATA], &t->m);
	return NL_OK;
}

int tunlink_get(struct rtlink *r, const char *name, struct tun_info *out)
{
	struct nl_msg *m = link_msg(RTM_GETLINK, 0, 0);
	int err;

	memset(out, 0, sizeof(*out));
	if (!m || nla_put_string(m, IFLA_IFNAME, name) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	err = nl_run_cb(r->req, m, get_cb, out, r->errmsg, sizeof(r->errmsg));
	if (err)
		return err == -ENODEV ? -ENODEV : err;
	return out->ifindex ? 0 : -ENODEV;
}

int tunlink_mgre_add(struct rtlink *r, const char *name, const struct tun_mgre *t,
		     unsigned int mtu)
{
	struct nl_msg *m = link_msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	struct nlattr *li, *data;

	if (!m || nla_put_string(m, IFLA_IFNAME, name) < 0 ||
	    (mtu && nla_put_u32(m, IFLA_MTU, mtu) < 0))
		goto nomem;
	li = nla_nest_start(m, IFLA_LINKINFO);
	if (!li || nla_put_string(m, IFLA_INFO_KIND, MGRE_LINK_KIND) < 0)
		goto nomem;
	data = nla_nest_start(m, IFLA_INFO_DATA);
	if (!data || nla_put(m, IFLA_MGRE_LOCAL, 4, &t->local) < 0 ||
	    (t->remote && nla_put(m, IFLA_MGRE_REMOTE, 4, &t->remote) < 0) ||
	    (t->has_key && nla_put_u32(m, IFLA_MGRE_KEY, t->key) < 0))
		goto nomem;
	nla_nest_end(m, data);
	nla_nest_end(m, li);
	return nl_run(r->req, m, r->errmsg, sizeof(r->errmsg));
nomem:
	nlmsg_free(m);
	return -ENOMEM;
}

int tunlink_del(struct rtlink *r, int ifindex)
{
	struct nl_msg *m = link_msg(RTM_DELLINK, 0, ifindex);

	if (!m)
		return -ENOMEM;
	return nl_run(r->req, m, r->errmsg, sizeof(r->errmsg));
}

int tunlink_set(struct rtlink *r, int ifindex, unsigned int mtu, bool up, const char *alias)
{
	struct nl_msg *m = link_msg(RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi;

	if (!m || (mtu && nla_put_u32(m, IFLA_MTU, mtu) < 0) ||
	    (alias && nla_put_string(m, IFLA_IFALIAS, alias) < 0)) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	ifi = nlmsg_data(nlmsg_hdr(m));
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nl_run(r->req, m, r->errmsg, sizeof(r->errmsg));
}

int tunlink_addr(struct rtlink *r, int ifindex, int family, const void *addr, int plen,
		 bool add)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(family, addr, family == AF_INET ? 4 : 16);
	struct nl_msg *m = NULL;
	int err = -ENOMEM;

	if (!a || !local)
		goto out;
	nl_addr_set_prefixlen(local, plen);
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, family);
	if (rtnl_addr_set_local(a, local) < 0)
		goto out;
	rtnl_addr_set_prefixlen(a, plen);
	err = add ? rtnl_addr_build_add_request(a, NLM_F_REPLACE, &m) :
		    rtnl_addr_build_delete_request(a, 0, &m);
	if (err < 0) {
		err = nl_nle_errno(err);
		goto out;
	}
	err = nl_run(r->req, m, r->errmsg, sizeof(r->errmsg));
out:
	nl_addr_put(local);
	rtnl_addr_put(a);
	return err;
}

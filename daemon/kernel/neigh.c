// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP's neighbour entries, resolution requests and shortcut routes through
 * libnl-route-3: requests built by libnl and sent with an ack awaited here
 * (for the kernel's errno and extack), dumps through libnl caches for the
 * flushes, notifications parsed as plain ndmsg.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/attr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include "kernel/neigh.h"
#include "kernel/nl_extack.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A hub's spokes resolve at once (after a restart, all of them): a roomy buffer. */
#define NEIGH_EV_RCVBUF		(1 << 20)

/* Overruns (lost notifications) read past per neigh_events() call. */
#define NEIGH_EV_OVERRUNS	4

static size_t neigh_alen(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* Send m (consumed) with NLM_F_ACK and wait for the ack or the error: 0 or -errno. */
static int neigh_run(struct neigh *n, struct nl_msg *m)
{
	return nl_run(n->sk, m, n->errmsg, sizeof(n->errmsg));
}

/* --- sockets ------------------------------------------------------------- */

int neigh_open(struct neigh *n)
{
	int one = 1, err;

	memset(n, 0, sizeof(*n));
	n->sk = nl_socket_alloc();
	n->ev = nl_socket_alloc();
	if (!n->sk || !n->ev) {
		neigh_close(n);
		return -ENOMEM;
	}
	nl_socket_disable_seq_check(n->ev);
	err = nl_connect(n->sk, NETLINK_ROUTE);
	if (!err)
		err = nl_connect(n->ev, NETLINK_ROUTE);
	if (!err)
		err = nl_socket_add_membership(n->ev, RTNLGRP_NEIGH);
	if (!err)
		err = nl_socket_set_nonblocking(n->ev);
	if (err) {
		snprintf(n->errmsg, sizeof(n->errmsg), "rtnetlink: %s", nl_geterror(err));
		neigh_close(n);
		return nl_nle_errno(err);
	}
	nl_socket_set_buffer_size(n->ev, NEIGH_EV_RCVBUF, 0);
	/* errors with the kernel's reason (extack); older kernels ignore it */
	setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return 0;
}

void neigh_close(struct neigh *n)
{
	if (n->sk)
		nl_socket_free(n->sk);
	if (n->ev)
		nl_socket_free(n->ev);
	n->sk = n->ev = NULL;
}

int neigh_event_fd(const struct neigh *n)
{
	return nl_socket_get_fd(n->ev);
}

/* --- notifications ------------------------------------------------------- */

struct neigh_ev {
	void (*cb)(void *arg, int ifindex, int family, const void *dst);
	void *arg;
};

static int neigh_ev_cb(struct nl_msg *m, void *arg)
{
	struct neigh_ev *e = arg;
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct nlattr *tb[NDA_MAX + 1];
	struct ndmsg *ndm;

	if (h->nlmsg_type != RTM_GETNEIGH && h->nlmsg_type != RTM_NEWNEIGH)
		return NL_OK;
	if (nlmsg_parse(h, sizeof(*ndm), tb, NDA_MAX, NULL) < 0)
		return NL_OK;
	ndm = nlmsg_data(h);
	if (!neigh_alen(ndm->ndm_family) || (ndm->ndm_flags & NTF_PROXY) || ndm->ndm_ifindex <= 0)
		return NL_OK;
	/* an application probe: whatever the state; a new entry: only an unresolved one */
	if (h->nlmsg_type == RTM_NEWNEIGH && !(ndm->ndm_state & NUD_INCOMPLETE))
		return NL_OK;
	if (!tb[NDA_DST] || nla_len(tb[NDA_DST]) != (int)neigh_alen(ndm->ndm_family))
		return NL_OK;
	e->cb(e->arg, ndm->ndm_ifindex, ndm->ndm_family, nla_data(tb[NDA_DST]));
	return NL_OK;
}

void neigh_events(struct neigh *n, void (*cb)(void *arg, int ifindex, int family,
					      const void *dst), void *arg)
{
	struct neigh_ev e = { .cb = cb, .arg = arg };
	int err, overruns = 0;

	nl_socket_modify_cb(n->ev, NL_CB_VALID, NL_CB_CUSTOM, neigh_ev_cb, &e);
	for (;;) {
		err = nl_recvmsgs_default(n->ev);
		if (err == 0)
			continue;
		/*
		 * ENOBUFS: notifications were lost.  The kernel asks again
		 * (the next packet to the address), so read on; a bounded
		 * number of times, as the same code is a failed allocation.
		 */
		if (err == -NLE_NOMEM && ++overruns <= NEIGH_EV_OVERRUNS)
			continue;
		break;	/* -NLE_AGAIN: all read */
	}
	nl_socket_modify_cb(n->ev, NL_CB_VALID, NL_CB_DEFAULT, NULL, NULL);
}

/* --- neighbour entries --------------------------------------------------- */

/* The entry for proto on ifindex, with its lladdr if nbma; NULL without memory. */
static struct rtnl_neigh *neigh_obj(int ifindex, int family, const void *proto,
				    const struct nhrp_addr *nbma)
{
	struct rtnl_neigh *o = rtnl_neigh_alloc();
	struct nl_addr *dst, *ll = NULL;

	if (!o)
		return NULL;
	dst = nl_addr_build(family, proto, neigh_alen(family));
	if (nbma)
		ll = nl_addr_build(AF_UNSPEC, nbma->a, nbma->len);
	if (!dst || (nbma && !ll)) {
		nl_addr_put(dst);
		nl_addr_put(ll);
		rtnl_neigh_put(o);
		return NULL;
	}
	rtnl_neigh_set_ifindex(o, ifindex);
	rtnl_neigh_set_family(o, family);
	rtnl_neigh_set_dst(o, dst);
	nl_addr_put(dst);
	if (ll) {
		rtnl_neigh_set_lladdr(o, ll);
		nl_addr_put(ll);
	}
	return o;
}

int neigh_set(struct neigh *n, int ifindex, int family, const void *proto,
	      const struct nhrp_addr *nbma)
{
	struct rtnl_neigh *o;
	struct nl_msg *m = NULL;
	int err;

	if (ifindex <= 0 || !neigh_alen(family) || !proto || !nbma || !nbma->len ||
	    nbma->len > sizeof(nbma->a))
		return -EINVAL;
	o = neigh_obj(ifindex, family, proto, nbma);
	if (!o)
		return -ENOMEM;
	/* permanent: no expiry, no probing; dmvpnd removes it */
	rtnl_neigh_set_state(o, NUD_PERMANENT);
	err = rtnl_neigh_build_add_request(o, NLM_F_CREATE | NLM_F_REPLACE, &m);
	rtnl_neigh_put(o);
	if (err < 0)
		return nl_nle_errno(err);
	return neigh_run(n, m);
}

int neigh_del(struct neigh *n, int ifindex, int family, const void *proto)
{
	struct rtnl_neigh *o;
	struct nl_msg *m = NULL;
	int err;

	if (ifindex <= 0 || !neigh_alen(family) || !proto)
		return -EINVAL;
	o = neigh_obj(ifindex, family, proto, NULL);
	if (!o)
		return -ENOMEM;
	err = rtnl_neigh_build_delete_request(o, 0, &m);
	rtnl_neigh_put(o);
	if (err < 0)
		return nl_nle_errno(err);
	return neigh_run(n, m);
}

struct neigh_flush {
	struct neigh *n;
	int ifindex;
	int err;
};

static void neigh_flush_one(struct nl_object *obj, void *arg)
{
	struct neigh_flush *f = arg;
	struct rtnl_neigh *o = (struct rtnl_neigh *)obj;
	struct nl_addr *dst = rtnl_neigh_get_dst(o);
	int family = rtnl_neigh_get_family(o), flags = rtnl_neigh_get_flags(o), err;

	if (rtnl_neigh_get_ifindex(o) != f->ifindex || !(rtnl_neigh_get_state(o) & NUD_PERMANENT))
		return;
	if (!neigh_alen(family) || (flags & NTF_PROXY) || !dst ||
	    nl_addr_get_len(dst) != neigh_alen(family))
		return;	/* bridge FDB entries and proxies are not ours */
	err = neigh_del(f->n, f->ifindex, family, nl_addr_get_binary_addr(dst));
	if (err && err != -ENOENT && !f->err)
		f->err = err;	/* the first failure; the others are still tried */
}

int neigh_flush(struct neigh *n, int ifindex)
{
	struct neigh_flush f = { .n = n, .ifindex = ifindex };
	struct nl_cache *c = NULL;
	int err;

	if (ifindex <= 0)
		return -EINVAL;
	err = rtnl_neigh_alloc_cache(n->sk, &c);
	if (err < 0)
		return nl_nle_errno(err);
	nl_cache_foreach(c, neigh_flush_one, &f);
	nl_cache_free(c);
	return f.err;
}

/* --- routes -------------------------------------------------------------- */

/*
 * A route request: prefix/plen in table on ifindex via gw (NULL: on the
 * device), protocol RTPROT_DMVPN, priority prio (0: the kernel's default,
 * or any when deleting).  Host bits of the prefix are cleared.
 */
static int route_req(struct neigh *n, int ifindex, int family, const void *prefix,
		     uint8_t plen, const void *gw, uint32_t table, uint32_t prio, bool add)
{
	size_t alen = neigh_alen(family);
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = NULL, *via = NULL;
	struct nl_msg *m = NULL;
	uint8_t net[16];
	int err = -ENOMEM;

	memcpy(net, prefix, alen);
	for (size_t i = 0; i < alen; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		net[i] &= plen > 8 * i ? (uint8_t)(0xff << (8 - (plen - 8 * i))) : 0;
	}
	if (!r || !nh)
		goto out;
	dst = nl_addr_build(family, net, alen);
	if (gw)
		via = nl_addr_build(family, gw, alen);
	if (!dst || (gw && !via))
		goto out;
	nl_addr_set_prefixlen(dst, plen);
	rtnl_route_set_family(r, (uint8_t)family);
	rtnl_route_set_dst(r, dst);
	rtnl_route_set_table(r, table);
	rtnl_route_set_protocol(r, RTPROT_DMVPN);
	rtnl_route_set_type(r, RTN_UNICAST);
	if (prio)
		rtnl_route_set_priority(r, prio);
	/* on the link without a gateway; deleting: any scope (IPv4's wildcard) */
	if (!add)
		rtnl_route_set_scope(r, RT_SCOPE_NOWHERE);
	else if (gw || family == AF_INET6)
		rtnl_route_set_scope(r, RT_SCOPE_UNIVERSE);
	else
		rtnl_route_set_scope(r, RT_SCOPE_LINK);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (via)
		rtnl_route_nh_set_gateway(nh, via);
	rtnl_route_add_nexthop(r, nh);
	nh = NULL;	/* the route's now */
	if (add)
		/* never over a route of someone else's: a shortcut is more specific */
		err = rtnl_route_build_add_request(r, NLM_F_CREATE | NLM_F_EXCL, &m);
	else
		err = rtnl_route_build_del_request(r, 0, &m);
	err = err < 0 ? nl_nle_errno(err) : neigh_run(n, m);
out:
	nl_addr_put(dst);
	nl_addr_put(via);
	if (nh)
		rtnl_route_nh_free(nh);
	if (r)
		rtnl_route_put(r);
	return err;
}

int route_set(struct neigh *n, int ifindex, int family, const void *prefix, uint8_t plen,
	      const void *via, bool add)
{
	if (ifindex <= 0 || !neigh_alen(family) || !prefix || plen > 8 * neigh_alen(family))
		return -EINVAL;
	return route_req(n, ifindex, family, prefix, plen, via, RT_TABLE_MAIN, 0, add);
}

struct route_flush {
	struct neigh *n;
	int ifindex;
	int err;
};

static void route_flush_one(struct nl_object *obj, void *arg)
{
	struct route_flush *f = arg;
	struct rtnl_route *r = (struct rtnl_route *)obj;
	struct nl_addr *dst = rtnl_route_get_dst(r);
	int family = rtnl_route_get_family(r), nnh = rtnl_route_get_nnexthops(r), err;
	struct rtnl_nexthop *nh = NULL;

	if (rtnl_route_get_protocol(r) != RTPROT_DMVPN || !neigh_alen(family) || !dst ||
	    nl_addr_get_len(dst) != neigh_alen(family))
		return;
	for (int i = 0; i < nnh && !nh; i++) {
		if (rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(r, i)) == f->ifindex)
			nh = rtnl_route_nexthop_n(r, i);
	}
	if (!nh)
		return;
	/* the route as it is: its table and priority, any gateway (one prefix, one of ours) */
	err = route_req(f->n, f->ifindex, family, nl_addr_get_binary_addr(dst),
			(uint8_t)nl_addr_get_prefixlen(dst), NULL, rtnl_route_get_table(r),
			rtnl_route_get_priority(r), false);
	if (err && err != -ESRCH && !f->err)
		f->err = err;
}

int route_flush(struct neigh *n, int ifindex)
{
	struct route_flush f = { .n = n, .ifindex = ifindex };
	struct nl_cache *c = NULL;
	int err;

	if (ifindex <= 0)
		return -EINVAL;
	err = rtnl_route_alloc_cache(n->sk, AF_UNSPEC, 0, &c);
	if (err < 0)
		return nl_nle_errno(err);
	nl_cache_foreach(c, route_flush_one, &f);
	nl_cache_free(c);
	return f.err;
}

/* route_get: the answer to one RTM_GETROUTE */
struct route_ans {
	int family;
	struct route_info *ri;
	bool got;
};

static int route_ans_cb(struct nl_msg *m, void *arg)
{
	struct route_ans *a = arg;
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct rtmsg *rt = nlmsg_data(h);
	struct nlattr *tb[RTA_MAX + 1];
	size_t alen = neigh_alen(a->family);

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(h, sizeof(*rt), tb, RTA_MAX, NULL) < 0)
		return NL_OK;
	a->got = true;
	a->ri->plen = rt->rtm_dst_len;
	a->ri->type = rt->rtm_type;
	a->ri->protocol = rt->rtm_protocol;
	if (tb[RTA_OIF])
		a->ri->oif = (int)nla_get_u32(tb[RTA_OIF]);
	if (tb[RTA_GATEWAY] && nla_len(tb[RTA_GATEWAY]) == (int)alen) {
		memcpy(a->ri->gw, nla_data(tb[RTA_GATEWAY]), alen);
		a->ri->has_gw = true;
	}
	return NL_OK;
}

int route_get(struct neigh *n, int family, const void *dst, struct route_info *ri)
{
	struct rtmsg rt = { .rtm_family = (uint8_t)family, .rtm_flags = RTM_F_FIB_MATCH };
	struct route_ans a = { .family = family, .ri = ri };
	size_t alen = neigh_alen(family);
	struct nl_msg *m;
	int err;

	memset(ri, 0, sizeof(*ri));
	if (!alen || !dst)
		return -EINVAL;
	rt.rtm_dst_len = (uint8_t)(alen * 8);
	m = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_REQUEST);
	if (!m || nlmsg_append(m, &rt, sizeof(rt), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, RTA_DST, (int)alen, dst) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	err = nl_run_cb(n->sk, m, route_ans_cb, &a, n->errmsg, sizeof(n->errmsg));
	if (err)
		return err;
	return a.got ? 0 : -ENETUNREACH;
}

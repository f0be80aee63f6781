// SPDX-License-Identifier: GPL-2.0
/* The mgre family through libnl-genl-3: plumbing, events, decoding. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include "kernel/mgre_nl.h"
#include "kernel/nl_extack.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct req_run {
	struct mgre_nl *c;
	mgre_nl_fn fn;
	void (*event)(uint8_t cmd, struct nlattr **tb, void *arg);
	void *arg;
	int err;
	int done;
	int seen;
};

int mgre_nl_open(struct mgre_nl *c)
{
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	if (genl_connect(c->sk)) {
		nl_socket_free(c->sk);
		return -ECONNREFUSED;
	}
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	nl_socket_set_buffer_size(c->sk, 1 << 20, 1 << 20);
	c->family = genl_ctrl_resolve(c->sk, MGRE_GENL_NAME);
	if (c->family < 0) {
		snprintf(c->errmsg, sizeof(c->errmsg),
			 "generic netlink family \"%s\" not found (is mgre.ko loaded?)",
			 MGRE_GENL_NAME);
		nl_socket_free(c->sk);
		c->sk = NULL;
		return -ENOENT;
	}
	return 0;
}

void mgre_nl_close(struct mgre_nl *c)
{
	if (c->sk)
		nl_socket_free(c->sk);
	c->sk = NULL;
}

struct nl_msg *mgre_nl_msg(struct mgre_nl *c, uint8_t cmd, int flags, int ifindex)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return NULL;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags, cmd,
			 MGRE_GENL_VERSION) ||
	    (ifindex && nla_put_u32(m, MGRE_A_IFINDEX, ifindex))) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

struct nlattr *mgre_nest(struct nl_msg *m, int type)
{
	struct nlattr *n = nla_nest_start(m, type);

	if (n)
		n->nla_type |= NLA_F_NESTED;
	return n;
}

static int req_parse(struct nl_msg *m, struct nlattr **tb, uint8_t *cmd)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	struct genlmsghdr *g = nlmsg_data(nlh);

	*cmd = g->cmd;
	return genlmsg_parse(nlh, 0, tb, MGRE_A_MAX, NULL);
}

static int req_valid_cb(struct nl_msg *m, void *arg)
{
	struct req_run *r = arg;
	struct nlattr *tb[MGRE_A_MAX + 1];
	uint8_t cmd;

	if (req_parse(m, tb, &cmd))
		return NL_SKIP;
	r->seen++;
	if (r->fn)
		r->fn(tb, r->arg);
	if (r->event)
		r->event(cmd, tb, r->arg);
	return NL_OK;
}

static int req_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct req_run *r = arg;
	const char *msg = nl_extack(e);

	(void)who;
	r->err = e->error;
	r->done = 1;
	if (msg)
		snprintf(r->c->errmsg, sizeof(r->c->errmsg), "%s", msg);
	return NL_STOP;
}

static int req_finish_cb(struct nl_msg *m, void *arg)
{
	struct req_run *r = arg;

	(void)m;
	r->done = 1;
	return NL_STOP;
}

static struct nl_cb *req_cb(struct req_run *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid_cb, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_finish_cb, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_finish_cb, r);
	nl_cb_err(cb, NL_CB_CUSTOM, req_err_cb, r);
	return cb;
}

int mgre_nl_run(struct mgre_nl *c, struct nl_msg *m, mgre_nl_fn fn, void *arg)
{
	struct req_run r = { .c = c, .fn = fn, .arg = arg };
	struct nl_cb *cb = req_cb(&r);
	int err;

	if (!cb) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK;
	err = nl_send_auto(c->sk, m);
	/* requests may carry SA keys: wipe before the buffer goes back */
	explicit_bzero(nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);
	nlmsg_free(m);
	while (err >= 0 && !r.done)
		err = nl_recvmsgs(c->sk, cb);
	nl_cb_put(cb);
	if (err < 0 && !r.err)
		return -EIO;
	return r.err;
}

int mgre_nl_subscribe(struct mgre_nl *c)
{
	int grp = genl_ctrl_resolve_grp(c->sk, MGRE_GENL_NAME, MGRE_GENL_MCGRP_EVENTS);

	if (grp < 0)
		return -ENOENT;
	nl_socket_disable_seq_check(c->sk);
	return nl_socket_add_membership(c->sk, grp) ? -EIO : 0;
}

static int req_no_seq_check(struct nl_msg *m, void *arg)
{
	(void)m;
	(void)arg;
	return NL_OK;
}

int mgre_nl_events(struct mgre_nl *c, int timeout_ms,
		  void (*fn)(uint8_t cmd, struct nlattr **tb, void *arg), void *arg)
{
	struct req_run r = { .c = c, .event = fn, .arg = arg };
	struct pollfd p = { .fd = nl_socket_get_fd(c->sk), .events = POLLIN };
	struct nl_cb *cb = req_cb(&r);
	int n;

	if (!cb)
		return -ENOMEM;
	/* notifications carry sequence number 0: no sequence check */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, req_no_seq_check, NULL);
	n = poll(&p, 1, timeout_ms);
	if (n > 0)
		nl_recvmsgs(c->sk, cb);
	nl_cb_put(cb);
	return n < 0 ? -errno : r.seen;
}

static void ctl_decode_stats(struct nlattr *nest, struct mgre_stats_info *s)
{
	struct nlattr *tb[MGRE_STATS_A_MAX + 1];
	int i;

	memset(s, 0, sizeof(*s));
	if (!nest || nla_parse_nested(tb, MGRE_STATS_A_MAX, nest, NULL))
		return;
	s->present = true;
	for (i = 1; i <= MGRE_STATS_A_MAX; i++)
		if (tb[i] && nla_len(tb[i]) == 8)
			s->v[i] = nla_get_u64(tb[i]);
}

static uint32_t ctl_u32(struct nlattr *a)
{
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : 0;
}

static uint64_t ctl_u64(struct nlattr *a)
{
	return a && nla_len(a) >= 8 ? nla_get_u64(a) : 0;
}

static uint8_t ctl_u8(struct nlattr *a)
{
	return a && nla_len(a) >= 1 ? nla_get_u8(a) : 0;
}

void mgre_decode_peer(struct nlattr **top, struct mgre_peer_info *p)
{
	struct nlattr *tb[MGRE_PEER_A_MAX + 1];

	memset(p, 0, sizeof(*p));
	p->ifindex = ctl_u32(top[MGRE_A_IFINDEX]);
	if (!top[MGRE_A_PEER] ||
	    nla_parse_nested(tb, MGRE_PEER_A_MAX, top[MGRE_A_PEER], NULL))
		return;
	p->nbma = ctl_u32(tb[MGRE_PEER_A_NBMA]);
	p->encap = ctl_u8(tb[MGRE_PEER_A_ENCAP]);
	p->sport = tb[MGRE_PEER_A_SPORT] ? nla_get_u16(tb[MGRE_PEER_A_SPORT]) : 0;
	p->dport = tb[MGRE_PEER_A_DPORT] ? nla_get_u16(tb[MGRE_PEER_A_DPORT]) : 0;
	p->pmtu = ctl_u32(tb[MGRE_PEER_A_PMTU]);
	p->out_spi = ctl_u32(tb[MGRE_PEER_A_OUT_SPI]);
	ctl_decode_stats(tb[MGRE_PEER_A_STATS], &p->stats);
}

void mgre_decode_sa(struct nlattr **top, struct mgre_sa_info *s)
{
	struct nlattr *tb[MGRE_SA_A_MAX + 1];
	int i;

	memset(s, 0, sizeof(*s));
	s->ifindex = ctl_u32(top[MGRE_A_IFINDEX]);
	if (!top[MGRE_A_SA] || nla_parse_nested(tb, MGRE_SA_A_MAX, top[MGRE_A_SA], NULL))
		return;
	s->nbma = ctl_u32(tb[MGRE_SA_A_NBMA]);
	s->dir = ctl_u8(tb[MGRE_SA_A_DIR]);
	s->spi = ctl_u32(tb[MGRE_SA_A_SPI]);
	s->enc = ctl_u8(tb[MGRE_SA_A_ENC]);
	s->auth = ctl_u8(tb[MGRE_SA_A_AUTH]);
	s->replay_window = ctl_u32(tb[MGRE_SA_A_REPLAY_WINDOW]);
	s->esn = tb[MGRE_SA_A_ESN] != NULL;
	for (i = 0; i < 6; i++)
		s->lim[i] = ctl_u64(tb[MGRE_SA_A_SOFT_BYTES + i]);
	s->seq = ctl_u64(tb[MGRE_SA_A_SEQ]);
	s->age = ctl_u64(tb[MGRE_SA_A_AGE]);
	s->expire = ctl_u8(tb[MGRE_SA_A_EXPIRE]);
	s->mode = ctl_u8(tb[MGRE_SA_A_MODE]);
	ctl_decode_stats(tb[MGRE_SA_A_STATS], &s->stats);
}

void mgre_decode_mcast(struct nlattr **top, struct mgre_mcast_info *m)
{
	struct nlattr *tb[MGRE_MCAST_A_MAX + 1];

	memset(m, 0, sizeof(*m));
	m->ifindex = ctl_u32(top[MGRE_A_IFINDEX]);
	if (!top[MGRE_A_MCAST] ||
	    nla_parse_nested(tb, MGRE_MCAST_A_MAX, top[MGRE_A_MCAST], NULL))
		return;
	m->nbma = ctl_u32(tb[MGRE_MCAST_A_NBMA]);
	m->dynamic = tb[MGRE_MCAST_A_DYNAMIC] != NULL;
}

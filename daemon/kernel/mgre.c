// SPDX-License-Identifier: GPL-2.0
/* dmvpnd and the mgre module's generic netlink family. */
#include <errno.h>
#include <string.h>
#include "kernel/mgre.h"

int kern_open(struct kern *k)
{
	int err;

	memset(k, 0, sizeof(*k));
	err = mgre_nl_open(&k->req);
	if (err)
		return err;
	err = mgre_nl_open(&k->ev);
	if (!err)
		err = mgre_nl_subscribe(&k->ev);
	if (err) {
		snprintf(k->req.errmsg, sizeof(k->req.errmsg), "cannot join the mgre events group");
		mgre_nl_close(&k->ev);
		mgre_nl_close(&k->req);
		return err;
	}
	nl_socket_set_nonblocking(k->ev.sk);
	k->up = true;
	return 0;
}

void kern_close(struct kern *k)
{
	if (!k->up)
		return;
	mgre_nl_close(&k->ev);
	mgre_nl_close(&k->req);
	k->up = false;
}

int kern_event_fd(const struct kern *k)
{
	return nl_socket_get_fd(k->ev.sk);
}

static void spi_reply(struct nlattr **tb, void *arg)
{
	struct nlattr *sa[MGRE_SA_A_MAX + 1];

	if (tb[MGRE_A_SA] && !nla_parse_nested(sa, MGRE_SA_A_MAX, tb[MGRE_A_SA], NULL) &&
	    sa[MGRE_SA_A_SPI])
		*(uint32_t *)arg = nla_get_u32(sa[MGRE_SA_A_SPI]);
}

int kern_spi_alloc(struct kern *k, uint32_t *spi)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, MGRE_CMD_SPI_ALLOC, 0, 0);
	int err;

	if (!m)
		return -ENOMEM;
	*spi = 0;
	err = mgre_nl_run(&k->req, m, spi_reply, spi);
	return err ? err : (*spi ? 0 : -EIO);
}

int kern_sa_add(struct kern *k, const struct kern_sa *s)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, MGRE_CMD_SA_NEW, 0, s->ifindex);
	struct nlattr *n;
	int err;

	if (!m)
		return -ENOMEM;
	n = mgre_nest(m, MGRE_A_SA);
	if (!n || nla_put_u32(m, MGRE_SA_A_NBMA, s->nbma) ||
	    nla_put_u8(m, MGRE_SA_A_DIR, s->dir) || nla_put_u32(m, MGRE_SA_A_SPI, s->spi) ||
	    nla_put_u8(m, MGRE_SA_A_ENC, s->enc) || nla_put_u8(m, MGRE_SA_A_AUTH, s->auth) ||
	    (s->enc_len && nla_put(m, MGRE_SA_A_ENC_KEY, (int)s->enc_len, s->enc_key)) ||
	    (s->auth_len && nla_put(m, MGRE_SA_A_AUTH_KEY, (int)s->auth_len, s->auth_key)) ||
	    (s->dir == MGRE_DIR_IN &&
	     nla_put_u32(m, MGRE_SA_A_REPLAY_WINDOW, s->replay_window)) ||
	    nla_put_u64(m, MGRE_SA_A_SOFT_BYTES, s->soft_bytes) ||
	    nla_put_u64(m, MGRE_SA_A_HARD_BYTES, s->hard_bytes) ||
	    nla_put_u64(m, MGRE_SA_A_SOFT_SECONDS, s->soft_sec) ||
	    nla_put_u64(m, MGRE_SA_A_HARD_SECONDS, s->hard_sec) ||
	    (s->mode && nla_put_u8(m, MGRE_SA_A_MODE, s->mode))) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	nla_nest_end(m, n);
	err = mgre_nl_run(&k->req, m, NULL, NULL);	/* wipes the keys it sent */
	return err;
}

int kern_sa_del(struct kern *k, int ifindex, uint32_t nbma, uint8_t dir, uint32_t spi)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, MGRE_CMD_SA_DEL, 0, ifindex);
	struct nlattr *n;

	if (!m)
		return -ENOMEM;
	n = mgre_nest(m, MGRE_A_SA);
	if (!n || nla_put_u32(m, MGRE_SA_A_NBMA, nbma) || nla_put_u8(m, MGRE_SA_A_DIR, dir) ||
	    nla_put_u32(m, MGRE_SA_A_SPI, spi)) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	nla_nest_end(m, n);
	return mgre_nl_run(&k->req, m, NULL, NULL);
}

struct sa_dump_arg {
	void (*fn)(const struct mgre_sa_info *sa, void *arg);
	void *arg;
};

static void sa_dump_one(struct nlattr **tb, void *arg)
{
	struct sa_dump_arg *a = arg;
	struct mgre_sa_info sa;

	mgre_decode_sa(tb, &sa);
	a->fn(&sa, a->arg);
}

int kern_sa_dump(struct kern *k, int ifindex, void (*fn)(const struct mgre_sa_info *sa, void *arg),
		 void *arg)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, MGRE_CMD_SA_GET, NLM_F_DUMP, ifindex);
	struct sa_dump_arg a = { fn, arg };

	if (!m)
		return -ENOMEM;
	return mgre_nl_run(&k->req, m, sa_dump_one, &a);
}

int kern_peer_set(struct kern *k, int ifindex, uint32_t nbma, bool udp, uint16_t sport,
		  uint16_t dport)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, MGRE_CMD_PEER_SET, 0, ifindex);
	struct nlattr *n;

	if (!m)
		return -ENOMEM;
	n = mgre_nest(m, MGRE_A_PEER);
	if (!n || nla_put_u32(m, MGRE_PEER_A_NBMA, nbma) ||
	    nla_put_u8(m, MGRE_PEER_A_ENCAP, udp ? MGRE_ENCAP_ESPINUDP : MGRE_ENCAP_ESP) ||
	    (udp && (nla_put_u16(m, MGRE_PEER_A_SPORT, sport) ||
		     nla_put_u16(m, MGRE_PEER_A_DPORT, dport)))) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	nla_nest_end(m, n);
	return mgre_nl_run(&k->req, m, NULL, NULL);
}

int kern_encap_set(struct kern *k, int ifindex, int fd)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, MGRE_CMD_ENCAP_SET, 0, ifindex);

	if (!m)
		return -ENOMEM;
	if (nla_put_u32(m, MGRE_A_ENCAP_FD, (uint32_t)fd)) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	return mgre_nl_run(&k->req, m, NULL, NULL);
}

int kern_encap_del(struct kern *k, int ifindex)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, MGRE_CMD_ENCAP_DEL, 0, ifindex);

	return m ? mgre_nl_run(&k->req, m, NULL, NULL) : -ENOMEM;
}

struct ev_arg {
	void (*fn)(const struct mgre_event_info *e, void *arg);
	void *arg;
};

static void one_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct ev_arg *a = arg;
	struct mgre_event_info e = { .cmd = cmd };
	struct mgre_peer_info p;

	e.ifindex = tb[MGRE_A_IFINDEX] ? (int)nla_get_u32(tb[MGRE_A_IFINDEX]) : 0;
	e.src = tb[MGRE_A_SRC] ? nla_get_u32(tb[MGRE_A_SRC]) : 0;
	e.dst = tb[MGRE_A_DST] ? nla_get_u32(tb[MGRE_A_DST]) : 0;
	e.family = AF_INET;
	if (tb[MGRE_A_SRC6] && tb[MGRE_A_DST6] && nla_len(tb[MGRE_A_SRC6]) == 16 &&
	    nla_len(tb[MGRE_A_DST6]) == 16) {
		e.family = AF_INET6;
		memcpy(e.src6, nla_data(tb[MGRE_A_SRC6]), 16);
		memcpy(e.dst6, nla_data(tb[MGRE_A_DST6]), 16);
	}
	if (cmd == MGRE_CMD_EXPIRE) {
		mgre_decode_sa(tb, &e.sa);
		e.nbma = e.sa.nbma;
	} else {
		mgre_decode_peer(tb, &p);
		e.nbma = p.nbma;
	}
	a->fn(&e, a->arg);
}

void kern_events(struct kern *k, void (*fn)(const struct mgre_event_info *e, void *arg), void *arg)
{
	struct ev_arg a = { fn, arg };

	while (mgre_nl_events(&k->ev, 0, one_event, &a) > 0)
		;
}

/* The multicast list: an NBMA address added (dynamic: learned from NHRP) or removed. */
int kern_mcast(struct kern *k, int ifindex, uint32_t nbma, bool add, bool dynamic)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, add ? MGRE_CMD_MCAST_ADD : MGRE_CMD_MCAST_DEL, 0,
				       ifindex);
	struct nlattr *n;

	if (!m)
		return -ENOMEM;
	n = mgre_nest(m, MGRE_A_MCAST);
	if (!n || nla_put_u32(m, MGRE_MCAST_A_NBMA, nbma) ||
	    (add && dynamic && nla_put_flag(m, MGRE_MCAST_A_DYNAMIC))) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	nla_nest_end(m, n);
	return mgre_nl_run(&k->req, m, NULL, NULL);
}

static void peer_one(struct nlattr **tb, void *arg)
{
	mgre_decode_peer(tb, arg);
}

int kern_peer_get(struct kern *k, int ifindex, uint32_t nbma, struct mgre_peer_info *p)
{
	struct nl_msg *m = mgre_nl_msg(&k->req, MGRE_CMD_PEER_GET, 0, ifindex);
	struct nlattr *n;

	if (!m)
		return -ENOMEM;
	n = mgre_nest(m, MGRE_A_PEER);
	if (!n || nla_put_u32(m, MGRE_PEER_A_NBMA, nbma)) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	nla_nest_end(m, n);
	memset(p, 0, sizeof(*p));
	return mgre_nl_run(&k->req, m, peer_one, p);
}

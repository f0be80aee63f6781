// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd and the kernel's own IPsec: NETLINK_XFRM requests (SPIs, SAs,
 * policies) and notifications (ACQUIRE, EXPIRE) through libnl-3 core, and
 * one RTM_GETLINK for the if_id of an XFRM interface.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include "ike/isakmp.h"
#include "kernel/nl_extack.h"
#include "kernel/xfrm.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* SPIs 1-255 are reserved (RFC 4303 2.1). */
#define XFRM_SPI_MIN	0x100
#define XFRM_SPI_MAX	0xffffffff

/* Notifications handled per xfrm_events() call: the daemon's loop stays responsive. */
#define XFRM_EV_BATCH	64

/* Bounds the key attributes (the longest real key is 64 bytes, HMAC-SHA-512). */
#define XFRM_KEY_MAX	128

/*
 * xfrm_algo_auth and xfrm_algo_aead differ only in the name of their third
 * field (truncation / ICV length, bits): one writer serves both.
 */
_Static_assert(offsetof(struct xfrm_algo_auth, alg_trunc_len) ==
	       offsetof(struct xfrm_algo_aead, alg_icv_len), "xfrm_algo_auth/aead layout");
_Static_assert(offsetof(struct xfrm_algo_auth, alg_key) ==
	       offsetof(struct xfrm_algo_aead, alg_key), "xfrm_algo_auth/aead layout");

/* IKE transform ids -> kernel crypto names.  icv != 0: an AEAD. */
static const struct {
	uint8_t id;
	const char *name;
	uint16_t icv;		/* bits */
} xfrm_encs[] = {
	{ ESP_DES, "cbc(des)", 0 },
	{ ESP_3DES, "cbc(des3_ede)", 0 },
	{ ESP_AES, "cbc(aes)", 0 },
	{ ESP_NULL, "ecb(cipher_null)", 0 },
	/* RFC 4106: the key is the AES key followed by the 4-byte salt */
	{ ESP_AES_GCM_8, "rfc4106(gcm(aes))", 64 },
	{ ESP_AES_GCM_12, "rfc4106(gcm(aes))", 96 },
	{ ESP_AES_GCM_16, "rfc4106(gcm(aes))", 128 },
};

/* Truncation lengths: RFC 2403/2404 (96), RFC 4868 (half the output). */
static const struct {
	uint16_t id;
	const char *name;
	uint16_t trunc;		/* bits */
} xfrm_auths[] = {
	{ AUTH_HMAC_MD5, "hmac(md5)", 96 },
	{ AUTH_HMAC_SHA, "hmac(sha1)", 96 },
	{ AUTH_HMAC_SHA2_256, "hmac(sha256)", 128 },
	{ AUTH_HMAC_SHA2_384, "hmac(sha384)", 192 },
	{ AUTH_HMAC_SHA2_512, "hmac(sha512)", 256 },
};

/* One request in flight: what its replies and its ack or error said. */
struct xfrm_run {
	char *errmsg;		/* NULL: nobody to tell */
	size_t errlen;
	int (*reply)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	int err;
	bool done;
};

static size_t xfrm_alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static void xfrm_addr(xfrm_address_t *a, int family, const uint8_t *p)
{
	memset(a, 0, sizeof(*a));
	if (p)
		memcpy(a, p, xfrm_alen(family));
}

/* 0 = no limit in the API; the kernel's byte and packet limits want XFRM_INF. */
static uint64_t xfrm_limit(uint64_t v)
{
	return v ? v : XFRM_INF;
}

static void xfrm_err(char *errmsg, size_t len, const char *fmt, const char *what)
{
	if (errmsg)
		snprintf(errmsg, len, fmt, what);
}

static int xfrm_valid_cb(struct nl_msg *m, void *arg)
{
	struct xfrm_run *r = arg;

	if (r->reply)
		r->err = r->reply(nlmsg_hdr(m), r->arg);
	return NL_OK;
}

/* The kernel's extack message goes into errmsg. */
static int xfrm_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct xfrm_run *r = arg;
	const char *msg = nl_extack(e);

	r->err = e->error;
	r->done = true;
	if (r->errmsg && msg)
		snprintf(r->errmsg, r->errlen, "%s", msg);
	return NL_STOP;
}

static int xfrm_ack_cb(struct nl_msg *m, void *arg)
{
	struct xfrm_run *r = arg;

	r->done = true;
	return NL_STOP;
}

/*
 * Send m (consumed) with NLM_F_ACK and wait for the ack or the error;
 * reply gets any answer before it.  0 or -errno.
 */
static int xfrm_run(struct nl_sock *sk, struct nl_msg *m, char *errmsg, size_t errlen,
		    int (*reply)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct xfrm_run r = { .errmsg = errmsg, .errlen = errlen, .reply = reply, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	if (errmsg)
		errmsg[0] = '\0';
	if (!cb) {
		explicit_bzero(nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);
		nlmsg_free(m);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xfrm_valid_cb, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, xfrm_ack_cb, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, xfrm_ack_cb, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, xfrm_err_cb, &r);

	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK;
	err = nl_send_auto(sk, m);
	/* SA requests carry keys: wipe before the buffer goes back to the allocator */
	explicit_bzero(nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);
	nlmsg_free(m);
	while (err >= 0 && !r.done)
		err = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (err < 0 && !r.err) {
		xfrm_err(errmsg, errlen, "netlink: %s", nl_geterror(err));
		return -EIO;
	}
	return r.err;
}

static int xfrm_req(struct xfrm *x, struct nl_msg *m)
{
	return xfrm_run(x->req, m, x->errmsg, sizeof(x->errmsg), NULL, NULL);
}

/* Space for a request: the fixed header plus attributes (keys, a template). */
static struct nl_msg *xfrm_msg(int type, int flags, const void *hdr, size_t len)
{
	struct nl_msg *m = nlmsg_alloc_simple(type, flags);

	if (m && nlmsg_append(m, (void *)hdr, len, NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		m = NULL;
	}
	return m;
}

/* --- sockets ------------------------------------------------------------- */

static struct nl_sock *xfrm_sock(int proto, char *errmsg, size_t errlen, int *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, e;

	if (!sk) {
		*err = -ENOMEM;
		return NULL;
	}
	e = nl_connect(sk, proto);
	if (e) {
		/* the kernel autoloads xfrm_user; failing that, it is missing */
		xfrm_err(errmsg, errlen, "netlink socket: %s", nl_geterror(e));
		nl_socket_free(sk);
		*err = -EPROTONOSUPPORT;
		return NULL;
	}
	/* errors with the kernel's reason (extack); older kernels ignore it */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return sk;
}

int xfrm_open(struct xfrm *x)
{
	int err = 0;

	memset(x, 0, sizeof(*x));
	x->req = xfrm_sock(NETLINK_XFRM, x->errmsg, sizeof(x->errmsg), &err);
	if (!x->req)
		return err;
	x->ev = xfrm_sock(NETLINK_XFRM, x->errmsg, sizeof(x->errmsg), &err);
	if (!x->ev)
		goto fail;
	/* lost notifications are costly (see xfrm_events): a roomy buffer */
	nl_socket_set_buffer_size(x->ev, 1 << 20, 0);
	err = nl_socket_add_memberships(x->ev, XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE, 0);
	if (!err)
		err = nl_socket_set_nonblocking(x->ev);
	if (err) {
		xfrm_err(x->errmsg, sizeof(x->errmsg), "XFRM notifications: %s",
			 nl_geterror(err));
		err = -EIO;
		goto fail;
	}
	return 0;
fail:
	xfrm_close(x);
	return err;
}

void xfrm_close(struct xfrm *x)
{
	if (x->req)
		nl_socket_free(x->req);
	if (x->ev)
		nl_socket_free(x->ev);
	x->req = NULL;
	x->ev = NULL;
}

int xfrm_event_fd(const struct xfrm *x)
{
	return x->ev ? nl_socket_get_fd(x->ev) : -1;
}

/* --- SAs ------------------------------------------------------------------ */

/* One side of a Quick Mode proxy pair into the selector (ports network order). */
static void xfrm_sel_side(struct xfrm_selector *sel, const struct p2_ts *ts, bool src)
{
	xfrm_address_t *a = src ? &sel->saddr : &sel->daddr;
	__be16 port = htons(ts->port), mask = ts->port ? 0xffff : 0;

	memcpy(a, ts->addr, xfrm_alen(ts->family));
	if (src) {
		sel->prefixlen_s = ts->plen;
		sel->sport = port;
		sel->sport_mask = mask;
	} else {
		sel->prefixlen_d = ts->plen;
		sel->dport = port;
		sel->dport_mask = mask;
	}
}

/* Proxies -> selector; both NULL leave it zero (any). */
static int xfrm_sel(struct xfrm_selector *sel, const struct p2_ts *s, const struct p2_ts *d)
{
	memset(sel, 0, sizeof(*sel));
	if (!s && !d)
		return 0;
	if (!s || !d || s->family != d->family ||
	    (s->family != AF_INET && s->family != AF_INET6))
		return -EINVAL;
	/* one protocol per selector: "any" on one side yields to the other's */
	if (s->proto && d->proto && s->proto != d->proto)
		return -EINVAL;
	sel->family = s->family;
	sel->proto = s->proto ? s->proto : d->proto;
	xfrm_sel_side(sel, s, true);
	xfrm_sel_side(sel, d, false);
	return 0;
}

/* Write an algorithm attribute straight into the message: no other copy of the key. */
static int xfrm_put_alg(struct nl_msg *m, int type, const char *name, const uint8_t *key,
			size_t len, uint32_t bits)
{
	size_t hdr = type == XFRMA_ALG_CRYPT ? sizeof(struct xfrm_algo) :
					       sizeof(struct xfrm_algo_auth);
	struct nlattr *a;
	char *p;

	if (len > XFRM_KEY_MAX || (len && !key))
		return -EINVAL;
	a = nla_reserve(m, type, hdr + len);
	if (!a)
		return -EMSGSIZE;
	p = nla_data(a);
	memset(p, 0, hdr);
	if (type == XFRMA_ALG_CRYPT) {
		struct xfrm_algo *alg = (struct xfrm_algo *)p;

		snprintf(alg->alg_name, sizeof(alg->alg_name), "%s", name);
		alg->alg_key_len = len * 8;
	} else {
		struct xfrm_algo_auth *alg = (struct xfrm_algo_auth *)p;

		snprintf(alg->alg_name, sizeof(alg->alg_name), "%s", name);
		alg->alg_key_len = len * 8;
		alg->alg_trunc_len = bits;	/* alg_icv_len for XFRMA_ALG_AEAD */
	}
	if (len)
		memcpy(p + hdr, key, len);
	return 0;
}

static int xfrm_put_algs(struct nl_msg *m, const struct xfrm_sa *sa)
{
	const char *enc = NULL, *auth = NULL;
	uint16_t icv = 0, trunc = 0;
	size_t i;
	int err;

	for (i = 0; i < sizeof(xfrm_encs) / sizeof(xfrm_encs[0]); i++)
		if (xfrm_encs[i].id == sa->esp_id) {
			enc = xfrm_encs[i].name;
			icv = xfrm_encs[i].icv;
		}
	for (i = 0; i < sizeof(xfrm_auths) / sizeof(xfrm_auths[0]); i++)
		if (xfrm_auths[i].id == sa->auth) {
			auth = xfrm_auths[i].name;
			trunc = xfrm_auths[i].trunc;
		}
	/* an AEAD takes no separate integrity algorithm */
	if (!enc || (sa->auth && !auth) || (icv && sa->auth))
		return -EOPNOTSUPP;
	if (icv)
		return xfrm_put_alg(m, XFRMA_ALG_AEAD, enc, sa->enc_key, sa->enc_len, icv);
	err = xfrm_put_alg(m, XFRMA_ALG_CRYPT, enc, sa->enc_key, sa->enc_len, 0);
	if (!err && auth)
		err = xfrm_put_alg(m, XFRMA_ALG_AUTH_TRUNC, auth, sa->auth_key, sa->auth_len,
				   trunc);
	return err;
}

/*
 * The legacy replay_window field is a u8 and the kernel caps it to its 32-bit
 * bitmap; a wider window needs XFRMA_REPLAY_ESN_VAL (without the ESN flag:
 * plain 32-bit sequence numbers, a bitmap of the window's size), and then the
 * legacy field must be 0.
 */
static int xfrm_put_replay(struct nl_msg *m, struct xfrm_usersa_info *p, uint32_t window)
{
	struct xfrm_replay_state_esn *rs;
	uint32_t words = (window + 31) / 32;
	struct nlattr *a;
	size_t len;

	if (window <= 32) {
		p->replay_window = window;
		return 0;
	}
	if (words > XFRMA_REPLAY_ESN_MAX / 32)
		return -EINVAL;
	len = sizeof(*rs) + words * sizeof(rs->bmp[0]);
	a = nla_reserve(m, XFRMA_REPLAY_ESN_VAL, len);
	if (!a)
		return -EMSGSIZE;
	rs = nla_data(a);
	memset(rs, 0, len);
	rs->bmp_len = words;
	rs->replay_window = window;
	return 0;
}

static int xfrm_sa_info(struct xfrm_usersa_info *p, const struct xfrm_sa *sa)
{
	int err;

	if (sa->family != AF_INET && sa->family != AF_INET6)
		return -EAFNOSUPPORT;
	memset(p, 0, sizeof(*p));
	err = xfrm_sel(&p->sel, sa->sel_src, sa->sel_dst);
	if (err)
		return err;
	/*
	 * No selector: the kernel would give it the outer family, and an SA
	 * under a VTI carries either family (IPv4 in IPv6 and the reverse).
	 */
	if (!p->sel.family)
		p->flags |= XFRM_STATE_AF_UNSPEC;
	xfrm_addr(&p->id.daddr, sa->family, sa->dst);
	xfrm_addr(&p->saddr, sa->family, sa->src);
	p->id.spi = htonl(sa->spi);
	p->id.proto = IPPROTO_ESP;
	p->family = sa->family;
	p->mode = sa->tunnel ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
	p->reqid = sa->reqid;
	p->lft.soft_byte_limit = xfrm_limit(sa->soft_bytes);
	p->lft.hard_byte_limit = xfrm_limit(sa->hard_bytes);
	p->lft.soft_packet_limit = XFRM_INF;
	p->lft.hard_packet_limit = XFRM_INF;
	p->lft.soft_add_expires_seconds = sa->soft_sec;	/* 0 = none already */
	p->lft.hard_add_expires_seconds = sa->hard_sec;
	return 0;
}

static int xfrm_sa_msg(const struct xfrm_sa *sa, int type, struct nl_msg **out)
{
	struct xfrm_usersa_info info;
	struct nl_msg *m;
	int err;

	err = xfrm_sa_info(&info, sa);
	if (err)
		return err;
	m = nlmsg_alloc_simple(type, 0);
	if (!m)
		return -ENOMEM;
	err = nlmsg_append(m, &info, sizeof(info), NLMSG_ALIGNTO) < 0 ? -EMSGSIZE : 0;
	if (!err)
		err = xfrm_put_replay(m, nlmsg_data(nlmsg_hdr(m)), sa->replay_window);
	if (!err)
		err = xfrm_put_algs(m, sa);
	if (!err && sa->if_id && nla_put_u32(m, XFRMA_IF_ID, sa->if_id))
		err = -EMSGSIZE;
	if (!err && sa->encap_sport) {
		struct xfrm_encap_tmpl t = {
			.encap_type = UDP_ENCAP_ESPINUDP,
			.encap_sport = htons(sa->encap_sport),
			.encap_dport = htons(sa->encap_dport),
		};

		if (nla_put(m, XFRMA_ENCAP, sizeof(t), &t))
			err = -EMSGSIZE;
	}
	if (err) {
		explicit_bzero(nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);
		nlmsg_free(m);
		return err;
	}
	*out = m;
	return 0;
}

int xfrm_sa_add(struct xfrm *x, const struct xfrm_sa *sa)
{
	struct nl_msg *m;
	int err;

	x->errmsg[0] = '\0';
	err = xfrm_sa_msg(sa, XFRM_MSG_NEWSA, &m);
	if (err)
		return err;
	err = xfrm_req(x, m);
	/*
	 * The SPI is taken: by the larval state XFRM_MSG_ALLOCSPI left (an
	 * inbound SA we chose the SPI of).  XFRM_MSG_UPDSA replaces a larval
	 * state with the full one; NEWSA never does.
	 */
	if (err != -EEXIST)
		return err;
	err = xfrm_sa_msg(sa, XFRM_MSG_UPDSA, &m);
	if (err)
		return err;
	return xfrm_req(x, m);
}

int xfrm_sa_del(struct xfrm *x, int family, const uint8_t *dst, uint32_t spi)
{
	struct xfrm_usersa_id id;
	struct nl_msg *m;
	int err;

	memset(&id, 0, sizeof(id));
	xfrm_addr(&id.daddr, family, dst);
	id.spi = htonl(spi);
	id.family = family;
	id.proto = IPPROTO_ESP;
	m = xfrm_msg(XFRM_MSG_DELSA, 0, &id, sizeof(id));
	if (!m)
		return -ENOMEM;
	err = xfrm_req(x, m);
	/* the kernel says "no such state" with ESRCH */
	return err == -ESRCH ? -ENOENT : err;
}

static int xfrm_stats_reply(struct nlmsghdr *nlh, void *arg)
{
	const struct xfrm_usersa_info *p;
	struct xfrm_counters *st = arg;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA || nlmsg_datalen(nlh) < (int)sizeof(*p))
		return -EIO;
	p = nlmsg_data(nlh);
	st->bytes = p->curlft.bytes;
	st->packets = p->curlft.packets;
	/* too old for the window, or seen already: both are replays */
	st->replay_failed = (uint64_t)p->stats.replay_window + p->stats.replay;
	st->integrity_failed = p->stats.integrity_failed;
	return 0;
}

int xfrm_sa_stats(struct xfrm *x, int family, const uint8_t *dst, uint32_t spi,
		  struct xfrm_counters *st)
{
	struct xfrm_usersa_id id;
	struct nl_msg *m;
	int err;

	memset(st, 0, sizeof(*st));
	memset(&id, 0, sizeof(id));
	xfrm_addr(&id.daddr, family, dst);
	id.spi = htonl(spi);
	id.family = family;
	id.proto = IPPROTO_ESP;
	m = xfrm_msg(XFRM_MSG_GETSA, 0, &id, sizeof(id));
	if (!m)
		return -ENOMEM;
	err = xfrm_run(x->req, m, x->errmsg, sizeof(x->errmsg), xfrm_stats_reply, st);
	return err == -ESRCH ? -ENOENT : err;
}

static int xfrm_spi_reply(struct nlmsghdr *nlh, void *arg)
{
	const struct xfrm_usersa_info *p;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA || nlmsg_datalen(nlh) < (int)sizeof(*p))
		return -EIO;
	p = nlmsg_data(nlh);
	*(uint32_t *)arg = ntohl(p->id.spi);
	return 0;
}

int xfrm_spi_alloc(struct xfrm *x, int family, const uint8_t *src, const uint8_t *dst,
		   uint32_t reqid, uint32_t *spi)
{
	struct xfrm_userspi_info u;
	struct nl_msg *m;
	int err;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	memset(&u, 0, sizeof(u));
	u.info.family = family;
	xfrm_addr(&u.info.saddr, family, src);
	xfrm_addr(&u.info.id.daddr, family, dst);
	u.info.id.proto = IPPROTO_ESP;
	u.info.reqid = reqid;
	u.min = XFRM_SPI_MIN;
	u.max = XFRM_SPI_MAX;
	m = xfrm_msg(XFRM_MSG_ALLOCSPI, 0, &u, sizeof(u));
	if (!m)
		return -ENOMEM;
	*spi = 0;
	err = xfrm_run(x->req, m, x->errmsg, sizeof(x->errmsg), xfrm_spi_reply, spi);
	if (!err && !*spi)
		err = -EIO;
	return err;
}

/* --- policies ------------------------------------------------------------- */

static int xfrm_pol_sel(struct xfrm_selector *sel, const struct xfrm_pol *p)
{
	int err = xfrm_sel(sel, p->sel_src, p->sel_dst);

	/* unlike an SA's, a policy's selector always has a family */
	if (!err && !sel->family) {
		if (p->sel_family != AF_INET && p->sel_family != AF_INET6)
			return -EAFNOSUPPORT;
		sel->family = p->sel_family;
	}
	return err;
}

int xfrm_pol_add(struct xfrm *x, const struct xfrm_pol *p)
{
	struct xfrm_userpolicy_info info;
	struct xfrm_user_tmpl t;
	struct nl_msg *m;
	int err;

	x->errmsg[0] = '\0';
	if (p->family != AF_INET && p->family != AF_INET6)
		return -EAFNOSUPPORT;
	memset(&info, 0, sizeof(info));
	err = xfrm_pol_sel(&info.sel, p);
	if (err)
		return err;
	info.lft.soft_byte_limit = XFRM_INF;
	info.lft.hard_byte_limit = XFRM_INF;
	info.lft.soft_packet_limit = XFRM_INF;
	info.lft.hard_packet_limit = XFRM_INF;
	info.priority = p->priority;
	info.dir = p->dir;
	info.action = XFRM_POLICY_ALLOW;

	memset(&t, 0, sizeof(t));
	t.id.proto = IPPROTO_ESP;
	t.mode = p->tunnel ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
	t.reqid = p->reqid;
	t.aalgos = ~0U;
	t.ealgos = ~0U;
	t.calgos = ~0U;
	/* transport mode: no endpoints, and the kernel takes the selector's family */
	if (p->tunnel) {
		t.family = p->family;
		xfrm_addr(&t.id.daddr, p->family, p->dst);
		xfrm_addr(&t.saddr, p->family, p->src);
	}

	/* UPDPOLICY: insert, or replace the one with the same selector, dir and if_id */
	m = xfrm_msg(XFRM_MSG_UPDPOLICY, 0, &info, sizeof(info));
	if (!m)
		return -ENOMEM;
	if (nla_put(m, XFRMA_TMPL, sizeof(t), &t) ||
	    (p->if_id && nla_put_u32(m, XFRMA_IF_ID, p->if_id))) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	return xfrm_req(x, m);
}

int xfrm_pol_del(struct xfrm *x, const struct xfrm_pol *p)
{
	struct xfrm_userpolicy_id id;
	struct nl_msg *m;
	int err;

	x->errmsg[0] = '\0';
	memset(&id, 0, sizeof(id));
	err = xfrm_pol_sel(&id.sel, p);
	if (err)
		return err;
	id.dir = p->dir;
	m = xfrm_msg(XFRM_MSG_DELPOLICY, 0, &id, sizeof(id));
	if (!m)
		return -ENOMEM;
	if (p->if_id && nla_put_u32(m, XFRMA_IF_ID, p->if_id)) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	return xfrm_req(x, m);
}

/* --- notifications -------------------------------------------------------- */

/* One side of a selector as a proxy (port host order, 0 = any). */
static void xfrm_ts(struct p2_ts *ts, const struct xfrm_selector *sel, bool src)
{
	const xfrm_address_t *a = src ? &sel->saddr : &sel->daddr;
	__be16 port = src ? sel->sport & sel->sport_mask : sel->dport & sel->dport_mask;

	memset(ts, 0, sizeof(*ts));
	ts->family = sel->family;
	ts->plen = src ? sel->prefixlen_s : sel->prefixlen_d;
	ts->proto = sel->proto;
	ts->port = ntohs(port);
	memcpy(ts->addr, a, xfrm_alen(sel->family));
}

static uint32_t xfrm_attr_u32(struct nlattr *a)
{
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : 0;
}

/*
 * The policy's template for the acquired state: the kernel sends every
 * template of the policy; the ESP one to the acquire's destination is ours.
 */
static const struct xfrm_user_tmpl *xfrm_acq_tmpl(struct nlattr *a,
						  const struct xfrm_user_acquire *ua)
{
	const struct xfrm_user_tmpl *t, *esp = NULL;
	int i, n;

	if (!a)
		return NULL;
	t = nla_data(a);
	n = nla_len(a) / sizeof(*t);
	for (i = 0; i < n; i++) {
		if (t[i].id.proto != IPPROTO_ESP)
			continue;
		if (!esp)
			esp = &t[i];
		if (t[i].mode == XFRM_MODE_TUNNEL &&
		    !memcmp(&t[i].id.daddr, &ua->id.daddr, sizeof(ua->id.daddr)))
			return &t[i];
	}
	return esp;
}

static int xfrm_parse_acquire(struct nlmsghdr *nlh, struct xfrm_event *e)
{
	struct nlattr *tb[XFRMA_MAX + 1];
	const struct xfrm_user_acquire *ua;
	const struct xfrm_user_tmpl *t;

	if (nlmsg_parse(nlh, sizeof(*ua), tb, XFRMA_MAX, NULL))
		return -EINVAL;
	ua = nlmsg_data(nlh);
	t = xfrm_acq_tmpl(tb[XFRMA_TMPL], ua);
	e->type = XFRM_EV_ACQUIRE;
	/* the policy's selector (its proxies), not the packet's (ua->sel) */
	xfrm_ts(&e->sel_src, &ua->policy.sel, true);
	xfrm_ts(&e->sel_dst, &ua->policy.sel, false);
	/* the template's family is the outer one; without one, the same as inside */
	e->family = t && t->family ? t->family : ua->policy.sel.family;
	memcpy(e->src, &ua->saddr, xfrm_alen(e->family));
	memcpy(e->dst, &ua->id.daddr, xfrm_alen(e->family));
	e->reqid = t ? t->reqid : 0;
	e->if_id = xfrm_attr_u32(tb[XFRMA_IF_ID]);
	return 0;
}

static int xfrm_parse_expire(struct nlmsghdr *nlh, struct xfrm_event *e)
{
	struct nlattr *tb[XFRMA_MAX + 1];
	const struct xfrm_user_expire *ue;

	if (nlmsg_parse(nlh, sizeof(*ue), tb, XFRMA_MAX, NULL))
		return -EINVAL;
	ue = nlmsg_data(nlh);
	e->type = XFRM_EV_EXPIRE;
	e->spi = ntohl(ue->state.id.spi);
	e->proto = ue->state.id.proto;
	e->hard = ue->hard;
	/* which SA, beyond its SPI: the daemon may find it by these too */
	e->family = ue->state.family;
	memcpy(e->src, &ue->state.saddr, xfrm_alen(e->family));
	memcpy(e->dst, &ue->state.id.daddr, xfrm_alen(e->family));
	e->reqid = ue->state.reqid;
	e->if_id = xfrm_attr_u32(tb[XFRMA_IF_ID]);
	return 0;
}

/* Notifications carry sequence number 0: nothing to check. */
static int xfrm_no_seq_check(struct nl_msg *m, void *arg)
{
	return NL_OK;
}

struct xfrm_ev_run {
	void (*fn)(const struct xfrm_event *e, void *arg);
	void *arg;
};

static int xfrm_ev_cb(struct nl_msg *m, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	struct xfrm_ev_run *r = arg;
	struct xfrm_event e;
	int err;

	memset(&e, 0, sizeof(e));
	switch (nlh->nlmsg_type) {
	case XFRM_MSG_ACQUIRE:
		err = xfrm_parse_acquire(nlh, &e);
		break;
	case XFRM_MSG_EXPIRE:
		err = xfrm_parse_expire(nlh, &e);
		break;
	default:
		return NL_SKIP;
	}
	if (!err && (e.family == AF_INET || e.family == AF_INET6))
		r->fn(&e, r->arg);
	return NL_OK;
}

void xfrm_events(struct xfrm *x, void (*fn)(const struct xfrm_event *e, void *arg), void *arg)
{
	struct xfrm_ev_run r = { .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int i, err;

	if (!cb)
		return;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xfrm_ev_cb, &r);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, xfrm_no_seq_check, NULL);
	/*
	 * The socket is non-blocking: read until it is empty (libnl says 0 or
	 * -NLE_AGAIN, by version).  An overrun (ENOBUFS: notifications were
	 * lost) is read past; the kernel sends an ACQUIRE again for traffic
	 * that still has no SA.
	 */
	for (i = 0; i < XFRM_EV_BATCH; i++) {
		err = nl_recvmsgs_report(x->ev, cb);
		if (err <= 0 && err != -NLE_NOMEM)
			break;
	}
	nl_cb_put(cb);
}

/* --- XFRM interfaces ------------------------------------------------------ */

struct xfrm_link {
	bool xfrm;		/* IFLA_INFO_KIND "xfrm" */
	uint32_t if_id;
};

static int xfrm_link_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1], *xd[IFLA_XFRM_MAX + 1];
	struct xfrm_link *l = arg;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(nlh, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL))
		return -EIO;
	if (!tb[IFLA_LINKINFO] || nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL))
		return 0;
	if (!li[IFLA_INFO_KIND] || strcmp(nla_get_string(li[IFLA_INFO_KIND]), "xfrm"))
		return 0;
	l->xfrm = true;
	if (li[IFLA_INFO_DATA] && !nla_parse_nested(xd, IFLA_XFRM_MAX, li[IFLA_INFO_DATA], NULL))
		l->if_id = xfrm_attr_u32(xd[IFLA_XFRM_IF_ID]);
	return 0;
}

/* -ENODEV: no such interface; -EINVAL: not an XFRM interface, or if_id 0. */
int xfrm_if_id(const char *ifname, uint32_t *if_id)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct xfrm_link l = { 0 };
	struct nl_sock *sk;
	struct nl_msg *m;
	int err = 0;

	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	sk = xfrm_sock(NETLINK_ROUTE, NULL, 0, &err);
	if (!sk)
		return err;
	m = xfrm_msg(RTM_GETLINK, 0, &ifi, sizeof(ifi));
	if (!m || nla_put_string(m, IFLA_IFNAME, ifname)) {
		nlmsg_free(m);
		nl_socket_free(sk);
		return -ENOMEM;
	}
	err = xfrm_run(sk, m, NULL, 0, xfrm_link_reply, &l);
	nl_socket_free(sk);
	if (err)
		return err;
	/* if_id 0 would stand for "no interface": such a VTI catches nothing */
	if (!l.xfrm || !l.if_id)
		return -EINVAL;
	*if_id = l.if_id;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mgre generic netlink family through libnl-genl-3: requests, dumps,
 * the events group, and the module's objects decoded.  One client library,
 * used by dmvpnctl and dmvpnd alike.
 */
#ifndef DMVPN_KERNEL_MGRE_NL_H
#define DMVPN_KERNEL_MGRE_NL_H

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include "kernel/mgre_obj.h"

struct mgre_nl {
	struct nl_sock *sk;
	int family;
	char errmsg[256];	/* the kernel's extack message, if any */
};

int mgre_nl_open(struct mgre_nl *c);
void mgre_nl_close(struct mgre_nl *c);
/* A request for cmd; ifindex 0 leaves the device out (dumps of all). */
struct nl_msg *mgre_nl_msg(struct mgre_nl *c, uint8_t cmd, int flags, int ifindex);
/*
 * Send and read replies until the ack or the end of the dump; each reply
 * goes to fn(tb, arg) with the top-level attributes parsed.  Frees m.
 * Returns 0 or a negative errno (c->errmsg says why, if the kernel did).
 */
typedef void (*mgre_nl_fn)(struct nlattr **tb, void *arg);
int mgre_nl_run(struct mgre_nl *c, struct nl_msg *m, mgre_nl_fn fn, void *arg);
/* Join the events group; then mgre_nl_events() delivers notifications. */
int mgre_nl_subscribe(struct mgre_nl *c);
/* Wait up to timeout_ms (-1: forever) for events; returns events seen or <0. */
int mgre_nl_events(struct mgre_nl *c, int timeout_ms, void (*fn)(uint8_t cmd,
		  struct nlattr **tb, void *arg), void *arg);

void mgre_decode_peer(struct nlattr **tb, struct mgre_peer_info *p);
void mgre_decode_sa(struct nlattr **tb, struct mgre_sa_info *s);
void mgre_decode_mcast(struct nlattr **tb, struct mgre_mcast_info *m);

/* nla_nest_start() that also sets NLA_F_NESTED (strict kernel policies need it). */
struct nlattr *mgre_nest(struct nl_msg *m, int type);

#endif /* DMVPN_KERNEL_MGRE_NL_H */

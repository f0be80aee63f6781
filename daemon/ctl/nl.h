/* SPDX-License-Identifier: GPL-2.0 */
/* dmvpnctl: the mgre generic netlink family through libnl-genl-3. */
#ifndef DMVPNCTL_NL_H
#define DMVPNCTL_NL_H

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include "ctl.h"

struct ctl_nl {
	struct nl_sock *sk;
	int family;
	char errmsg[256];	/* the kernel's extack message, if any */
};

int ctl_nl_open(struct ctl_nl *c);
void ctl_nl_close(struct ctl_nl *c);
/* A request for cmd; ifindex 0 leaves the device out (dumps of all). */
struct nl_msg *ctl_nl_msg(struct ctl_nl *c, uint8_t cmd, int flags, int ifindex);
/*
 * Send and read replies until the ack or the end of the dump; each reply
 * goes to fn(tb, arg) with the top-level attributes parsed.  Frees m.
 * Returns 0 or a negative errno (c->errmsg says why, if the kernel did).
 */
typedef void (*ctl_nl_fn)(struct nlattr **tb, void *arg);
int ctl_nl_run(struct ctl_nl *c, struct nl_msg *m, ctl_nl_fn fn, void *arg);
/* Join the events group; then ctl_nl_events() delivers notifications. */
int ctl_nl_subscribe(struct ctl_nl *c);
/* Wait up to timeout_ms (-1: forever) for events; returns events seen or <0. */
int ctl_nl_events(struct ctl_nl *c, int timeout_ms, void (*fn)(uint8_t cmd,
		  struct nlattr **tb, void *arg), void *arg);

/* The kernel's extack message in an error (NLMSGERR_ATTR_MSG), or NULL. */
const char *ctl_nl_extack(const struct nlmsgerr *e);

void ctl_decode_peer(struct nlattr **tb, struct ctl_peer *p);
void ctl_decode_sa(struct nlattr **tb, struct ctl_sa *s);
void ctl_decode_mcast(struct nlattr **tb, struct ctl_mcast *m);

/* nla_nest_start() that also sets NLA_F_NESTED (strict kernel policies need it). */
struct nlattr *ctl_nest(struct nl_msg *m, int type);

#endif /* DMVPNCTL_NL_H */

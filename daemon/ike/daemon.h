/* SPDX-License-Identifier: GPL-2.0 */
/* dmvpnd: the process around the engine (sockets, kernel, event loop). */
#ifndef DMVPN_IKE_DAEMON_H
#define DMVPN_IKE_DAEMON_H

#include "conf.h"
#include "ike.h"
#include "kernel.h"

#define DMVPND_SOCK "/run/dmvpnd.sock"

struct daemon {
	const char *conf_path;
	const char *sock_path;
	struct conf conf;
	struct ike ike;
	struct kern kern;
	int ep;			/* epoll */
	int tfd;		/* timerfd */
	int sfd;		/* signalfd */
	int udp;		/* port 500 */
	int ctl;		/* unix control socket */
	int port;		/* 500, or another for tests */
	bool stop;
};

int daemon_run(struct daemon *d);
/* Answer one control command into f (show.c). */
void show_command(struct daemon *d, const char *cmd, FILE *f);

#endif /* DMVPN_IKE_DAEMON_H */

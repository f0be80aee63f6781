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
	int natt;		/* port 4500: IKE after the float; ESP is the module's */
	int natt_ifindex;	/* the device holding the 4500 socket */
	int ctl;		/* unix control socket */
	int port;		/* 500, or another for tests */
	/* SAs an earlier dmvpnd left in the module: replaced, then removed */
	int nstale;
	struct stale_sa {
		uint32_t nbma;
		uint8_t dir;
		uint32_t spi;
	} stale[64];
	bool stop;
};

int daemon_run(struct daemon *d);
/* Answer one control command into f (show.c). */
void show_command(struct daemon *d, const char *cmd, FILE *f);

#endif /* DMVPN_IKE_DAEMON_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd: the DMVPN keying daemon.  IKEv1 Main Mode and Quick Mode with
 * pre-shared keys, keys installed into the mgre module.
 *
 *   dmvpnd [-f] [-d] [-K] [-c FILE] [-s SOCKET] [-p PORT]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dmvpnd/dmvpnd.h"
#include "lib/log.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: dmvpnd [-f] [-d] [-K] [-c FILE] [-s SOCKET] [-S DIR] [-p PORT]\n"
		"  -f  foreground, log to stderr (else syslog)\n"
		"  -d  every debug on from the start: 'debug crypto isakmp/ipsec', 'debug nhrp'\n"
		"      (dmvpnctl debug ... / undebug all turn them at run time)\n"
		"  -K  log key material too (never by default)\n"
		"  -c  configuration (default /etc/dmvpn/dmvpnd.conf, IOS crypto commands)\n"
		"  -s  control socket (default %s)\n"
		"  -S  state directory: NHRP request ids across restarts (default %s)\n"
		"  -p  ISAKMP port (default 500)\n", DMVPND_SOCK, DMVPND_STATE_DIR);
}

int main(int argc, char **argv)
{
	static struct daemon d;
	bool fg = false, debug = false;
	char err[512];
	int c, ret;

	d.conf_path = "/etc/dmvpn/dmvpnd.conf";
	d.sock_path = DMVPND_SOCK;
	d.state_dir = DMVPND_STATE_DIR;
	d.port = ISAKMP_PORT;
	while ((c = getopt(argc, argv, "fdKc:s:S:p:h")) != -1) {
		switch (c) {
		case 'f': fg = true; break;
		case 'd': debug = true; break;
		case 'K': log_keys_on = true; break;
		case 'c': d.conf_path = optarg; break;
		case 's': d.sock_path = optarg; break;
		case 'S': d.state_dir = optarg; break;
		case 'p': d.port = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || d.port <= 0 || d.port > 65535) {
		usage(stderr);
		return 2;
	}
	log_open(fg, debug);
	if (ike_crypto_init()) {
		log_err("OpenSSL: cannot load the default provider");
		return 1;
	}
	if (conf_load(d.conf_path, &d.conf, err, sizeof(err))) {
		log_err("%s", err);
		return 1;
	}
	if (!fg && daemon(0, 0)) {
		log_err("cannot detach: %m");
		return 1;
	}
	ret = daemon_run(&d);
	conf_free(&d.conf);
	ike_crypto_fini();
	return ret;
}

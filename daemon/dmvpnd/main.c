// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd: the DMVPN keying daemon.  IKEv1 Main Mode and Quick Mode with
 * pre-shared keys, keys installed into the mgre module.
 *
 *   dmvpnd [-f] [-d] [-K] [-t] [-c FILE] [-s SOCKET] [-S DIR] [-p PORT]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dmvpnd/dmvpnd.h"
#include "lib/log.h"
#include "lib/version.h"

#define CONF_DEFAULT "/etc/dmvpn/dmvpnd.conf"

static void usage(FILE *f)
{
	fprintf(f, "usage: dmvpnd [-f] [-d] [-K] [-t] [-c FILE] [-s SOCKET] [-S DIR] [-p PORT]\n"
		"  -f, --foreground  log to stderr (else syslog, detached)\n"
		"  -d, --debug       every debug on from the start: 'debug crypto isakmp/ipsec',\n"
		"                    'debug nhrp' (dmvpnctl debug ... / undebug all at run time)\n"
		"  -K, --log-keys    log key material too (never by default)\n"
		"  -t, --test        check the configuration and exit: 0 (warnings on stderr)\n"
		"                    or 1 (the error on stderr); the kernel is not touched\n"
		"  -c, --config      configuration (default %s, IOS commands)\n"
		"  -s, --socket      control socket (default %s)\n"
		"  -S, --state-dir   NHRP request ids across restarts (default %s)\n"
		"  -p, --port        ISAKMP port (default 500)\n"
		"  -h, --help        this text\n"
		"  -V, --version     the version\n", CONF_DEFAULT, DMVPND_SOCK, DMVPND_STATE_DIR);
}

/* The port: a number 1-65535 and nothing else (atoi took "500x" and "-1"). */
static int port_arg(const char *s, int *port)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

/* -t: the configuration's warnings and the verdict, on stderr; nothing else runs. */
static int test_conf(const char *path)
{
	struct conf c;
	char err[512];

	if (conf_load(path, &c, err, sizeof(err))) {
		fprintf(stderr, "dmvpnd: %s\n", err);
		return 1;
	}
	for (int i = 0; i < c.nwarnings; i++)
		fprintf(stderr, "dmvpnd: warning: %s\n", c.warnings[i]);
	fprintf(stderr, "dmvpnd: %s: configuration OK (%d warning%s)\n", path, c.nwarnings,
		c.nwarnings == 1 ? "" : "s");
	conf_free(&c);
	return 0;
}

/* path made absolute against the current directory (*mem holds it; NULL: path as it was) */
static const char *abs_path(const char *path, char **mem)
{
	char cwd[4096];

	*mem = NULL;
	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)) || asprintf(mem, "%s/%s", cwd, path) < 0) {
		*mem = NULL;
		return path;
	}
	return *mem;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "log-keys", no_argument, NULL, 'K' },
		{ "test", no_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "port", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct daemon d;
	char *abs_conf = NULL, *abs_sock = NULL, *abs_state = NULL;
	bool fg = false, debug = false, test = false;
	char err[512];
	int c, ret;

	d.conf_path = CONF_DEFAULT;
	d.sock_path = DMVPND_SOCK;
	d.state_dir = DMVPND_STATE_DIR;
	d.port = ISAKMP_PORT;
	while ((c = getopt_long(argc, argv, "fdKtc:s:S:p:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': fg = true; break;
		case 'd': debug = true; break;
		case 'K': log_keys_on = true; break;
		case 't': test = true; break;
		case 'c': d.conf_path = optarg; break;
		case 's': d.sock_path = optarg; break;
		case 'S': d.state_dir = optarg; break;
		case 'p':
			if (port_arg(optarg, &d.port)) {
				fprintf(stderr, "dmvpnd: -p: '%s' is not a port (1-65535)\n",
					optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("dmvpnd %s\n", DMVPN_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "dmvpnd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (test)
		return test_conf(d.conf_path);
	log_open(fg, debug);
	log_also_stderr(!fg);	/* until detached: whoever started us sees why we stopped */
	if (ike_crypto_init()) {
		log_err("OpenSSL: cannot load the default provider");
		return 1;
	}
	if (conf_load(d.conf_path, &d.conf, err, sizeof(err))) {
		log_err("%s", err);
		ike_crypto_fini();
		return 1;
	}
	for (int i = 0; i < d.conf.nwarnings; i++)
		log_warn("%s", d.conf.warnings[i]);
	d.ready_fd = -1;
	if (!fg) {
		/* the daemon works from "/": its files by their absolute names */
		d.conf_path = abs_path(d.conf_path, &abs_conf);
		d.sock_path = abs_path(d.sock_path, &abs_sock);
		d.state_dir = abs_path(d.state_dir, &abs_state);
		d.ready_fd = detach_start();	/* the starter waits for daemon_run to be up */
		if (d.ready_fd < 0) {
			log_err("cannot detach: %s", strerror(-d.ready_fd));
			conf_free(&d.conf);
			ike_crypto_fini();
			return 1;
		}
	}
	ret = daemon_run(&d);
	free(abs_conf);
	free(abs_sock);
	free(abs_state);
	conf_free(&d.conf);
	ike_crypto_fini();
	return ret;
}

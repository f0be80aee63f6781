// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's event loop: one epoll over the IKE socket, the module's events,
 * a timerfd for the engine's timers, a signalfd and the control socket.
 * No threads.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "dmvpnd/dmvpnd.h"
#include "lib/log.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The engine's hooks: the sockets, the module and XFRM. */
static int op_send(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n)
{
	struct daemon *d = ike->priv;
	union {
		char v4[CMSG_SPACE(sizeof(struct in_pktinfo))];
		char v6[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf = { 0 };
	bool v6 = path->remote.ss_family == AF_INET6;
	struct iovec iov = { (void *)p, n };
	struct msghdr mh = {
		.msg_name = (void *)&path->remote,
		.msg_namelen = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cbuf,
	};
	struct cmsghdr *cm;
	int fd = v6 ? d->udp6 : ike_path_natt(path) ? d->natt : d->udp;

	/* from the address the peer knows us by */
	mh.msg_controllen = v6 ? CMSG_SPACE(sizeof(struct in6_pktinfo)) :
				 CMSG_SPACE(sizeof(struct in_pktinfo));
	cm = CMSG_FIRSTHDR(&mh);
	if (v6) {
		struct in6_pktinfo *pi;

		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in6_pktinfo *)CMSG_DATA(cm);
		pi->ipi6_addr = ((const struct sockaddr_in6 *)&path->local)->sin6_addr;
	} else {
		struct in_pktinfo *pi;

		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in_pktinfo *)CMSG_DATA(cm);
		pi->ipi_spec_dst = ((const struct sockaddr_in *)&path->local)->sin_addr;
	}
	if (fd < 0 || sendmsg(fd, &mh, 0) < 0) {
		log_warn("ISAKMP: send to peer failed: %s", fd < 0 ? "no socket" : strerror(errno));
		return fd < 0 ? -EAFNOSUPPORT : -errno;
	}
	return 0;
}

static void stale_drop(struct daemon *d, int ifindex, uint32_t nbma)
{
	for (int i = 0; i < d->nstale; i++) {
		if (d->stale[i].nbma != nbma)
			continue;
		kern_sa_del(&d->kern, ifindex, nbma, d->stale[i].dir, d->stale[i].spi);
		log_info("IPSEC: removed SA 0x%08X left by an earlier dmvpnd", d->stale[i].spi);
		d->stale[i--] = d->stale[--d->nstale];
	}
}

static int op_spi_alloc(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot,
			uint32_t *spi)
{
	struct daemon *d = ike->priv;

	if (prot->kind != P2_MGRE)
		return policy_spi_alloc(d, path, prot, spi);
	return d->kern_up ? kern_spi_alloc(&d->kern, spi) : -ENOSYS;
}

static uint32_t nbma_of(const struct child *c)
{
	return ((const struct sockaddr_in *)&c->path.remote)->sin_addr.s_addr;
}

static int op_sa_add(struct ike *ike, const struct child *c, bool inbound,
		     const uint8_t *enc, size_t enc_len, const uint8_t *auth, size_t auth_len)
{
	struct daemon *d = ike->priv;
	uint64_t hard = c->a.life_sec, bytes = (uint64_t)c->a.life_kb * 1024;
	int ifindex = c->prot.ifindex;
	struct kern_sa s = {
		.ifindex = ifindex,
		.nbma = nbma_of(c),
		.dir = inbound ? MGRE_DIR_IN : MGRE_DIR_OUT,
		.spi = inbound ? c->spi_in : c->spi_out,
		.enc = (uint8_t)kern_enc_alg(c->a.esp_id),
		.auth = (uint8_t)kern_auth_alg(c->a.auth),
		.enc_key = enc, .enc_len = enc_len, .auth_key = auth, .auth_len = auth_len,
		.hard_sec = hard,
		.soft_sec = (uint64_t)(c->soft_at - c->born) / 1000,
		.hard_bytes = bytes,
		.soft_bytes = bytes / 10 * 9,
		.replay_window = 64,	/* IOS's default */
	};
	int err;

	if (c->prot.kind != P2_MGRE)
		return policy_sa_add(d, c, inbound, enc, enc_len, auth, auth_len);
	if (!d->kern_up || c->path.remote.ss_family != AF_INET)
		return -ENOSYS;
	if (kern_enc_alg(c->a.esp_id) < 0 || kern_auth_alg(c->a.auth) < 0)
		return -EINVAL;
	/* the peer's encapsulation follows the IKE path: 4500 means ESP-in-UDP */
	err = kern_peer_set(&d->kern, ifindex, s.nbma, ike_path_natt(&c->path),
			    addr_port(&c->path.local), addr_port(&c->path.remote));
	if (err) {
		log_err("IPSEC: the module refused the peer's encapsulation: %s",
			d->kern.req.errmsg[0] ? d->kern.req.errmsg : strerror(-err));
		return err;
	}
	if (ike_path_natt(&c->path) && ifindex != d->natt_ifindex)
		log_warn("IPSEC: ESP-in-UDP on a device without the NAT-T socket");
	err = kern_sa_add(&d->kern, &s);
	if (err) {
		log_err("IPSEC: the module refused SA 0x%08X: %s", s.spi,
			d->kern.req.errmsg[0] ? d->kern.req.errmsg : strerror(-err));
		return err;
	}
	/* the new outbound SA has taken over: an earlier daemon's pair can go */
	if (!inbound)
		stale_drop(d, ifindex, s.nbma);
	return 0;
}

static int op_sa_del(struct ike *ike, const struct child *c, bool inbound)
{
	struct daemon *d = ike->priv;
	int err;

	if (c->prot.kind != P2_MGRE)
		return policy_sa_del(d, c, inbound);
	if (!d->kern_up)
		return 0;
	err = kern_sa_del(&d->kern, c->prot.ifindex, nbma_of(c),
			  inbound ? MGRE_DIR_IN : MGRE_DIR_OUT, inbound ? c->spi_in : c->spi_out);
	return err == -ENOENT ? 0 : err;
}

static const struct ike_ops daemon_ops = {
	.send = op_send,
	.spi_alloc = op_spi_alloc,
	.sa_add = op_sa_add,
	.sa_del = op_sa_del,
};

/* The protected mgre device and its profile (VTIs are XFRM's: policy.c). */
static void refresh_iface(struct daemon *d)
{
	d->ike.ifindex = 0;
	d->ike.profile[0] = 0;
	for (int i = 0; i < d->conf.nifaces; i++) {
		const struct conf_iface *f = &d->conf.ifaces[i];

		if (!f->profile[0] || f->mode != CONF_TUN_GRE)
			continue;
		d->ike.ifindex = (int)if_nametoindex(f->name);
		snprintf(d->ike.profile, sizeof(d->ike.profile), "%s", f->profile);
		if (d->ike.ifindex)
			return;
	}
}

/* The protected device takes the NAT-T socket (once it exists). */
static void natt_attach(struct daemon *d)
{
	int err;

	if (d->natt < 0 || d->natt_ifindex || !d->ike.ifindex || !d->kern_up)
		return;
	err = kern_encap_set(&d->kern, d->ike.ifindex, d->natt);
	if (err)
		log_warn("ISAKMP: the module did not take the NAT-T socket: %s",
			 d->kern.req.errmsg[0] ? d->kern.req.errmsg : strerror(-err));
	else
		d->natt_ifindex = d->ike.ifindex;
}

static const char *profile_of(struct daemon *d, int ifindex)
{
	char name[IF_NAMESIZE];

	if (!if_indextoname((unsigned int)ifindex, name))
		return NULL;
	for (int i = 0; i < d->conf.nifaces; i++)
		if (!strcmp(d->conf.ifaces[i].name, name) && d->conf.ifaces[i].profile[0])
			return d->conf.ifaces[i].profile;
	return NULL;
}

/* The module's notifications: traffic to a peer without an SA, lifetimes. */
static void on_event(const struct mgre_event_info *e, void *arg)
{
	struct daemon *d = arg;

	if (e->cmd == MGRE_CMD_ACQUIRE && e->nbma) {
		const char *profile = profile_of(d, e->ifindex);
		struct ike_path path;
		struct p2_prot prot;

		if (!profile)
			return;		/* not a device we protect */
		refresh_iface(d);
		natt_attach(d);
		if (policy_path(d, AF_INET, &e->nbma, &path)) {
			log_warn("IPSEC: no route to peer %s",
				 inet_ntoa((struct in_addr){ e->nbma }));
			return;
		}
		ike_prot_mgre(&d->ike, &path, &prot);
		prot.ifindex = e->ifindex;
		snprintf(prot.profile, sizeof(prot.profile), "%s", profile);
		ike_acquire(&d->ike, &path, &prot);
	} else if (e->cmd == MGRE_CMD_EXPIRE) {
		ike_expire(&d->ike, e->sa.spi, e->sa.dir == MGRE_DIR_IN,
			   e->sa.expire == MGRE_EXPIRE_HARD);
	}
}

static void on_udp(struct daemon *d, int fd)
{
	uint8_t buf[ISAKMP_MSG_MAX];
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct ike_path path;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &path.remote, .msg_namelen = sizeof(path.remote),
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	ssize_t n;

	for (;;) {
		memset(&path, 0, sizeof(path));
		mh.msg_namelen = sizeof(path.remote);
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(fd, &mh, 0);
		if (n < 0)
			return;
		if (fd == d->natt) {
			/* RFC 3948: IKE has four zero bytes before it; 0xff is a keepalive */
			if (n < 4 || memcmp(buf, "\0\0\0\0", 4))
				continue;
			n -= 4;
			memmove(buf, buf + 4, (size_t)n);
		}
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(cm);
				struct sockaddr_in *l = (struct sockaddr_in *)&path.local;

				l->sin_family = AF_INET;
				l->sin_addr = pi->ipi_addr;
				l->sin_port = htons(fd == d->natt ? ISAKMP_NATT_PORT :
							       (uint16_t)d->port);
			} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo *pi = (struct in6_pktinfo *)CMSG_DATA(cm);
				struct sockaddr_in6 *l = (struct sockaddr_in6 *)&path.local;

				l->sin6_family = AF_INET6;
				l->sin6_addr = pi->ipi6_addr;
				l->sin6_port = htons((uint16_t)d->port);
			}
		}
		if (path.local.ss_family != path.remote.ss_family)
			continue;
		refresh_iface(d);
		natt_attach(d);
		d->ike.now = now_ms();
		ike_input(&d->ike, &path, buf, (size_t)n);
	}
}

static void on_ctl(struct daemon *d)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char cmd[256];
	ssize_t n;
	FILE *f;
	int c;

	c = accept4(d->ctl, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != 0) {
		close(c);
		return;
	}
	/* one line, then the answer; the client waits for EOF */
	{
		struct timeval tv = { 1, 0 };

		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	n = recv(c, cmd, sizeof(cmd) - 1, 0);
	if (n <= 0) {
		close(c);
		return;
	}
	cmd[n] = 0;
	cmd[strcspn(cmd, "\r\n")] = 0;
	f = fdopen(c, "w");
	if (!f) {
		close(c);
		return;
	}
	d->ike.now = now_ms();
	show_command(d, cmd, f);
	fclose(f);
}

static int reload(struct daemon *d)
{
	struct conf *fresh = calloc(1, sizeof(*fresh));
	char err[512];

	if (!fresh)
		return -1;
	if (conf_load(d->conf_path, fresh, err, sizeof(err))) {
		log_err("%s (configuration not changed)", err);
		free(fresh);
		return -1;
	}
	conf_move(&d->conf, fresh);	/* the old one freed; fresh left empty */
	free(fresh);
	refresh_iface(d);
	policy_traps(d);
	policy_vti_start(d);
	log_info("configuration reloaded from %s: established SAs kept", d->conf_path);
	return 0;
}

static int on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			reload(d);
		else
			d->stop = true;
	}
	return 0;
}

/* Our IKE port on one family; IPv6 only on the IPv6 socket. */
static int udp_open(int family, int port)
{
	struct sockaddr_storage a;
	static const uint8_t any[16];
	int s = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;

	if (s < 0)
		return -1;
	addr_set(&a, family, any, (uint16_t)port);
	/* no SO_REUSEADDR: a second daemon on the port must fail, not share it */
	if ((family == AF_INET6 ?
	     setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	     setsockopt(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) :
	     setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one))) ||
	    bind(s, (struct sockaddr *)&a, family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						     sizeof(struct sockaddr_in))) {
		close(s);
		return -1;
	}
	return s;
}

/* Whether the configuration has an mgre device to protect (it takes the 4500 socket). */
static bool wants_mgre(const struct conf *c)
{
	for (int i = 0; i < c->nifaces; i++)
		if (c->ifaces[i].profile[0] && c->ifaces[i].mode == CONF_TUN_GRE)
			return true;
	return false;
}

/*
 * The NAT-T socket, bound to 4500.  With an mgre device it is handed to the
 * device, which takes ESP-in-UDP off it and leaves IKE (non-ESP marker) to
 * our reads; a socket left with the device by an earlier dmvpnd is taken
 * back first.  With crypto maps and VTIs only, XFRM does the same on it
 * (UDP_ENCAP_ESPINUDP).  One socket, one owner of its ESP.
 */
static void natt_open(struct daemon *d)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(ISAKMP_NATT_PORT) };
	bool mgre = d->kern_up && wants_mgre(&d->conf);
	int one = 1, encap = UDP_ENCAP_ESPINUDP;

	if (!mgre && !d->xfrm_up)
		return;
	if (mgre && d->ike.ifindex)
		kern_encap_del(&d->kern, d->ike.ifindex);
	d->natt = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->natt < 0 || setsockopt(d->natt, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) ||
	    bind(d->natt, (struct sockaddr *)&a, sizeof(a))) {
		log_warn("ISAKMP: no NAT traversal: cannot bind UDP port 4500: %s",
			 strerror(errno));
		if (d->natt >= 0)
			close(d->natt);
		d->natt = -1;
		return;
	}
	if (mgre) {
		natt_attach(d);
		return;
	}
	if (setsockopt(d->natt, IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap))) {
		log_warn("ISAKMP: XFRM does not take ESP-in-UDP on port 4500: %s",
			 strerror(errno));
		return;
	}
	d->ike.xfrm_natt = true;
	log_info("ISAKMP: NAT-T: XFRM takes ESP-in-UDP on port 4500 (no mgre device)");
}

static void stale_cb(struct nlattr **tb, void *arg)
{
	struct daemon *d = arg;
	struct mgre_sa_info sa;

	mgre_decode_sa(tb, &sa);
	if (d->nstale < (int)(sizeof(d->stale) / sizeof(d->stale[0])) && sa.spi)
		d->stale[d->nstale++] = (struct stale_sa){ sa.nbma, sa.dir, sa.spi };
}

/*
 * SAs in the module that no negotiation of ours made: an earlier dmvpnd's.
 * Traffic keeps flowing on them; each of those peers gets a fresh exchange
 * (with INITIAL-CONTACT, so it drops its old SAs too), and ours go once the
 * new outbound SA is in.
 */
static void stale_adopt(struct daemon *d)
{
	struct nl_msg *m;

	if (!d->ike.ifindex || !d->kern_up)
		return;
	m = mgre_nl_msg(&d->kern.req, MGRE_CMD_SA_GET, NLM_F_DUMP, d->ike.ifindex);
	if (!m || mgre_nl_run(&d->kern.req, m, stale_cb, d))
		return;
	for (int i = 0; i < d->nstale; i++) {
		struct ike_path path;
		struct p2_prot prot;
		bool seen = false;

		for (int j = 0; j < i; j++)
			seen |= d->stale[j].nbma == d->stale[i].nbma;
		if (seen || policy_path(d, AF_INET, &d->stale[i].nbma, &path))
			continue;
		log_info("IPSEC: SAs with %s from an earlier dmvpnd: negotiating new ones",
			 inet_ntoa((struct in_addr){ d->stale[i].nbma }));
		d->ike.now = now_ms();
		ike_prot_mgre(&d->ike, &path, &prot);
		ike_acquire(&d->ike, &path, &prot);
	}
}

static int ctl_open(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s;

	if (strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	unlink(path);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || chmod(path, 0600) || listen(s, 8)) {
		close(s);
		return -1;
	}
	return s;
}

static void add_fd(struct daemon *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev);
}

int daemon_run(struct daemon *d)
{
	sigset_t set;
	int err;

	err = kern_open(&d->kern);
	d->kern_up = !err;
	if (err)
		log_warn("mgre: %s: no GRE protection (crypto maps and VTIs only)",
			 d->kern.req.errmsg[0] ? d->kern.req.errmsg : strerror(-err));
	err = xfrm_open(&d->xfrm);
	d->xfrm_up = !err;
	if (err)
		log_warn("xfrm: %s: no crypto maps or VTIs",
			 d->xfrm.errmsg[0] ? d->xfrm.errmsg : strerror(-err));
	if (!d->kern_up && !d->xfrm_up)
		return 1;
	d->natt = -1;
	d->udp = udp_open(AF_INET, d->port);
	if (d->udp < 0) {
		log_err("ISAKMP: cannot bind UDP port %d: %s", d->port, strerror(errno));
		return 1;
	}
	d->udp6 = udp_open(AF_INET6, d->port);
	if (d->udp6 < 0)
		log_warn("ISAKMP: no IPv6: cannot bind UDP port %d: %s", d->port, strerror(errno));
	d->ctl = ctl_open(d->sock_path);
	if (d->ctl < 0) {
		log_err("cannot listen on %s: %s", d->sock_path, strerror(errno));
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	d->ep = epoll_create1(EPOLL_CLOEXEC);
	if (d->sfd < 0 || d->tfd < 0 || d->ep < 0)
		return 1;
	ike_init(&d->ike, &d->conf, &daemon_ops, d);
	refresh_iface(d);
	natt_open(d);
	add_fd(d, d->udp);
	if (d->udp6 >= 0)
		add_fd(d, d->udp6);
	if (d->natt >= 0)
		add_fd(d, d->natt);
	add_fd(d, d->ctl);
	add_fd(d, d->sfd);
	add_fd(d, d->tfd);
	if (d->kern_up)
		add_fd(d, kern_event_fd(&d->kern));
	if (d->xfrm_up)
		add_fd(d, xfrm_event_fd(&d->xfrm));
	stale_adopt(d);
	d->ike.now = now_ms();
	policy_traps(d);
	policy_vti_start(d);
	log_info("dmvpnd: ISAKMP on UDP port %d, %d isakmp policies, protecting %s (profile %s)",
		 d->port, d->conf.npol, d->ike.ifindex ? if_indextoname((unsigned int)d->ike.ifindex,
		 (char[IF_NAMESIZE]){0}) : "no interface yet",
		 d->ike.profile[0] ? d->ike.profile : "none");
	while (!d->stop) {
		struct epoll_event evs[8];
		struct itimerspec its = { 0 };
		int64_t wait;
		int n;

		d->ike.now = now_ms();
		wait = ike_tick(&d->ike);
		if (wait >= 0) {
			if (wait == 0)
				wait = 1;
			its.it_value.tv_sec = wait / 1000;
			its.it_value.tv_nsec = (wait % 1000) * 1000000;
		}
		timerfd_settime(d->tfd, 0, &its, NULL);
		n = epoll_wait(d->ep, evs, 8, -1);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			d->ike.now = now_ms();
			if (fd == d->udp || fd == d->udp6 || fd == d->natt) {
				on_udp(d, fd);
			} else if (fd == d->ctl) {
				on_ctl(d);
			} else if (fd == d->sfd) {
				on_signal(d);
			} else if (fd == d->tfd) {
				uint64_t x;

				if (read(d->tfd, &x, sizeof(x)) < 0)
					continue;
			} else if (d->xfrm_up && fd == xfrm_event_fd(&d->xfrm)) {
				xfrm_events(&d->xfrm, policy_event, d);
			} else {
				kern_events(&d->kern, on_event, d);
			}
		}
	}
	log_info("dmvpnd: stopping; the kernel keeps the IPsec SAs (traffic goes on)");
	ike_fini(&d->ike);
	if (d->kern_up)
		kern_close(&d->kern);
	if (d->xfrm_up)
		xfrm_close(&d->xfrm);
	close(d->udp);
	if (d->udp6 >= 0)
		close(d->udp6);
	if (d->natt >= 0)
		close(d->natt);	/* the module keeps its reference: ESP-in-UDP goes on */
	close(d->ctl);
	unlink(d->sock_path);
	close(d->ep);
	close(d->tfd);
	close(d->sfd);
	return 0;
}

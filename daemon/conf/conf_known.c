// SPDX-License-Identifier: GPL-2.0
/*
 * What the parser knows besides what it applies: the IOS commands that do
 * not apply to a Linux node (accepted with a warning, a line or a whole
 * block), the commands of each mode by name (for "did you mean"), and the
 * closest known command to one that is not.  A router's configuration
 * pasted as it is must load; a typo must not load silently.
 */
#include <stdio.h>
#include <string.h>
#include "conf/conf_parse.h"

/*
 * Global commands that belong to the router, not to a Linux node: the
 * system has its own name, clock, users, logging, routing and services.
 */
const char *const conf_ign_global[] = {
	/* the head of "show running-config", pasted with it */
	"Building configuration...", "Current configuration",
	"hostname", "version", "service", "no service", "boot", "boot-start-marker",
	"boot-end-marker", "logging", "no logging", "enable", "username", "aaa", "no aaa",
	"clock", "ip subnet-zero", "ip cef", "no ip cef", "ipv6 cef", "no ipv6 cef",
	"ip classless", "ip domain", "ip domain-name", "ip domain-lookup", "ip domain lookup",
	"no ip domain lookup", "no ip domain-lookup", "ip name-server", "ip ssh", "ip scp",
	"voice", "no voice", "fax", "ntp", "snmp-server", "no snmp-server", "ip route",
	"ipv6 route", "ip http", "no ip http", "ip forward-protocol", "ip multicast-routing",
	"ipv6 unicast-routing", "no ip source-route", "no ip bootp", "ip bootp",
	"no ip finger", "ip finger", "ip tcp synwait-time", "memory-size", "multilink",
	"cdp", "no cdp", "license", "spanning-tree", "vtp", "scheduler", "mmi", "alias",
	"privilege", "security", "login", "ip dhcp", "no ip dhcp", "ip nat", "ip sla",
	"mgcp", "no mgcp", "call", "no call", "xconnect", "archive", "file", "exception",
	"ip inspect", "ip flow-export", "ip flow-cache", "ip prefix-list", "ipv6 prefix-list",
	"ip as-path", "ip community-list", "ip host", "ip dns", "ip local", "ip options",
	"ip wccp", "ip arp", "ip ftp", "ip tftp", "ip icmp", "ip igmp", "ip pim",
	"ip multicast", "ip tcp", "ip gratuitous-arps", "no ip gratuitous-arps", "no ip icmp",
	"ipv6 multicast-routing", "ipv6 general-prefix", "ipv6 dhcp", "ipv6 nd", "track",
	"tftp-server", "mac-address-table", "diagnostic", "warm-reboot", "process-max-time",
	"errdisable", "sdm", "system", "power", "platform", "hw-module", "card",
	"network-clock", "lldp", "no lldp", "mpls", "no mpls", "wsma", "netconf", "restconf",
	"transceiver", "monitor", "virtual-service", "vlan", "event", "kron", "crypto key",
	"no ip bootp server", "no ip http server", "no ip http secure-server",
	"no network-clock", "no platform", "no logging console", "voice-card", "dot11",
	"crypto isakmp invalid-spi-recovery", "crypto isakmp nat keepalive",
	"access-list",			/* a standard list: not for crypto maps */
	NULL,
};

/* A block's sub-commands that are unindented in a pasted configuration. */
static const char *const router_sub[] = {
	"network", "no", "auto-summary", "eigrp", "passive-interface", "redistribute",
	"neighbor", "bgp", "address-family", "exit-address-family", "router-id", "area",
	"default-information", "distance", "metric", "timers", "maximum-paths", "variance",
	"log-adjacency-changes", "version", "offset-list", "distribute-list", "summary-address",
	"default-metric", "synchronization", NULL,
};

static const char *const line_sub[] = {
	"exec-timeout", "transport", "password", "login", "logging", "stopbits", "privilege",
	"history", "session-timeout", "access-class", "speed", "flowcontrol",
	"escape-character", "length", "width", "no", "exec", "modem", "autoselect", NULL,
};

static const char *const cp_sub[] = { "service-policy", NULL };

static const char *const dial_sub[] = {
	"destination-pattern", "session", "codec", "port", "incoming", "dtmf-relay", "vad",
	"description", "no", NULL,
};

static const char *const std_acl_sub[] = { "permit", "deny", "remark", NULL };

static const char *const none_sub[] = { NULL };

/* a router's own self-signed certificate (for its HTTPS server): IKE here is pre-shared keys */
static const char *const pki_sub[] = {
	"enrollment", "subject-name", "revocation-check", "rsakeypair", "certificate", "quit",
	NULL,
};

const struct conf_block conf_ign_blocks[] = {
	{ "router", router_sub, "routing is the system's" },
	{ "ipv6 router", router_sub, "routing is the system's" },
	{ "line", line_sub, "a router's terminal lines" },
	{ "control-plane", cp_sub, "a router's control plane" },
	{ "dial-peer", dial_sub, "voice" },
	{ "voice-port", dial_sub, "voice" },
	{ "gatekeeper", none_sub, "voice" },
	{ "ip access-list standard", std_acl_sub, "a standard list: not for crypto maps" },
	{ "ipv6 access-list", std_acl_sub, "a router's filter" },
	{ "object-group", none_sub, "a router's filter" },
	{ "zone", none_sub, "a router's firewall" },
	{ "zone-pair", none_sub, "a router's firewall" },
	{ "parameter-map", none_sub, "a router's firewall" },
	{ "ip vrf", none_sub, "routing is the system's" },
	{ "vrf definition", none_sub, "routing is the system's" },
	{ "controller", none_sub, "a router's ports" },
	{ "key chain", none_sub, "routing is the system's" },
	{ "class-map", none_sub, "QoS is the system's" },
	{ "policy-map", none_sub, "QoS is the system's" },
	{ "route-map", none_sub, "routing is the system's" },
	{ "redundancy", none_sub, "a router's redundancy" },
	{ "crypto pki", pki_sub, "certificates: dmvpnd authenticates with pre-shared keys" },
	{ NULL },
};

/* Interface commands for the router's own forwarding, its routing protocols, its ports. */
const char *const conf_ign_iface[] = {
	"no ip redirects", "ip redirects", "no ip split-horizon", "ip split-horizon",
	"no ip next-hop-self", "ip next-hop-self", "ip ospf", "no ip ospf", "ip eigrp",
	"ip hello-interval", "ip hold-time", "ip summary-address", "ip authentication",
	"ip pim", "ip igmp", "ip nat", "ip access-group", "ip policy", "ip verify",
	"ip route-cache", "no ip route-cache", "ip mroute-cache", "no ip mroute-cache",
	"ip virtual-reassembly", "no ip virtual-reassembly", "ip unreachables",
	"no ip unreachables", "ip proxy-arp", "no ip proxy-arp", "ip directed-broadcast",
	"no ip directed-broadcast", "ip unnumbered", "ip flow", "ipv6 enable",
	"ipv6 redirects", "no ipv6 redirects", "ipv6 nd", "no ipv6 nd", "ipv6 ospf",
	"ipv6 eigrp", "ipv6 mtu", "duplex", "speed", "bandwidth", "delay", "keepalive",
	"no keepalive", "load-interval", "negotiation", "media-type", "no mop",
	"cdp", "no cdp", "qos", "service-policy", "standby", "vrrp", "encapsulation",
	"switchport", "spanning-tree", "channel-group", "pppoe", "dialer", "isdn",
	"no fair-queue", "fair-queue", "tunnel path-mtu-discovery", "tunnel vrf",
	"tunnel bandwidth", "no tunnel path-mtu-discovery", "zone-member", "no snmp",
	"snmp", "clockrate", "clock rate", "serial", "dce-terminal-timing-enable",
	"invert", "framing", "linecode", "pvc", "frame-relay", "ppp", "peer default", "atm",
	"no atm", "dsl", "no dsl", "bridge-group", "no bridge-group", "hold-queue",
	"no negotiation", "mtu", "mac-address", "no mac-address", NULL,
};

/* The commands of each mode, for the suggestions (what is applied and what is ignored). */
const char *const conf_known_global[] = {
	"crypto isakmp policy", "crypto isakmp key", "crypto isakmp keepalive",
	"crypto isakmp aggressive-mode", "crypto isakmp identity", "crypto call admission limit",
	"crypto ipsec transform-set", "crypto ipsec profile",
	"crypto ipsec security-association lifetime",
	"crypto ipsec security-association replay window-size",
	"crypto ipsec security-association replay disable", "crypto map", "crypto dynamic-map",
	"ip access-list extended", "interface", "linux interface", "banner", "exit", "end",
	NULL,
};

const char *const conf_known_policy[] = {
	"encr", "encryption", "hash", "authentication", "group", "lifetime", NULL,
};

const char *const conf_known_tset[] = { "mode", NULL };

const char *const conf_known_profile[] = {
	"set transform-set", "set security-association lifetime", "set pfs", NULL,
};

const char *const conf_known_map[] = {
	"set peer", "set transform-set", "set security-association lifetime", "set pfs",
	"match address", "description", NULL,
};

const char *const conf_known_acl[] = { "permit", "deny", "remark", NULL };

const char *const conf_known_iface[] = {
	"ip address", "ipv6 address", "ip mtu", "ip tcp adjust-mss", "tunnel source",
	"tunnel destination", "tunnel key", "tunnel mode", "tunnel protection", "shutdown",
	"description", "crypto map", "ip nhrp network-id", "ip nhrp holdtime",
	"ip nhrp authentication", "ip nhrp map", "ip nhrp nhs", "ip nhrp registration",
	"ip nhrp max-send", "ip nhrp redirect", "ip nhrp shortcut", "ipv6 nhrp network-id",
	"ipv6 nhrp holdtime", "ipv6 nhrp authentication", "ipv6 nhrp map", "ipv6 nhrp nhs",
	"ipv6 nhrp registration", "ipv6 nhrp max-send", "ipv6 nhrp redirect",
	"ipv6 nhrp shortcut", NULL,
};

/* The words of cmd ("no ip redirects") are the first words of w. */
static bool words_match(const char *cmd, char **w, int n)
{
	int i = 0;

	for (const char *s = cmd; *s; i++) {
		size_t len = strcspn(s, " ");

		if (i >= n || strlen(w[i]) != len || strncmp(w[i], s, len))
			return false;
		s += len;
		s += *s == ' ';
	}
	return true;
}

bool conf_known_start(const char *const *list, char **w, int n)
{
	for (; list && *list; list++) {
		const char *sp = strchr(*list, ' ');
		char two[CONF_WORD_MAX];

		/* a command's first two words: "crypto map" is not "crypto isakmp" */
		if (sp)
			sp = strchr(sp + 1, ' ');
		snprintf(two, sizeof(two), "%.*s", sp ? (int)(sp - *list) : (int)strlen(*list), *list);
		if (words_match(two, w, n))
			return true;
	}
	return false;
}

const char *conf_ign_match(const char *const *table, char **w, int n)
{
	for (; *table; table++)
		if (words_match(*table, w, n))
			return *table;
	return NULL;
}

const struct conf_block *conf_ign_block(char **w, int n)
{
	for (const struct conf_block *b = conf_ign_blocks; b->cmd; b++)
		if (words_match(b->cmd, w, n))
			return b;
	return NULL;
}

/* Optimal string alignment distance: edits, with a swap of two neighbours as one ("hsah"). */
static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int d[3][CONF_WORD_MAX + 1];

	if (la > CONF_WORD_MAX || lb > CONF_WORD_MAX)
		return 1000;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++) {
		int *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];

		cur[0] = i;
		for (int j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[la % 3][lb];
}

/* How far a word may be from a command's to be taken for a typo of it. */
static int near_enough(const char *word)
{
	size_t len = strlen(word);

	return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

struct guess {
	int depth;		/* the words of the line the best command shares */
	int score;
	const char *cmd;	/* the suggestion, or NULL */
	bool prefix;		/* the line is the start of a known command: incomplete */
	const char *whole;	/* a known command that is the start of the line */
};

/* Compare the line (from w[at]) with one known command. */
static void consider(struct guess *g, const char *cmd, char **w, int n, int at)
{
	char words[MAX_WORDS][CONF_WORD_MAX + 1];
	int m = 0, j, later = 0, dist;

	for (const char *s = cmd; *s && m < MAX_WORDS; m++) {
		size_t len = strcspn(s, " ");

		snprintf(words[m], sizeof(words[m]), "%.*s", (int)len, s);
		s += len;
		s += *s == ' ';
	}
	for (j = 0; j < m && at + j < n && !strcmp(words[j], w[at + j]); j++)
		;
	if (j == m) {
		if (!g->whole || strlen(cmd) > strlen(g->whole))
			g->whole = cmd;
		return;
	}
	if (at + j == n) {
		if (j > g->depth || !g->prefix) {
			g->prefix = true;
			g->depth = j > g->depth ? j : g->depth;
		}
		return;
	}
	if (j > g->depth) {
		g->depth = j;
		g->cmd = NULL;
		g->score = -1000;
	}
	if (j < g->depth)
		return;
	dist = distance(w[at + j], words[j]);
	if (dist > near_enough(words[j]))
		return;
	for (int k = j + 1; k < m && at + k < n; k++)
		later += !strcmp(words[k], w[at + k]);
	if (!g->cmd || later - 10 * dist > g->score) {
		g->cmd = cmd;
		g->score = later - 10 * dist;
	}
}

static void consider_list(struct guess *g, const char *const *list, char **w, int n, int at)
{
	for (; list && *list; list++)
		consider(g, *list, w, n, at);
}

static void consider_all(struct guess *g, const struct conf_mode *mode, char **w, int n, int at)
{
	consider_list(g, mode ? mode->known : NULL, w, n, at);
	if (mode && mode->ign)
		consider_list(g, mode->ign, w, n, at);
	consider_list(g, conf_known_global, w, n, at);
	consider_list(g, conf_ign_global, w, n, at);
	for (const struct conf_block *b = conf_ign_blocks; b->cmd; b++)
		consider(g, b->cmd, w, n, at);
}

int conf_unknown(struct parser *p, const struct conf_mode *mode)
{
	char **w = p->words;
	int n = p->nwords, at = n > 1 && !strcmp(w[0], "no") ? 1 : 0;
	struct guess g = { .score = -1000 };
	char pre[160] = "";
	size_t len = 0;

	/* "no X" of an ignored X ("no ip classless"): as ignored as X */
	if (at) {
		const char *ign = conf_ign_match(conf_ign_global, w + 1, n - 1);
		const struct conf_block *b = conf_ign_block(w + 1, n - 1);
		char cmd[CONF_WORD_MAX + 4];

		if (!ign && mode && mode->ign)
			ign = conf_ign_match(mode->ign, w + 1, n - 1);
		if (!ign && b)
			ign = b->cmd;
		if (ign) {
			snprintf(cmd, sizeof(cmd), "no %s", ign);
			return conf_ignore(p, cmd);
		}
	}
	/* "no X": X known as a command of ours is a negation this file cannot mean */
	consider_all(&g, mode, w, n, at);
	if (at && g.whole)
		return conf_fail(p, "'no %s': a configuration file says what is: leave the command "
				 "out instead of negating it", g.whole);
	if (at && !g.cmd) {
		struct guess g0 = { .score = -1000 };

		consider_all(&g0, mode, w, n, 0);
		if (g0.cmd || g0.depth > g.depth) {
			g = g0;
			at = 0;
		}
	}
	for (int i = 0; i < at + g.depth && len < sizeof(pre); i++)
		len += (size_t)snprintf(pre + len, sizeof(pre) - len, "%s ", w[i]);
	/* inside a mode, its unknown commands are said to be its: "unknown crypto map command" */
	if (!len && mode && mode == p->mode)
		snprintf(pre, sizeof(pre), "%s ", mode->name);
	if (g.whole && !g.cmd) {
		int m = 1;

		for (const char *s = g.whole; *s; s++)
			m += *s == ' ';
		if (at + m == n)
			return conf_fail(p, "incomplete command '%s'", g.whole);
		return conf_fail(p, "'%s' does not take '%s' there", g.whole, w[at + m]);
	}
	if (g.prefix && !g.cmd && at + g.depth >= n)
		return conf_fail(p, "incomplete command '%.*s'", len ? (int)len - 1 : 0, pre);
	if (g.cmd)
		return conf_fail(p, "unknown %scommand '%s' (did you mean '%s%s'?)", pre,
				 w[at + g.depth], at ? "no " : "", g.cmd);
	return conf_fail(p, "unknown %scommand '%s'", pre, w[at + g.depth]);
}

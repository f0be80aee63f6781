// SPDX-License-Identifier: GPL-2.0
/*
 * The example configurations that make install puts in the documentation
 * (every .conf in Documentation/examples) load, and mean what their comments say:
 * a phase 3 hub and its spoke, keyed by one profile.  An example that
 * stopped parsing would be the first file a new user copies.
 */
#include "check.h"
#include <glob.h>
#include <stdlib.h>
#include "conf/conf.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &len, 0, f) < 0) {	/* the whole file: it has no NUL */
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

static const struct conf_iface *iface(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->nifaces; i++)
		if (!strcmp(c->ifaces[i].name, name))
			return &c->ifaces[i];
	return NULL;
}

/* What both examples share: the policy, the key, the profile on Tunnel0, NHRP. */
static const struct conf_iface *common(const struct conf *c)
{
	const struct conf_iface *t = iface(c, "Tunnel0");

	CHECK(c->npol == 1 && c->pol[0].a.group == 14 && c->pol[0].a.keylen == 256);
	CHECK(c->nkeys == 1 && c->keys[0].plen == 0);
	CHECK(c->dpd_interval == 10 && c->dpd_retry == 3 && c->dpd_periodic);
	CHECK(conf_profile_get(c, "DMVPN") != NULL);
	CHECK(t != NULL);
	if (!t)
		return NULL;
	CHECK(!strcmp(t->profile, "DMVPN"));
	CHECK(t->mode == CONF_TUN_GRE);
	CHECK(t->nhrp.enabled && t->nhrp.network_id == 1 && t->nhrp.holdtime == 600);
	CHECK(t->nhrp.auth_len == 7 && !strcmp(t->nhrp.auth, "NHRPKEY"));
	CHECK(t->addr_family == AF_INET && t->plen == 24);
	return t;
}

int main(int argc, char **argv)
{
	glob_t g;
	int hub = 0, spoke = 0;

	CHECK(glob("Documentation/examples/*.conf", 0, NULL, &g) == 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		char *text = slurp(path), err[512] = "";
		const struct conf_iface *t;
		struct conf c;

		CHECK(text != NULL);
		if (!text)
			continue;
		if (conf_parse(path, text, &c, err, sizeof(err))) {
			printf("not ok - %s: %s\n", path, err);
			failed++;
			free(text);
			continue;
		}
		passed++;
		t = common(&c);
		if (t && strstr(path, "/hub.conf")) {
			hub++;
			CHECK(t->nhrp.redirect && !t->nhrp.shortcut && t->nhrp.mcast_dynamic);
			CHECK(t->nhrp.nnhs == 0);
		} else if (t && strstr(path, "/spoke.conf")) {
			spoke++;
			CHECK(t->nhrp.shortcut && !t->nhrp.redirect);
			CHECK(t->nhrp.nnhs == 1 && t->nhrp.nhs[0].nbma.len == 4);
			CHECK(t->nhrp.nmcast == 1);
		}
		conf_free(&c);
		free(text);
	}
	CHECK(hub == 1 && spoke == 1);
	globfree(&g);
	return check_summary();
}

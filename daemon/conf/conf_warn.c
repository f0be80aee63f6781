// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration's warnings: what was accepted and not applied.  One
 * per distinct command ("ignored: duplex (and 3 more lines)"), one per
 * block that is not ours; a mode's are held until its block ends, since
 * only then is it known whether the block is ours (an interface with
 * nothing of IKE or NHRP in it is the system's: one warning for it all).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"

int conf_warn_add(struct parser *p, struct conf_wlist *l, const struct conf_wrec *r)
{
	struct conf_wrec *room;

	if (r->key[0])
		for (int i = 0; i < l->n; i++)
			if (!strcmp(l->r[i].key, r->key)) {
				l->r[i].more += 1 + r->more;
				return 0;
			}
	room = conf_grow(p, l->r, l->n, sizeof(*l->r), false);
	if (!room)
		return -1;
	l->r = room;
	l->r[l->n++] = *r;
	return 0;
}

static struct conf_wlist *target(struct parser *p)
{
	return p->mode ? &p->held : &p->warns;
}

int conf_ignore(struct parser *p, const char *cmd)
{
	struct conf_wrec r = { .line = p->line };

	snprintf(r.key, sizeof(r.key), "%s", cmd);
	snprintf(r.msg, sizeof(r.msg), "ignored: %s", cmd);
	return conf_warn_add(p, target(p), &r);
}

int conf_warn(struct parser *p, const char *fmt, ...)
{
	struct conf_wrec r = { .line = p->line };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r.msg, sizeof(r.msg), fmt, ap);
	va_end(ap);
	return conf_warn_add(p, target(p), &r);
}

void conf_warn_drop(struct conf_wlist *l)
{
	free(l->r);
	l->r = NULL;
	l->n = 0;
}

int conf_warn_commit(struct parser *p)
{
	int ret = 0;

	for (int i = 0; i < p->held.n && !ret; i++)
		ret = conf_warn_add(p, &p->warns, &p->held.r[i]);
	conf_warn_drop(&p->held);
	return ret;
}

/* By line, stable: a mode's warnings join the file's when their block ends. */
static void sort_by_line(struct conf_wrec *r, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && r[j - 1].line > r[j].line; j--) {
			struct conf_wrec t = r[j];

			r[j] = r[j - 1];
			r[j - 1] = t;
		}
}

int conf_warn_finish(struct parser *p)
{
	struct conf *c = p->c;
	int n = p->warns.n;

	conf_warn_drop(&p->held);
	if (!n)
		return 0;
	sort_by_line(p->warns.r, n);
	c->warnings = calloc((size_t)n, sizeof(*c->warnings));
	if (!c->warnings) {
		conf_warn_drop(&p->warns);
		return conf_fail(p, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		const struct conf_wrec *r = &p->warns.r[i];
		char more[48] = "";

		if (r->more)
			snprintf(more, sizeof(more), " (and %d more %s%s)", r->more,
				 r->block ? "block" : "line", r->more > 1 ? "s" : "");
		if (asprintf(&c->warnings[i], "%s:%d: %s%s", p->name, r->line, r->msg, more) < 0) {
			c->warnings[i] = NULL;
			conf_warn_drop(&p->warns);
			return conf_fail(p, "out of memory");
		}
		c->nwarnings = i + 1;
	}
	conf_warn_drop(&p->warns);
	return 0;
}

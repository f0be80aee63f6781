// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's configuration: the line discipline.  The file and its
 * permissions, lines into words, "!" comments, exit/end, the mode a
 * command enters (IOS takes a command in the current mode first, indented
 * or not), "FILE:LINE: reason"; each line goes to the section that owns
 * its first words (conf_parse.h), and each section checks itself at the end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "conf/conf.h"
#include "conf/conf_parse.h"
#include "lib/wipe.h"

/* in the order their checks run */
static const struct conf_section *const sections[] = {
	&conf_isakmp_section,
	&conf_map_section,
	&conf_iface_section,
};

#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

int conf_fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, p->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool cmd_takes(const struct conf_cmd *t, int at, char **w, int n)
{
	if (n < t->min)
		return false;
	for (int k = 0; k < 2; k++)
		if (t->w[k] && (at + k >= n || strcmp(w[at + k], t->w[k])))
			return false;
	return true;
}

int conf_run(struct parser *p, const struct conf_cmd *cmds, int at, char **w, int n)
{
	for (const struct conf_cmd *t = cmds; t->fn; t++)
		if (cmd_takes(t, at, w, n))
			return t->fn(p, w, n);
	return 1;
}

/* A global command: to the section that owns it. */
static int global_line(struct parser *p, char **w, int n)
{
	p->mode = NULL;
	for (size_t i = 0; i < NSECTIONS; i++) {
		int r = conf_run(p, sections[i]->cmds, 0, w, n);

		if (r <= 0)
			return r;
	}
	if (!strcmp(w[0], "crypto"))
		return conf_fail(p, "unknown crypto command '%s'", n > 1 ? w[1] : "");
	return 0;	/* hostname, routing, standard access lists, ...: not ours */
}

/* A remark or description may run past MAX_WORDS: its words are not read. */
static bool free_text(char **w)
{
	return !strcmp(w[0], "description") || !strcmp(w[0], "remark") ||
	       !strcmp(w[1], "remark") || !strcmp(w[2], "remark");
}

static int line(struct parser *p, char *s)
{
	char *w[MAX_WORDS];
	bool indented = s[0] == ' ' || s[0] == '\t';
	int n = 0;

	for (char *t = strtok(s, " \t\r"); t; t = strtok(NULL, " \t\r")) {
		if (n == MAX_WORDS && free_text(w))
			break;
		if (n == MAX_WORDS)
			return conf_fail(p, "too many words");
		w[n++] = t;
	}
	if (n == 0 || w[0][0] == '!' || w[0][0] == '#')
		return 0;
	if (!strcmp(w[0], "exit") || !strcmp(w[0], "end")) {
		p->mode = NULL;
		return 0;
	}
	/* IOS takes a command in the current mode first, indented or not */
	if (indented)
		return p->mode ? p->mode->line(p, w, n) : 0;	/* under a command not ours */
	if (p->mode && p->mode->is_sub(w, n))
		return p->mode->line(p, w, n);
	return global_line(p, w, n);
}

/* Each line of text, in the mode the lines before it entered. */
static int lines(struct parser *p, const char *text)
{
	const char *s = text;

	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char buf[512];

		p->line++;
		if (len >= sizeof(buf))
			return conf_fail(p, "line longer than %zu characters", sizeof(buf) - 1);
		memcpy(buf, s, len);
		buf[len] = 0;
		if (line(p, buf)) {
			wipe(buf, sizeof(buf));
			return -1;
		}
		wipe(buf, sizeof(buf));
		s += len + (e ? 1 : 0);
	}
	return 0;
}

/* After the last line: each section checks what it holds. */
static int checks(struct parser *p)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (sections[i]->check && sections[i]->check(p))
			return -1;
	return 0;
}

int conf_parse(const char *name, const char *text, struct conf *c, char *err, size_t errlen)
{
	struct parser p = { .name = name, .err = err, .errlen = errlen, .c = c };

	memset(c, 0, sizeof(*c));
	c->ipsec_life_sec = 3600;
	c->ipsec_life_kb = 4608000;
	if (lines(&p, text) || checks(&p)) {
		conf_free(c);	/* nothing half-made is left to the caller */
		return -1;
	}
	return 0;
}

int conf_load(const char *path, struct conf *c, char *err, size_t errlen)
{
	struct stat st;
	char *text;
	FILE *f;
	size_t n;
	int ret;

	memset(c, 0, sizeof(*c));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || st.st_size > 1 << 20) {
		snprintf(err, errlen, "%s: not a regular file of at most 1 MiB", path);
		fclose(f);
		return -1;
	}
	if (st.st_mode & S_IROTH) {
		snprintf(err, errlen, "%s: readable by others, but it holds pre-shared keys "
			 "(chmod o-r %s)", path, path);
		fclose(f);
		return -1;
	}
	text = calloc(1, (size_t)st.st_size + 1);
	n = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	text[n] = 0;
	ret = conf_parse(path, text, c, err, errlen);
	wipe(text, n);
	free(text);
	return ret;
}

void conf_free(struct conf *c)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (sections[i]->free)
			sections[i]->free(c);
	memset(c, 0, sizeof(*c));
}

void conf_move(struct conf *dst, struct conf *src)
{
	if (dst == src)
		return;
	conf_free(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

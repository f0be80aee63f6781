// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's configuration: the line discipline.  The file and its
 * permissions, lines into words, "!" comments, exit/end, the mode a
 * command enters (IOS takes a command in the current mode first, indented
 * or not), "FILE:LINE: reason"; each line goes to the section that owns
 * its first words (conf_parse.h), and each section checks itself at the end.
 * A line no section takes is an IOS command ignored with a warning
 * (conf_known.c's tables: a line, or a block that is not ours) or an error
 * naming the closest known command: nothing is accepted silently.
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
	&conf_check_section,	/* last: it reads what the others made */
};

#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))
#define CONF_FILE_MAX (1 << 20)

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

/* "router eigrp 90": what a block's warning names it by. */
static void block_begin(struct parser *p, char **w, int n)
{
	size_t len = 0;

	p->blk_line = p->line;
	p->blk_lines = 0;
	p->blk_text[0] = 0;
	for (int i = 0; i < n && len < sizeof(p->blk_text); i++)
		len += (size_t)snprintf(p->blk_text + len, sizeof(p->blk_text) - len, "%s%s",
					i ? " " : "", w[i]);
	for (char *s = p->blk_text; *s; s++)
		if (*s == 0x03)	/* a banner's ETX, as IOS shows it */
			*s = '^';
}

static int block_warn(struct parser *p, const char *why)
{
	struct conf_wrec r = { .line = p->blk_line, .block = true };

	snprintf(r.key, sizeof(r.key), "%s", p->blk_text);
	if (p->blk_lines)
		snprintf(r.msg, sizeof(r.msg), "ignored: %s and the %d line%s under it (%s)",
			 p->blk_text, p->blk_lines, p->blk_lines > 1 ? "s" : "", why);
	else
		snprintf(r.msg, sizeof(r.msg), "ignored: %s (%s)", p->blk_text, why);
	return conf_warn_add(p, &p->warns, &r);
}

/*
 * The block being read is over (a global line, exit, end, the end of the
 * file): its lines' warnings are the file's, or, when the mode says the
 * block is not ours, one warning stands for the block.
 */
static int block_end(struct parser *p)
{
	const struct conf_mode *m = p->mode;
	const char *why = NULL;

	if (p->soft) {	/* an ignored line: a block if lines were indented under it */
		struct conf_wrec r = { .line = p->blk_line };
		const char *cmd = p->soft;

		p->soft = NULL;
		/* named by the command, not its line: "username x secret y" stays out of logs */
		snprintf(p->blk_text, sizeof(p->blk_text), "%s", cmd);
		if (p->blk_lines)
			return block_warn(p, "not for a Linux node");
		snprintf(r.key, sizeof(r.key), "%s", cmd);
		snprintf(r.msg, sizeof(r.msg), "ignored: %s", cmd);
		return conf_warn_add(p, &p->warns, &r);
	}
	if (p->blk) {
		why = p->blk->why;
		p->blk = NULL;
		return block_warn(p, why);
	}
	if (!m)
		return 0;
	if (m->end)
		why = m->end(p);
	p->mode = NULL;
	if (!why)
		return conf_warn_commit(p);
	conf_warn_drop(&p->held);
	return block_warn(p, why);
}

static const char *const no_sub[] = { NULL };
static const struct conf_block banner_block = { "banner", no_sub, "a router's login text" };

/* banner TYPE DELIMITER TEXT... DELIMITER: the text may run over lines ("^C" as IOS prints it) */
static int banner(struct parser *p, char **w, int n)
{
	size_t dl;

	if (n < 3)
		return conf_fail(p, "usage: banner TYPE DELIMITER TEXT DELIMITER");
	dl = !strncmp(w[2], "^C", 2) ? 2 : 1;	/* else one character: '#', ETX, ... */
	memcpy(p->banner, w[2], dl);
	p->banner[dl] = 0;
	p->blk = &banner_block;
	if (strstr(w[2] + dl, p->banner))
		p->banner[0] = 0;
	for (int i = 3; i < n && p->banner[0]; i++)
		if (strstr(w[i], p->banner))
			p->banner[0] = 0;
	return 0;
}

/*
 * A global command: to the section that owns it; else one IOS has that is
 * not for a Linux node (a warning); else an error naming the closest
 * command of the mode just left or of global mode.
 */
static int global_line(struct parser *p, char **w, int n)
{
	const struct conf_mode *was = p->mode;
	const struct conf_block *b;
	const char *ign;

	if (block_end(p))
		return -1;
	block_begin(p, w, n);
	for (size_t i = 0; i < NSECTIONS; i++) {
		int r = conf_run(p, sections[i]->cmds, 0, w, n);

		if (r <= 0)
			return r;
	}
	if (!strcmp(w[0], "banner"))
		return banner(p, w, n);
	b = conf_ign_block(w, n);
	if (b) {
		p->blk = b;
		return 0;
	}
	/*
	 * An ignored line: said when its block ends, since IOS indents the
	 * lines of a command's sub-mode ("archive" / " log config") and
	 * those are the command's too.
	 */
	ign = conf_ign_match(conf_ign_global, w, n);
	if (ign) {
		p->soft = ign;
		return 0;
	}
	return conf_unknown(p, was);
}

/* A remark or description may run past MAX_WORDS: its words are not read. */
static bool free_text(char **w)
{
	return !strcmp(w[0], "description") || !strcmp(w[0], "remark") ||
	       !strcmp(w[1], "remark") || !strcmp(w[2], "remark");
}

/* ETX is a banner's delimiter in a file a router wrote (its show command prints "^C") */
static bool is_control(unsigned char ch)
{
	return (ch < 0x20 && ch != '\t' && ch != '\r' && ch != 0x03) || ch == 0x7f;
}

/* A command one of our sections takes at global level ("crypto isakmp key", "interface") */
static bool global_ours(char **w, int n)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		for (const struct conf_cmd *t = sections[i]->cmds; t->fn; t++)
			if (cmd_takes(t, 0, w, n))
				return true;
	return false;
}

static int words_line(struct parser *p, char *s)
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
	p->lines_seen++;
	p->words = w;
	p->nwords = n;
	if (!strcmp(w[0], "exit") || !strcmp(w[0], "end"))
		return block_end(p);
	/*
	 * IOS takes a command in the current mode first, indented or not, then
	 * at global level: a file indented as a whole (from a mail) still reads
	 */
	if (indented && p->mode && !p->mode->is_sub(w, n) &&
	    !conf_known_start(p->mode->known, w, n) && global_ours(w, n))
		return global_line(p, w, n);
	if (indented && p->mode) {
		p->blk_lines++;
		return p->mode->line(p, w, n);
	}
	if (indented && (p->blk || p->soft)) {	/* under a command not ours: its warning's */
		p->blk_lines++;
		return 0;
	}
	if (!indented && p->mode && p->mode->is_sub(w, n)) {
		p->blk_lines++;
		return p->mode->line(p, w, n);
	}
	if (!indented && p->blk && conf_word_in(w[0], p->blk->sub)) {
		p->blk_lines++;
		return 0;
	}
	/* a global command, or a file pasted indented as a whole */
	return global_line(p, w, n);
}

static int line(struct parser *p, char *s)
{
	int r;

	if (p->banner[0]) {	/* the banner's text, to its delimiter */
		p->blk_lines++;
		if (strstr(s, p->banner))
			p->banner[0] = 0;
		return 0;
	}
	for (const char *t = s; *t; t++)
		if (is_control((unsigned char)*t))
			return conf_fail(p, "a control character (0x%02x) in the line: not a "
					 "configuration line", (unsigned char)*t);
	r = words_line(p, s);
	p->words = NULL;
	p->nwords = 0;
	return r;
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
	return block_end(p);
}

/*
 * Text, not a binary pasted by mistake: a NUL (conf_load sees those), or
 * more than a quarter of the bytes control characters or not UTF-8.
 */
static int text_check(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	size_t bad = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];
		size_t k = 0;

		if (ch < 0x80) {
			bad += is_control(ch) && ch != '\n';
			continue;
		}
		/* a UTF-8 sequence: its continuation bytes */
		if ((ch & 0xe0) == 0xc0)
			k = 1;
		else if ((ch & 0xf0) == 0xe0)
			k = 2;
		else if ((ch & 0xf8) == 0xf0)
			k = 3;
		if (!k) {
			bad++;
			continue;
		}
		for (size_t j = 1; j <= k; j++)
			if (i + j >= len || ((unsigned char)text[i + j] & 0xc0) != 0x80) {
				bad++;
				k = 0;
				break;
			}
		i += k;
	}
	if (bad * 4 > len) {
		snprintf(err, errlen, "%s: binary data (%zu of %zu bytes are not text), not a "
			 "configuration", name, bad, len);
		return -1;
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

	int ret = -1;

	memset(c, 0, sizeof(*c));
	c->ipsec_life_sec = 3600;
	c->ipsec_life_kb = 4608000;
	c->ipsec_replay_window = CONF_REPLAY_WINDOW_DEFAULT;
	if (text_check(name, text, strlen(text), err, errlen))
		return -1;
	if (lines(&p, text) || checks(&p))
		goto out;
	if (!p.lines_seen) {
		snprintf(err, errlen, "%s: no configuration in it (empty, or only comments)", name);
		goto out;
	}
	ret = conf_warn_finish(&p);
out:
	conf_warn_drop(&p.held);
	conf_warn_drop(&p.warns);
	if (ret)
		conf_free(c);	/* nothing half-made is left to the caller */
	return ret;
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
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > CONF_FILE_MAX) {
		if (S_ISDIR(st.st_mode))
			snprintf(err, errlen, "%s: a directory, not a configuration file", path);
		else if (!S_ISREG(st.st_mode))
			snprintf(err, errlen, "%s: not a regular file", path);
		else
			snprintf(err, errlen, "%s: %lld bytes, more than a configuration's 1 MiB",
				 path, (long long)st.st_size);
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
	if (memchr(text, 0, n)) {
		snprintf(err, errlen, "%s: binary data (a NUL byte at offset %zu), not a "
			 "configuration", path, (size_t)((char *)memchr(text, 0, n) - text));
		ret = -1;
	} else {
		ret = conf_parse(path, text, c, err, errlen);
	}
	wipe(text, n);
	free(text);
	return ret;
}

void conf_free(struct conf *c)
{
	for (int i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
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

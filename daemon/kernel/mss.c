// SPDX-License-Identifier: GPL-2.0
/*
 * MSS clamping through libnftables (mss.h): the whole table written again
 * in one transaction, so the ruleset never holds half of a change, and a
 * table of our own, so no other rule is touched.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nftables/libnftables.h>
#include "kernel/mss.h"

#define MSS_TABLE "inet dmvpnd"

/* A device name in nft's quotes: every character of a Linux name but '"' is taken as it is. */
static bool name_ok(const char *s)
{
	return *s && !strpbrk(s, "\"\\\n");
}

int mss_apply(const struct mss_rule *r, int n, char *err, size_t errlen)
{
	struct nft_ctx *ctx;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	f = open_memstream(&buf, &len);
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* "add" then "delete": removing a table that may not be there never fails */
	fprintf(f, "table %s\ndelete table %s\n", MSS_TABLE, MSS_TABLE);
	if (n > 0)
		fprintf(f, "table %s {\n chain mss {\n  type filter hook forward priority mangle; "
			"policy accept;\n", MSS_TABLE);
	for (int i = 0; i < n; i++) {
		if (!name_ok(r[i].dev))
			continue;
		for (int dir = 0; dir < 2; dir++)
			fprintf(f, "  %s \"%s\" tcp flags & (syn|rst) == syn tcp option maxseg size > "
				"%u tcp option maxseg size set %u\n", dir ? "iifname" : "oifname",
				r[i].dev, r[i].mss, r[i].mss);
	}
	if (n > 0)
		fputs(" }\n}\n", f);
	if (fclose(f)) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx) {
		free(buf);
		snprintf(err, errlen, "libnftables: no context");
		return -1;
	}
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	rc = nft_run_cmd_from_buffer(ctx, buf);
	if (rc) {
		const char *e = nft_ctx_get_error_buffer(ctx);

		snprintf(err, errlen, "nftables: %.*s", (int)strcspn(e ? e : "", "\n"), e ? e : "");
	}
	nft_ctx_free(ctx);
	free(buf);
	return rc ? -1 : 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "ip tcp adjust-mss N": MSS clamping by the kernel's own mechanism, an
 * nftables table of dmvpnd's ("table inet dmvpnd"), through libnftables.
 * TCP SYNs forwarded into or out of a device with an MSS above N get N,
 * as IOS clamps them on the tunnel interface in both directions.
 */
#ifndef DMVPN_KERNEL_MSS_H
#define DMVPN_KERNEL_MSS_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

struct mss_rule {
	char dev[IFNAMSIZ];
	uint32_t mss;
};

/*
 * Replace the table with one clamping for each rule, in one transaction
 * (n == 0 removes it): 0, or -1 with nft's reason in err.
 */
int mss_apply(const struct mss_rule *r, int n, char *err, size_t errlen);

#endif /* DMVPN_KERNEL_MSS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* What a packet carries in skb->cb while it is inside the module. */
#ifndef _MGRE_SKB_CB_H
#define _MGRE_SKB_CB_H

#include <linux/skbuff.h>
#include "esp.h"

struct mgre_skb_cb {
	struct mgre_esp_cb esp;	/* esp.ctx: the SA, with a reference */
	__be32 saddr;		/* tx: outer source */
	__be16 df;		/* tx: outer DF */
	__be16 sport;		/* rx: ESP-in-UDP source port, 0 for ESP */
	u8 tos, ttl;		/* tx: outer TOS and TTL */
};

#define MGRE_SKB_CB(skb) ((struct mgre_skb_cb *)(skb)->cb)

static inline void mgre_skb_cb_check(void)
{
	BUILD_BUG_ON(sizeof(struct mgre_skb_cb) > sizeof_field(struct sk_buff, cb));
}

#endif /* _MGRE_SKB_CB_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Receive: ESP (and ESP-in-UDP) to GRE to the overlay. */
#ifndef _MGRE_RX_H
#define _MGRE_RX_H

struct sk_buff;
struct mgre_sa;

int mgre_rx_init(void);
void mgre_rx_exit(void);
#include <linux/types.h>

void mgre_rx(struct mgre_sa *sa, struct sk_buff *skb, __be16 sport);

#endif /* _MGRE_RX_H */

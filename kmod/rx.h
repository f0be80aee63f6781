/* SPDX-License-Identifier: GPL-2.0 */
/* Receive: ESP (and ESP-in-UDP) to GRE to the overlay. */
#ifndef _MGRE_RX_H
#define _MGRE_RX_H

struct sk_buff;
struct mgre_sa;

int mgre_rx_init(void);
void mgre_rx_exit(void);
#include <linux/types.h>

/*
 * Consume an ESP packet for sa (skb->data at the ESP header, RCU held);
 * sport is the UDP source port for ESP-in-UDP, else 0.
 */
void mgre_rx(struct mgre_sa *sa, struct sk_buff *skb, __be16 sport);

#endif /* _MGRE_RX_H */

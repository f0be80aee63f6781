/* SPDX-License-Identifier: GPL-2.0 */
/* ESP-in-UDP (RFC 3948) on a socket handed over by userspace. */
#ifndef _MGRE_UDP_H
#define _MGRE_UDP_H

struct mgre_dev;
struct netlink_ext_ack;

/* Under mdev->lock. */
int mgre_udp_attach(struct mgre_dev *mdev, int fd, struct netlink_ext_ack *extack);
void mgre_udp_detach(struct mgre_dev *mdev);

#endif /* _MGRE_UDP_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * mgre: multipoint GRE tunnels with inline ESP, for DMVPN.
 */

#include <linux/module.h>
#include <linux/mgre.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include "device.h"
#include "netlink.h"
#include "rx.h"
#include "sa.h"

static int __init mgre_init(void)
{
	int err;

	err = mgre_sa_register();
	if (err)
		return err;
	err = rtnl_link_register(&mgre_link_ops);
	if (err)
		goto err_net;
	err = mgre_nl_init();
	if (err)
		goto err_link;
	err = mgre_rx_init();
	if (err)
		goto err_nl;
	pr_info("mgre: multipoint GRE with inline ESP\n");
	return 0;

err_nl:
	mgre_nl_exit();
err_link:
	rtnl_link_unregister(&mgre_link_ops);
err_net:
	mgre_sa_unregister();
	return err;
}

static void __exit mgre_exit(void)
{
	mgre_rx_exit();
	mgre_nl_exit();
	rtnl_link_unregister(&mgre_link_ops);
	rcu_barrier();		/* peers and SAs freed by call_rcu */
	mgre_sa_unregister();
}

module_init(mgre_init);
module_exit(mgre_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multipoint GRE with inline ESP (DMVPN data plane)");
MODULE_ALIAS_RTNL_LINK(MGRE_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(MGRE_GENL_NAME);

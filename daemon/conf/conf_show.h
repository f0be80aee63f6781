/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "show running-config": what dmvpnd understood of its configuration,
 * printed back as the IOS lines that say it (conf_show.c).  Secrets never
 * leave: pre-shared keys and NHRP passwords are printed as IOS masks them
 * ("crypto isakmp key ***** address ...").  Parsing the text again gives
 * the same configuration, the secrets aside.
 */
#ifndef DMVPN_CONF_CONF_SHOW_H
#define DMVPN_CONF_CONF_SHOW_H

#include <stdio.h>
#include "conf/conf.h"

#define CONF_SHOW_MASK "*****"	/* what stands for a key or a password */

void conf_show(const struct conf *c, FILE *f);

#endif /* DMVPN_CONF_CONF_SHOW_H */

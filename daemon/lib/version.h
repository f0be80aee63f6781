/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The release, said by dmvpnd --version and dmvpnctl --version.  One place:
 * the same as dkms.conf's PACKAGE_VERSION (tests/unit/run.sh checks it); a
 * build may give its own with -DDMVPN_VERSION='"..."'.
 */
#ifndef DMVPN_LIB_VERSION_H
#define DMVPN_LIB_VERSION_H

#ifndef DMVPN_VERSION
#define DMVPN_VERSION "0.1.0"
#endif

#endif /* DMVPN_LIB_VERSION_H */

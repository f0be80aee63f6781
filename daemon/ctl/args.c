// SPDX-License-Identifier: GPL-2.0
/* dmvpnctl argument parsers: numbers, addresses, algorithms, keys. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctl/ctl.h"

int ctl_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int ctl_parse_ipv4(const char *s, uint32_t *be)
{
	struct in_addr a;

	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*be = a.s_addr;
	return 0;
}

struct ctl_name {
	const char *name;
	uint8_t value;
};

static const struct ctl_name ctl_encs[] = {
	{ "null", MGRE_ENC_NULL }, { "esp-null", MGRE_ENC_NULL },
	{ "des", MGRE_ENC_DES_CBC }, { "esp-des", MGRE_ENC_DES_CBC },
	{ "3des", MGRE_ENC_3DES_CBC }, { "esp-3des", MGRE_ENC_3DES_CBC },
	{ "aes", MGRE_ENC_AES_CBC }, { "esp-aes", MGRE_ENC_AES_CBC },
	{ "aes-gcm", MGRE_ENC_AES_GCM }, { "esp-gcm", MGRE_ENC_AES_GCM },
	{ NULL, 0 },
};

static const struct ctl_name ctl_auths[] = {
	{ "none", MGRE_AUTH_NONE },
	{ "md5", MGRE_AUTH_HMAC_MD5 }, { "esp-md5-hmac", MGRE_AUTH_HMAC_MD5 },
	{ "sha1", MGRE_AUTH_HMAC_SHA1 }, { "esp-sha-hmac", MGRE_AUTH_HMAC_SHA1 },
	{ "sha256", MGRE_AUTH_HMAC_SHA256 }, { "esp-sha256-hmac", MGRE_AUTH_HMAC_SHA256 },
	{ "sha384", MGRE_AUTH_HMAC_SHA384 }, { "esp-sha384-hmac", MGRE_AUTH_HMAC_SHA384 },
	{ "sha512", MGRE_AUTH_HMAC_SHA512 }, { "esp-sha512-hmac", MGRE_AUTH_HMAC_SHA512 },
	{ NULL, 0 },
};

static int ctl_lookup(const struct ctl_name *t, const char *s, uint8_t *out)
{
	for (; s && t->name; t++) {
		if (!strcasecmp(t->name, s)) {
			*out = t->value;
			return 0;
		}
	}
	return -1;
}

int ctl_parse_enc(const char *s, uint8_t *enc)
{
	return ctl_lookup(ctl_encs, s, enc);
}

int ctl_parse_auth(const char *s, uint8_t *auth)
{
	return ctl_lookup(ctl_auths, s, auth);
}

int ctl_parse_dir(const char *s, uint8_t *dir)
{
	if (s && !strcmp(s, "in"))
		*dir = MGRE_DIR_IN;
	else if (s && !strcmp(s, "out"))
		*dir = MGRE_DIR_OUT;
	else
		return -1;
	return 0;
}

static int ctl_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int ctl_parse_hex(const char *s, size_t n, uint8_t *key, size_t *len,
			 char *err, size_t errlen)
{
	size_t i;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, n -= 2;
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (n == 0 || n % 2) {
		snprintf(err, errlen, "key must be an even number of hex digits");
		return -1;
	}
	if (n / 2 > CTL_KEY_MAX) {
		snprintf(err, errlen, "key longer than %d bytes", CTL_KEY_MAX);
		return -1;
	}
	for (i = 0; i < n; i += 2) {
		int hi = ctl_hexval(s[i]), lo = ctl_hexval(s[i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "key has a non-hex character");
			explicit_bzero(key, i / 2);
			return -1;
		}
		key[i / 2] = hi << 4 | lo;
	}
	*len = n / 2;
	return 0;
}

int ctl_parse_key(const char *s, uint8_t *key, size_t *len, char *err, size_t errlen)
{
	char buf[2 * CTL_KEY_MAX + 8];
	struct stat st;
	ssize_t n;
	int fd, rc;

	if (!s || !*s) {
		snprintf(err, errlen, "missing key");
		return -1;
	}
	if (*s != '@')
		return ctl_parse_hex(s, strlen(s), key, len, err, errlen);

	fd = open(s + 1, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", s + 1, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || (st.st_mode & (S_IROTH | S_IWOTH))) {
		snprintf(err, errlen, "%s: key file must not be world-readable or -writable",
			 s + 1);
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		snprintf(err, errlen, "%s: unreadable or too long", s + 1);
		explicit_bzero(buf, sizeof(buf));
		return -1;
	}
	rc = ctl_parse_hex(buf, n, key, len, err, errlen);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

const char *ctl_enc_name(uint8_t enc)
{
	static const char *const n[] = { "null", "des", "3des", "aes", "aes-gcm" };

	return enc < sizeof(n) / sizeof(n[0]) ? n[enc] : "unknown";
}

const char *ctl_auth_name(uint8_t auth)
{
	static const char *const n[] = { "none", "md5", "sha1", "sha256", "sha384", "sha512" };

	return auth < sizeof(n) / sizeof(n[0]) ? n[auth] : "unknown";
}

const char *ctl_stat_name(int attr)
{
	switch (attr) {
	case MGRE_STATS_A_TX_PACKETS: return "tx_packets";
	case MGRE_STATS_A_TX_BYTES: return "tx_bytes";
	case MGRE_STATS_A_RX_PACKETS: return "rx_packets";
	case MGRE_STATS_A_RX_BYTES: return "rx_bytes";
	case MGRE_STATS_A_NO_SA: return "no_sa";
	case MGRE_STATS_A_INVALID_SA: return "invalid_sa";
	case MGRE_STATS_A_REPLAY: return "replay";
	case MGRE_STATS_A_AUTH_FAIL: return "auth_fail";
	case MGRE_STATS_A_INVALID_LEN: return "invalid_len";
	case MGRE_STATS_A_GRE_ERR: return "gre_err";
	case MGRE_STATS_A_TX_ERR: return "tx_err";
	case MGRE_STATS_A_RX_ERR: return "rx_err";
	case MGRE_STATS_A_EXPIRED: return "expired";
	default: return NULL;
	}
}

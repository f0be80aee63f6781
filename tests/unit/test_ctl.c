// SPDX-License-Identifier: GPL-2.0
/* Unit tests of dmvpnctl's pure parts: parsers and output formatting. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "ctl/ctl.h"

static void test_numbers(void)
{
	uint64_t v;
	uint32_t a;

	CHECK(ctl_parse_u64("0x1001", UINT32_MAX, &v) == 0 && v == 0x1001);
	CHECK(ctl_parse_u64("4096", 4096, &v) == 0 && v == 4096);
	CHECK(ctl_parse_u64("4097", 4096, &v) == -1);
	CHECK(ctl_parse_u64("-1", UINT64_MAX, &v) == -1);
	CHECK(ctl_parse_u64("12abc", UINT64_MAX, &v) == -1);
	CHECK(ctl_parse_u64("", UINT64_MAX, &v) == -1);
	CHECK(ctl_parse_u64("18446744073709551616", UINT64_MAX, &v) == -1);
	CHECK(ctl_parse_ipv4("209.168.202.225", &a) == 0 &&
	      !memcmp(&a, "\xd1\xa8\xca\xe1", 4));
	CHECK(ctl_parse_ipv4("209.168.202", &a) == -1);
	CHECK(ctl_parse_ipv4("fe80::1", &a) == -1);
}

static void test_algorithms(void)
{
	static const struct { const char *n; int v; } enc[] = {
		{ "null", MGRE_ENC_NULL }, { "des", MGRE_ENC_DES_CBC },
		{ "esp-des", MGRE_ENC_DES_CBC }, { "3des", MGRE_ENC_3DES_CBC },
		{ "esp-3des", MGRE_ENC_3DES_CBC }, { "aes", MGRE_ENC_AES_CBC },
		{ "esp-aes", MGRE_ENC_AES_CBC }, { "aes-gcm", MGRE_ENC_AES_GCM },
		{ "esp-gcm", MGRE_ENC_AES_GCM }, { "ESP-AES", MGRE_ENC_AES_CBC },
	};
	static const struct { const char *n; int v; } auth[] = {
		{ "none", MGRE_AUTH_NONE }, { "md5", MGRE_AUTH_HMAC_MD5 },
		{ "esp-md5-hmac", MGRE_AUTH_HMAC_MD5 }, { "sha1", MGRE_AUTH_HMAC_SHA1 },
		{ "esp-sha-hmac", MGRE_AUTH_HMAC_SHA1 }, { "sha256", MGRE_AUTH_HMAC_SHA256 },
		{ "esp-sha256-hmac", MGRE_AUTH_HMAC_SHA256 },
		{ "esp-sha384-hmac", MGRE_AUTH_HMAC_SHA384 },
		{ "esp-sha512-hmac", MGRE_AUTH_HMAC_SHA512 },
	};
	uint8_t v;
	size_t i;

	for (i = 0; i < sizeof(enc) / sizeof(enc[0]); i++)
		CHECK(ctl_parse_enc(enc[i].n, &v) == 0 && v == enc[i].v);
	for (i = 0; i < sizeof(auth) / sizeof(auth[0]); i++)
		CHECK(ctl_parse_auth(auth[i].n, &v) == 0 && v == auth[i].v);
	CHECK(ctl_parse_enc("aes-ctr", &v) == -1);
	CHECK(ctl_parse_auth("sha3", &v) == -1);
	CHECK(ctl_parse_dir("in", &v) == 0 && v == MGRE_DIR_IN);
	CHECK(ctl_parse_dir("out", &v) == 0 && v == MGRE_DIR_OUT);
	CHECK(ctl_parse_dir("inout", &v) == -1);
	for (v = 0; v <= MGRE_ENC_MAX; v++) {
		uint8_t back;

		CHECK(ctl_parse_enc(ctl_enc_name(v), &back) == 0 && back == v);
	}
	for (v = 0; v <= MGRE_AUTH_MAX; v++) {
		uint8_t back;

		CHECK(ctl_parse_auth(ctl_auth_name(v), &back) == 0 && back == v);
	}
}

static void test_keys(void)
{
	char err[160], path[] = "/tmp/dmvpn-keyXXXXXX", arg[64];
	uint8_t key[CTL_KEY_MAX];
	size_t len;
	int fd;

	CHECK(ctl_parse_key("0x00112233", key, &len, err, sizeof(err)) == 0 && len == 4 &&
	      !memcmp(key, "\x00\x11\x22\x33", 4));
	CHECK(ctl_parse_key("AbCd", key, &len, err, sizeof(err)) == 0 && len == 2 &&
	      key[0] == 0xab && key[1] == 0xcd);
	CHECK(ctl_parse_key("abc", key, &len, err, sizeof(err)) == -1 && strstr(err, "even"));
	CHECK(ctl_parse_key("zz", key, &len, err, sizeof(err)) == -1 && strstr(err, "hex"));
	CHECK(ctl_parse_key("", key, &len, err, sizeof(err)) == -1);
	memset(arg, 'a', 63);
	arg[63] = 0;
	CHECK(ctl_parse_key(arg, key, &len, err, sizeof(err)) == -1);	/* odd */
	{
		char big[2 * CTL_KEY_MAX + 3];

		memset(big, 'b', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		big[2 * CTL_KEY_MAX + 2] = 0;
		CHECK(ctl_parse_key(big, key, &len, err, sizeof(err)) == -1 &&
		      strstr(err, "longer"));
	}

	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, "0102030405060708\n", 17) == 17);
	close(fd);
	snprintf(arg, sizeof(arg), "@%s", path);
	chmod(path, 0600);
	CHECK(ctl_parse_key(arg, key, &len, err, sizeof(err)) == 0 && len == 8 &&
	      key[7] == 8);
	chmod(path, 0644);
	CHECK(ctl_parse_key(arg, key, &len, err, sizeof(err)) == -1 &&
	      strstr(err, "world-readable"));
	unlink(path);
	CHECK(ctl_parse_key(arg, key, &len, err, sizeof(err)) == -1);
}

static void test_output(const char *json_path)
{
	struct mgre_peer_info p = { .ifindex = 1, .nbma = 0x0100a8c0, .encap = MGRE_ENCAP_ESPINUDP,
			      .sport = 4500, .dport = 4501, .pmtu = 1419, .out_spi = 0x1001 };
	struct mgre_sa_info s = { .ifindex = 1, .nbma = 0x0100a8c0, .dir = MGRE_DIR_OUT,
			    .enc = MGRE_ENC_3DES_CBC, .auth = MGRE_AUTH_HMAC_MD5,
			    .spi = 0xea8c83c1, .replay_window = 64, .esn = true,
			    .lim = { 0, 4608000ULL * 1024, 0, 0, 0, 120 }, .seq = 5 };
	struct mgre_mcast_info m = { .ifindex = 1, .nbma = 0x0100a8c0, .dynamic = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	p.stats.present = true;
	p.stats.v[MGRE_STATS_A_TX_PACKETS] = 5;
	p.stats.v[MGRE_STATS_A_REPLAY] = 2;
	s.stats = p.stats;

	f = open_memstream(&buf, &len);
	ctl_print_peer(f, &p, false);
	ctl_print_sa(f, &s, false);
	ctl_print_mcast(f, &m, false);
	fclose(f);
	CHECK(strstr(buf, "peer 192.168.0.1 dev lo encap udp sport 4500 dport 4501") != NULL);
	CHECK(strstr(buf, "#pkts encaps: 5, #pkts encrypt: 5, #pkts digest: 5") != NULL);
	CHECK(strstr(buf, "#pkts replay failed (rcv): 2") != NULL);
	CHECK(strstr(buf, "spi 0xEA8C83C1(3935077313) enc 3des auth md5") != NULL);
	CHECK(strstr(buf, "4718592000 bytes") != NULL);
	CHECK(strstr(buf, "multicast 192.168.0.1 dev lo dynamic") != NULL);
	free(buf);

	f = fopen(json_path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	ctl_json_begin(f);
	ctl_print_peer(f, &p, true);
	ctl_print_sa(f, &s, true);
	ctl_print_mcast(f, &m, true);
	ctl_json_end(f);
	fclose(f);
}

int main(int argc, char **argv)
{
	test_numbers();
	test_algorithms();
	test_keys();
	test_output(argc > 1 ? argv[1] : "/dev/null");
	return check_summary();
}

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
	CHECK(strstr(buf, "replay-window 64 esn mode transport seq 5") != NULL);
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

/* Parse a command line given as one string; 0 or -1 with err. */
static int parse_line(const char *line, struct ctl_args *a, char *err, size_t errlen)
{
	char buf[512], *argv[40];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 40; t = strtok(NULL, " "))
		argv[argc++] = t;
	return ctl_parse_cmd(argc, argv, a, err, errlen);
}

static void bad_args(const char *line, const char *want)
{
	struct ctl_args a;
	char err[256] = "";
	int r = parse_line(line, &a, err, sizeof(err));

	CHECK(r == -1 && strstr(err, want));
	if (r != -1 || !strstr(err, want))
		printf("#   %s: got \"%s\", want \"%s\"\n", line, r ? err : "(accepted)", want);
}

#define KEY16 "00112233445566778899aabbccddeeff"

/* Every argument checked before any socket: what is wrong, and nothing half-parsed. */
static void test_command_lines(void)
{
	struct ctl_args a;
	char err[256];

	CHECK(parse_line("sa add dev dmvpn0 nbma 10.0.0.2 dir out spi 0x1001 enc aes enc-key "
			 KEY16 " auth sha1 auth-key 0x0102 replay-window 128 esn hard-seconds 3600",
			 &a, err, sizeof(err)) == 0);
	CHECK(a.obj == CTL_SA && a.op == CTL_ADD && !strcmp(a.dev, "dmvpn0") && a.has_nbma &&
	      !memcmp(&a.nbma, "\x0a\x00\x00\x02", 4) && a.dir == MGRE_DIR_OUT &&
	      a.spi == 0x1001 && a.enc == MGRE_ENC_AES_CBC && a.enc_key_len == 16 &&
	      a.has_auth && a.auth == MGRE_AUTH_HMAC_SHA1 && a.auth_key_len == 2 &&
	      a.auth_key[1] == 2 && a.has_replay && a.replay == 128 && a.esn &&
	      a.has_lim[5] && a.lim[5] == 3600 && !a.has_lim[0]);
	CHECK(a.mode == MGRE_MODE_TRANSPORT);
	ctl_args_wipe(&a);
	CHECK(a.enc_key_len == 0 && a.enc_key[0] == 0);
	CHECK(parse_line("sa add dev t0 nbma 10.0.0.2 dir in spi 7 enc aes mode tunnel", &a, err,
			 sizeof(err)) == 0 && a.mode == MGRE_MODE_TUNNEL);
	CHECK(parse_line("sa add dev t0 nbma 10.0.0.2 dir in spi 7 enc aes mode transport", &a, err,
			 sizeof(err)) == 0 && a.mode == MGRE_MODE_TRANSPORT);
	CHECK(parse_line("peer", &a, err, sizeof(err)) == 0 && a.obj == CTL_PEER &&
	      a.op == CTL_SHOW && !a.dev);
	CHECK(parse_line("peer set dev t0 nbma 10.0.0.2 encap udp sport 4500 dport 4501", &a,
			 err, sizeof(err)) == 0 && a.has_encap && a.encap == MGRE_ENCAP_ESPINUDP &&
	      a.has_sport && a.sport == 4500 && a.dport == 4501);
	CHECK(parse_line("sa del dev t0 dir in spi 7", &a, err, sizeof(err)) == 0 &&
	      a.op == CTL_DEL && a.dir == MGRE_DIR_IN && a.spi == 7 && !a.has_nbma);
	CHECK(parse_line("mcast add dev t0 nbma 10.0.0.9 dynamic", &a, err, sizeof(err)) == 0 &&
	      a.obj == CTL_MCAST && a.op == CTL_ADD && a.dynamic);
	CHECK(parse_line("encap set dev t0 port 4500", &a, err, sizeof(err)) == 0 &&
	      a.port == 4500);
	CHECK(parse_line("monitor -c 3 -t 10", &a, err, sizeof(err)) == 0 && a.count == 3 &&
	      a.seconds == 10);
	CHECK(parse_line("spi alloc dev t0", &a, err, sizeof(err)) == 0 && a.op == CTL_ALLOC);
	CHECK(parse_line("flush dev t0", &a, err, sizeof(err)) == 0 && a.obj == CTL_FLUSH);

	bad_args("peer set dev t0", "peer set needs \"nbma\"");
	bad_args("peer del nbma 10.0.0.1", "peer del needs \"dev\"");
	bad_args("peer set dev t0 nbma 10.0.0", "invalid IPv4 address \"10.0.0\"");
	bad_args("peer set dev t0 nbma 10.0.0.1 encap gre", "encap must be esp or udp");
	bad_args("peer set dev t0 nbma 10.0.0.1 sport 65536", "invalid sport \"65536\"");
	bad_args("peer show encap udp", "unknown argument \"encap\" for peer show");
	bad_args("peer frob", "unknown peer command \"frob\"");
	bad_args("peer show dev", "\"dev\" needs a value");
	bad_args("peer show dev a dev b", "\"dev\" given twice");
	bad_args("peer show dev a/b", "\"a/b\" cannot be a device name");
	bad_args("peer show dev abcdefghijklmnopq", "cannot be a device name");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir in spi 1", "sa add needs \"enc\"");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir sideways spi 1 enc aes", "dir must be in or out");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir in spi 0x100000000 enc aes", "invalid SPI");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir in spi 1 enc rot13", "unknown encryption");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir in spi 1 enc aes auth crc32",
		 "unknown authentication \"crc32\"");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir in spi 1 enc aes enc-key abc",
		 "enc-key: key must be an even number of hex digits");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir in spi 1 enc aes replay-window x",
		 "invalid replay-window \"x\"");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir in spi 1 enc aes mode beet",
		 "unknown mode \"beet\" (transport, tunnel)");
	bad_args("sa add dev t0 nbma 10.0.0.1 dir in spi 1 enc aes hard-bytes -5",
		 "invalid hard-bytes");
	bad_args("sa del dev t0 dir in", "sa del needs \"spi\"");
	bad_args("sa show enc aes", "unknown argument \"enc\" for sa show");
	bad_args("sa frob", "unknown sa command");
	bad_args("spi", "usage: spi alloc dev IF");
	bad_args("spi alloc", "spi alloc needs \"dev\"");
	bad_args("mcast add dev t0", "mcast add needs \"nbma\"");
	bad_args("mcast show nbma 1.2.3.4", "unknown argument \"nbma\" for mcast show");
	bad_args("encap set dev t0 port 0", "encap set needs a port 1-65535");
	bad_args("encap set dev t0", "encap set needs a port");
	bad_args("encap", "unknown encap command \"\"");
	bad_args("encap del", "encap del needs \"dev\"");
	bad_args("flush", "flush needs \"dev\"");
	bad_args("monitor -c many", "monitor [-c COUNT] [-t SECONDS]");
	bad_args("frobnicate", "unknown object \"frobnicate\"");
	CHECK(ctl_is_nl_obj("sa") && ctl_is_nl_obj("monitor") && !ctl_is_nl_obj("show"));
}

static void test_empty(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ctl_print_none(f, "SAs");
	ctl_json_begin(f);
	ctl_json_end(f);
	fclose(f);
	CHECK(buf && !strcmp(buf, "no SAs\n[]\n"));
	free(buf);
}

int main(int argc, char **argv)
{
	test_numbers();
	test_algorithms();
	test_keys();
	test_command_lines();
	test_empty();
	test_output(argc > 1 ? argv[1] : "/dev/null");
	return check_summary();
}

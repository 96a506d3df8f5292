/* Unit tests of rdb.c: Redis's CRC64 check value, DUMP payloads that
 * redis-server 7.0.15 produced (golden bytes, so a change of encoding is
 * caught here and not by a Redis user), and the hostile payloads RESTORE
 * must refuse without reading or allocating past what they hold. */
#include <string.h>
#include <stdlib.h>

#include "testhelp.h"
#include "../rdb.h"

/* Decodes hex (no separators) into b. */
static void
unhex(const char *h, struct buf *b)
{
    buf_reset(b);
    for (size_t i = 0; h[i] && h[i + 1]; i += 2) {
        char two[3] = { h[i], h[i + 1], 0 };
        buf_put_u8(b, (uint8_t)strtoul(two, NULL, 16));
    }
}

/* Our DUMP of s equals the payload Redis produced for it. */
static int
dumps_as(const char *s, size_t len, const char *hex)
{
    struct buf got, want;
    int same;

    buf_init(&got);
    buf_init(&want);
    rdb_dump_string(s, len, &got);
    unhex(hex, &want);
    same = got.len == want.len && memcmp(got.p, want.p, got.len) == 0;
    buf_free(&got);
    buf_free(&want);
    return same;
}

/* Redis's payload (hex) restores to s. */
static int
restores_as(const char *hex, const char *s, size_t len)
{
    struct buf in, out;
    int type = -1, ok;

    buf_init(&in);
    buf_init(&out);
    unhex(hex, &in);
    ok = rdb_restore_string(in.p, in.len, 1 << 20, &out, &type) == RDB_OK &&
         out.len == len && (len == 0 || memcmp(out.p, s, len) == 0);
    buf_free(&in);
    buf_free(&out);
    return ok;
}

/* Wraps body in a version-10 footer with a correct CRC, then restores. */
static int
restore_body(const void *body, size_t blen, uint16_t version, size_t max,
             struct buf *out, int *type)
{
    struct buf in;
    uint64_t crc;
    int rc;

    buf_init(&in);
    buf_append(&in, body, blen);
    buf_put_u8(&in, (uint8_t)version);
    buf_put_u8(&in, (uint8_t)(version >> 8));
    crc = rdb_crc64(0, in.p, in.len);
    for (int i = 0; i < 8; i++) buf_put_u8(&in, (uint8_t)(crc >> (8 * i)));
    rc = rdb_restore_string(in.p, in.len, max, out, type);
    buf_free(&in);
    return rc;
}

static int
body_rc(const char *body, size_t blen)
{
    struct buf out;
    int type = -1, rc;

    buf_init(&out);
    rc = restore_body(body, blen, RDB_VERSION, 1 << 20, &out, &type);
    buf_free(&out);
    return rc;
}

/* Every string round-trips through our own encoder and decoder. */
static int
round_trips(const char *s, size_t len)
{
    struct buf enc, out;
    int type, ok;

    buf_init(&enc);
    buf_init(&out);
    rdb_dump_string(s, len, &enc);
    ok = rdb_restore_string(enc.p, enc.len, 1 << 20, &out, &type) ==
             RDB_OK && out.len == len && (len == 0 ||
                                          memcmp(out.p, s, len) == 0);
    buf_free(&enc);
    buf_free(&out);
    return ok;
}

/* Redis's DUMP of the bytes 0..255 (a 14-bit length). */
static const char bin256_hex[] =
    "004100000102030405060708090a0b0c0d0e0f10111213141516"
    "1718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30"
    "3132333435363738393a3b3c3d3e3f404142434445464748494a"
    "4b4c4d4e4f505152535455565758595a5b5c5d5e5f6061626364"
    "65666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e"
    "7f808182838485868788898a8b8c8d8e8f909192939495969798"
    "999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2"
    "b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcc"
    "cdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6"
    "e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff0a"
    "00a2fe30a40f146abf";

int
test_rdb(void)
{
    struct buf out, big;
    int type = -1;
    char bin[256], x21[21], ab60[60];

    buf_init(&out);
    buf_init(&big);
    for (int i = 0; i < 256; i++) bin[i] = (char)i;
    memset(x21, 'x', sizeof(x21));
    for (int i = 0; i < 60; i++) ab60[i] = i % 2 ? 'b' : 'a';

    test_cond("crc64 check value of \"123456789\"",
              rdb_crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9caULL);
    test_cond("crc64 continues across pieces",
              rdb_crc64(rdb_crc64(0, "1234", 4), "56789", 5) ==
                  0xe9c6d914c4b8d9caULL);

    test_cond("DUMP of raw strings is Redis's, byte for byte",
              dumps_as("", 0, "00000a005d9b5c400f7fa2da") &&
              dumps_as("a", 1, "0001610a00bffeef9b8f367db4") &&
              dumps_as("0012", 4, "0004303031320a00cb37f60bcb11085d"));
    test_cond("DUMP of integers uses Redis's INT8/16/32 encodings",
              dumps_as("12", 2, "00c00c0a003c2af8515c04bcd5") &&
              dumps_as("-5", 2, "00c0fb0a0049c4c6f4d7263f68") &&
              dumps_as("300", 3, "00c12c010a00954261f265825c10") &&
              dumps_as("70000", 5, "00c2701101000a0001a408fe953095a5") &&
              dumps_as("2147483647", 10,
                       "00c2ffffff7f0a002c74e59ee02eada1"));
    test_cond("integers past 32 bits dump as raw digits",
              dumps_as("2147483648", 10,
                       "000a323134373438333634380a00e7b129a34c1d76ee") &&
              dumps_as("12345678901234", 14,
                       "000e31323334353637383930313233340a00afcb8c7b76a08b6a"));
    test_cond("a 14-bit length (256 bytes of binary)",
              restores_as(bin256_hex, bin, 256) &&
              dumps_as(bin, 256, bin256_hex));
    test_cond("Redis's integer payloads restore as their decimal form",
              restores_as("00c00c0a003c2af8515c04bcd5", "12", 2) &&
              restores_as("00c0fb0a0049c4c6f4d7263f68", "-5", 2) &&
              restores_as("00c12c010a00954261f265825c10", "300", 3) &&
              restores_as("00c2ffffff7f0a002c74e59ee02eada1", "2147483647",
                          10) &&
              restores_as("00c0010a002678e7b6d10111fc", "1", 1));
    test_cond("Redis's LZF payloads restore",
              restores_as("00c30615017878e00a000a00941a83676017192f", x21,
                          21) &&
              restores_as("00c30a3c02616261e02e010161620a00bb16d3ebae6fc574",
                          ab60, 60));
    test_cond("long repetitive strings are LZF-compressed",
              dumps_as(x21, 21, "00c30615017878e00a000a00941a83676017192f") &&
              dumps_as(ab60, 60,
                       "00c30a3c02616261e02e010161620a00bb16d3ebae6fc574"));
    test_cond("round trips: empty, integers, binary, long",
              round_trips("", 0) && round_trips("-2147483648", 11) &&
              round_trips("-2147483649", 11) && round_trips("007", 3) &&
              round_trips(bin, 256) && round_trips(x21, 21) &&
              round_trips(ab60, 60));
    /* Incompressible (xorshift bytes), so it is stored raw. */
    buf_reset(&big);
    for (uint32_t i = 0, x = 2463534242u; i < 70000; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf_put_u8(&big, (uint8_t)x);
    }
    buf_reset(&out);
    rdb_dump_string(big.p, big.len, &out);
    test_cond("a 70000-byte random value has a 32-bit length and round-trips",
              (unsigned char)out.p[1] == 0x80 && round_trips(big.p, big.len));

    test_cond("older RDB versions are accepted (Redis 6 writes 9)",
              restore_body("\x00\x03" "abc", 5, 9, 100, &out, &type) ==
                  RDB_OK && out.len == 3);
    test_cond("a newer RDB version is refused",
              restore_body("\x00\x03" "abc", 5, 11, 100, &out, &type) ==
                  RDB_ERR_FOOTER);
    test_cond("a payload shorter than its footer is refused",
              rdb_restore_string("\x00\x0a\x00\x00\x00\x00\x00\x00\x00", 9,
                                 100, &out, &type) == RDB_ERR_FOOTER);
    unhex("0001610a00bffeef9b8f367db5", &big);
    test_cond("a wrong CRC is refused",
              rdb_restore_string(big.p, big.len, 100, &out, &type) ==
                  RDB_ERR_FOOTER);
    test_cond("a list payload names its type",
              restore_body("\x12\x01\x02", 3, 10, 100, &out, &type) ==
                  RDB_ERR_TYPE && type == 18 &&
              !strcmp(rdb_type_name(type), "list"));
    test_cond("hash, set, zset, stream types are recognised",
              !strcmp(rdb_type_name(16), "hash") &&
              !strcmp(rdb_type_name(11), "set") &&
              !strcmp(rdb_type_name(17), "zset") &&
              !strcmp(rdb_type_name(19), "stream") &&
              rdb_type_name(8) == NULL && rdb_type_name(20) == NULL);
    test_cond("unknown object types are bad data",
              body_rc("\x08\x01" "a", 3) == RDB_ERR_FORMAT &&
              body_rc("\x14\x01" "a", 3) == RDB_ERR_FORMAT &&
              body_rc("", 0) == RDB_ERR_FORMAT);
    test_cond("lengths past the object are bad data (never the footer)",
              body_rc("\x00\x05" "abc", 5) == RDB_ERR_FORMAT &&
              body_rc("\x00\xc1\x01", 3) == RDB_ERR_FORMAT &&
              body_rc("\x00\xc2\x01\x02\x03", 5) == RDB_ERR_FORMAT &&
              body_rc("\x00\x40", 2) == RDB_ERR_FORMAT &&
              body_rc("\x00\x80\x00\x00", 4) == RDB_ERR_FORMAT &&
              body_rc("\x00\x81\xff\xff\xff\xff\xff\xff\xff\xff", 10) ==
                  RDB_ERR_FORMAT);
    test_cond("unknown length and string encodings are bad data",
              body_rc("\x00\x82\x01", 3) == RDB_ERR_FORMAT &&
              body_rc("\x00\xc4\x01", 3) == RDB_ERR_FORMAT);
    test_cond("32- and 64-bit lengths",
              body_rc("\x00\x80\x00\x00\x00\x02" "ab", 8) == RDB_OK &&
              body_rc("\x00\x81\x00\x00\x00\x00\x00\x00\x00\x02" "ab", 12) ==
                  RDB_OK);
    test_cond("LZF: compressed length 0 or past the payload is bad data",
              body_rc("\x00\xc3\x00\x03", 4) == RDB_ERR_FORMAT &&
              body_rc("\x00\xc3\x09\x15\x01xx\xe0\x0a\x00", 10) ==
                  RDB_ERR_FORMAT);
    test_cond("LZF: a wrong uncompressed length is bad data",
              body_rc("\x00\xc3\x06\x16\x01xx\xe0\x0a\x00", 10) ==
                  RDB_ERR_FORMAT &&
              body_rc("\x00\xc3\x06\x14\x01xx\xe0\x0a\x00", 10) ==
                  RDB_ERR_FORMAT);
    test_cond("LZF: a back reference before the start is bad data",
              body_rc("\x00\xc3\x02\x10\x20\x00", 6) == RDB_ERR_FORMAT);
    test_cond("LZF: uncompressed length 0 is the empty string (as Redis)",
              restore_body("\x00\xc3\x01\x00\x00", 5, 10, 100, &out,
                           &type) == RDB_OK && out.len == 0);
    test_cond("LZF: a huge declared length is refused before allocating",
              restore_body("\x00\xc3\x01\x81\x00\x00\x01\x00\x00\x00\x00\x00"
                           "\x00", 13, 10, 1 << 20, &out, &type) ==
                  RDB_ERR_SIZE);
    test_cond("a raw string longer than the limit is refused",
              restore_body("\x00\x03" "abc", 5, 10, 2, &out, &type) ==
                  RDB_ERR_SIZE);
    test_cond("bytes after the object are ignored (as Redis)",
              restore_body("\x00\x03" "abcXYZ", 8, 10, 100, &out, &type) ==
                  RDB_OK && out.len == 3 && !memcmp(out.p, "abc", 3));

    buf_free(&out);
    buf_free(&big);
    return 0;
}

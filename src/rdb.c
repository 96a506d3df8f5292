/* Encoding and decoding of DUMP payloads (see rdb.h), written from the
 * format Redis documents and its rdb.c reads.
 *
 * DESIGN
 * A payload is [object][version u16 LE][crc64 u64 LE]. The object we
 * handle is a type byte 0 (string) followed by an RDB string:
 *   - a length, then that many bytes. A length's first byte says its
 *     size by its top two bits: 00 six bits, 01 fourteen bits (with the
 *     next byte, big-endian), 10 with the byte 0x80 a 32-bit and 0x81 a
 *     64-bit big-endian length after it; 11 is not a length but an
 *     encoding in the low six bits:
 *   - 0, 1, 2: a little-endian signed integer of 1, 2 or 4 bytes whose
 *     decimal form is the string;
 *   - 3: LZF, a compressed length, the uncompressed length, then the
 *     compressed bytes (liblzf decompresses; it checks its input).
 * Reading is bounded by the object's part of the payload (the footer is
 * never read as data, which Redis does not guarantee), and nothing is
 * allocated until the length it needs is known to be acceptable. Bytes
 * after the object are ignored, as Redis ignores them. */
#include <string.h>
#include <limits.h>
#include <lzf.h>

#include "rdb.h"

#define RDB_TYPE_STRING 0

#define RDB_LEN_6BIT  0          /* top two bits of a length's first byte */
#define RDB_LEN_14BIT 1
#define RDB_LEN_ENCVAL 3         /* not a length: an encoding follows */
#define RDB_LEN_32BIT 0x80       /* whole first byte */
#define RDB_LEN_64BIT 0x81

#define RDB_ENC_INT8  0          /* encodings (low six bits) */
#define RDB_ENC_INT16 1
#define RDB_ENC_INT32 2
#define RDB_ENC_LZF   3

#define RDB_INT_MAX_LEN 11       /* longest string tried as an integer */
#define RDB_LZF_MIN_LEN 21       /* shortest string tried with LZF */
#define RDB_LZF_OVERHEAD 4       /* compression must save at least this */

/* ---- CRC64 --------------------------------------------------------------- */

/* The Jones polynomial 0xad93d23594c935a9, bit-reversed for the
 * reflected (least significant bit first) form Redis computes. */
#define CRC64_POLY_REFLECTED 0x95ac9329ac4bc9b5ULL

static uint64_t crc64_table[256];
static int crc64_ready;

static void
crc64_init(void)
{
    for (int i = 0; i < 256; i++) {
        uint64_t c = (uint64_t)i;
        for (int bit = 0; bit < 8; bit++)
            c = (c & 1) ? (c >> 1) ^ CRC64_POLY_REFLECTED : c >> 1;
        crc64_table[i] = c;
    }
    crc64_ready = 1;
}

uint64_t
rdb_crc64(uint64_t crc, const void *p, size_t len)
{
    const unsigned char *s = p;

    if (!crc64_ready) crc64_init();
    for (size_t i = 0; i < len; i++)
        crc = crc64_table[(crc ^ s[i]) & 0xff] ^ (crc >> 8);
    return crc;
}

/* ---- Encoding ------------------------------------------------------------ */

static void
put_len(struct buf *out, uint64_t len)
{
    unsigned char b[9];

    if (len < (1 << 6)) {
        buf_put_u8(out, (uint8_t)len);
    } else if (len < (1 << 14)) {
        b[0] = (unsigned char)((RDB_LEN_14BIT << 6) | (len >> 8));
        b[1] = (unsigned char)len;
        buf_append(out, b, 2);
    } else if (len <= UINT32_MAX) {
        buf_put_u8(out, RDB_LEN_32BIT);
        buf_put_u32(out, (uint32_t)len);
    } else {
        buf_put_u8(out, RDB_LEN_64BIT);
        buf_put_u64(out, len);
    }
}

static void
put_le(struct buf *out, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) buf_put_u8(out, (uint8_t)(v >> (8 * i)));
}

/* The integer encoding when s is the canonical decimal form of a 32-bit
 * integer (so that decoding gives back the same bytes). */
static int
put_int_string(struct buf *out, const char *s, size_t len)
{
    long long v;
    char canon[32];
    int enc, bytes;

    if (len == 0 || len > RDB_INT_MAX_LEN || !string2ll(s, len, &v))
        return 0;
    if ((size_t)ll2string(canon, sizeof(canon), v) != len ||
        memcmp(canon, s, len) != 0)
        return 0;
    if (v >= INT8_MIN && v <= INT8_MAX) {
        enc = RDB_ENC_INT8, bytes = 1;
    } else if (v >= INT16_MIN && v <= INT16_MAX) {
        enc = RDB_ENC_INT16, bytes = 2;
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        enc = RDB_ENC_INT32, bytes = 4;
    } else {
        return 0;
    }
    buf_put_u8(out, (uint8_t)((RDB_LEN_ENCVAL << 6) | enc));
    put_le(out, (uint64_t)v, bytes);
    return 1;
}

/* LZF when it saves more than RDB_LZF_OVERHEAD bytes, as Redis does. */
static int
put_lzf_string(struct buf *out, const char *s, size_t len)
{
    struct buf tmp;
    unsigned int clen;

    if (len < RDB_LZF_MIN_LEN || len > UINT_MAX) return 0;
    buf_init(&tmp);
    buf_reserve(&tmp, len - RDB_LZF_OVERHEAD);
    clen = lzf_compress(s, (unsigned int)len, tmp.p,
                        (unsigned int)(len - RDB_LZF_OVERHEAD));
    if (clen > 0) {
        buf_put_u8(out, (RDB_LEN_ENCVAL << 6) | RDB_ENC_LZF);
        put_len(out, clen);
        put_len(out, len);
        buf_append(out, tmp.p, clen);
    }
    buf_free(&tmp);
    return clen > 0;
}

void
rdb_dump_string(const void *p, size_t len, struct buf *out)
{
    size_t start = out->len;
    uint64_t crc;

    buf_put_u8(out, RDB_TYPE_STRING);
    if (!put_int_string(out, p, len) && !put_lzf_string(out, p, len)) {
        put_len(out, len);
        buf_append(out, p, len);
    }
    put_le(out, RDB_VERSION, 2);
    crc = rdb_crc64(0, out->p + start, out->len - start);
    put_le(out, crc, 8);
}

/* ---- Decoding ------------------------------------------------------------ */

static uint64_t
get_le(const unsigned char *p, int bytes)
{
    uint64_t v = 0;

    for (int i = bytes - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* Reads a length, or (*encoded set) an encoding number. */
static int
get_len(struct reader *r, uint64_t *len, int *encoded)
{
    uint8_t b0, b1;
    uint32_t v32;

    *encoded = 0;
    if (reader_u8(r, &b0) != DKV_OK) return DKV_ERR;
    switch (b0 >> 6) {
    case RDB_LEN_6BIT:
        *len = b0 & 0x3f;
        return DKV_OK;
    case RDB_LEN_14BIT:
        if (reader_u8(r, &b1) != DKV_OK) return DKV_ERR;
        *len = (uint64_t)(b0 & 0x3f) << 8 | b1;
        return DKV_OK;
    case RDB_LEN_ENCVAL:
        *encoded = 1;
        *len = b0 & 0x3f;
        return DKV_OK;
    }
    if (b0 == RDB_LEN_32BIT) {
        if (reader_u32(r, &v32) != DKV_OK) return DKV_ERR;
        *len = v32;
        return DKV_OK;
    }
    if (b0 == RDB_LEN_64BIT) return reader_u64(r, len);
    return DKV_ERR;
}

static int
get_int_string(struct reader *r, int bytes, struct buf *out)
{
    const unsigned char *p;
    uint64_t u;
    long long v;
    char digits[32];

    if (reader_bytes(r, (size_t)bytes, &p) != DKV_OK) return RDB_ERR_FORMAT;
    u = get_le(p, bytes);
    /* Sign-extend from the encoded width. */
    if (bytes == 1) v = (int8_t)u;
    else if (bytes == 2) v = (int16_t)u;
    else v = (int32_t)u;
    buf_append(out, digits, (size_t)ll2string(digits, sizeof(digits), v));
    return RDB_OK;
}

static int
get_lzf_string(struct reader *r, size_t max_len, struct buf *out)
{
    uint64_t clen, ulen;
    int encoded;
    const unsigned char *c;

    /* Redis reads both lengths ignoring an encoding flag: so do we. */
    if (get_len(r, &clen, &encoded) != DKV_OK ||
        get_len(r, &ulen, &encoded) != DKV_OK)
        return RDB_ERR_FORMAT;
    /* liblzf reads one byte before it looks at the input's length. */
    if (clen == 0 || clen > r->left) return RDB_ERR_FORMAT;
    if (ulen > max_len) return RDB_ERR_SIZE;
    if (clen > UINT_MAX || ulen > UINT_MAX) return RDB_ERR_FORMAT;
    if (reader_bytes(r, (size_t)clen, &c) != DKV_OK) return RDB_ERR_FORMAT;
    /* An empty result Redis accepts whatever the input (liblzf has no
     * room to write, so it stops at once). */
    if (ulen == 0) return RDB_OK;
    buf_reserve(out, (size_t)ulen);
    if (lzf_decompress(c, (unsigned int)clen, out->p,
                       (unsigned int)ulen) != ulen)
        return RDB_ERR_FORMAT;
    out->len = (size_t)ulen;
    return RDB_OK;
}

int
rdb_restore_string(const void *payload, size_t len, size_t max_len,
                   struct buf *out, int *type)
{
    const unsigned char *p = payload, *footer, *s;
    struct reader r;
    uint64_t slen, crc;
    uint8_t t;
    int encoded;

    buf_reset(out);
    if (len < RDB_FOOTER_LEN) return RDB_ERR_FOOTER;
    footer = p + len - RDB_FOOTER_LEN;
    if (get_le(footer, 2) > RDB_VERSION) return RDB_ERR_FOOTER;
    crc = rdb_crc64(0, p, len - 8);
    if (crc != get_le(footer + 2, 8)) return RDB_ERR_FOOTER;

    reader_init(&r, p, len - RDB_FOOTER_LEN);
    if (reader_u8(&r, &t) != DKV_OK) return RDB_ERR_FORMAT;
    if (t != RDB_TYPE_STRING) {
        if (rdb_type_name(t) == NULL) return RDB_ERR_FORMAT;
        *type = t;
        return RDB_ERR_TYPE;
    }
    if (get_len(&r, &slen, &encoded) != DKV_OK) return RDB_ERR_FORMAT;
    if (encoded) {
        switch (slen) {
        case RDB_ENC_INT8: return get_int_string(&r, 1, out);
        case RDB_ENC_INT16: return get_int_string(&r, 2, out);
        case RDB_ENC_INT32: return get_int_string(&r, 4, out);
        case RDB_ENC_LZF: return get_lzf_string(&r, max_len, out);
        }
        return RDB_ERR_FORMAT;
    }
    if (slen > r.left) return RDB_ERR_FORMAT;
    if (slen > max_len) return RDB_ERR_SIZE;
    if (reader_bytes(&r, (size_t)slen, &s) != DKV_OK) return RDB_ERR_FORMAT;
    buf_append(out, s, (size_t)slen);
    return RDB_OK;
}

/* Redis 7.0's object types (rdb.h there), by the data type they hold;
 * 8 was never used. */
const char *
rdb_type_name(int type)
{
    switch (type) {
    case 0: return "string";
    case 1: case 10: case 14: case 18: return "list";
    case 2: case 11: return "set";
    case 3: case 5: case 12: case 17: return "zset";
    case 4: case 9: case 13: case 16: return "hash";
    case 6: case 7: return "module";
    case 15: case 19: return "stream";
    }
    return NULL;
}

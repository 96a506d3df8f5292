/* Small helpers shared by every module: time, number <-> string
 * conversion in Redis's exact formats, checked allocation and a growable
 * byte buffer. Keep it small; anything with a concern of its own gets its
 * own module. */
#ifndef DKV_UTIL_H
#define DKV_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define DKV_OK 0
#define DKV_ERR -1

/* Wall-clock time. mstime() goes through the debug clock offset
 * (util_clock_offset_ms) so tests can skew a node's clock. */
extern int64_t util_clock_offset_ms;
int64_t ustime(void);
int64_t mstime(void);
int64_t monotonic_us(void);

/* Allocation that aborts with a log line on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
void *xmemdup(const void *p, size_t n);

/* Strict conversions with Redis's rules: no spaces, no leading '+', no
 * leading zeros (except "0"), within range. Return 1 on success. */
int string2ll(const char *s, size_t len, long long *out);
int string2ld(const char *s, size_t len, long double *out);
/* Writes the decimal form of v into buf (no NUL needed by callers that use
 * the returned length); returns the length. buf needs 21 bytes. */
int ll2string(char *buf, size_t size, long long v);
/* Redis's INCRBYFLOAT format: "%.17Lg" without trailing zeros. */
int ld2string(char *buf, size_t size, long double v);

/* 64-bit FNV-1a of bytes: "is this still the same?" checks, not security. */
uint64_t bytes_hash(const void *p, size_t len);

/* Glob-style pattern match (Redis KEYS/SCAN MATCH semantics). */
int string_match(const char *pat, size_t patlen, const char *s, size_t slen,
                 int nocase);

/* Parse a size with an optional unit (k, kb, m, mb, g, gb; case-insensitive)
 * as redis.conf does. Returns 1 on success. */
int parse_memory(const char *s, long long *out);

/* A growable byte buffer: the one way modules hand variable-length bytes
 * around (encoders write into it, store reads into it). */
struct buf {
    char *p;     /* bytes, owned; NULL until first append */
    size_t len;  /* bytes used */
    size_t cap;  /* bytes allocated */
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
/* p quoted with C escapes, as Redis's sdscatrepr writes it (MONITOR,
 * CONFIG REWRITE). */
void buf_append_repr(struct buf *b, const char *p, size_t len);
void buf_put_u8(struct buf *b, uint8_t v);
void buf_put_u32(struct buf *b, uint32_t v);
void buf_put_u64(struct buf *b, uint64_t v);

/* A bounds-checked reader over bytes; every get fails (returns DKV_ERR)
 * once the input runs short, and the reader stays failed. */
struct reader {
    const unsigned char *p;  /* next byte */
    size_t left;             /* bytes left */
    int err;                 /* sticky: set on the first short read */
};
void reader_init(struct reader *r, const void *p, size_t len);
int reader_u8(struct reader *r, uint8_t *v);
int reader_u32(struct reader *r, uint32_t *v);
int reader_u64(struct reader *r, uint64_t *v);
int reader_bytes(struct reader *r, size_t n, const unsigned char **out);

#endif

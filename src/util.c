/* Small shared helpers (see util.h): clocks, checked allocation, Redis's
 * number formats, glob matching, memory units, and the buf/reader pair
 * every encoder and decoder uses. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util.h"

int64_t util_clock_offset_ms;

int64_t
ustime(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 +
           util_clock_offset_ms * 1000;
}

int64_t
mstime(void)
{
    return ustime() / 1000;
}

int64_t
monotonic_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- Allocation ---------------------------------------------------------- */

static void
oom(size_t n)
{
    fprintf(stderr, "dkv: out of memory allocating %zu bytes\n", n);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) oom(n);
    return p;
}

void *
xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (p == NULL) oom(n * sz);
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) oom(n);
    return q;
}

char *
xstrdup(const char *s)
{
    return xmemdup(s, strlen(s) + 1);
}

void *
xmemdup(const void *p, size_t n)
{
    void *q = xmalloc(n);
    if (n) memcpy(q, p, n);
    return q;
}

/* ---- Numbers ------------------------------------------------------------- */

int
string2ll(const char *s, size_t len, long long *out)
{
    const char *p = s, *end = s + len;
    int neg = 0;
    unsigned long long v = 0;

    if (len == 0 || len > 20) return 0;
    if (len == 1 && s[0] == '0') {
        *out = 0;
        return 1;
    }
    if (*p == '-') {
        neg = 1;
        if (++p == end) return 0;
    }
    /* No leading zeros, no '+', no spaces: the canonical form only, so a
     * number round-trips to the same bytes. */
    if (*p < '1' || *p > '9') return 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9') return 0;
        if (v > (ULLONG_MAX - (*p - '0')) / 10) return 0;
        v = v * 10 + (*p - '0');
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1) return 0;
        *out = (long long)(0 - v);
    } else {
        if (v > (unsigned long long)LLONG_MAX) return 0;
        *out = (long long)v;
    }
    return 1;
}

/* As Redis 7.0's: up to 5 KB (INCRBYFLOAT's results can be 310 digits
 * long and must parse again), "inf" accepted (the caller refuses an
 * infinite result), an overflow or underflow to zero and NaN refused. */
int
string2ld(const char *s, size_t len, long double *out)
{
    char buf[5 * 1024];
    char *eptr;
    long double v;

    if (len == 0 || len >= sizeof(buf)) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0])) return 0;
    errno = 0;
    v = strtold(buf, &eptr);
    if (*eptr != '\0' || isnan(v) ||
        (errno == ERANGE && (isinf(v) || fpclassify(v) == FP_ZERO)))
        return 0;
    *out = v;
    return 1;
}

int
ll2string(char *buf, size_t size, long long v)
{
    char tmp[24];
    unsigned long long u = v < 0 ? 0 - (unsigned long long)v
                                 : (unsigned long long)v;
    int n = 0, len = 0;

    do {
        tmp[n++] = '0' + (char)(u % 10);
        u /= 10;
    } while (u);
    if (v < 0) tmp[n++] = '-';
    if ((size_t)n + 1 > size) {
        if (size) buf[0] = '\0';
        return 0;
    }
    while (n) buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

int
ld2string(char *buf, size_t size, long double v)
{
    int n = snprintf(buf, size, "%.17Lf", v);

    if (n < 0 || (size_t)n >= size) return 0;
    /* Redis's "humanfriendly" form: fixed point without trailing zeros. */
    if (strchr(buf, '.')) {
        while (n > 0 && buf[n - 1] == '0') n--;
        if (n > 0 && buf[n - 1] == '.') n--;
        buf[n] = '\0';
    }
    if (n == 2 && !strcmp(buf, "-0")) {
        buf[0] = '0';
        buf[1] = '\0';
        n = 1;
    }
    return n;
}

int
parse_memory(const char *s, long long *out)
{
    char *end;
    long long v, mul = 1;

    if (s == NULL || *s == '\0' || *s == '-' || isspace((unsigned char)*s))
        return 0;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (end == s || errno == ERANGE) return 0;
    if (!strcasecmp(end, "")) mul = 1;
    else if (!strcasecmp(end, "b")) mul = 1;
    else if (!strcasecmp(end, "k")) mul = 1000;
    else if (!strcasecmp(end, "kb")) mul = 1024;
    else if (!strcasecmp(end, "m")) mul = 1000 * 1000;
    else if (!strcasecmp(end, "mb")) mul = 1024 * 1024;
    else if (!strcasecmp(end, "g")) mul = 1000LL * 1000 * 1000;
    else if (!strcasecmp(end, "gb")) mul = 1024LL * 1024 * 1024;
    else return 0;
    if (v > LLONG_MAX / mul) return 0;
    *out = v * mul;
    return 1;
}

/* ---- Glob matching ------------------------------------------------------- */

/* Redis 7's stringmatchlen, byte for byte in what it matches (a class's
 * quirks included: "[a-]" is the range a..']', an escape inside a class
 * ignores nocase, bytes compare as char), written with lengths instead of
 * NUL terminators.
 *
 * A '*' tries every suffix of the string for the rest of the pattern, so
 * plain backtracking is exponential in the stars ("a*a*a*a*b" against a
 * long run of 'a's). Redis 7's fix is kept: once the rest of the pattern
 * failed against every suffix, no earlier star can succeed by eating more
 * (it would only leave a shorter suffix), so *skip unwinds the whole
 * search. Each star then scans the string once, and a match costs
 * O(pattern x string). Recursion is one level per star, capped at
 * GLOB_MAX_NESTING as Redis caps it (a deeper pattern matches nothing). */

#define GLOB_MAX_NESTING 1000

static int
glob_fold(int c, int nocase)
{
    return nocase ? tolower(c) : c;
}

static int
glob_impl(const char *p, size_t plen, const char *s, size_t slen,
          int nocase, int *skip, int nesting)
{
    if (nesting > GLOB_MAX_NESTING) return 0;
    while (plen && slen) {
        switch (p[0]) {
        case '*':
            while (plen > 1 && p[1] == '*') {
                p++;
                plen--;
            }
            if (plen == 1) return 1;
            while (slen) {
                if (glob_impl(p + 1, plen - 1, s, slen, nocase, skip,
                              nesting + 1))
                    return 1;
                if (*skip) return 0;
                s++;
                slen--;
            }
            *skip = 1;
            return 0;
        case '?':
            s++;
            slen--;
            break;
        case '[': {
            int neg, hit = 0;

            p++;
            plen--;
            neg = plen && p[0] == '^';
            if (neg) {
                p++;
                plen--;
            }
            while (1) {
                if (plen == 0) {
                    /* Unterminated: the last byte stands for the ']'. */
                    p--;
                    plen++;
                    break;
                } else if (p[0] == '\\' && plen >= 2) {
                    p++;
                    plen--;
                    if (p[0] == s[0]) hit = 1;
                } else if (p[0] == ']') {
                    break;
                } else if (plen >= 3 && p[1] == '-') {
                    int lo = p[0], hi = p[2], c = s[0];
                    if (lo > hi) {
                        int t = lo;
                        lo = hi;
                        hi = t;
                    }
                    lo = glob_fold(lo, nocase);
                    hi = glob_fold(hi, nocase);
                    c = glob_fold(c, nocase);
                    p += 2;
                    plen -= 2;
                    if (c >= lo && c <= hi) hit = 1;
                } else if (glob_fold(p[0], nocase) == glob_fold(s[0], nocase)) {
                    hit = 1;
                }
                p++;
                plen--;
            }
            if (neg) hit = !hit;
            if (!hit) return 0;
            s++;
            slen--;
            break;
        }
        case '\\':
            if (plen >= 2) {
                p++;
                plen--;
            }
            /* fall through */
        default:
            if (glob_fold(p[0], nocase) != glob_fold(s[0], nocase)) return 0;
            s++;
            slen--;
            break;
        }
        p++;
        plen--;
        if (slen == 0) {
            while (plen && p[0] == '*') {
                p++;
                plen--;
            }
            break;
        }
    }
    return plen == 0 && slen == 0;
}

int
string_match(const char *pat, size_t patlen, const char *s, size_t slen,
             int nocase)
{
    int skip = 0;

    return glob_impl(pat, patlen, s, slen, nocase, &skip, 0);
}

/* ---- buf / reader -------------------------------------------------------- */

void
buf_init(struct buf *b)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
}

void
buf_free(struct buf *b)
{
    free(b->p);
    buf_init(b);
}

void
buf_reset(struct buf *b)
{
    b->len = 0;
}

void
buf_reserve(struct buf *b, size_t extra)
{
    size_t need = b->len + extra;

    if (need <= b->cap) return;
    if (need < b->cap * 2) need = b->cap * 2;
    if (need < 64) need = 64;
    b->p = xrealloc(b->p, need);
    b->cap = need;
}

void
buf_append(struct buf *b, const void *p, size_t n)
{
    if (n == 0) return;
    buf_reserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

void
buf_append_repr(struct buf *b, const char *p, size_t len)
{
    buf_append(b, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        char esc[8];

        switch (c) {
        case '\\': buf_append(b, "\\\\", 2); break;
        case '"': buf_append(b, "\\\"", 2); break;
        case '\n': buf_append(b, "\\n", 2); break;
        case '\r': buf_append(b, "\\r", 2); break;
        case '\t': buf_append(b, "\\t", 2); break;
        case '\a': buf_append(b, "\\a", 2); break;
        case '\b': buf_append(b, "\\b", 2); break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                snprintf(esc, sizeof(esc), "\\x%02x", c);
                buf_append(b, esc, 4);
            } else {
                buf_append(b, &p[i], 1);
            }
        }
    }
    buf_append(b, "\"", 1);
}

void
buf_put_u8(struct buf *b, uint8_t v)
{
    buf_append(b, &v, 1);
}

void
buf_put_u32(struct buf *b, uint32_t v)
{
    unsigned char t[4] = { v >> 24, v >> 16, v >> 8, v };
    buf_append(b, t, 4);
}

void
buf_put_u64(struct buf *b, uint64_t v)
{
    buf_put_u32(b, (uint32_t)(v >> 32));
    buf_put_u32(b, (uint32_t)v);
}

void
reader_init(struct reader *r, const void *p, size_t len)
{
    r->p = p;
    r->left = len;
    r->err = 0;
}

int
reader_bytes(struct reader *r, size_t n, const unsigned char **out)
{
    if (r->err || r->left < n) {
        r->err = 1;
        return DKV_ERR;
    }
    *out = r->p;
    r->p += n;
    r->left -= n;
    return DKV_OK;
}

int
reader_u8(struct reader *r, uint8_t *v)
{
    const unsigned char *p;

    if (reader_bytes(r, 1, &p) != DKV_OK) return DKV_ERR;
    *v = p[0];
    return DKV_OK;
}

int
reader_u32(struct reader *r, uint32_t *v)
{
    const unsigned char *p;

    if (reader_bytes(r, 4, &p) != DKV_OK) return DKV_ERR;
    *v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
    return DKV_OK;
}

int
reader_u64(struct reader *r, uint64_t *v)
{
    uint32_t hi, lo;

    if (reader_u32(r, &hi) != DKV_OK || reader_u32(r, &lo) != DKV_OK)
        return DKV_ERR;
    *v = (uint64_t)hi << 32 | lo;
    return DKV_OK;
}

uint64_t
bytes_hash(const void *p, size_t len)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Version sets (see version.h for the rules and why they are the
 * dotted-version-vector ones). */
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <openssl/evp.h>

#include "version.h"

#define VSET_FORMAT 1
#define CONTEXT_FORMAT 1
#define CONTEXT_SUM_LEN 4

/* ---- One version --------------------------------------------------------- */

void
version_init(struct version *v)
{
    memset(v, 0, sizeof(*v));
    vclock_init(&v->clock);
}

void
version_free(struct version *v)
{
    vclock_free(&v->clock);
    free(v->val);
    free(v->ctr);
    version_init(v);
}

void
version_copy(struct version *dst, const struct version *src)
{
    struct vclock clock;

    vclock_init(&clock);
    vclock_copy(&clock, &src->clock);
    free(dst->val);
    free(dst->ctr);
    vclock_free(&dst->clock);
    *dst = *src;
    dst->clock = clock;
    dst->val = src->len ? xmemdup(src->val, src->len) : NULL;
    dst->ctr = src->nctr ? xmemdup(src->ctr, sizeof(*src->ctr) * src->nctr)
                         : NULL;
}

int
version_live(const struct version *v, int64_t now_ms)
{
    return v->kind != VERSION_TOMBSTONE &&
           (v->expire_ms == 0 || v->expire_ms > now_ms);
}

int
version_counter_value(const struct version *v, long long *out)
{
    long long sum = v->base;

    for (int i = 0; i < v->nctr; i++) {
        long long p, n;
        if (v->ctr[i].p > LLONG_MAX || v->ctr[i].n > LLONG_MAX) return DKV_ERR;
        p = (long long)v->ctr[i].p;
        n = (long long)v->ctr[i].n;
        if (__builtin_add_overflow(sum, p, &sum) ||
            __builtin_sub_overflow(sum, n, &sum))
            return DKV_ERR;
    }
    *out = sum;
    return DKV_OK;
}

static struct counter_entry *
counter_entry(struct version *v, const struct actor *a)
{
    int i;

    for (i = 0; i < v->nctr; i++) {
        int c = actor_cmp(&v->ctr[i].actor, a);
        if (c == 0) return &v->ctr[i];
        if (c > 0) break;
    }
    v->ctr = xrealloc(v->ctr, sizeof(*v->ctr) * (v->nctr + 1));
    memmove(&v->ctr[i + 1], &v->ctr[i], sizeof(*v->ctr) * (v->nctr - i));
    memset(&v->ctr[i], 0, sizeof(v->ctr[i]));
    v->ctr[i].actor = *a;
    v->nctr++;
    return &v->ctr[i];
}

void
version_counter_add(struct version *v, const struct actor *a,
                    long long delta)
{
    struct counter_entry *e = counter_entry(v, a);

    if (delta >= 0) e->p += (uint64_t)delta;
    else e->n += (uint64_t)0 - (uint64_t)delta;
}

static int
same_dot(const struct version *a, const struct version *b)
{
    return a->dot.counter == b->dot.counter &&
           actor_cmp(&a->dot.actor, &b->dot.actor) == 0;
}

int
version_covers(const struct version *a, const struct version *b)
{
    return vclock_get(&a->clock, &b->dot.actor) >= b->dot.counter;
}

/* ---- Sets ---------------------------------------------------------------- */

void
vset_init(struct vset *s)
{
    s->n = 0;
    s->cap = 0;
    s->v = NULL;
}

void
vset_free(struct vset *s)
{
    for (int i = 0; i < s->n; i++) version_free(&s->v[i]);
    free(s->v);
    vset_init(s);
}

void
vset_copy(struct vset *dst, const struct vset *src)
{
    vset_free(dst);
    if (src->n == 0) return;
    dst->v = xcalloc(src->n, sizeof(*dst->v));
    dst->cap = src->n;
    for (int i = 0; i < src->n; i++) {
        version_init(&dst->v[i]);
        version_copy(&dst->v[i], &src->v[i]);
    }
    dst->n = src->n;
}

static void
vset_remove(struct vset *s, int i)
{
    version_free(&s->v[i]);
    memmove(&s->v[i], &s->v[i + 1], sizeof(*s->v) * (s->n - i - 1));
    s->n--;
}

/* Appends v, taking its contents. */
static void
vset_append(struct vset *s, struct version *v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 2;
        s->v = xrealloc(s->v, sizeof(*s->v) * s->cap);
    }
    s->v[s->n++] = *v;
    version_init(v);
}

/* Clock plus dot: everything a version's writer knew, itself included. */
static void
context_add(struct vclock *ctx, const struct version *v)
{
    struct vclock d;
    struct vclock_entry e = v->dot;

    vclock_merge(ctx, &v->clock);
    if (e.counter == 0) return;
    d.n = 1;
    d.cap = 1;
    d.e = &e;
    vclock_merge(ctx, &d);
}

static uint64_t
digest_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 29);
}

uint64_t
vset_digest(const struct vset *s)
{
    uint64_t d = 0;

    /* XOR over versions: the order they sit in does not matter. */
    for (int i = 0; i < s->n; i++) {
        const struct version *v = &s->v[i];
        uint64_t h = digest_mix(0, v->dot.actor.node);
        h = digest_mix(h, v->dot.actor.epoch);
        h = digest_mix(h, v->dot.counter);
        h = digest_mix(h, v->kind);
        h = digest_mix(h, (uint64_t)v->expire_ms);
        for (int j = 0; j < v->clock.n; j++) {
            h = digest_mix(h, v->clock.e[j].actor.node);
            h = digest_mix(h, v->clock.e[j].actor.epoch);
            h = digest_mix(h, v->clock.e[j].counter);
        }
        d ^= h | 1;  /* never 0 for a non-empty set */
    }
    return d ? d : (s->n ? 1 : 0);
}

void
vset_context(const struct vset *s, struct vclock *out)
{
    vclock_free(out);
    for (int i = 0; i < s->n; i++) context_add(out, &s->v[i]);
}

int
vset_add(struct vset *s, const struct version *v)
{
    struct version copy;

    for (int i = 0; i < s->n; i++) {
        struct version *e = &s->v[i];
        if (same_dot(e, v)) {
            /* The same write; an expiry tombstone wins over its live twin
             * so that every replica ends with the same bytes. */
            if (v->kind == VERSION_TOMBSTONE &&
                e->kind != VERSION_TOMBSTONE) {
                version_copy(e, v);
                return 1;
            }
            return 0;
        }
        if (version_covers(e, v)) return 0;
    }
    for (int i = 0; i < s->n;) {
        if (version_covers(v, &s->v[i])) vset_remove(s, i);
        else i++;
    }
    version_init(&copy);
    version_copy(&copy, v);
    vset_append(s, &copy);
    return 1;
}

int
vset_merge(struct vset *dst, const struct vset *src)
{
    int changed = 0;

    for (int i = 0; i < src->n; i++) changed |= vset_add(dst, &src->v[i]);
    return changed;
}

void
vset_put(struct vset *s, const struct vclock *ctx, struct version *v,
         const struct actor *actor, int64_t now_ms, uint64_t min_counter)
{
    struct vclock local;
    uint64_t top;

    vclock_init(&local);
    vset_context(s, &local);
    /* A counter above anything this actor used for the key (the local
     * set's and the context's), and at least min_counter: the caller's
     * node-wide floor, above every counter it ever issued (two writes of
     * one key by one coordinator in the same millisecond, the second not
     * seeing the first, must not share a dot: the same dot means the
     * same write, and one of them would be dropped). */
    top = vclock_get(&local, actor);
    if (ctx && vclock_get(ctx, actor) > top) top = vclock_get(ctx, actor);
    top++;
    if (top < min_counter) top = min_counter;

    vclock_free(&v->clock);
    if (ctx) {
        vclock_copy(&v->clock, ctx);
        vclock_free(&local);
    } else {
        v->clock = local;
    }
    vclock_prune(&v->clock, now_ms);
    v->dot.actor = *actor;
    v->dot.counter = top;
    v->dot.ts_ms = now_ms;
    if (v->ts_ms == 0) v->ts_ms = now_ms;

    for (int i = 0; i < s->n;) {
        if (version_covers(v, &s->v[i])) vset_remove(s, i);
        else i++;
    }
    vset_append(s, v);
}

int
vset_expire(struct vset *s, int64_t now_ms)
{
    int changed = 0;

    for (int i = 0; i < s->n; i++) {
        struct version *v = &s->v[i];
        if (v->kind == VERSION_TOMBSTONE || v->expire_ms == 0 ||
            v->expire_ms > now_ms)
            continue;
        free(v->val);
        free(v->ctr);
        v->val = NULL;
        v->len = 0;
        v->ctr = NULL;
        v->nctr = 0;
        v->base = 0;
        v->kind = VERSION_TOMBSTONE;
        changed++;
    }
    return changed;
}

int
vset_live_count(const struct vset *s, int64_t now_ms)
{
    int n = 0;

    for (int i = 0; i < s->n; i++) n += version_live(&s->v[i], now_ms);
    return n;
}

/* Total order used by LWW: newer timestamp first, then dot, then bytes.
 * Deterministic whatever order versions are stored in. */
static int
lww_cmp(const struct version *a, const struct version *b)
{
    int c;
    size_t n;

    if (a->ts_ms != b->ts_ms) return a->ts_ms > b->ts_ms ? 1 : -1;
    if ((c = actor_cmp(&a->dot.actor, &b->dot.actor)) != 0) return c;
    if (a->dot.counter != b->dot.counter)
        return a->dot.counter > b->dot.counter ? 1 : -1;
    if (a->kind != b->kind) return a->kind > b->kind ? 1 : -1;
    n = a->len < b->len ? a->len : b->len;
    if (n && (c = memcmp(a->val, b->val, n)) != 0) return c;
    if (a->len != b->len) return a->len > b->len ? 1 : -1;
    return 0;
}

const struct version *
vset_lww(const struct vset *s, int64_t now_ms)
{
    const struct version *best = NULL;

    for (int i = 0; i < s->n; i++) {
        const struct version *v = &s->v[i];
        if (!version_live(v, now_ms)) continue;
        if (best == NULL || lww_cmp(v, best) > 0) best = v;
    }
    return best;
}

void
vset_counter_merged(const struct vset *s, const struct version *winner,
                    int64_t now_ms, struct version *out)
{
    version_init(out);
    version_copy(out, winner);
    vclock_free(&out->clock);
    for (int i = 0; i < s->n; i++) {
        const struct version *v = &s->v[i];
        if (v == winner || v->kind != VERSION_COUNTER ||
            !version_live(v, now_ms) || v->base != winner->base)
            continue;
        for (int j = 0; j < v->nctr; j++) {
            struct counter_entry *e = counter_entry(out, &v->ctr[j].actor);
            if (v->ctr[j].p > e->p) e->p = v->ctr[j].p;
            if (v->ctr[j].n > e->n) e->n = v->ctr[j].n;
        }
    }
}

int64_t
vset_expire_at(const struct vset *s, int64_t now_ms)
{
    int64_t at = 0;

    for (int i = 0; i < s->n; i++) {
        const struct version *v = &s->v[i];
        if (!version_live(v, now_ms)) continue;
        if (v->expire_ms == 0) return 0;
        if (v->expire_ms > at) at = v->expire_ms;
    }
    return at;
}

int
vset_limit(struct vset *s, int max, int64_t now_ms)
{
    const struct version *w;
    struct version keep;
    struct vclock all;
    int wi = 0;

    if (s->n <= max || max < 1) return 0;
    w = vset_lww(s, now_ms);
    if (w == NULL) {
        /* All dead: keep the newest tombstone. */
        for (int i = 1; i < s->n; i++)
            if (lww_cmp(&s->v[i], &s->v[wi]) > 0) wi = i;
    } else {
        wi = (int)(w - s->v);
    }
    vclock_init(&all);
    vset_context(s, &all);
    keep = s->v[wi];
    version_init(&s->v[wi]);
    vclock_free(&keep.clock);
    keep.clock = all;  /* covers every other version's dot */
    vset_free(s);
    vset_append(s, &keep);
    return 1;
}

/* ---- Encoding ------------------------------------------------------------ */

void
vset_encode(const struct vset *s, struct buf *out)
{
    buf_put_u8(out, VSET_FORMAT);
    buf_put_u32(out, (uint32_t)s->n);
    for (int i = 0; i < s->n; i++) {
        const struct version *v = &s->v[i];
        buf_put_u8(out, v->kind);
        buf_put_u64(out, (uint64_t)v->ts_ms);
        buf_put_u64(out, (uint64_t)v->expire_ms);
        buf_put_u64(out, v->dot.actor.node);
        buf_put_u32(out, v->dot.actor.epoch);
        buf_put_u64(out, v->dot.counter);
        buf_put_u64(out, (uint64_t)v->dot.ts_ms);
        vclock_encode(&v->clock, out);
        if (v->kind == VERSION_VALUE) {
            buf_put_u32(out, (uint32_t)v->len);
            buf_append(out, v->val, v->len);
        } else if (v->kind == VERSION_COUNTER) {
            buf_put_u64(out, (uint64_t)v->base);
            buf_put_u32(out, (uint32_t)v->nctr);
            for (int j = 0; j < v->nctr; j++) {
                buf_put_u64(out, v->ctr[j].actor.node);
                buf_put_u32(out, v->ctr[j].actor.epoch);
                buf_put_u64(out, v->ctr[j].p);
                buf_put_u64(out, v->ctr[j].n);
            }
        }
    }
}

static int
decode_version(struct reader *r, struct version *v)
{
    uint64_t ts, exp, dts, base;
    uint32_t len, n;
    const unsigned char *p;

    if (reader_u8(r, &v->kind) != DKV_OK || v->kind > VERSION_COUNTER ||
        reader_u64(r, &ts) != DKV_OK || reader_u64(r, &exp) != DKV_OK ||
        reader_u64(r, &v->dot.actor.node) != DKV_OK ||
        reader_u32(r, &v->dot.actor.epoch) != DKV_OK ||
        reader_u64(r, &v->dot.counter) != DKV_OK ||
        reader_u64(r, &dts) != DKV_OK || v->dot.counter == 0 ||
        vclock_decode(r, &v->clock) != DKV_OK)
        return DKV_ERR;
    v->ts_ms = (int64_t)ts;
    v->expire_ms = (int64_t)exp;
    v->dot.ts_ms = (int64_t)dts;
    if (v->kind == VERSION_VALUE) {
        if (reader_u32(r, &len) != DKV_OK ||
            reader_bytes(r, len, &p) != DKV_OK)
            return DKV_ERR;
        v->len = len;
        v->val = len ? xmemdup(p, len) : NULL;
    } else if (v->kind == VERSION_COUNTER) {
        if (reader_u64(r, &base) != DKV_OK || reader_u32(r, &n) != DKV_OK ||
            n > COUNTER_MAX_ENTRIES || (size_t)n * 28 > r->left)
            return DKV_ERR;
        v->base = (int64_t)base;
        v->ctr = n ? xcalloc(n, sizeof(*v->ctr)) : NULL;
        for (uint32_t j = 0; j < n; j++) {
            struct counter_entry *e = &v->ctr[j];
            if (reader_u64(r, &e->actor.node) != DKV_OK ||
                reader_u32(r, &e->actor.epoch) != DKV_OK ||
                reader_u64(r, &e->p) != DKV_OK ||
                reader_u64(r, &e->n) != DKV_OK)
                return DKV_ERR;
            if (j > 0 && actor_cmp(&v->ctr[j - 1].actor, &e->actor) >= 0)
                return DKV_ERR;
            v->nctr = (int)j + 1;
        }
    }
    return DKV_OK;
}

int
vset_peek(const void *p, size_t len, int64_t now_ms, struct vset_peek *out)
{
    struct reader r;
    struct version best, cur;
    int have = 0;
    uint8_t fmt;
    uint32_t n;

    memset(out, 0, sizeof(*out));
    reader_init(&r, p, len);
    if (reader_u8(&r, &fmt) != DKV_OK || fmt != VSET_FORMAT ||
        reader_u32(&r, &n) != DKV_OK || n > VSET_MAX_VERSIONS)
        return DKV_ERR;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t ts, exp, dts, skip64;
        uint32_t nclock, vlen;
        const unsigned char *bytes;

        /* A shallow version: header fields and the value's place; the
         * clock is skipped, LWW does not look at it. */
        memset(&cur, 0, sizeof(cur));
        if (reader_u8(&r, &cur.kind) != DKV_OK ||
            cur.kind > VERSION_COUNTER || reader_u64(&r, &ts) != DKV_OK ||
            reader_u64(&r, &exp) != DKV_OK ||
            reader_u64(&r, &cur.dot.actor.node) != DKV_OK ||
            reader_u32(&r, &cur.dot.actor.epoch) != DKV_OK ||
            reader_u64(&r, &cur.dot.counter) != DKV_OK ||
            reader_u64(&r, &dts) != DKV_OK ||
            reader_u32(&r, &nclock) != DKV_OK ||
            nclock > VCLOCK_MAX_ENTRIES ||
            reader_bytes(&r, (size_t)nclock * 28, &bytes) != DKV_OK)
            return DKV_ERR;
        cur.ts_ms = (int64_t)ts;
        cur.expire_ms = (int64_t)exp;
        if (cur.kind == VERSION_VALUE) {
            if (reader_u32(&r, &vlen) != DKV_OK ||
                reader_bytes(&r, vlen, &bytes) != DKV_OK)
                return DKV_ERR;
            cur.val = (char *)bytes;
            cur.len = vlen;
        } else if (cur.kind == VERSION_COUNTER) {
            if (reader_u64(&r, &skip64) != DKV_OK ||
                reader_u32(&r, &vlen) != DKV_OK ||
                vlen > COUNTER_MAX_ENTRIES ||
                reader_bytes(&r, (size_t)vlen * 28, &bytes) != DKV_OK)
                return DKV_ERR;
        }
        if (cur.kind == VERSION_TOMBSTONE) continue;
        if (cur.expire_ms && cur.expire_ms <= now_ms) return VSET_PEEK_FULL;
        if (cur.kind == VERSION_COUNTER) return VSET_PEEK_FULL;
        out->nlive++;
        if (!have || lww_cmp(&cur, &best) > 0) best = cur;
        have = 1;
    }
    if (r.left != 0) return DKV_ERR;
    if (have) {
        out->val = best.val ? best.val : "";
        out->len = best.len;
        out->expire_ms = best.expire_ms;
    }
    return DKV_OK;
}

int
vset_decode(const void *p, size_t len, struct vset *s)
{
    struct reader r;
    uint8_t fmt;
    uint32_t n;

    vset_init(s);
    reader_init(&r, p, len);
    /* A version takes at least 49 bytes (a tombstone with an empty clock):
     * bound n before allocating. */
    if (reader_u8(&r, &fmt) != DKV_OK || fmt != VSET_FORMAT ||
        reader_u32(&r, &n) != DKV_OK || n > VSET_MAX_VERSIONS ||
        (size_t)n * 49 > r.left)
        return DKV_ERR;
    s->v = n ? xcalloc(n, sizeof(*s->v)) : NULL;
    s->cap = (int)n;
    for (uint32_t i = 0; i < n; i++) {
        version_init(&s->v[i]);
        s->n = (int)i + 1;
        if (decode_version(&r, &s->v[i]) != DKV_OK) goto bad;
    }
    if (r.left != 0) goto bad;
    return DKV_OK;
bad:
    vset_free(s);
    return DKV_ERR;
}

/* ---- Client context ------------------------------------------------------ */

static void
checksum(const void *p, size_t len, unsigned char out[CONTEXT_SUM_LEN])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    EVP_Digest(p, len, md, &mdlen, EVP_md5(), NULL);
    memcpy(out, md, CONTEXT_SUM_LEN);
}

void
context_encode(const struct vclock *vc, struct buf *out)
{
    struct buf raw;
    unsigned char sum[CONTEXT_SUM_LEN];
    size_t enclen;

    buf_init(&raw);
    buf_put_u8(&raw, CONTEXT_FORMAT);
    vclock_encode(vc, &raw);
    checksum(raw.p, raw.len, sum);
    buf_append(&raw, sum, sizeof(sum));
    enclen = 4 * ((raw.len + 2) / 3);
    buf_reserve(out, enclen + 1);
    EVP_EncodeBlock((unsigned char *)out->p + out->len,
                    (unsigned char *)raw.p, (int)raw.len);
    out->len += enclen;
    buf_free(&raw);
}

int
context_decode(const char *s, size_t len, struct vclock *vc)
{
    unsigned char *raw;
    unsigned char sum[CONTEXT_SUM_LEN];
    struct reader r;
    int n, pad = 0, rc = DKV_ERR;

    vclock_free(vc);
    if (len == 0 || len % 4 != 0 || len > 64 * 1024) return DKV_ERR;
    if (s[len - 1] == '=') pad++;
    if (s[len - 2] == '=') pad++;
    raw = xmalloc(len);
    n = EVP_DecodeBlock(raw, (const unsigned char *)s, (int)len);
    if (n < 0 || n - pad < 1 + 4 + CONTEXT_SUM_LEN) goto out;
    n -= pad;  /* EVP_DecodeBlock counts padding as zero bytes */
    checksum(raw, n - CONTEXT_SUM_LEN, sum);
    if (memcmp(sum, raw + n - CONTEXT_SUM_LEN, CONTEXT_SUM_LEN) != 0 ||
        raw[0] != CONTEXT_FORMAT)
        goto out;
    reader_init(&r, raw + 1, n - 1 - CONTEXT_SUM_LEN);
    if (vclock_decode(&r, vc) != DKV_OK || r.left != 0) {
        vclock_free(vc);
        goto out;
    }
    {
        /* Only the canonical spelling: base64 lets "AA=G" through
         * (found by fuzz/fuzz_context.c); a context is what we gave. */
        struct buf again;
        buf_init(&again);
        context_encode(vc, &again);
        if (again.len != len || memcmp(again.p, s, len) != 0) {
            buf_free(&again);
            vclock_free(vc);
            goto out;
        }
        buf_free(&again);
    }
    rc = DKV_OK;
out:
    free(raw);
    return rc;
}

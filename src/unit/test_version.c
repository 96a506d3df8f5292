/* Unit tests of version.c: the sibling rules of DESIGN.md §3 (what a put
 * supersedes, what a replica merge keeps), expiry, LWW, counters, and the
 * decoders of stored sets and client contexts. */
#include <string.h>
#include <stdlib.h>
#include <stdio.h>

#include "testhelp.h"
#include "../version.h"

static const struct actor N1 = { 0x1111, 1 }, N2 = { 0x2222, 1 };

static void
value(struct version *v, const char *s)
{
    version_init(v);
    v->kind = VERSION_VALUE;
    v->len = strlen(s);
    v->val = xmemdup(s, v->len);
}

static void
put(struct vset *s, const struct vclock *ctx, const char *val,
    const struct actor *a, int64_t now)
{
    struct version v;
    value(&v, val);
    vset_put(s, ctx, &v, a, now, now);
}

static int
has_value(const struct vset *s, const char *val)
{
    for (int i = 0; i < s->n; i++)
        if (s->v[i].kind == VERSION_VALUE && s->v[i].len == strlen(val) &&
            !memcmp(s->v[i].val, val, s->v[i].len))
            return 1;
    return 0;
}

static void
test_put_rules(void)
{
    struct vset s;
    struct vclock ctx, stale;

    vset_init(&s);
    vclock_init(&ctx);
    vclock_init(&stale);
    put(&s, NULL, "apple", &N1, 1000);
    test_cond("a first put makes one version", s.n == 1);
    vset_context(&s, &ctx);
    put(&s, &ctx, "pear", &N1, 1001);
    put(&s, &ctx, "banana", &N1, 1002);
    test_cond("two writers from one context leave two siblings",
              s.n == 2 && has_value(&s, "pear") && has_value(&s, "banana") &&
              !has_value(&s, "apple"));
    vset_context(&s, &ctx);
    put(&s, &ctx, "both", &N2, 1003);
    test_cond("a put with the context naming both resolves them",
              s.n == 1 && has_value(&s, "both"));
    /* A client that read nothing (empty context) writes through another
     * coordinator: it must not erase the value it never saw. */
    put(&s, &stale, "blind", &N1, 1004);
    test_cond("a put from a stale context keeps what it did not see",
              s.n == 2 && has_value(&s, "both") && has_value(&s, "blind"));
    {
        struct version t;
        vset_context(&s, &ctx);
        version_init(&t);
        t.kind = VERSION_TOMBSTONE;
        vset_put(&s, &ctx, &t, &N2, 1005, 1005);
        test_cond("a delete with the full context leaves one tombstone",
                  s.n == 1 && s.v[0].kind == VERSION_TOMBSTONE &&
                  vset_live_count(&s, 1005) == 0);
    }
    put(&s, NULL, "again", &N1, 1006);
    test_cond("a write after a delete supersedes the tombstone",
              s.n == 1 && has_value(&s, "again"));
    vclock_free(&ctx);
    vclock_free(&stale);
    vset_free(&s);
}

static void
test_replica_merge(void)
{
    struct vset a, b, older;
    struct vclock ctx;

    vset_init(&a);
    vset_init(&b);
    vset_init(&older);
    vclock_init(&ctx);
    put(&a, NULL, "v1", &N1, 1000);
    vset_copy(&older, &a);
    vset_context(&a, &ctx);
    put(&a, &ctx, "v2", &N1, 1001);
    test_cond("merging an ancestor changes nothing",
              vset_merge(&a, &older) == 0 && a.n == 1 && has_value(&a, "v2"));
    test_cond("merging a descendant replaces the ancestor",
              vset_merge(&older, &a) == 1 && older.n == 1 &&
              has_value(&older, "v2"));
    put(&b, &ctx, "v2b", &N2, 1002);   /* concurrent with v2 */
    test_cond("merging a concurrent version makes a sibling",
              vset_merge(&a, &b) == 1 && a.n == 2);
    test_cond("merging the same versions again is a no-op",
              vset_merge(&a, &b) == 0 && a.n == 2);
    vclock_free(&ctx);
    vset_free(&a);
    vset_free(&b);
    vset_free(&older);
}

static void
test_expiry(void)
{
    struct vset s, twin;

    vset_init(&s);
    vset_init(&twin);
    {
        struct version v;
        value(&v, "temp");
        v.expire_ms = 2000;
        vset_put(&s, NULL, &v, &N1, 1000, 1000);
    }
    vset_copy(&twin, &s);
    test_cond("a version is live before its expiry",
              vset_live_count(&s, 1999) == 1 && vset_lww(&s, 1999) != NULL);
    test_cond("and absent at it", vset_lww(&s, 2000) == NULL);
    test_cond("expiry turns it into a tombstone with the same dot",
              vset_expire(&s, 2000) == 1 && s.v[0].kind == VERSION_TOMBSTONE &&
              s.v[0].dot.counter == twin.v[0].dot.counter);
    {
        struct buf b;
        struct vset d;
        buf_init(&b);
        vset_encode(&s, &b);
        test_cond("an expiry tombstone with an empty clock round-trips",
                  vset_decode(b.p, b.len, &d) == DKV_OK && d.n == 1 &&
                  d.v[0].kind == VERSION_TOMBSTONE);
        vset_free(&d);
        buf_free(&b);
    }
    test_cond("its live twin cannot bring it back",
              vset_merge(&s, &twin) == 0 && s.v[0].kind == VERSION_TOMBSTONE);
    test_cond("the tombstone wins on the twin's replica too",
              vset_merge(&twin, &s) == 1 && twin.n == 1 &&
              twin.v[0].kind == VERSION_TOMBSTONE);
    vset_free(&s);
    vset_free(&twin);
}

static void
test_lww_and_limit(void)
{
    struct vset s, r;
    struct vclock empty;
    const struct version *w1, *w2;

    vset_init(&s);
    vset_init(&r);
    vclock_init(&empty);
    put(&s, &empty, "x", &N1, 5000);
    put(&s, &empty, "y", &N2, 5000);   /* same timestamp: tie */
    put(&s, &empty, "old", &N2, 4000);
    /* r holds the same versions in reverse order. */
    for (int i = s.n - 1; i >= 0; i--) vset_add(&r, &s.v[i]);
    w1 = vset_lww(&s, 6000);
    w2 = vset_lww(&r, 6000);
    test_cond("LWW picks the same winner whatever the order",
              s.n == 3 && w1 && w2 && w1->len == w2->len &&
              !memcmp(w1->val, w2->val, w1->len) && w1->ts_ms == 5000);
    test_cond("limit collapses to the winner",
              vset_limit(&s, 1, 6000) == 1 && s.n == 1 &&
              s.v[0].ts_ms == 5000);
    test_cond("the collapsed version supersedes every former sibling",
              vset_merge(&s, &r) == 0 && s.n == 1);
    vclock_free(&empty);
    vset_free(&s);
    vset_free(&r);
}

static void
test_counters(void)
{
    struct vset s, other;
    struct vclock ctx;
    struct version c, m;
    long long val = 0;

    vset_init(&s);
    vset_init(&other);
    vclock_init(&ctx);
    version_init(&c);
    c.kind = VERSION_COUNTER;
    c.base = 10;
    version_counter_add(&c, &N1, 5);
    vset_put(&s, NULL, &c, &N1, 1000, 1000);
    vset_copy(&other, &s);
    vset_context(&s, &ctx);
    /* Two coordinators increment the same state concurrently. */
    version_init(&c);
    version_copy(&c, &s.v[0]);
    version_counter_add(&c, &N1, 1);
    vset_put(&s, &ctx, &c, &N1, 1001, 1001);
    version_init(&c);
    version_copy(&c, &other.v[0]);
    version_counter_add(&c, &N2, -3);
    vset_put(&other, &ctx, &c, &N2, 1002, 1002);
    vset_merge(&s, &other);
    vset_counter_merged(&s, vset_lww(&s, 2000), 2000, &m);
    version_counter_value(&m, &val);
    test_cond("concurrent increments merge without loss (10+5+1-3)",
              s.n == 2 && val == 13);
    version_free(&m);
    version_init(&c);
    c.kind = VERSION_COUNTER;
    c.base = (long long)(~0ULL >> 1);
    version_counter_add(&c, &N1, 1);
    test_cond("counter overflow is detected",
              version_counter_value(&c, &val) == DKV_ERR);
    version_free(&c);
    vclock_free(&ctx);
    vset_free(&s);
    vset_free(&other);
}

static void
test_encoding(void)
{
    struct vset s, d;
    struct buf b, cb;
    struct vclock ctx, back;
    int ok = 1;

    vset_init(&s);
    vclock_init(&ctx);
    vclock_init(&back);
    put(&s, &ctx, "one", &N1, 1000);
    put(&s, &ctx, "two\0bytes", &N2, 1001);
    {
        struct version t;
        version_init(&t);
        t.kind = VERSION_COUNTER;
        version_counter_add(&t, &N2, 7);
        vset_put(&s, &ctx, &t, &N2, 1002, 1002);
    }
    buf_init(&b);
    vset_encode(&s, &b);
    test_cond("a set round-trips through its encoding",
              vset_decode(b.p, b.len, &d) == DKV_OK && d.n == 3 &&
              vset_merge(&d, &s) == 0);
    vset_free(&d);
    for (size_t cut = 0; cut < b.len; cut++)
        if (vset_decode(b.p, cut, &d) == DKV_OK) ok = 0;
    test_cond("every truncation of a set is refused", ok);
    buf_put_u8(&b, 0);
    test_cond("trailing bytes are refused",
              vset_decode(b.p, b.len, &d) == DKV_ERR);
    ok = 1;
    for (int round = 0; round < 2000; round++) {
        char junk[200];
        unsigned seed = (unsigned)round;
        size_t len = rand_r(&seed) % sizeof(junk);
        for (size_t i = 0; i < len; i++) junk[i] = (char)rand_r(&seed);
        if (len) junk[0] = 1;   /* right format byte, garbage after */
        if (vset_decode(junk, len, &d) == DKV_OK) vset_free(&d);
    }
    test_cond("random bytes never crash the set decoder", ok);

    vset_context(&s, &ctx);
    buf_init(&cb);
    context_encode(&ctx, &cb);
    test_cond("a context round-trips",
              context_decode(cb.p, cb.len, &back) == DKV_OK &&
              vclock_compare(&ctx, &back) == VCLOCK_EQUAL);
    ok = 1;
    for (size_t i = 0; i < cb.len; i++) {
        char saved = cb.p[i];
        cb.p[i] = saved == 'A' ? 'B' : 'A';
        if (context_decode(cb.p, cb.len, &back) == DKV_OK) ok = 0;
        cb.p[i] = saved;
    }
    test_cond("a context with any character changed is refused", ok);
    {
        /* Found by fuzz/fuzz_context.c: base64 decoders accept padding
         * in the middle; only the spelling we hand out is accepted. */
        struct buf odd;
        buf_init(&odd);
        buf_append(&odd, cb.p, cb.len);
        odd.p[cb.len / 2] = '=';
        test_cond("a context with '=' inside is refused",
                  context_decode(odd.p, odd.len, &back) == DKV_ERR);
        test_cond("the context the fuzzer found is refused",
                  context_decode("AQAAAAGEF9N8Iu6hWQAAAAEAA=GiGGgWTAAAAaIYaBZMnOMSBQ==",
                                 52, &back) == DKV_ERR);
        buf_free(&odd);
    }
    test_cond("truncated and invented contexts are refused",
              context_decode(cb.p, cb.len - 4, &back) == DKV_ERR &&
              context_decode("garbage", 7, &back) == DKV_ERR &&
              context_decode("", 0, &back) == DKV_ERR &&
              context_decode("AAAA", 4, &back) == DKV_ERR);
    buf_free(&b);
    buf_free(&cb);
    vclock_free(&ctx);
    vclock_free(&back);
    vset_free(&s);
}

static void
test_peek(void)
{
    struct vset s;
    struct vclock empty;
    struct buf b;
    struct vset_peek pk;
    const struct version *w;
    int ok = 1;

    vclock_init(&empty);
    buf_init(&b);
    /* Sets of 1..6 concurrent values with colliding timestamps: the peek
     * must agree with the full decode's LWW every time. */
    for (int round = 0; round < 200 && ok; round++) {
        vset_init(&s);
        for (int i = 0; i <= round % 6; i++) {
            char v[16];
            snprintf(v, sizeof(v), "v%d", (round * 7 + i * 3) % 5);
            put(&s, &empty, v, (i % 2) ? &N1 : &N2, 1000 + (round + i) % 3);
        }
        buf_reset(&b);
        vset_encode(&s, &b);
        w = vset_lww(&s, 2000);
        if (vset_peek(b.p, b.len, 2000, &pk) != DKV_OK ||
            pk.nlive != s.n || pk.len != w->len ||
            memcmp(pk.val, w->val, w->len))
            ok = 0;
        vset_free(&s);
    }
    test_cond("peek picks the same winner as a full decode", ok);

    vset_init(&s);
    {
        struct version v;
        value(&v, "soon");
        v.expire_ms = 1500;
        vset_put(&s, NULL, &v, &N1, 1000, 1000);
    }
    buf_reset(&b);
    vset_encode(&s, &b);
    test_cond("peek asks for a full decode when a version is due to expire",
              vset_peek(b.p, b.len, 1499, &pk) == DKV_OK && pk.nlive == 1 &&
              vset_peek(b.p, b.len, 1500, &pk) == VSET_PEEK_FULL);
    test_cond("peek refuses truncated input",
              vset_peek(b.p, b.len - 1, 1000, &pk) == DKV_ERR);
    vset_free(&s);
    buf_free(&b);
    vclock_free(&empty);
}

int
test_version(void)
{
    test_peek();
    test_put_rules();
    test_replica_merge();
    test_expiry();
    test_lww_and_limit();
    test_counters();
    test_encoding();
    return 0;
}

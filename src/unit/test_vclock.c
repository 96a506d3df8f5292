/* Unit tests of vclock.c: ordering, merge, pruning bounds, and a decoder
 * that refuses every malformed encoding. */
#include <string.h>
#include <stdlib.h>

#include "testhelp.h"
#include "../vclock.h"

static const struct actor A = { 1, 1 }, B = { 2, 1 }, A2 = { 1, 2 };

static void
clock_of(struct vclock *vc, int a, int b)
{
    vclock_init(vc);
    for (int i = 0; i < a; i++) vclock_increment(vc, &A, 1000);
    for (int i = 0; i < b; i++) vclock_increment(vc, &B, 1000);
}

int
test_vclock(void)
{
    struct vclock x, y, z;
    struct buf b;
    struct reader r;
    int ok;

    clock_of(&x, 1, 0);
    clock_of(&y, 1, 1);
    clock_of(&z, 2, 0);
    test_cond("equal clocks compare EQUAL", vclock_compare(&x, &x) == VCLOCK_EQUAL);
    test_cond("a descendant compares AFTER, its ancestor BEFORE",
              vclock_compare(&y, &x) == VCLOCK_AFTER &&
              vclock_compare(&x, &y) == VCLOCK_BEFORE);
    test_cond("diverged clocks are CONCURRENT",
              vclock_compare(&y, &z) == VCLOCK_CONCURRENT &&
              vclock_compare(&z, &y) == VCLOCK_CONCURRENT);
    test_cond("the empty clock precedes every clock", ({
        struct vclock e;
        vclock_init(&e);
        vclock_compare(&e, &x) == VCLOCK_BEFORE && vclock_descends(&x, &e);
    }));
    test_cond("an epoch is a different actor",
              ({ struct vclock e; vclock_init(&e);
                 vclock_increment(&e, &A2, 1);
                 int r2 = vclock_get(&e, &A) == 0 && vclock_get(&e, &A2) == 1;
                 vclock_free(&e); r2; }));
    vclock_merge(&y, &z);
    test_cond("merge takes the pointwise max",
              vclock_get(&y, &A) == 2 && vclock_get(&y, &B) == 1 &&
              vclock_descends(&y, &z) && vclock_descends(&y, &x));

    buf_init(&b);
    vclock_free(&z);
    vclock_encode(&y, &b);
    reader_init(&r, b.p, b.len);
    ok = vclock_decode(&r, &z) == DKV_OK && r.left == 0 &&
         vclock_compare(&y, &z) == VCLOCK_EQUAL;
    vclock_free(&z);
    test_cond("encode/decode round trip", ok);
    ok = 1;
    for (size_t cut = 0; cut < b.len; cut++) {
        reader_init(&r, b.p, cut);
        if (vclock_decode(&r, &z) == DKV_OK) ok = 0;
    }
    test_cond("every truncation is refused", ok);
    /* Swap the two entries' actor ids: no longer sorted. */
    {
        struct buf bad;
        buf_init(&bad);
        buf_append(&bad, b.p, b.len);
        memcpy(bad.p + 4, b.p + 4 + 28, 12);
        memcpy(bad.p + 4 + 28, b.p + 4, 12);
        reader_init(&r, bad.p, bad.len);
        test_cond("unsorted entries are refused",
                  vclock_decode(&r, &z) == DKV_ERR);
        memcpy(bad.p + 4 + 28, bad.p + 4, 12);
        reader_init(&r, bad.p, bad.len);
        test_cond("duplicate actors are refused",
                  vclock_decode(&r, &z) == DKV_ERR);
        buf_free(&bad);
    }
    {
        unsigned char huge[] = { 0xff, 0xff, 0xff, 0xff };
        reader_init(&r, huge, sizeof(huge));
        test_cond("an absurd entry count is refused without allocating",
                  vclock_decode(&r, &z) == DKV_ERR);
    }

    /* Pruning: never below SMALL or younger than YOUNG; oldest first. */
    {
        struct vclock p;
        int64_t now = 100LL * 24 * 3600 * 1000;
        vclock_init(&p);
        for (int i = 0; i < VCLOCK_BIG + 10; i++) {
            struct actor a = { (uint64_t)i + 10, 1 };
            vclock_increment(&p, &a, now - VCLOCK_OLD_MS / 2 + i);
        }
        vclock_prune(&p, now);
        ok = p.n == VCLOCK_BIG;
        for (int i = 0; i < p.n; i++)
            if (p.e[i].actor.node < 20) ok = 0;   /* the 10 oldest went */
        test_cond("past BIG entries the oldest are pruned first", ok);
        for (int i = 0; i < p.n; i++) p.e[i].ts_ms = now - 1000;
        vclock_prune(&p, now);
        test_cond("young entries are never pruned", p.n == VCLOCK_BIG);
        for (int i = 0; i < p.n; i++) p.e[i].ts_ms = now - VCLOCK_OLD_MS - 1;
        vclock_prune(&p, now);
        test_cond("old entries are pruned down to SMALL", p.n == VCLOCK_SMALL);
        vclock_free(&p);
    }
    buf_free(&b);
    vclock_free(&x);
    vclock_free(&y);
    return 0;
}

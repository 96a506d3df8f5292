/* Unit tests of ring.c: balance, agreement (order of the member list does
 * not matter), minimal movement on join and leave, preference lists of
 * distinct members. */
#include <stdlib.h>
#include <string.h>

#include "testhelp.h"
#include "../ring.h"

static uint64_t
test_id(int i)
{
    /* Ids as nodes make them: random 64-bit numbers. */
    uint64_t x = (uint64_t)(i + 1) * 0x9E3779B97F4A7C15ULL;
    return x ^ (x >> 29);
}

static int
balanced(const struct ring *r)
{
    int lo = r->q / r->nmembers;
    int hi = lo + (r->q % r->nmembers ? 1 : 0);
    for (int m = 0; m < r->nmembers; m++)
        if (r->owned[m] < lo || r->owned[m] > hi) return 0;
    return 1;
}

/* Partitions whose owner differs between a and b. */
static int
moved(const struct ring *a, const struct ring *b)
{
    int n = 0;
    for (int p = 0; p < a->q; p++)
        if (a->members[a->owner[p]] != b->members[b->owner[p]]) n++;
    return n;
}

/* Lists start at the owner, hold distinct members, and are the head of
 * the walk, which holds every member once. */
static int
preflists_ok(const struct ring *r)
{
    for (int p = 0; p < r->q; p++) {
        const int *pl = ring_preflist(r, p);
        const int *w = ring_walk(r, p);
        if (pl[0] != r->owner[p]) return 0;
        for (int i = 0; i < r->nrep; i++) {
            if (pl[i] != w[i]) return 0;
            for (int j = 0; j < i; j++)
                if (pl[i] == pl[j]) return 0;
        }
        for (int i = 0; i < r->nmembers; i++)
            for (int j = 0; j < i; j++)
                if (w[i] == w[j]) return 0;
    }
    return 1;
}

int
test_ring(void)
{
    uint64_t ids[16], rev[16];
    struct ring a, b;
    int ok;

    for (int i = 0; i < 16; i++) ids[i] = test_id(i);

    ok = 1;
    for (int n = 1; n <= 16 && ok; n++) {
        ring_build(&a, 256, ids, n, 3);
        ok = balanced(&a) && preflists_ok(&a) &&
             a.nrep == (n < 3 ? n : 3);
        ring_free(&a);
    }
    test_cond("every member owns Q/S +-1 partitions (Q=256, S=1..16)", ok);

    ring_build(&a, 8, ids, 12, 3);
    test_cond("more members than partitions: lists still full and distinct",
              preflists_ok(&a) && a.nrep == 3);
    ring_free(&a);

    for (int i = 0; i < 7; i++) rev[i] = ids[6 - i];
    ring_build(&a, 256, ids, 7, 3);
    ring_build(&b, 256, rev, 7, 3);
    test_cond("the ring depends on the member set, not its order",
              memcmp(a.owner, b.owner, sizeof(int) * 256) == 0 &&
              memcmp(a.pref, b.pref, sizeof(int) * 256 * 3) == 0);
    ring_free(&a);
    ring_free(&b);

    /* A join moves about Q/(S+1) partitions: the joiner's share, plus at
     * most one per old member, pushed along when its capacity drops. */
    ok = 1;
    for (int n = 2; n < 16; n++) {
        int share = 256 / (n + 1), m;
        ring_build(&a, 256, ids, n, 3);
        ring_build(&b, 256, ids, n + 1, 3);
        m = moved(&a, &b);
        if (m > share + 2 * n) ok = 0;
        if (getenv("RING_VERBOSE"))
            printf("join %d->%d moved %d share %d\n", n, n + 1, m, share);
        ring_free(&a);
        ring_free(&b);
    }
    test_cond("a join moves the joiner's share plus at most two per member", ok);

    /* A leave moves the leaver's partitions and little else. */
    ok = 1;
    for (int n = 3; n <= 16; n++) {
        int share, m;
        ring_build(&a, 256, ids, n, 3);
        share = a.owned[ring_member_index(&a, ids[n / 2])];
        /* ids without member n/2 */
        for (int i = 0, k = 0; i < n; i++)
            if (i != n / 2) rev[k++] = ids[i];
        ring_build(&b, 256, rev, n - 1, 3);
        m = moved(&a, &b);
        if (m > share + 2 * n) ok = 0;
        if (getenv("RING_VERBOSE"))
            printf("leave %d->%d moved %d share %d\n", n, n - 1, m, share);
        ring_free(&a);
        ring_free(&b);
    }
    test_cond("a leave moves the leaver's share plus at most two per member", ok);

    ring_build(&a, 256, ids, 5, 3);
    test_cond("ring_partition maps the key space onto partitions in order",
              ring_partition(&a, 0) == 0 &&
              ring_partition(&a, UINT64_MAX) == 255 &&
              ring_partition(&a, ring_partition_start(&a, 17)) == 17 &&
              ring_partition(&a, ring_partition_start(&a, 18) - 1) == 17);
    test_cond("ring_member_index finds members and only members",
              ring_member_index(&a, ids[3]) >= 0 &&
              a.members[ring_member_index(&a, ids[3])] == ids[3] &&
              ring_member_index(&a, ids[9]) == -1);
    ring_free(&a);
    return 0;
}

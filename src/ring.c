/* Ring ownership and preference lists (see ring.h). */
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "util.h"

/* splitmix64's finalizer: a cheap, well-mixed, portable score. The ring
 * must be the same on every node, so nothing platform-dependent here. */
static uint64_t
mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

struct pair {
    uint64_t score;
    int part;
    int member;
};

/* Best score first; ties (astronomically rare) by partition then member
 * so the order is total and the same everywhere. */
static int
pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;

    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->part != y->part) return x->part < y->part ? -1 : 1;
    return (x->member > y->member) - (x->member < y->member);
}

static int
id_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Which members get one partition above Q/S: the Q mod S whose own score
 * is highest, so the choice moves little as members come and go. */
static void
capacities(const uint64_t *ids, int n, int q, int *cap)
{
    int extra = q % n;

    for (int i = 0; i < n; i++) {
        int better = 0;
        uint64_t si = mix64(ids[i] ^ 0x5bd1e995ULL);
        for (int j = 0; j < n; j++) {
            uint64_t sj = mix64(ids[j] ^ 0x5bd1e995ULL);
            if (sj > si || (sj == si && ids[j] < ids[i])) better++;
        }
        cap[i] = q / n + (better < extra ? 1 : 0);
    }
}

void
ring_build(struct ring *r, int q, const uint64_t *ids, int n, int nreplicas)
{
    struct pair *pairs;
    int *cap;
    size_t np = (size_t)q * (size_t)n, k;
    char *seen;

    memset(r, 0, sizeof(*r));
    r->q = q;
    while ((1 << r->qbits) < q) r->qbits++;
    r->nmembers = n;
    r->members = xmalloc(sizeof(uint64_t) * n);
    memcpy(r->members, ids, sizeof(uint64_t) * n);
    qsort(r->members, n, sizeof(uint64_t), id_cmp);
    r->owner = xmalloc(sizeof(int) * q);
    r->owned = xcalloc(n, sizeof(int));
    for (int p = 0; p < q; p++) r->owner[p] = -1;

    cap = xmalloc(sizeof(int) * n);
    capacities(r->members, n, q, cap);
    pairs = xmalloc(sizeof(*pairs) * np);
    k = 0;
    for (int p = 0; p < q; p++)
        for (int m = 0; m < n; m++) {
            pairs[k].score = mix64(r->members[m] ^
                                   mix64((uint64_t)p + 0x100000000ULL));
            pairs[k].part = p;
            pairs[k].member = m;
            k++;
        }
    /* Every partition to its best-scoring member (pure rendezvous: a join
     * takes exactly the partitions the joiner wins), then members over
     * capacity give up their worst-scoring partitions, and those go to
     * the best-scoring members still under capacity. */
    qsort(pairs, np, sizeof(*pairs), pair_cmp);
    for (k = 0; k < np; k++) {
        struct pair *x = &pairs[k];
        if (r->owner[x->part] >= 0) continue;
        r->owner[x->part] = x->member;
        r->owned[x->member]++;
    }
    for (k = np; k-- > 0;) {
        struct pair *x = &pairs[k];
        if (r->owner[x->part] != x->member ||
            r->owned[x->member] <= cap[x->member])
            continue;
        r->owner[x->part] = -1;
        r->owned[x->member]--;
    }
    for (k = 0; k < np; k++) {
        struct pair *x = &pairs[k];
        if (r->owner[x->part] >= 0 || r->owned[x->member] >= cap[x->member])
            continue;
        r->owner[x->part] = x->member;
        r->owned[x->member]++;
    }
    free(pairs);
    free(cap);

    r->nrep = nreplicas < n ? nreplicas : n;
    r->pref = xmalloc(sizeof(int) * q * r->nrep);
    r->walk = xmalloc(sizeof(int) * q * n);
    seen = xmalloc(n);
    for (int p = 0; p < q; p++) {
        int *w = &r->walk[p * n];
        int got = 0;
        memset(seen, 0, n);
        for (int step = 0; step < q && got < n; step++) {
            int o = r->owner[(p + step) & (q - 1)];
            if (!seen[o]) {
                seen[o] = 1;
                w[got++] = o;
            }
        }
        /* Members that own nothing (only when q < n) come last, so the
         * walk always holds everyone. */
        for (int m = 0; got < n && m < n; m++)
            if (!seen[m]) w[got++] = m;
        memcpy(&r->pref[p * r->nrep], w, sizeof(int) * r->nrep);
    }
    free(seen);
}

void
ring_free(struct ring *r)
{
    free(r->members);
    free(r->owner);
    free(r->owned);
    free(r->pref);
    free(r->walk);
    memset(r, 0, sizeof(*r));
}

int
ring_member_index(const struct ring *r, uint64_t id)
{
    int lo = 0, hi = r->nmembers - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (r->members[mid] == id) return mid;
        if (r->members[mid] < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

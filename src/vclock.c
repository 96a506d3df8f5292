/* Vector clocks (see vclock.h). Entries are kept sorted by actor so that
 * compare and merge are one linear walk over both clocks. */
#include <stdlib.h>
#include <string.h>

#include "vclock.h"

void
vclock_init(struct vclock *vc)
{
    vc->n = 0;
    vc->cap = 0;
    vc->e = NULL;
}

void
vclock_free(struct vclock *vc)
{
    free(vc->e);
    vclock_init(vc);
}

static void
reserve(struct vclock *vc, int n)
{
    if (n <= vc->cap) return;
    vc->cap = n < 4 ? 4 : n;
    vc->e = xrealloc(vc->e, sizeof(*vc->e) * vc->cap);
}

void
vclock_copy(struct vclock *dst, const struct vclock *src)
{
    if (dst == src) return;
    reserve(dst, src->n);
    if (src->n) memcpy(dst->e, src->e, sizeof(*src->e) * src->n);
    dst->n = src->n;
}

int
actor_cmp(const struct actor *a, const struct actor *b)
{
    if (a->node != b->node) return a->node < b->node ? -1 : 1;
    if (a->epoch != b->epoch) return a->epoch < b->epoch ? -1 : 1;
    return 0;
}

/* Index of actor a, or -(insertion point) - 1. */
static int
find(const struct vclock *vc, const struct actor *a)
{
    int lo = 0, hi = vc->n - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = actor_cmp(&vc->e[mid].actor, a);
        if (c == 0) return mid;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return -lo - 1;
}

uint64_t
vclock_get(const struct vclock *vc, const struct actor *a)
{
    int i = find(vc, a);
    return i >= 0 ? vc->e[i].counter : 0;
}

void
vclock_increment(struct vclock *vc, const struct actor *a, int64_t now_ms)
{
    int i = find(vc, a);

    if (i < 0) {
        i = -i - 1;
        reserve(vc, vc->n + 1);
        memmove(&vc->e[i + 1], &vc->e[i], sizeof(*vc->e) * (vc->n - i));
        vc->e[i].actor = *a;
        vc->e[i].counter = 0;
        vc->n++;
    }
    vc->e[i].counter++;
    vc->e[i].ts_ms = now_ms;
}

void
vclock_merge(struct vclock *dst, const struct vclock *src)
{
    struct vclock out;
    int i = 0, j = 0;

    vclock_init(&out);
    reserve(&out, dst->n + src->n);
    while (i < dst->n || j < src->n) {
        int c = i == dst->n ? 1 : j == src->n ? -1
                : actor_cmp(&dst->e[i].actor, &src->e[j].actor);
        if (c < 0) {
            out.e[out.n++] = dst->e[i++];
        } else if (c > 0) {
            out.e[out.n++] = src->e[j++];
        } else {
            const struct vclock_entry *a = &dst->e[i++], *b = &src->e[j++];
            struct vclock_entry m = a->counter >= b->counter ? *a : *b;
            if (a->counter == b->counter && b->ts_ms > a->ts_ms) m = *b;
            out.e[out.n++] = m;
        }
    }
    vclock_free(dst);
    *dst = out;
}

enum vclock_order
vclock_compare(const struct vclock *a, const struct vclock *b)
{
    int a_ahead = 0, b_ahead = 0;
    int i = 0, j = 0;

    while (i < a->n || j < b->n) {
        int c = i == a->n ? 1 : j == b->n ? -1
                : actor_cmp(&a->e[i].actor, &b->e[j].actor);
        if (c < 0) {
            a_ahead = 1;
            i++;
        } else if (c > 0) {
            b_ahead = 1;
            j++;
        } else {
            if (a->e[i].counter > b->e[j].counter) a_ahead = 1;
            else if (a->e[i].counter < b->e[j].counter) b_ahead = 1;
            i++;
            j++;
        }
        if (a_ahead && b_ahead) return VCLOCK_CONCURRENT;
    }
    if (a_ahead) return VCLOCK_AFTER;
    if (b_ahead) return VCLOCK_BEFORE;
    return VCLOCK_EQUAL;
}

int
vclock_descends(const struct vclock *a, const struct vclock *b)
{
    enum vclock_order o = vclock_compare(a, b);
    return o == VCLOCK_EQUAL || o == VCLOCK_AFTER;
}

/* Riak's rule: keep at least SMALL entries and every entry younger than
 * YOUNG; past BIG entries, or for entries older than OLD, drop the oldest
 * first. */
int
vclock_prune(struct vclock *vc, int64_t now_ms)
{
    int removed = 0;

    while (vc->n > VCLOCK_SMALL) {
        int oldest = 0;
        int64_t age;

        for (int i = 1; i < vc->n; i++)
            if (vc->e[i].ts_ms < vc->e[oldest].ts_ms) oldest = i;
        age = now_ms - vc->e[oldest].ts_ms;
        if (age < VCLOCK_YOUNG_MS) break;
        if (vc->n <= VCLOCK_BIG && age <= VCLOCK_OLD_MS) break;
        memmove(&vc->e[oldest], &vc->e[oldest + 1],
                sizeof(*vc->e) * (vc->n - oldest - 1));
        vc->n--;
        removed++;
    }
    return removed;
}

void
vclock_encode(const struct vclock *vc, struct buf *out)
{
    buf_reserve(out, 4 + (size_t)vc->n * 28);
    buf_put_u32(out, (uint32_t)vc->n);
    for (int i = 0; i < vc->n; i++) {
        buf_put_u64(out, vc->e[i].actor.node);
        buf_put_u32(out, vc->e[i].actor.epoch);
        buf_put_u64(out, vc->e[i].counter);
        buf_put_u64(out, (uint64_t)vc->e[i].ts_ms);
    }
}

int
vclock_decode(struct reader *r, struct vclock *vc)
{
    uint32_t n;

    vclock_init(vc);
    if (reader_u32(r, &n) != DKV_OK || n > VCLOCK_MAX_ENTRIES ||
        (size_t)n * 28 > r->left)
        goto bad;
    reserve(vc, (int)n);
    for (uint32_t i = 0; i < n; i++) {
        struct vclock_entry *e = &vc->e[i];
        uint64_t ts;

        if (reader_u64(r, &e->actor.node) != DKV_OK ||
            reader_u32(r, &e->actor.epoch) != DKV_OK ||
            reader_u64(r, &e->counter) != DKV_OK ||
            reader_u64(r, &ts) != DKV_OK || e->counter == 0)
            goto bad;
        e->ts_ms = (int64_t)ts;
        /* Sorted and unique, or compare/merge would be wrong. */
        if (i > 0 && actor_cmp(&vc->e[i - 1].actor, &e->actor) >= 0)
            goto bad;
        vc->n = (int)i + 1;
    }
    return DKV_OK;
bad:
    r->err = 1;
    vclock_free(vc);
    return DKV_ERR;
}

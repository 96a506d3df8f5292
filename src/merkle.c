/* Merkle trees per partition (see merkle.h). */
#include <stdlib.h>
#include <string.h>

#include "merkle.h"
#include "util.h"

static uint64_t
mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

int
merkle_fan_for(int q)
{
    int fan = MERKLE_MAX_FAN;

    while (fan > 2 && (long)q * fan * fan > MERKLE_TOTAL_LEAVES) fan /= 2;
    return fan;
}

void
merkle_init(struct merkle *t, int fan)
{
    t->fan = fan;
    t->fan_bits = 0;
    while ((1 << t->fan_bits) < fan) t->fan_bits++;
    t->root = 0;
    t->mid = xcalloc(fan, sizeof(uint64_t));
    t->leaf = xcalloc((size_t)fan * fan, sizeof(uint64_t));
}

void
merkle_free(struct merkle *t)
{
    free(t->mid);
    free(t->leaf);
    memset(t, 0, sizeof(*t));
}

void
merkle_clear(struct merkle *t)
{
    t->root = 0;
    memset(t->mid, 0, sizeof(uint64_t) * t->fan);
    memset(t->leaf, 0, sizeof(uint64_t) * t->fan * t->fan);
}

uint64_t
merkle_item(uint64_t pos, uint64_t digest)
{
    if (digest == 0) return 0;
    return mix64(pos ^ mix64(digest));
}

int
merkle_leaf_of(const struct merkle *t, uint64_t pos, int qbits)
{
    /* The 2 * fan_bits position bits after the partition's qbits. */
    return (int)((pos << qbits) >> (64 - 2 * t->fan_bits));
}

uint64_t
merkle_leaf_start(const struct merkle *t, int p, int qbits, int l)
{
    uint64_t start = (uint64_t)p << (64 - qbits);
    return start | ((uint64_t)l << (64 - qbits - 2 * t->fan_bits));
}

void
merkle_update(struct merkle *t, int l, uint64_t old_item, uint64_t new_item)
{
    uint64_t delta = old_item ^ new_item;

    t->leaf[l] ^= delta;
    t->mid[l >> t->fan_bits] ^= delta;
    t->root ^= delta;
}

int
merkle_diff(const uint64_t *a, const uint64_t *b, int n, int *out)
{
    int k = 0;

    for (int i = 0; i < n; i++)
        if (a[i] != b[i]) out[k++] = i;
    return k;
}

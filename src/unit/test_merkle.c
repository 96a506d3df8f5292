/* Unit tests of merkle.c: a tree updated write by write equals the tree
 * rebuilt from the final contents, and descending only the differing
 * branches finds exactly the leaves of the keys that differ. */
#include <stdlib.h>
#include <string.h>

#include "testhelp.h"
#include "../merkle.h"

#define QBITS 8
#define NKEYS 20000

static uint64_t
rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int
same_tree(const struct merkle *a, const struct merkle *b)
{
    return a->root == b->root &&
           memcmp(a->mid, b->mid, sizeof(uint64_t) * a->fan) == 0 &&
           memcmp(a->leaf, b->leaf, sizeof(uint64_t) * a->fan * a->fan) == 0;
}

int
test_merkle(void)
{
    static uint64_t pos[NKEYS], dig[NKEYS];
    struct merkle inc, full, other;
    uint64_t seed = 88172645463325252ULL;
    const uint64_t part = 37;  /* every key in partition 37 */
    int fan = merkle_fan_for(256), ok, groups[MERKLE_MAX_FAN];
    int *leaves, nleaves = 0, want[8], nwant = 0, changed[8];
    long compared = 0;

    test_cond("256 partitions get 32-way trees, bigger rings smaller ones",
              fan == 32 && merkle_fan_for(65536) == 2);
    merkle_init(&inc, fan);
    merkle_init(&full, fan);
    merkle_init(&other, fan);
    for (int i = 0; i < NKEYS; i++) {
        pos[i] = (part << (64 - QBITS)) | (rnd(&seed) >> QBITS);
        dig[i] = 0;
    }
    /* Writes in random order: inserts, overwrites, deletes (digest 0). */
    for (int step = 0; step < 5 * NKEYS; step++) {
        int i = (int)(rnd(&seed) % NKEYS);
        uint64_t d = (rnd(&seed) % 4 == 0) ? 0 : rnd(&seed) | 1;
        merkle_update(&inc, merkle_leaf_of(&inc, pos[i], QBITS),
                      merkle_item(pos[i], dig[i]), merkle_item(pos[i], d));
        dig[i] = d;
    }
    for (int i = 0; i < NKEYS; i++)
        merkle_update(&full, merkle_leaf_of(&full, pos[i], QBITS), 0,
                      merkle_item(pos[i], dig[i]));
    test_cond("incremental updates equal a rebuild", same_tree(&inc, &full));

    ok = 1;
    for (int i = 0; i < 100 && ok; i++) {
        int l = merkle_leaf_of(&inc, pos[i], QBITS);
        uint64_t a = merkle_leaf_start(&inc, (int)part, QBITS, l);
        uint64_t b = l + 1 < fan * fan ?
            merkle_leaf_start(&inc, (int)part, QBITS, l + 1) :
            (part + 1) << (64 - QBITS);
        ok = pos[i] >= a && pos[i] < b;
    }
    test_cond("a leaf is the contiguous position range it starts", ok);

    /* A replica with 5 keys different. */
    for (int i = 0; i < NKEYS; i++)
        merkle_update(&other, merkle_leaf_of(&other, pos[i], QBITS), 0,
                      merkle_item(pos[i], dig[i]));
    for (int k = 0; k < 5; k++) {
        int i = (int)(rnd(&seed) % NKEYS), l;
        uint64_t d = rnd(&seed) | 1;
        changed[k] = i;
        merkle_update(&other, merkle_leaf_of(&other, pos[i], QBITS),
                      merkle_item(pos[i], dig[i]), merkle_item(pos[i], d));
        l = merkle_leaf_of(&other, pos[i], QBITS);
        ok = 1;
        for (int j = 0; j < nwant; j++) ok &= want[j] != l;
        if (ok) want[nwant++] = l;
    }
    (void)changed;
    leaves = malloc(sizeof(int) * fan * fan);
    compared = 1 + fan;
    int ng = other.root != full.root ?
        merkle_diff(full.mid, other.mid, fan, groups) : 0;
    for (int g = 0; g < ng; g++) {
        int idx[MERKLE_MAX_FAN];
        int nd = merkle_diff(&full.leaf[groups[g] * fan],
                             &other.leaf[groups[g] * fan], fan, idx);
        compared += fan;
        for (int j = 0; j < nd; j++) leaves[nleaves++] = groups[g] * fan + idx[j];
    }
    ok = nleaves == nwant;
    for (int j = 0; j < nwant && ok; j++) {
        int found = 0;
        for (int m = 0; m < nleaves; m++) found |= leaves[m] == want[j];
        ok = found;
    }
    test_cond("descending differing branches finds exactly the changed leaves",
              ok);
    test_cond("and compares about k * fan hashes, not the whole tree",
              compared <= 1 + fan + 5 * fan && compared < fan * fan / 4);
    free(leaves);
    merkle_free(&inc);
    merkle_free(&full);
    merkle_free(&other);
    return 0;
}

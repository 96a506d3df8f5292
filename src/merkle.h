/* Merkle trees for anti-entropy (Dynamo §4.7): one fixed-shape tree per
 * ring partition over the key positions in it, so two replicas find the
 * keys they disagree on by exchanging hashes of the differing branches
 * only.
 *
 * DESIGN
 * ------
 * Three levels: a root, `fan` middle nodes and fan * fan leaves; a key
 * falls in the leaf named by the position bits right after the
 * partition's own bits, so a leaf (and a middle node) is a contiguous
 * range of positions, walkable in the store. Each key contributes one
 * 64-bit item, a mix of its position and its version set's digest; a
 * node is the XOR of what is under it. XOR makes the update on a write
 * O(depth): remove the old item, add the new one on the leaf, its middle
 * node and the root, never rebuilding. fan is chosen by the ring size so
 * that all trees together hold at most 256K leaves (2 MB): 32 x 32 leaves
 * per partition for the default 256 partitions, a few keys per leaf up to
 * about a million keys per node.
 *
 * Pure module: no I/O, unit-tested in unit/test_merkle.c. */
#ifndef DKV_MERKLE_H
#define DKV_MERKLE_H

#include <stdint.h>

#define MERKLE_MAX_FAN 32
#define MERKLE_TOTAL_LEAVES (1 << 18)

struct merkle {
    int fan;            /* middle nodes; leaves = fan * fan */
    int fan_bits;       /* log2(fan) */
    uint64_t root;
    uint64_t *mid;      /* fan */
    uint64_t *leaf;     /* fan * fan */
};

/* fan for a ring of q partitions. */
int merkle_fan_for(int q);
void merkle_init(struct merkle *t, int fan);
void merkle_free(struct merkle *t);
void merkle_clear(struct merkle *t);
/* A key's item: 0 when the key has no versions (absent contributes
 * nothing). */
uint64_t merkle_item(uint64_t pos, uint64_t digest);
/* The leaf of a key position in a ring with qbits partition bits. */
int merkle_leaf_of(const struct merkle *t, uint64_t pos, int qbits);
/* First position of leaf l of partition p (qbits partition bits); the
 * leaf ends where leaf l + 1 begins. */
uint64_t merkle_leaf_start(const struct merkle *t, int p, int qbits, int l);
/* Replaces old_item by new_item in leaf l (and above). */
void merkle_update(struct merkle *t, int l, uint64_t old_item,
                   uint64_t new_item);
/* Indexes i < n where a[i] != b[i], into out; returns how many. */
int merkle_diff(const uint64_t *a, const uint64_t *b, int n, int *out);

#endif

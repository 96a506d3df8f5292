/* The ring (DESIGN.md §6): Q equal partitions of the 64-bit MD5 key space,
 * each owned by one member, and every partition's preference list.
 *
 * DESIGN
 * ------
 * Ownership is a pure function of (Q, member ids), so every node that
 * knows the same members computes the same ring with no coordination.
 * It is rendezvous hashing with capacities: every (partition, member)
 * pair gets a pseudo-random score and each partition goes to its best
 * member; then members above their capacity (Q/S rounded down, or up for
 * Q mod S of them chosen by their own score) give up their worst pairs to
 * the best members below it. So each member owns Q/S +-1 partitions, and
 * a join or leave moves the partitions the joiner wins or the leaver held
 * plus a few the capacity change pushes along (at most two per member in
 * the unit tests): about Q/S partitions, not everything.
 *
 * The preference list of a partition is the distinct members met walking
 * the partitions clockwise from it (Dynamo §4.3), at most N of them.
 *
 * This module is pure: no I/O, no globals. */
#ifndef DKV_RING_H
#define DKV_RING_H

#include <stdint.h>

struct ring {
    int q;              /* partitions, a power of two */
    int qbits;          /* log2(q) */
    int nmembers;
    uint64_t *members;  /* member ids, ascending */
    int *owner;         /* q entries: index into members */
    int *owned;         /* nmembers entries: partitions each one owns */
    int nrep;           /* preference list length: min(N, nmembers) */
    int *pref;          /* q * nrep member indexes, pref[p * nrep + i] */
    int *walk;          /* q * nmembers: every member in walk order from
                           each partition (the preference list extended,
                           where sloppy quorum finds stand-ins) */
};

/* Builds the ring of q partitions over ids (any order, no duplicates,
 * n >= 1) with preference lists of min(nreplicas, n). r is overwritten;
 * free with ring_free. */
void ring_build(struct ring *r, int q, const uint64_t *ids, int n,
                int nreplicas);
void ring_free(struct ring *r);

/* The partition a key's 64-bit position falls in. */
static inline int
ring_partition(const struct ring *r, uint64_t pos)
{
    return (int)(pos >> (64 - r->qbits));
}

/* First position of partition p. */
static inline uint64_t
ring_partition_start(const struct ring *r, int p)
{
    return (uint64_t)p << (64 - r->qbits);
}

/* Index of id among the members, -1 if not a member. */
int ring_member_index(const struct ring *r, uint64_t id);

/* Every member, in the order the walk from partition p meets them. */
static inline const int *
ring_walk(const struct ring *r, int p)
{
    return &r->walk[p * r->nmembers];
}

/* Preference list of partition p: nrep member indexes, first = owner. */
static inline const int *
ring_preflist(const struct ring *r, int p)
{
    return &r->pref[p * r->nrep];
}

#endif

/* Vector clocks (Dynamo §4.4): one entry per actor that ever coordinated a
 * write of the key. An actor is a node's stable id plus its data epoch, so
 * a node whose data was lost starts a new actor and never reuses counters
 * it no longer remembers (riak_kv#679). Entries also carry the wall-clock
 * time they were last touched, used only for pruning.
 *
 * Entries are kept sorted by actor, which makes compare and merge a linear
 * merge walk. Clocks are pruned as Riak does: never below VCLOCK_SMALL
 * entries or entries younger than VCLOCK_YOUNG_MS; above VCLOCK_BIG or
 * older than VCLOCK_OLD_MS the oldest entries go first. Pruning can only
 * turn a descent into concurrency (a false sibling), never lose a write. */
#ifndef DKV_VCLOCK_H
#define DKV_VCLOCK_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

#define VCLOCK_SMALL     10                        /* never prune below */
#define VCLOCK_BIG       50                        /* always prune above */
#define VCLOCK_YOUNG_MS  (20LL * 1000)             /* never prune younger */
#define VCLOCK_OLD_MS    (7LL * 24 * 3600 * 1000)  /* prune older */
#define VCLOCK_MAX_ENTRIES 1024                    /* decoder refuses more */

/* Who coordinated a write: node id plus data epoch. */
struct actor {
    uint64_t node;   /* node's stable random id (kept in the data dir) */
    uint32_t epoch;  /* bumped whenever the node's data may have been lost */
};

/* One actor's counter. */
struct vclock_entry {
    struct actor actor;
    uint64_t counter;  /* writes this actor coordinated, >= 1 */
    int64_t ts_ms;     /* wall clock of the last increment, for pruning */
};

/* A vector clock; an empty clock (n == 0) precedes everything. */
struct vclock {
    int n;                     /* entries in use */
    int cap;                   /* entries allocated */
    struct vclock_entry *e;    /* sorted by (actor.node, actor.epoch) */
};

enum vclock_order {
    VCLOCK_EQUAL = 0,
    VCLOCK_BEFORE,      /* a happened before b (b descends a) */
    VCLOCK_AFTER,       /* a descends b */
    VCLOCK_CONCURRENT
};

void vclock_init(struct vclock *vc);
void vclock_free(struct vclock *vc);
void vclock_copy(struct vclock *dst, const struct vclock *src);
int actor_cmp(const struct actor *a, const struct actor *b);
/* Adds one to actor's entry (creating it at 1) and stamps it with now_ms. */
void vclock_increment(struct vclock *vc, const struct actor *a, int64_t now_ms);
/* dst = pointwise max(dst, src); ts of an entry is that of the max counter. */
void vclock_merge(struct vclock *dst, const struct vclock *src);
enum vclock_order vclock_compare(const struct vclock *a, const struct vclock *b);
/* 1 when a >= b pointwise (a descends or equals b). */
int vclock_descends(const struct vclock *a, const struct vclock *b);
uint64_t vclock_get(const struct vclock *vc, const struct actor *a);
/* Riak-style pruning (see the top comment); returns entries removed. */
int vclock_prune(struct vclock *vc, int64_t now_ms);

/* Binary form: u32 count, then per entry u64 node, u32 epoch, u64 counter,
 * u64 ts (big-endian). Decode validates everything (count bound, sorted,
 * no duplicates, counters >= 1) and returns DKV_ERR on malformed input;
 * vc is left empty then. */
void vclock_encode(const struct vclock *vc, struct buf *out);
int vclock_decode(struct reader *r, struct vclock *vc);

#endif

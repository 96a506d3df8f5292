/* A key's version set (DESIGN.md §3): the sibling versions that no other
 * version of the key supersedes. Every rule about how versions combine
 * lives here, so the single-node store, the coordinator and the replicas
 * all agree.
 *
 * DESIGN
 * ------
 * Each version carries a *dot*, the (actor, counter) of the write that
 * created it, and a *clock*, the causal context that write had seen (the
 * client's context, or the key's local context without one). Version a
 * supersedes b when a's clock covers b's dot (a.clock[b.dot.actor] >=
 * b.dot.counter): a was written by someone who had seen b. This is the
 * dotted-version-vector rule; unlike comparing plain vector clocks, a
 * write made from a stale context can never appear to descend a version
 * its writer did not see, so no write is silently lost.
 *
 * - put (coordinator): dot = (this actor, a counter above any this actor
 *   ever used for the key: max of what the set and the context name, and
 *   the wall clock in ms, so counters stay fresh even after a key's
 *   tombstone was reaped); clock = context; drop what the clock covers.
 * - add (replica merge): drop what the new version covers, drop the new
 *   version if something covers it, keep it as a sibling otherwise. Two
 *   versions with the same dot are the same write; a tombstone made by
 *   expiry wins over its live twin so replicas converge.
 * - a tombstone is a version like any other, so deletes replicate and win
 *   over older writes.
 * - an expired version reads as absent and is turned into a tombstone with
 *   the same dot and clock (so it can never come back through repair).
 * - counters: concurrent increments are concurrent COUNTER versions
 *   (siblings); their value merges them as a PN-counter (max per actor
 *   over the siblings that share a base), so no increment is lost.
 * - past max-siblings, siblings collapse to the LWW winner (clocks merged)
 *   and the collapse is counted.
 *
 * This module is pure: no I/O, no globals. */
#ifndef DKV_VERSION_H
#define DKV_VERSION_H

#include <stddef.h>
#include <stdint.h>
#include "vclock.h"

#define VSET_MAX_VERSIONS 1024    /* decoder refuses more */
#define COUNTER_MAX_ENTRIES 1024  /* decoder refuses more */

enum version_kind {
    VERSION_VALUE = 0,      /* a string value */
    VERSION_TOMBSTONE = 1,  /* a delete */
    VERSION_COUNTER = 2     /* PN-counter: value = base + sum(p) - sum(n) */
};

/* One actor's share of a counter: increments and decrements seen so far,
 * each monotonic so concurrent states merge by max. */
struct counter_entry {
    struct actor actor;
    uint64_t p;  /* sum of increments coordinated by actor */
    uint64_t n;  /* sum of decrements (magnitudes) coordinated by actor */
};

/* One version of a key. */
struct version {
    struct vclock_entry dot;  /* the write that made it (actor, counter) */
    struct vclock clock;      /* causal context its writer had seen */
    int64_t ts_ms;            /* coordinator's wall clock at the write (LWW) */
    int64_t expire_ms;        /* absolute expiry, 0 = none */
    uint8_t kind;             /* enum version_kind */
    char *val;                /* VALUE: bytes (owned, may be NULL if len 0) */
    size_t len;               /* VALUE: length */
    int64_t base;             /* COUNTER: the value it started from */
    int nctr;                 /* COUNTER: entries */
    struct counter_entry *ctr;/* COUNTER: sorted by actor */
};

/* A key's version set; n == 0 means the key was never written here. */
struct vset {
    int n;
    int cap;
    struct version *v;
};

void version_init(struct version *v);
void version_free(struct version *v);
void version_copy(struct version *dst, const struct version *src);
/* Live = not a tombstone and not expired at now_ms. */
int version_live(const struct version *v, int64_t now_ms);
/* COUNTER value; returns DKV_ERR if it does not fit in a long long. */
int version_counter_value(const struct version *v, long long *out);
/* 1 if a's clock covers b's dot: a's writer had seen b. */
int version_covers(const struct version *a, const struct version *b);
/* Adds delta to actor's share of a COUNTER version (p or n). */
void version_counter_add(struct version *v, const struct actor *a,
                         long long delta);

void vset_init(struct vset *s);
void vset_free(struct vset *s);
void vset_copy(struct vset *dst, const struct vset *src);

/* What anti-entropy compares: equal for two sets holding the same
 * versions (same dots, kinds, expiries and clocks) in any order; 0 only
 * for the empty set. */
uint64_t vset_digest(const struct vset *s);
/* Merged clock of every version (the context a client gets). */
void vset_context(const struct vset *s, struct vclock *out);
/* Replica merge of one version (copied); returns 1 if the set changed. */
int vset_add(struct vset *s, const struct version *v);
/* Merge every version of src into dst; returns 1 if dst changed. */
int vset_merge(struct vset *dst, const struct vset *src);
/* Coordinator put: v's clock becomes ctx (or the set's own context when
 * ctx is NULL), pruned; its dot a fresh counter of actor; every version
 * the clock covers is dropped and v added. Takes ownership of v's
 * contents (v is left empty). */
void vset_put(struct vset *s, const struct vclock *ctx, struct version *v,
              const struct actor *actor, int64_t now_ms,
              uint64_t min_counter);
/* Turns every version expired at now_ms into a tombstone (same clock, ts
 * kept). Returns how many changed. */
int vset_expire(struct vset *s, int64_t now_ms);
/* Number of live versions. */
int vset_live_count(const struct vset *s, int64_t now_ms);
/* The live version GET returns under last-writer-wins: newest ts_ms, ties
 * broken by the greater actor of the version's latest clock entry, then by
 * bytes. NULL when no version is live. */
const struct version *vset_lww(const struct vset *s, int64_t now_ms);
/* The counter GET and INCR see: the winner (a live COUNTER) merged by max
 * per actor with every live COUNTER sibling of the same base. out gets a
 * fresh copy (caller frees) whose clock is empty. */
void vset_counter_merged(const struct vset *s, const struct version *winner,
                         int64_t now_ms, struct version *out);
/* Latest expiry among live versions, 0 if none expires or none is live. */
int64_t vset_expire_at(const struct vset *s, int64_t now_ms);
/* Collapses to at most max versions (LWW winner keeps its value, clocks
 * merged). Returns 1 if it collapsed. */
int vset_limit(struct vset *s, int max, int64_t now_ms);

/* What a read needs from an encoded set, found without decoding it (no
 * allocation): the LWW winner's value, pointing into the encoded bytes,
 * and how many versions are live. */
struct vset_peek {
    int nlive;          /* live versions */
    const char *val;    /* winner's value (into the input), NULL if none */
    size_t len;         /* its length */
    int64_t expire_ms;  /* winner's expiry, 0 = none */
};
#define VSET_PEEK_FULL 1  /* needs a full decode: a live counter, or a
                             version due for lazy expiry */
/* DKV_OK (out filled), VSET_PEEK_FULL, or DKV_ERR on malformed input. */
int vset_peek(const void *p, size_t len, int64_t now_ms,
              struct vset_peek *out);

/* Binary form stored in Berkeley DB and sent between peers:
 * u8 format (1), u32 count, then per version: u8 kind, u64 ts, u64 expire,
 * dot (u64 node, u32 epoch, u64 counter, u64 ts), clock (vclock_encode),
 * then VALUE: u32 len + bytes; COUNTER: u64 base,
 * u32 n, n x (u64 node, u32 epoch, u64 p, u64 n). Decode validates all and
 * leaves s empty with DKV_ERR on malformed input. */
void vset_encode(const struct vset *s, struct buf *out);
int vset_decode(const void *p, size_t len, struct vset *s);

/* Client context: the printable form of a clock, base64 (OpenSSL EVP) of
 * a format byte, the vclock encoding and a 4-byte checksum, so a damaged
 * or invented context is refused instead of silently misread. */
void context_encode(const struct vclock *vc, struct buf *out);
/* vc must be initialized; its old entries are freed. */
int context_decode(const char *s, size_t len, struct vclock *vc);

#endif

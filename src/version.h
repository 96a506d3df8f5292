/* A key's version set (DESIGN.md §3): the sibling versions that no other
 * version of the key descends. Every rule about how versions combine lives
 * here, so the single-node store, the coordinator and the replicas (issue
 * 3+) all agree:
 *
 * - put (coordinator): the new version's clock is the client's context (or
 *   the merged clock of the local set without one) incremented by the
 *   coordinating actor; it replaces every version that clock descends.
 * - add (replica merge): a received version replaces every version it
 *   descends, is dropped if one descends (or equals) it, and becomes a
 *   sibling otherwise. Two concurrent COUNTER versions built on the same
 *   base merge into one (pointwise max per actor) instead of siblings.
 * - a tombstone is a version like any other, so deletes replicate and win
 *   over older writes.
 * - an expired version reads as absent and is turned into a tombstone with
 *   the same clock (so it can never come back through repair).
 * - past max-siblings, siblings collapse to the LWW winner (clocks merged)
 *   and the collapse is counted.
 *
 * This module is pure: no I/O, no globals besides counters it returns. */
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
    struct vclock clock;      /* causal history */
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
/* Adds delta to actor's share of a COUNTER version (p or n). */
void version_counter_add(struct version *v, const struct actor *a,
                         long long delta);

void vset_init(struct vset *s);
void vset_free(struct vset *s);
void vset_copy(struct vset *dst, const struct vset *src);

/* Merged clock of every version (the context a client gets). */
void vset_context(const struct vset *s, struct vclock *out);
/* Replica merge of one version (copied); returns 1 if the set changed. */
int vset_add(struct vset *s, const struct version *v);
/* Merge every version of src into dst; returns 1 if dst changed. */
int vset_merge(struct vset *dst, const struct vset *src);
/* Coordinator put: stamps v->clock from ctx (or the set's own context when
 * ctx is NULL), increments it for actor at now_ms, prunes it, drops every
 * version the result descends and adds v. Takes ownership of v's contents
 * (v is left empty). */
void vset_put(struct vset *s, const struct vclock *ctx, struct version *v,
              const struct actor *actor, int64_t now_ms);
/* Turns every version expired at now_ms into a tombstone (same clock, ts
 * kept). Returns how many changed. */
int vset_expire(struct vset *s, int64_t now_ms);
/* Number of live versions. */
int vset_live_count(const struct vset *s, int64_t now_ms);
/* The live version GET returns under last-writer-wins: newest ts_ms, ties
 * broken by the greater actor of the version's latest clock entry, then by
 * bytes. NULL when no version is live. */
const struct version *vset_lww(const struct vset *s, int64_t now_ms);
/* Latest expiry among live versions, 0 if none expires or none is live. */
int64_t vset_expire_at(const struct vset *s, int64_t now_ms);
/* Collapses to at most max versions (LWW winner keeps its value, clocks
 * merged). Returns 1 if it collapsed. */
int vset_limit(struct vset *s, int max, int64_t now_ms);

/* Binary form stored in Berkeley DB and sent between peers:
 * u8 format (1), u32 count, then per version: u8 kind, u64 ts, u64 expire,
 * clock (vclock_encode), then VALUE: u32 len + bytes; COUNTER: u64 base,
 * u32 n, n x (u64 node, u32 epoch, u64 p, u64 n). Decode validates all and
 * leaves s empty with DKV_ERR on malformed input. */
void vset_encode(const struct vset *s, struct buf *out);
int vset_decode(const void *p, size_t len, struct vset *s);

/* Client context: the printable form of a clock, base64 (OpenSSL EVP) of
 * a format byte, the vclock encoding and a 4-byte checksum, so a damaged
 * or invented context is refused instead of silently misread. */
void context_encode(const struct vclock *vc, struct buf *out);
int context_decode(const char *s, size_t len, struct vclock *vc);

#endif

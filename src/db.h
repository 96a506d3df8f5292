/* The keyspace: a key's version set loaded from and stored to the store,
 * with lazy expiry, the expiry/tombstone indexes and the exact key counts
 * INFO and DBSIZE report kept in step with every write. Commands and (in
 * the cluster) the replica side of the coordinator go through here, never
 * to store.c directly. */
#ifndef DKV_DB_H
#define DKV_DB_H

#include <stddef.h>
#include <stdint.h>
#include "version.h"

/* Position of a key on the ring and in the store: the first 8 bytes of
 * MD5(key), big-endian. */
uint64_t db_hash(const void *key, size_t klen);

/* Loads key's set into s (empty if absent). Versions found expired are
 * turned into tombstones and written back (lazy expiry). DKV_OK or
 * DKV_ERR (store failure; s is empty). */
int db_load(const void *key, size_t klen, struct vset *s);
/* The fast read path (GET, MGET): the LWW winner without decoding the
 * set. out->val points into a buffer valid until the next db_ call.
 * Returns DKV_OK, VSET_PEEK_FULL (use db_load: a counter or a lazy expiry
 * is involved) or DKV_ERR. */
int db_peek(const void *key, size_t klen, struct vset_peek *out);
/* Stores key's new set, given the set it replaces (as loaded); a set
 * with no versions deletes the record. Updates indexes and counters. */
int db_store(const void *key, size_t klen, const struct vset *old,
             const struct vset *s);

/* A write coordinated by this node: v (whose contents are taken) gets a
 * clock from ctx, or from s's own context when ctx is NULL, supersedes
 * what that clock descends, siblings are bounded by max-siblings, and the
 * result is stored. s is the key's set as loaded and is updated. */
int db_put(const void *key, size_t klen, struct vset *s, struct version *v,
           const struct vclock *ctx);

/* Whose name this node writes under. Normally server.me; while it
 * coordinates a key as a stand-in (db_standin(1) ... db_standin(0)), a
 * stand-in actor whose generation moves on each time a copy is dropped:
 * a dropped copy takes that actor's versions of the key with it, and a
 * later write under the same actor, not seeing them, would get a clock
 * entry covering them (see coord.c). */
const struct actor *db_actor(void);
void db_standin(int on);
/* Removes this node's copy of key (handed over to its replicas). */
int db_drop_copy(const void *key, size_t klen);

/* Replica side. The key's set in its binary form (out empty when the key
 * was never written here), the stored bytes as they are unless lazy
 * expiry has something to do. */
int db_get_encoded(const void *key, size_t klen, struct buf *out);
/* Merges in (a peer's versions) into the key's set and stores it if that
 * changed anything (*changed = 1). */
int db_merge(const void *key, size_t klen, const struct vset *in,
             int *changed);

/* The value GET shows for a set: the LWW winner's bytes (a counter as its
 * decimal form, written into tmp). Returns 0 if no version is live. */
int db_value(const struct vset *s, int64_t now, struct buf *tmp,
             const char **p, size_t *len, const struct version **winner);

/* The coordinator runs a command's handler against the version sets it
 * merged from the replicas: between begin and end, loads of an overlay's
 * key return a copy of its *set and stores of it replace *set and set
 * dirty, touching neither the store nor the counters. With multi (a
 * multi-key request, coord_multikey.c) the handler may touch
 * no other key (a load or store of one fails and is logged), and each
 * overlay records the handler's last put of its key (its version as the
 * handler built it, before clock and dot), for the caller to turn into a
 * coordinated write and free. Several overlays come sorted by their
 * keys' bytes, a shorter key first on a common prefix (looked up by
 * binary search). */
struct db_overlay {
    const char *key;
    size_t klen;
    struct vset *set;
    int dirty;
    int put;                /* multi: putv holds a version */
    struct version putv;    /* that version (caller frees when put) */
};
void db_overlay_begin(struct db_overlay *o, int n, int multi);
void db_overlay_end(void);
/* 1 between begin and end: the handler runs for the coordinator. */
int db_overlay_active(void);

/* Changes whenever anything is written to the store. */
uint64_t db_generation(void);

/* Partition p's Merkle tree, kept current by every write. */
struct merkle;
const struct merkle *db_merkle(int p);

/* Every key at positions [from, end) (end 0 = the top) with its Merkle
 * item, in store order; keys holding only tombstones are not listed
 * (they count as absent in the trees). */
typedef void (*db_item_fn)(void *priv, uint64_t pos, const void *key,
                           size_t klen, uint64_t item);
int db_walk_items(uint64_t from, uint64_t end, db_item_fn fn, void *priv);

/* Live keys of database db per ring partition (ring-size entries); db
 * -1: of every database. */
const long long *db_partition_keys(int db);
/* Live keys of database db, and those of them with a TTL. */
long long db_keys(int db);
long long db_expires(int db);

/* Recounts keys and expires by walking the store (startup). */
int db_count(void);
/* Active expiry and tombstone reaping, bounded work per call (cron). */
void db_cron(void);
/* Removes every key (FLUSHALL). */
int db_flush(void);
/* Removes every key of database db (FLUSHDB), records and indexes, no
 * tombstones (as FLUSHALL): O(keys stored), every database's. */
int db_flush_db(int db);

#endif

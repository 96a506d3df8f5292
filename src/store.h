/* Storage: the Berkeley DB transactional environment in `dir` and the only
 * file that includes <db.h>.
 *
 * DESIGN
 * ------
 * Three databases live in one environment opened with DB_RECOVER, so a
 * kill -9 at any moment leaves a store that recovery brings back to the last
 * committed transaction:
 *   data     btree, key = be64 hash || user key -> encoded version set.
 *            Ordering by hash makes SCAN's cursor a plain 64-bit position
 *            and (later) makes a ring partition a contiguous key range.
 *   expires  btree, key = u8 index || be64 at || be64 hash || user key ->
 *            empty. Index STORE_IDX_TTL holds keys with a TTL by expiry
 *            time, STORE_IDX_TOMB holds tombstones by deletion time, both
 *            oldest first, so the sweeps read only what is due.
 *   meta     btree, small named records (node id, epoch).
 *
 * Group commit: writes of one event-loop iteration share one transaction,
 * begun lazily by the first write and committed by store_commit() from the
 * loop's before-sleep hook, before any reply is written. Reads made while a
 * batch is open go through it (a separate locker would block on our own
 * page locks). Durability per `fsync`: always = commit flushes the log to
 * disk; everysec/no = commit writes the log to the OS (so a process crash
 * loses nothing), and everysec flushes it once a second from the cron.
 * store_cron() checkpoints and removes log files no longer needed. */
#ifndef DKV_STORE_H
#define DKV_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

#define STORE_NOTFOUND 1

enum fsync_mode {
    FSYNC_NO = 0,
    FSYNC_EVERYSEC,
    FSYNC_ALWAYS
};

/* Opens (creating if needed) the environment in dir with recovery.
 * cache_bytes sizes the BDB cache. On failure fills err and returns
 * DKV_ERR. */
int store_open(const char *dir, long long cache_bytes, char *err,
               size_t errlen);
/* Commits any open batch, checkpoints and closes everything. */
void store_close(void);

/* data: DKV_OK (out filled), STORE_NOTFOUND or DKV_ERR. */
int store_get(uint64_t hash, const void *key, size_t klen, struct buf *out);
/* data: insert or replace; val == NULL deletes the record. */
int store_put(uint64_t hash, const void *key, size_t klen, const void *val,
              size_t vlen);
enum store_index {
    STORE_IDX_TTL = 1,   /* live keys with an expiry, by expire time */
    STORE_IDX_TOMB = 2,  /* tombstone-only keys, by deletion time */
    STORE_IDX_HINT = 3   /* hinted handoff: "at" is the intended owner's
                            node id; the key's versions are in data */
};
/* expires: move the key's entry in index idx from old_at to new_at
 * (either may be 0 = no entry). */
int store_index_set(enum store_index idx, uint64_t hash, const void *key,
                    size_t klen, int64_t old_at, int64_t new_at);

/* Commits the iteration's batch, if any, with the durability of mode.
 * Returns the number of writes committed (>= 0) or DKV_ERR. */
int store_commit(enum fsync_mode mode);
/* Flushes the log to disk (fsync everysec). */
int store_sync(void);
/* 1 when the open batch is large enough that callers should commit. */
int store_batch_full(void);
/* Writes still uncommitted in the open batch. */
long store_pending(void);
/* Periodic housekeeping: checkpoint when enough log was written, remove
 * log files no longer needed for recovery. */
void store_cron(void);

/* Walks data from hash position `from` in key order, calling fn for each
 * record until fn returns nonzero or max records were seen. *next is the
 * position to resume from (0 when the end was reached). All records that
 * share the hash where the walk stops are visited together, so a cursor
 * never splits them. */
typedef int (*store_scan_fn)(void *priv, uint64_t hash, const void *key,
                             size_t klen, const void *val, size_t vlen);
int store_scan(uint64_t from, long max, store_scan_fn fn, void *priv,
               uint64_t *next);
/* Walks index idx entries with at <= upto, oldest first, at most max,
 * until fn returns nonzero. fn may change the store (the walk copies each
 * entry before calling it). Returns entries visited or DKV_ERR. */
typedef int (*store_index_fn)(void *priv, int64_t at, uint64_t hash,
                              const void *key, size_t klen);
long store_index_scan(enum store_index idx, int64_t upto, long max,
                      store_index_fn fn, void *priv);

/* Entries of idx with from <= at <= upto, compared as unsigned (hint
 * owners), at most max, as store_index_scan. */
long store_index_range(enum store_index idx, uint64_t from, uint64_t upto,
                       long max, store_index_fn fn, void *priv);
/* 1 if idx has the entry (at, hash, key), 0 if not, DKV_ERR. */
int store_index_has(enum store_index idx, uint64_t at, uint64_t hash,
                    const void *key, size_t klen);
/* Number of entries in idx. */
long store_index_count(enum store_index idx);
/* meta records. */
int store_meta_get(const char *name, struct buf *out);
int store_meta_put(const char *name, const void *val, size_t len);

/* Empties data and expires (FLUSHALL), in the current batch. */
int store_truncate(void);

/* For INFO: log bytes written, checkpoints, commits, last error. */
struct store_stats {
    long long commits;        /* batches committed */
    long long syncs;          /* log flushes to disk */
    long long checkpoints;    /* checkpoints taken */
    long long log_files_removed;
    int64_t last_sync_ms;     /* when the log was last flushed to disk */
    int64_t last_checkpoint_ms;
    int last_error;           /* last BDB error code, 0 = none */
};
const struct store_stats *store_get_stats(void);

#endif

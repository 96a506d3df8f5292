/* Helpers the keyspace commands (t_string.c, t_keys.c) share: load and
 * put with the error replies, building versions, parsing arguments. Each
 * replies the error itself and returns DKV_ERR, so callers just return. */
#ifndef DKV_T_STRING_H
#define DKV_T_STRING_H

#include <stddef.h>
#include <stdint.h>
#include "version.h"

struct client;

int kv_load(struct client *c, const char *key, size_t klen, struct vset *s);
/* Takes v's contents, also on error. */
int kv_put(struct client *c, const char *key, size_t klen, struct vset *s,
           struct version *v, const struct vclock *ctx);
void kv_make_value(struct version *v, const char *p, size_t len,
                   int64_t expire);
void kv_make_retimed(struct version *v, const struct version *winner,
                     int64_t expire);
/* The value a read command shows for s (GET's); replies nothing.
 * Returns 1 if live, 0 if not. With sibling-policy error and several
 * live siblings, replies the error and returns -1. *p may point into a
 * scratch buffer valid until the next call. */
int kv_read_value(struct client *c, const struct vset *s, const char **p,
                  size_t *len);
int kv_parse_context(struct client *c, const char *s, size_t len,
                     struct vclock *ctx);
int kv_parse_ll(struct client *c, const char *s, size_t len, long long *v);
/* An int, with Redis's two errors (not an integer / outside int). */
int kv_parse_int(struct client *c, const char *s, size_t len, int *v);
int kv_parse_expire(struct client *c, const char *arg, size_t len,
                    int unit_ms, int absolute, const char *cmdname,
                    int64_t *at);

/* SCAN cursors are ring positions >> SCAN_CURSOR_SHIFT: below 2^53. */
#define SCAN_CURSOR_SHIFT 11

/* Live keys of database db at positions [from, end) (end 0 = the top)
 * matching pat, in the ring partitions set in mask (NULL = all), at most
 * about count records looked at (count <= 0: all), appended to keys as u32
 * length + user key and added to *found. *next is where to resume (the
 * start of a cursor bucket: see t_keys.c), 0 when [from, end) is done. */
int keys_walk_range(int db, uint64_t from, uint64_t end, long count,
                    const char *pat, size_t patlen, const uint8_t *mask,
                    struct buf *keys, long *found, uint64_t *next);
/* SCAN's cursor argument as a ring position (UINT64_MAX: past the end);
 * replies the error and returns DKV_ERR when it is not one. */
int keys_scan_cursor(struct client *c, const char *arg, size_t len,
                     uint64_t *pos);
/* FLUSHALL/FLUSHDB's [ASYNC|SYNC]: 1 if right, else replies the error. */
int keys_flush_args(struct client *c);
#endif

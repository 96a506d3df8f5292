/* Keyspace commands: DEL/UNLINK, EXISTS, TYPE, the EXPIRE family, TTL,
 * PERSIST, SCAN/KEYS/RANDOMKEY, DBSIZE and FLUSHALL/FLUSHDB.
 *
 * SCAN's cursor names a position on the 64-bit hash line the store is
 * ordered by (db_hash): its top 53 bits (a bucket of 2^11 positions), so
 * that every cursor is below 2^53 and survives clients that hold it as a
 * JavaScript number (node-redis's scanIterator). It is stateless: any
 * cursor a client holds stays meaningful after writes, restarts and ring
 * changes. Every key present for the whole scan is returned once; a page
 * ends only at a bucket boundary, so no bucket is split across pages.
 * Listings show the keys of the client's database only (keyspace.h). */
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>

#include "client.h"
#include "commands.h"
#include "db.h"
#include "keyspace.h"
#include "store.h"
#include "server.h"
#include "t_string.h"

/* ---- DEL / EXISTS / TYPE ------------------------------------------------- */

void
del_command(struct client *c)
{
    long long deleted = 0;

    for (int i = 1; i < c->argc; i++) {
        struct vset s;
        struct version v;

        if (kv_load(c, c->argv[i], c->argvlen[i], &s) != DKV_OK) return;
        if (vset_live_count(&s, server.now_ms) > 0) {
            version_init(&v);
            v.kind = VERSION_TOMBSTONE;
            if (kv_put(c, c->argv[i], c->argvlen[i], &s, &v, NULL) !=
                DKV_OK) {
                vset_free(&s);
                return;
            }
            deleted++;
        }
        vset_free(&s);
    }
    reply_ll(c, deleted);
}

void
exists_command(struct client *c)
{
    long long n = 0;

    for (int i = 1; i < c->argc; i++) {
        struct vset s;

        if (kv_load(c, c->argv[i], c->argvlen[i], &s) != DKV_OK) return;
        if (vset_live_count(&s, server.now_ms) > 0) n++;
        vset_free(&s);
    }
    reply_ll(c, n);
}

void
type_command(struct client *c)
{
    struct vset s;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    reply_status(c, vset_live_count(&s, server.now_ms) > 0 ? "string" : "none");
    vset_free(&s);
}

/* ---- Expiry -------------------------------------------------------------- */

#define EXPIRE_NX (1 << 0)  /* only if no expiry */
#define EXPIRE_XX (1 << 1)  /* only if an expiry */
#define EXPIRE_GT (1 << 2)  /* only if later than the current one */
#define EXPIRE_LT (1 << 3)  /* only if earlier than the current one */

static int
parse_expire_flags(struct client *c, int *flags)
{
    *flags = 0;
    for (int i = 3; i < c->argc; i++) {
        const char *a = c->argv[i];
        if (!strcasecmp(a, "nx")) *flags |= EXPIRE_NX;
        else if (!strcasecmp(a, "xx")) *flags |= EXPIRE_XX;
        else if (!strcasecmp(a, "gt")) *flags |= EXPIRE_GT;
        else if (!strcasecmp(a, "lt")) *flags |= EXPIRE_LT;
        else {
            reply_errorf(c, "ERR Unsupported option %s", a);
            return DKV_ERR;
        }
    }
    if ((*flags & EXPIRE_NX) && (*flags & (EXPIRE_XX | EXPIRE_GT |
                                           EXPIRE_LT))) {
        reply_error(c, "ERR NX and XX, GT or LT options at the same time "
                    "are not compatible");
        return DKV_ERR;
    }
    if ((*flags & EXPIRE_GT) && (*flags & EXPIRE_LT)) {
        reply_error(c, "ERR GT and LT options at the same time are not "
                    "compatible");
        return DKV_ERR;
    }
    return DKV_OK;
}

/* EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT key time [NX|XX|GT|LT]. A time in the
 * past deletes the key, as in Redis. */
static void
expire_generic(struct client *c, int unit_ms, int absolute)
{
    struct vset s;
    struct version v;
    const struct version *winner;
    const char *p;
    size_t len;
    long long t;
    int64_t at, cur;
    int flags;
    struct buf tmp;

    if (kv_parse_ll(c, c->argv[2], c->argvlen[2], &t) != DKV_OK) return;
    if (parse_expire_flags(c, &flags) != DKV_OK) return;
    if ((unit_ms == 1000 && (t > LLONG_MAX / 1000 || t < LLONG_MIN / 1000)))
        goto invalid;
    t *= unit_ms;
    if (!absolute) {
        int64_t now = server.now_ms;
        if ((t > 0 && t > LLONG_MAX - now) || (t < 0 && t < LLONG_MIN + now))
            goto invalid;
        t += now;
    }
    at = t;
    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    buf_init(&tmp);
    if (!db_value(&s, server.now_ms, &tmp, &p, &len, &winner)) {
        reply_ll(c, 0);
        goto out;
    }
    cur = winner->expire_ms;
    /* No expiry counts as an infinite one for GT/LT. */
    if (((flags & EXPIRE_NX) && cur) || ((flags & EXPIRE_XX) && !cur) ||
        ((flags & EXPIRE_GT) && (!cur || at <= cur)) ||
        ((flags & EXPIRE_LT) && cur && at >= cur)) {
        reply_ll(c, 0);
        goto out;
    }
    if (at <= server.now_ms) {
        version_init(&v);
        v.kind = VERSION_TOMBSTONE;
    } else {
        kv_make_retimed(&v, winner, at);
    }
    if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
        reply_ll(c, 1);
out:
    buf_free(&tmp);
    vset_free(&s);
    return;
invalid:
    reply_errorf(c, "ERR invalid expire time in '%s' command",
                 c->cmd->name);
}

void
expire_command(struct client *c)
{
    expire_generic(c, 1000, 0);
}

void
pexpire_command(struct client *c)
{
    expire_generic(c, 1, 0);
}

void
expireat_command(struct client *c)
{
    expire_generic(c, 1000, 1);
}

void
pexpireat_command(struct client *c)
{
    expire_generic(c, 1, 1);
}

/* TTL/PTTL (the time left) and EXPIRETIME/PEXPIRETIME (absolute, when
 * absolute is 1), in seconds (rounded, as Redis) or ms. */
static void
ttl_generic(struct client *c, int unit_ms, int absolute)
{
    struct vset s;
    const struct version *winner;
    const char *p;
    size_t len;
    struct buf tmp;
    int64_t now = server.now_ms;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    buf_init(&tmp);
    if (!db_value(&s, now, &tmp, &p, &len, &winner)) {
        reply_ll(c, -2);
    } else if (winner->expire_ms == 0) {
        reply_ll(c, -1);
    } else {
        int64_t left = absolute ? winner->expire_ms : winner->expire_ms - now;
        if (left < 0) left = 0;
        reply_ll(c, unit_ms == 1 ? left : (left + 500) / 1000);
    }
    buf_free(&tmp);
    vset_free(&s);
}

void
ttl_command(struct client *c)
{
    ttl_generic(c, 1000, 0);
}

void
pttl_command(struct client *c)
{
    ttl_generic(c, 1, 0);
}

void
expiretime_command(struct client *c)
{
    ttl_generic(c, 1000, 1);
}

void
pexpiretime_command(struct client *c)
{
    ttl_generic(c, 1, 1);
}

void
persist_command(struct client *c)
{
    struct vset s;
    struct version v;
    const struct version *winner;
    const char *p;
    size_t len;
    struct buf tmp;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    buf_init(&tmp);
    if (!db_value(&s, server.now_ms, &tmp, &p, &len, &winner) ||
        winner->expire_ms == 0) {
        reply_ll(c, 0);
    } else {
        kv_make_retimed(&v, winner, 0);
        if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
            reply_ll(c, 1);
    }
    buf_free(&tmp);
    vset_free(&s);
}

/* ---- Walking the keyspace ------------------------------------------------ */

/* What a walk collects. */
struct walk {
    int db;                  /* only keys of this database */
    const char *pattern;     /* MATCH glob, NULL = all */
    size_t patlen;
    int64_t now;             /* liveness is judged at one instant */
    long limit;              /* stop after this many keys (RANDOMKEY) */
    long found;              /* keys collected */
    struct buf keys;         /* u32 length + bytes, one per key */
    uint64_t end;            /* stop at this position, 0 = the top */
    const uint8_t *mask;     /* only these ring partitions, NULL = all */
    int mask_shift;
    int hit_end;             /* the walk reached end */
    uint64_t last;           /* position of the last record visited */
};

static int
walk_one(void *priv, uint64_t hash, const void *key, size_t klen,
         const void *val, size_t vlen)
{
    struct walk *w = priv;
    struct vset s;
    const char *ukey;
    size_t ulen;
    uint32_t l;
    int live;

    if (w->end && hash >= w->end) {
        w->hit_end = 1;
        return 1;
    }
    w->last = hash;
    if (w->mask) {
        uint64_t p = hash >> w->mask_shift;
        if (!(w->mask[p / 8] & (1 << (p % 8)))) return 0;
    }
    if (keyspace_decode(key, klen, &ukey, &ulen) != w->db) return 0;
    if (w->pattern && !string_match(w->pattern, w->patlen, ukey, ulen, 0))
        return 0;
    if (vset_decode(val, vlen, &s) != DKV_OK) return 0;
    live = vset_live_count(&s, w->now) > 0;
    vset_free(&s);
    if (!live) return 0;
    l = (uint32_t)ulen;
    buf_append(&w->keys, &l, sizeof(l));
    buf_append(&w->keys, ukey, ulen);
    w->found++;
    return w->limit && w->found >= w->limit;
}

static void
reply_walk_keys(struct client *c, struct walk *w)
{
    size_t off = 0;

    reply_array_len(c, w->found);
    while (off < w->keys.len) {
        uint32_t l;
        memcpy(&l, w->keys.p + off, sizeof(l));
        off += sizeof(l);
        reply_bulk(c, w->keys.p + off, l);
        off += l;
    }
}

static void
walk_init(struct walk *w, int db)
{
    memset(w, 0, sizeof(*w));
    w->db = db;
    w->now = server.now_ms;
    buf_init(&w->keys);
}

int
keys_walk_range(int db, uint64_t from, uint64_t end, long count,
                const char *pat, size_t patlen, const uint8_t *mask,
                struct buf *keys, long *found, uint64_t *next)
{
    struct walk w;
    uint64_t pos = from;
    int rc = DKV_OK;
    int bits = 0;

    walk_init(&w, db);
    w.end = end;
    w.mask = mask;
    while ((1 << bits) < server.ring_size) bits++;
    w.mask_shift = 64 - bits;
    w.pattern = pat;
    w.patlen = patlen;
    if (pat && patlen == 1 && pat[0] == '*') w.pattern = NULL;
    do {
        rc = store_scan(pos, count > 0 ? count : 1000, walk_one, &w, &pos);
    } while (rc == DKV_OK && count <= 0 && pos != 0 && !w.hit_end);
    /* A cursor names a bucket of positions (SCAN_CURSOR_SHIFT): finish
     * the one the walk stopped in, so resuming at its start repeats and
     * skips nothing. Buckets are 2^11 of 2^64 positions: this is almost
     * never more than the record the walk stopped at. */
    while (rc == DKV_OK && pos != 0 && !w.hit_end &&
           (pos >> SCAN_CURSOR_SHIFT) == (w.last >> SCAN_CURSOR_SHIFT))
        rc = store_scan(pos, 1, walk_one, &w, &pos);
    if (w.hit_end) pos = 0;
    *next = pos;
    *found += w.found;
    buf_append(keys, w.keys.p, w.keys.len);
    buf_free(&w.keys);
    return rc;
}

/* Parses SCAN's cursor (strtoull, as Redis: "-1" wraps to the top of the
 * range) into the ring position it names; a cursor past the last bucket
 * names the top (an empty, finished scan). Replies the error itself. */
int
keys_scan_cursor(struct client *c, const char *arg, size_t len,
                 uint64_t *pos)
{
    unsigned long long cursor;
    char *end;

    errno = 0;
    cursor = strtoull(arg, &end, 10);
    if (len == 0 || *end != '\0' || errno == ERANGE) {
        reply_error(c, "ERR invalid cursor");
        return DKV_ERR;
    }
    if (cursor >> (64 - SCAN_CURSOR_SHIFT)) *pos = UINT64_MAX;
    else *pos = (uint64_t)cursor << SCAN_CURSOR_SHIFT;
    return DKV_OK;
}

/* SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
void
scan_command(struct client *c)
{
    const char *pat = NULL;
    size_t patlen = 0;
    long long count = 10;
    uint64_t from, next = 0;
    struct buf keys;
    long found = 0;
    int type_ok = 1;
    char num[32];
    struct walk w;

    if (keys_scan_cursor(c, c->argv[1], c->argvlen[1], &from) != DKV_OK)
        return;
    for (int i = 2; i < c->argc; i += 2) {
        if (i + 1 >= c->argc) goto syntax;
        if (!strcasecmp(c->argv[i], "match")) {
            pat = c->argv[i + 1];
            patlen = c->argvlen[i + 1];
        } else if (!strcasecmp(c->argv[i], "count")) {
            if (kv_parse_ll(c, c->argv[i + 1], c->argvlen[i + 1], &count) !=
                DKV_OK)
                return;
            if (count < 1) goto syntax;
        } else if (!strcasecmp(c->argv[i], "type")) {
            type_ok = !strcasecmp(c->argv[i + 1], "string");
        } else {
            goto syntax;
        }
    }
    buf_init(&keys);
    if (from != UINT64_MAX &&
        keys_walk_range(c->db, from, 0, count, pat, patlen, NULL, &keys,
                        &found, &next) != DKV_OK) {
        reply_error(c, "ERR storage error (see the server log)");
        buf_free(&keys);
        return;
    }
    reply_array_len(c, 2);
    snprintf(num, sizeof(num), "%llu",
             (unsigned long long)(next >> SCAN_CURSOR_SHIFT));
    reply_bulk_cstr(c, num);
    walk_init(&w, c->db);
    if (type_ok) {
        buf_append(&w.keys, keys.p, keys.len);
        w.found = found;
    }
    reply_walk_keys(c, &w);
    buf_free(&w.keys);
    buf_free(&keys);
    return;
syntax:
    reply_syntax_error(c);
}

void
keys_command(struct client *c)
{
    struct walk w;
    uint64_t next;

    walk_init(&w, c->db);
    if (keys_walk_range(c->db, 0, 0, 0, c->argv[1], c->argvlen[1], NULL,
                        &w.keys, &w.found, &next) != DKV_OK) {
        reply_error(c, "ERR storage error (see the server log)");
        buf_free(&w.keys);
        return;
    }
    reply_walk_keys(c, &w);
    buf_free(&w.keys);
}

/* A uniformly random position, then the first live key at or after it
 * (wrapping once). Keys after large gaps are likelier, as with any
 * hash-position sampling; Redis's RANDOMKEY is not uniform either. */
void
randomkey_command(struct client *c)
{
    struct walk w;
    uint64_t start = ((uint64_t)random() << 33) ^ ((uint64_t)random() << 2) ^
                     (uint64_t)random();
    uint64_t pos = start;
    int wrapped = 0;

    walk_init(&w, c->db);
    w.limit = 1;
    while (w.found == 0 && db_keys(c->db) > 0) {
        if (store_scan(pos, 100, walk_one, &w, &pos) != DKV_OK) break;
        if (pos == 0) {
            if (wrapped) break;
            wrapped = 1;
        }
        if (wrapped && pos >= start && pos != 0) break;
    }
    if (w.found) {
        uint32_t l;
        memcpy(&l, w.keys.p, sizeof(l));
        reply_bulk(c, w.keys.p + sizeof(l), l);
    } else {
        reply_null(c);
    }
    buf_free(&w.keys);
}

void
dbsize_command(struct client *c)
{
    reply_ll(c, db_keys(c->db));
}

/* FLUSHALL / FLUSHDB [ASYNC|SYNC]: 1 when the arguments are right, else
 * replies the syntax error. */
int
keys_flush_args(struct client *c)
{
    if (c->argc > 2 || (c->argc == 2 && strcasecmp(c->argv[1], "async") &&
                        strcasecmp(c->argv[1], "sync"))) {
        reply_syntax_error(c);
        return 0;
    }
    return 1;
}

void
flushall_command(struct client *c)
{
    if (!keys_flush_args(c)) return;
    if (db_flush() != DKV_OK) {
        reply_error(c, "ERR storage error (see the server log)");
        return;
    }
    reply_ok(c);
}

void
flushdb_command(struct client *c)
{
    if (!keys_flush_args(c)) return;
    if (db_flush_db(c->db) != DKV_OK) {
        reply_error(c, "ERR storage error (see the server log)");
        return;
    }
    reply_ok(c);
}

/* SWAPDB index1 index2: a database is part of each key's stored form,
 * hence of its ring position and replicas; swapping two would move every
 * key of both to other nodes, which is a rewrite of each, not a rename. */
void
swapdb_command(struct client *c)
{
    (void)c->argv;
    reply_error(c, "ERR SWAPDB is not supported by dkv: a database is part "
                "of every key's identity on the ring, so swapping two "
                "would rewrite every key in both");
}

/* ---- RENAME / COPY / MOVE ------------------------------------------------ */

/* Each is a write of the destination and (RENAME, MOVE) a tombstone of
 * the source: two keys, which in a cluster have two preference lists, so
 * the pair is not atomic across a failure (coord_multikey.c writes the
 * destination first and deletes the source only once that reached W).
 * The destination gets the value GET shows for the source (a counter's
 * decimal value, which INCR continues from) and its absolute expiry. */

/* The destination's new version from the source's set; 0 when the
 * source has no live version. */
static int
moved_value(const struct vset *src, struct version *v)
{
    const struct version *winner;
    const char *p;
    size_t len;
    struct buf tmp;
    int live;

    buf_init(&tmp);
    live = db_value(src, server.now_ms, &tmp, &p, &len, &winner);
    if (live) kv_make_value(v, p, len, winner->expire_ms);
    buf_free(&tmp);
    return live;
}

/* Writes dst (whose set as loaded is *dst_set) with src's value, then,
 * with del_src, a tombstone of src. DKV_ERR after replying the error. */
static int
transfer(struct client *c, const char *src, size_t srclen,
         struct vset *src_set, const char *dst, size_t dstlen,
         struct vset *dst_set, int del_src)
{
    struct version v;

    if (!moved_value(src_set, &v)) return DKV_ERR;  /* checked before */
    if (kv_put(c, dst, dstlen, dst_set, &v, NULL) != DKV_OK) return DKV_ERR;
    if (!del_src) return DKV_OK;
    version_init(&v);
    v.kind = VERSION_TOMBSTONE;
    return kv_put(c, src, srclen, src_set, &v, NULL);
}

/* 1 when the key has a live version (loaded into s), 0 when not, -1 on
 * a storage error (replied). */
static int
load_live(struct client *c, const char *key, size_t klen, struct vset *s)
{
    if (kv_load(c, key, klen, s) != DKV_OK) return -1;
    return vset_live_count(s, server.now_ms) > 0;
}

static void
rename_generic(struct client *c, int nx)
{
    struct vset s, d;
    int live;

    vset_init(&d);
    if ((live = load_live(c, c->argv[1], c->argvlen[1], &s)) < 0) return;
    if (!live) {
        reply_error(c, "ERR no such key");
    } else if (c->argvlen[1] == c->argvlen[2] &&
               memcmp(c->argv[1], c->argv[2], c->argvlen[1]) == 0) {
        if (nx) reply_ll(c, 0);
        else reply_ok(c);
    } else if ((live = load_live(c, c->argv[2], c->argvlen[2], &d)) >= 0) {
        if (live && nx) {
            reply_ll(c, 0);
        } else if (transfer(c, c->argv[1], c->argvlen[1], &s, c->argv[2],
                            c->argvlen[2], &d, 1) == DKV_OK) {
            if (nx) reply_ll(c, 1);
            else reply_ok(c);
        }
    }
    vset_free(&s);
    vset_free(&d);
}

void
rename_command(struct client *c)
{
    rename_generic(c, 0);
}

void
renamenx_command(struct client *c)
{
    rename_generic(c, 1);
}

/* A database number argument: DKV_OK, or the error Redis gives (not an
 * integer, outside int, out of range) replied when c is not NULL. */
static int
parse_db(struct client *c, const char *arg, size_t len, int *db)
{
    long long ll;

    if (c == NULL) {
        if (!string2ll(arg, len, &ll) || ll < 0 || ll >= server.databases)
            return DKV_ERR;
        *db = (int)ll;
        return DKV_OK;
    }
    if (kv_parse_int(c, arg, len, db) != DKV_OK) return DKV_ERR;
    if (*db < 0 || *db >= server.databases) {
        reply_error(c, "ERR DB index is out of range");
        return DKV_ERR;
    }
    return DKV_OK;
}

/* Appends to out the stored form of key (a stored form, any database)
 * moved to database db. */
static void
key_in_db(const char *key, size_t klen, int db, struct buf *out)
{
    const char *ukey;
    size_t ulen;

    keyspace_decode(key, klen, &ukey, &ulen);
    keyspace_encode(db, ukey, ulen, out);
}

/* Appends key moved to database db to a key list (u32 length + bytes). */
static void
append_key_in_db(struct buf *keys, const char *key, size_t klen, int db)
{
    struct buf k;
    uint32_t l;

    buf_init(&k);
    key_in_db(key, klen, db, &k);
    l = (uint32_t)k.len;
    buf_append(keys, &l, sizeof(l));
    buf_append(keys, k.p, k.len);
    buf_free(&k);
}

/* COPY's options: DKV_OK with *db (-1 = the source's) and *replace; the
 * error replied when c is not NULL. */
static int
copy_options(struct client *c, int argc, char **argv, const size_t *argvlen,
             int *db, int *replace)
{
    *db = -1;
    *replace = 0;
    for (int j = 3; j < argc; j++) {
        if (!strcasecmp(argv[j], "replace")) {
            *replace = 1;
        } else if (!strcasecmp(argv[j], "db") && j + 1 < argc) {
            if (parse_db(c, argv[j + 1], argvlen[j + 1], db) != DKV_OK)
                return DKV_ERR;
            j++;
        } else {
            if (c) reply_syntax_error(c);
            return DKV_ERR;
        }
    }
    return DKV_OK;
}

void
copy_keys(int argc, char **argv, const size_t *argvlen, struct buf *keys)
{
    int db, replace;

    if (copy_options(NULL, argc, argv, argvlen, &db, &replace) == DKV_OK &&
        db >= 0)
        append_key_in_db(keys, argv[2], argvlen[2], db);
}

/* COPY's and MOVE's common part, the destination key dst (stored form)
 * decided: 0 when the source is missing or the destination exists (and
 * not replace), else the copy (and, with del_src, the source's delete)
 * and 1. */
static void
copy_to(struct client *c, struct buf *dst, int replace, int del_src)
{
    struct vset s, d;
    int live;

    buf_put_u8(dst, 0);  /* never a NULL pointer, even for "" */
    dst->len--;
    vset_init(&s);
    vset_init(&d);
    if ((live = load_live(c, c->argv[1], c->argvlen[1], &s)) == 0) {
        reply_ll(c, 0);
    } else if (live > 0 && (live = load_live(c, dst->p, dst->len, &d)) >= 0) {
        if (live && !replace) reply_ll(c, 0);
        else if (transfer(c, c->argv[1], c->argvlen[1], &s, dst->p,
                          dst->len, &d, del_src) == DKV_OK)
            reply_ll(c, 1);
    }
    vset_free(&s);
    vset_free(&d);
}

/* COPY source destination [DB destination-db] [REPLACE] */
void
copy_command(struct client *c)
{
    struct buf dst;
    int db, replace;

    if (copy_options(c, c->argc, c->argv, c->argvlen, &db, &replace) !=
        DKV_OK)
        return;
    buf_init(&dst);
    if (db < 0) buf_append(&dst, c->argv[2], c->argvlen[2]);
    else key_in_db(c->argv[2], c->argvlen[2], db, &dst);
    if (dst.len == c->argvlen[1] && memcmp(dst.p, c->argv[1], dst.len) == 0)
        reply_error(c, "ERR source and destination objects are the same");
    else
        copy_to(c, &dst, replace, 0);
    buf_free(&dst);
}

void
move_keys(int argc, char **argv, const size_t *argvlen, struct buf *keys)
{
    int db;

    (void)argc;
    if (parse_db(NULL, argv[2], argvlen[2], &db) == DKV_OK)
        append_key_in_db(keys, argv[1], argvlen[1], db);
}

/* MOVE key db */
void
move_command(struct client *c)
{
    struct buf dst;
    int db;

    if (parse_db(c, c->argv[2], c->argvlen[2], &db) != DKV_OK) return;
    if (keyspace_decode(c->argv[1], c->argvlen[1], NULL, NULL) == db) {
        reply_error(c, "ERR source and destination objects are the same");
        return;
    }
    buf_init(&dst);
    key_in_db(c->argv[1], c->argvlen[1], db, &dst);
    copy_to(c, &dst, 0, 1);
    buf_free(&dst);
}

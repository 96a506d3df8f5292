/* Keyspace commands: DEL/UNLINK, EXISTS, TYPE, the EXPIRE family, TTL,
 * PERSIST, SCAN/KEYS/RANDOMKEY, DBSIZE and FLUSHALL/FLUSHDB.
 *
 * SCAN's cursor is a position on the 64-bit hash line the store is
 * ordered by (db_hash), so it is stateless: any cursor a client holds stays
 * meaningful after writes, restarts and (later) ring changes. Every key
 * present for the whole scan is returned once; the store never splits keys
 * that share a position across two pages of the scan. */
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>

#include "client.h"
#include "commands.h"
#include "db.h"
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
    const char *pattern;     /* MATCH glob, NULL = all */
    size_t patlen;
    int type_ok;             /* TYPE filter allows strings */
    int64_t now;             /* liveness is judged at one instant */
    long limit;              /* stop after this many keys (RANDOMKEY) */
    long found;              /* keys collected */
    struct buf keys;         /* u32 length + bytes, one per key */
    uint64_t end;            /* stop at this position, 0 = the top */
    const uint8_t *mask;     /* only these ring partitions, NULL = all */
    int mask_shift;
    int hit_end;             /* the walk reached end */
};

static int
walk_one(void *priv, uint64_t hash, const void *key, size_t klen,
         const void *val, size_t vlen)
{
    struct walk *w = priv;
    struct vset s;
    uint32_t l = (uint32_t)klen;
    int live;

    if (w->end && hash >= w->end) {
        w->hit_end = 1;
        return 1;
    }
    if (w->mask) {
        uint64_t p = hash >> w->mask_shift;
        if (!(w->mask[p / 8] & (1 << (p % 8)))) return 0;
    }
    if (vset_decode(val, vlen, &s) != DKV_OK) return 0;
    live = vset_live_count(&s, w->now) > 0;
    vset_free(&s);
    if (!live || !w->type_ok) return 0;
    if (w->pattern && !string_match(w->pattern, w->patlen, key, klen, 0))
        return 0;
    buf_append(&w->keys, &l, sizeof(l));
    buf_append(&w->keys, key, klen);
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
walk_init(struct walk *w)
{
    memset(w, 0, sizeof(*w));
    w->type_ok = 1;
    w->now = server.now_ms;
    buf_init(&w->keys);
}

int
keys_walk_range(uint64_t from, uint64_t end, long count, const char *pat,
                size_t patlen, const uint8_t *mask, struct buf *keys,
                long *found, uint64_t *next)
{
    struct walk w;
    uint64_t pos = from;
    int rc = DKV_OK;
    int bits = 0;

    walk_init(&w);
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
    if (w.hit_end) pos = 0;
    *next = pos;
    *found += w.found;
    buf_append(keys, w.keys.p, w.keys.len);
    buf_free(&w.keys);
    return rc;
}

/* SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
void
scan_command(struct client *c)
{
    struct walk w;
    unsigned long long cursor;
    long long count = 10;
    uint64_t next;
    char *end;
    char num[32];

    errno = 0;
    cursor = strtoull(c->argv[1], &end, 10);
    /* strtoull, as Redis: "-1" wraps to the top of the range. */
    if (c->argvlen[1] == 0 || *end != '\0' || errno == ERANGE) {
        reply_error(c, "ERR invalid cursor");
        return;
    }
    walk_init(&w);
    for (int i = 2; i < c->argc; i += 2) {
        if (i + 1 >= c->argc) goto syntax;
        if (!strcasecmp(c->argv[i], "match")) {
            w.pattern = c->argv[i + 1];
            w.patlen = c->argvlen[i + 1];
            if (w.patlen == 1 && w.pattern[0] == '*') w.pattern = NULL;
        } else if (!strcasecmp(c->argv[i], "count")) {
            if (kv_parse_ll(c, c->argv[i + 1], c->argvlen[i + 1], &count) !=
                DKV_OK)
                goto out;
            if (count < 1) goto syntax;
        } else if (!strcasecmp(c->argv[i], "type")) {
            w.type_ok = !strcasecmp(c->argv[i + 1], "string");
        } else {
            goto syntax;
        }
    }
    if (store_scan(cursor, count, walk_one, &w, &next) != DKV_OK) {
        reply_error(c, "ERR storage error (see the server log)");
        goto out;
    }
    reply_array_len(c, 2);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)next);
    reply_bulk_cstr(c, num);
    reply_walk_keys(c, &w);
    goto out;
syntax:
    reply_syntax_error(c);
out:
    buf_free(&w.keys);
}

void
keys_command(struct client *c)
{
    struct walk w;
    uint64_t pos = 0;

    walk_init(&w);
    w.pattern = c->argv[1];
    w.patlen = c->argvlen[1];
    if (w.patlen == 1 && w.pattern[0] == '*') w.pattern = NULL;
    do {
        if (store_scan(pos, 1000, walk_one, &w, &pos) != DKV_OK) {
            reply_error(c, "ERR storage error (see the server log)");
            buf_free(&w.keys);
            return;
        }
    } while (pos != 0);
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

    walk_init(&w);
    w.limit = 1;
    while (w.found == 0) {
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
    reply_ll(c, server.keys);
}

/* FLUSHALL / FLUSHDB [ASYNC|SYNC] */
void
flushall_command(struct client *c)
{
    if (c->argc > 2 || (c->argc == 2 && strcasecmp(c->argv[1], "async") &&
                        strcasecmp(c->argv[1], "sync"))) {
        reply_syntax_error(c);
        return;
    }
    if (db_flush() != DKV_OK) {
        reply_error(c, "ERR storage error (see the server log)");
        return;
    }
    reply_ok(c);
}

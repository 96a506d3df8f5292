/* DUMP and RESTORE in Redis's own serialization format (rdb.c), so that
 * a string dumped from redis-server restores into dkv and back: the
 * argument order, checks and error texts of Redis 7.0's restoreCommand.
 *
 * DESIGN
 * DUMP serializes the value GET would show (a counter as its decimal
 * form) and carries no TTL, as in Redis. RESTORE is a coordinated put
 * like SET: with REPLACE it supersedes what the key holds, without it an
 * existing key is BUSYKEY. A payload of a type dkv does not have (list,
 * hash, ...) is refused naming the type, and IDLETIME / FREQ are checked
 * as Redis checks them and then refused: dkv keeps no access time or
 * frequency that they could set. */
#include <string.h>
#include <strings.h>
#include <stdint.h>

#include "client.h"
#include "commands.h"
#include "rdb.h"
#include "server.h"
#include "t_string.h"

/* DUMP key */
void
dump_command(struct client *c)
{
    struct vset s;
    struct buf payload;
    const char *p;
    size_t len;
    int live;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    live = kv_read_value(c, &s, &p, &len);
    if (live > 0) {
        buf_init(&payload);
        rdb_dump_string(p, len, &payload);
        reply_bulk(c, payload.p, payload.len);
        buf_free(&payload);
        server.stat_keyspace_hits++;
    } else if (live == 0) {
        reply_null(c);
        server.stat_keyspace_misses++;
    }
    vset_free(&s);
}

/* The options after the payload. */
struct restore_opts {
    int replace;        /* REPLACE */
    int absttl;         /* ABSTTL: ttl is a Unix time in ms */
    long long idle;     /* IDLETIME seconds, -1 if not given */
    long long freq;     /* FREQ, -1 if not given */
};

/* Parses argv[4..] as Redis does (IDLETIME and FREQ exclude each other;
 * a repeated option is allowed). Replies the error and returns DKV_ERR. */
static int
restore_parse_opts(struct client *c, struct restore_opts *o)
{
    o->replace = o->absttl = 0;
    o->idle = o->freq = -1;
    for (int j = 4; j < c->argc; j++) {
        const char *a = c->argv[j];
        int has_next = j + 1 < c->argc;

        if (!strcasecmp(a, "replace")) {
            o->replace = 1;
        } else if (!strcasecmp(a, "absttl")) {
            o->absttl = 1;
        } else if (!strcasecmp(a, "idletime") && has_next && o->freq == -1) {
            j++;
            if (kv_parse_ll(c, c->argv[j], c->argvlen[j], &o->idle) !=
                DKV_OK)
                return DKV_ERR;
            if (o->idle < 0) {
                reply_error(c, "ERR Invalid IDLETIME value, must be >= 0");
                return DKV_ERR;
            }
        } else if (!strcasecmp(a, "freq") && has_next && o->idle == -1) {
            j++;
            if (kv_parse_ll(c, c->argv[j], c->argvlen[j], &o->freq) !=
                DKV_OK)
                return DKV_ERR;
            if (o->freq < 0 || o->freq > 255) {
                reply_error(c, "ERR Invalid FREQ value, must be >= 0 and "
                            "<= 255");
                return DKV_ERR;
            }
        } else {
            reply_syntax_error(c);
            return DKV_ERR;
        }
    }
    if (o->idle != -1 || o->freq != -1) {
        reply_error(c, "ERR dkv keeps no access time or frequency per key: "
                    "RESTORE's IDLETIME and FREQ options are not supported");
        return DKV_ERR;
    }
    return DKV_OK;
}

/* Decodes the payload into val; replies the error and returns DKV_ERR. */
static int
restore_decode(struct client *c, struct buf *val)
{
    int type = -1;

    switch (rdb_restore_string(c->argv[3], c->argvlen[3],
                               (size_t)server.proto_max_bulk_len, val,
                               &type)) {
    case RDB_OK:
        return DKV_OK;
    case RDB_ERR_FOOTER:
        reply_error(c, "ERR DUMP payload version or checksum are wrong");
        break;
    case RDB_ERR_TYPE:
        reply_errorf(c, "ERR dkv cannot restore a %s: it stores only "
                     "strings (the payload is of RDB type %d)",
                     rdb_type_name(type), type);
        break;
    case RDB_ERR_SIZE:
        reply_error(c, "ERR string exceeds maximum allowed size "
                    "(proto-max-bulk-len)");
        break;
    default:
        reply_error(c, "ERR Bad data format");
        break;
    }
    return DKV_ERR;
}

/* RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds]
 *     [FREQ frequency]
 * Checked in Redis's order: options, BUSYKEY, TTL, payload. */
void
restore_command(struct client *c)
{
    struct restore_opts o;
    struct vset s;
    struct version v;
    struct buf val;
    long long ttl;
    int64_t now = server.now_ms, at = 0;
    int live, expired = 0;

    if (restore_parse_opts(c, &o) != DKV_OK) return;
    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    buf_init(&val);
    live = vset_live_count(&s, now) > 0;
    if (live && !o.replace) {
        reply_error(c, "BUSYKEY Target key name already exists.");
        goto out;
    }
    if (kv_parse_ll(c, c->argv[2], c->argvlen[2], &ttl) != DKV_OK) goto out;
    if (ttl < 0) {
        reply_error(c, "ERR Invalid TTL value, must be >= 0");
        goto out;
    }
    if (restore_decode(c, &val) != DKV_OK) goto out;

    if (ttl > 0) {
        /* A relative TTL past the end of time wraps negative in Redis,
         * which then finds the key already expired: so is it here. */
        if (!o.absttl && ttl > INT64_MAX - now) expired = 1;
        else at = o.absttl ? ttl : now + ttl;
        if (at <= now) expired = 1;
    }
    if (expired) {
        /* Restored already expired: the key is gone, REPLACE or not. */
        if (live) {
            version_init(&v);
            v.kind = VERSION_TOMBSTONE;
            if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) != DKV_OK)
                goto out;
        }
        reply_ok(c);
        goto out;
    }
    /* The version takes the decoded bytes: no second copy of what may
     * be a 512 MB string. */
    kv_make_value(&v, NULL, 0, at);
    v.val = val.p;
    v.len = val.len;
    buf_init(&val);
    if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
        reply_ok(c);
out:
    buf_free(&val);
    vset_free(&s);
}

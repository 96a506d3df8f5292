/* String commands: GET/SET and its options, the GETSET-style variants, MGET/
 * MSET, ranges, the INCR family and dkv's causal-context commands, all as
 * Redis documents them (reply types, error texts), over version sets.
 *
 * Every write here is a coordinated put (db_put): without a client context
 * the new version supersedes what this node has for the key; with
 * `CONTEXT ctx` it supersedes exactly what ctx names, leaving concurrent
 * versions as siblings. Integer counters are PN-counters (version.h) so
 * that increments coordinated concurrently merge instead of being lost. */
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <limits.h>
#include <math.h>

#include "client.h"
#include "commands.h"
#include "db.h"
#include "server.h"
#include "t_string.h"

#define STRING_MAX_SIZE (512LL * 1024 * 1024)  /* Redis's string cap */

static struct buf valbuf;  /* counter-to-string scratch */
static struct buf oldbuf;  /* a value kept across the put replacing it */

/* ---- Shared helpers (t_string.h) ----------------------------------------- */

int
kv_load(struct client *c, const char *key, size_t klen, struct vset *s)
{
    if (db_load(key, klen, s) == DKV_OK) return DKV_OK;
    reply_error(c, "ERR storage error (see the server log)");
    return DKV_ERR;
}

int
kv_put(struct client *c, const char *key, size_t klen, struct vset *s,
       struct version *v, const struct vclock *ctx)
{
    if (db_put(key, klen, s, v, ctx) == DKV_OK) return DKV_OK;
    version_free(v);
    reply_error(c, "ERR storage error (see the server log)");
    return DKV_ERR;
}

void
kv_make_value(struct version *v, const char *p, size_t len, int64_t expire)
{
    version_init(v);
    v->kind = VERSION_VALUE;
    v->val = len ? xmemdup(p, len) : NULL;
    v->len = len;
    v->expire_ms = expire;
}

/* A copy of the winner with a new expiry (EXPIRE, PERSIST, GETEX). */
void
kv_make_retimed(struct version *v, const struct version *winner,
                int64_t expire)
{
    version_init(v);
    version_copy(v, winner);
    vclock_free(&v->clock);
    vclock_init(&v->clock);
    v->ts_ms = 0;
    v->expire_ms = expire;
}

int
kv_parse_context(struct client *c, const char *s, size_t len,
                 struct vclock *ctx)
{
    if (context_decode(s, len, ctx) == DKV_OK) return DKV_OK;
    reply_error(c, "ERR invalid context (pass the context DKV.CONTEXT "
                "returned, unchanged)");
    return DKV_ERR;
}

int
kv_parse_ll(struct client *c, const char *s, size_t len, long long *v)
{
    if (string2ll(s, len, v)) return DKV_OK;
    reply_not_integer(c);
    return DKV_ERR;
}

int
kv_parse_int(struct client *c, const char *s, size_t len, int *v)
{
    long long ll;

    if (kv_parse_ll(c, s, len, &ll) != DKV_OK) return DKV_ERR;
    if (ll < INT_MIN || ll > INT_MAX) {
        reply_errorf(c, "ERR value is out of range, value must between %d "
                     "and %d", INT_MIN, INT_MAX);
        return DKV_ERR;
    }
    *v = (int)ll;
    return DKV_OK;
}

/* ---- GET / SET ----------------------------------------------------------- */

/* The value of the key for a read command (t_string.h). */
int
kv_read_value(struct client *c, const struct vset *s, const char **p,
           size_t *len)
{
    int64_t now = server.now_ms;

    if (server.sibling_policy == SIBLING_ERROR &&
        vset_live_count(s, now) > 1) {
        reply_errorf(c, "SIBLINGS key has %d concurrent values; read them "
                     "with DKV.CONTEXT and write one back with its context",
                     vset_live_count(s, now));
        return -1;
    }
    return db_value(s, now, &valbuf, p, len, NULL);
}

void
get_command(struct client *c)
{
    struct vset s;
    struct vset_peek pk;
    const char *p;
    size_t len;
    int live, rc;

    /* Fast path: one lookup, no decoding, when the key holds plain
     * values (no counter, nothing due to expire). */
    rc = db_peek(c->argv[1], c->argvlen[1], &pk);
    if (rc == DKV_ERR) {
        reply_error(c, "ERR storage error (see the server log)");
        return;
    }
    if (rc == DKV_OK && !(pk.nlive > 1 &&
                          server.sibling_policy == SIBLING_ERROR)) {
        if (pk.val) {
            reply_bulk(c, pk.val, pk.len);
            server.stat_keyspace_hits++;
        } else {
            reply_null(c);
            server.stat_keyspace_misses++;
        }
        return;
    }
    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    live = kv_read_value(c, &s, &p, &len);
    if (live > 0) {
        reply_bulk(c, p, len);
        server.stat_keyspace_hits++;
    } else if (live == 0) {
        reply_null(c);
        server.stat_keyspace_misses++;
    }
    vset_free(&s);
}

#define SET_NX      (1 << 0)   /* only if absent */
#define SET_XX      (1 << 1)   /* only if present */
#define SET_GET     (1 << 2)   /* reply the old value */
#define SET_KEEPTTL (1 << 3)   /* keep the current expiry */
#define SET_EXPIRE  (1 << 4)   /* an EX/PX/EXAT/PXAT was given */

/* Converts an expire argument to an absolute ms time. unit_ms is 1000 for
 * seconds; absolute says the argument is already a time. Replies the error
 * Redis sends and returns DKV_ERR when it is not usable. */
int
kv_parse_expire(struct client *c, const char *arg, size_t len, int unit_ms,
                int absolute, const char *cmdname, int64_t *at)
{
    long long v;

    if (kv_parse_ll(c, arg, len, &v) != DKV_OK) return DKV_ERR;
    if (v <= 0 || (unit_ms == 1000 && v > LLONG_MAX / 1000)) goto invalid;
    v *= unit_ms;
    if (!absolute) {
        int64_t now = server.now_ms;
        if (v > LLONG_MAX - now) goto invalid;
        v += now;
    }
    *at = v;
    return DKV_OK;
invalid:
    reply_errorf(c, "ERR invalid expire time in '%s' command", cmdname);
    return DKV_ERR;
}

/* SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]
 *     [CONTEXT ctx]
 * The generic part shared with SETNX/SETEX/PSETEX/GETSET: flags and
 * expire already parsed, ctx optional. */
static void
set_generic(struct client *c, int flags, int64_t expire,
            const struct vclock *ctx, const char *val, size_t vlen)
{
    struct vset s;
    struct version v;
    const struct version *winner = NULL;
    const char *oldp = NULL;
    size_t oldlen = 0;
    int live;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    live = db_value(&s, server.now_ms, &valbuf, &oldp, &oldlen, &winner);
    if ((flags & SET_NX && live) || (flags & SET_XX && !live)) {
        if (flags & SET_GET) {
            if (live) reply_bulk(c, oldp, oldlen);
            else reply_null(c);
        } else {
            reply_null(c);
        }
        vset_free(&s);
        return;
    }
    if ((flags & SET_KEEPTTL) && live) expire = winner->expire_ms;
    /* The put frees superseded versions: keep the old value for GET. */
    buf_reset(&oldbuf);
    if (live) buf_append(&oldbuf, oldp, oldlen);
    kv_make_value(&v, val, vlen, expire);
    if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, ctx) == DKV_OK) {
        if (!(flags & SET_GET)) reply_ok(c);
        else if (live) reply_bulk(c, oldbuf.p, oldbuf.len);
        else reply_null(c);
    }
    vset_free(&s);
}

void
set_command(struct client *c)
{
    int flags = 0;
    int64_t expire = 0;
    struct vclock ctx;
    int have_ctx = 0;

    vclock_init(&ctx);
    for (int i = 3; i < c->argc; i++) {
        const char *a = c->argv[i];
        int has_next = i + 1 < c->argc;

        if (!strcasecmp(a, "nx") && !(flags & SET_XX)) {
            flags |= SET_NX;
        } else if (!strcasecmp(a, "xx") && !(flags & SET_NX)) {
            flags |= SET_XX;
        } else if (!strcasecmp(a, "get")) {
            flags |= SET_GET;
        } else if (!strcasecmp(a, "keepttl") &&
                   !(flags & (SET_KEEPTTL | SET_EXPIRE))) {
            flags |= SET_KEEPTTL;
        } else if ((!strcasecmp(a, "ex") || !strcasecmp(a, "px") ||
                    !strcasecmp(a, "exat") || !strcasecmp(a, "pxat")) &&
                   !(flags & (SET_KEEPTTL | SET_EXPIRE)) && has_next) {
            int unit = (a[0] | 0x20) == 'e' ? 1000 : 1;
            int absolute = strlen(a) == 4;
            flags |= SET_EXPIRE;
            i++;
            if (kv_parse_expire(c, c->argv[i], c->argvlen[i], unit, absolute,
                                "set", &expire) != DKV_OK)
                goto out;
        } else if (!strcasecmp(a, "context") && has_next && !have_ctx) {
            i++;
            if (kv_parse_context(c, c->argv[i], c->argvlen[i], &ctx) !=
                DKV_OK)
                goto out;
            have_ctx = 1;
        } else {
            reply_syntax_error(c);
            goto out;
        }
    }
    set_generic(c, flags, expire, have_ctx ? &ctx : NULL, c->argv[2],
                c->argvlen[2]);
out:
    vclock_free(&ctx);
}

void
setnx_command(struct client *c)
{
    struct vset s;
    struct version v;
    int live;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    live = vset_live_count(&s, server.now_ms) > 0;
    if (live) {
        reply_ll(c, 0);
    } else {
        kv_make_value(&v, c->argv[2], c->argvlen[2], 0);
        if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
            reply_ll(c, 1);
    }
    vset_free(&s);
}

static void
setex_generic(struct client *c, int unit_ms)
{
    int64_t expire;

    if (kv_parse_expire(c, c->argv[2], c->argvlen[2], unit_ms, 0,
                        unit_ms == 1000 ? "setex" : "psetex", &expire) !=
        DKV_OK)
        return;
    set_generic(c, 0, expire, NULL, c->argv[3], c->argvlen[3]);
}

void
setex_command(struct client *c)
{
    setex_generic(c, 1000);
}

void
psetex_command(struct client *c)
{
    setex_generic(c, 1);
}

void
getset_command(struct client *c)
{
    set_generic(c, SET_GET, 0, NULL, c->argv[2], c->argvlen[2]);
}

/* GETDEL and GET-then-expire share: read, reply, write. */
void
getdel_command(struct client *c)
{
    struct vset s;
    struct version v;
    const char *p;
    size_t len;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    if (!db_value(&s, server.now_ms, &valbuf, &p, &len, NULL)) {
        reply_null(c);
    } else {
        buf_reset(&oldbuf);
        buf_append(&oldbuf, p, len);
        version_init(&v);
        v.kind = VERSION_TOMBSTONE;
        if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
            reply_bulk(c, oldbuf.p, oldbuf.len);
    }
    vset_free(&s);
}

/* GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST] */
void
getex_command(struct client *c)
{
    struct vset s;
    struct version v;
    const struct version *winner;
    const char *p;
    size_t len;
    int64_t expire = 0;
    int change = 0;

    if (c->argc > 4) {
        reply_syntax_error(c);
        return;
    }
    if (c->argc >= 3) {
        const char *a = c->argv[2];
        if (!strcasecmp(a, "persist") && c->argc == 3) {
            change = 1;
        } else if ((!strcasecmp(a, "ex") || !strcasecmp(a, "px") ||
                    !strcasecmp(a, "exat") || !strcasecmp(a, "pxat")) &&
                   c->argc == 4) {
            int unit = (a[0] | 0x20) == 'e' ? 1000 : 1;
            if (kv_parse_expire(c, c->argv[3], c->argvlen[3], unit,
                                strlen(a) == 4, "getex", &expire) != DKV_OK)
                return;
            change = 1;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    if (!db_value(&s, server.now_ms, &valbuf, &p, &len, &winner)) {
        reply_null(c);
    } else {
        buf_reset(&oldbuf);
        buf_append(&oldbuf, p, len);
        if (change && winner->expire_ms != expire) {
            kv_make_retimed(&v, winner, expire);
            if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) != DKV_OK)
                goto out;
        }
        reply_bulk(c, oldbuf.p, oldbuf.len);
    }
out:
    vset_free(&s);
}

void
mget_command(struct client *c)
{
    reply_array_len(c, c->argc - 1);
    for (int i = 1; i < c->argc; i++) {
        struct vset s;
        struct vset_peek pk;
        const char *p;
        size_t len;
        int rc = db_peek(c->argv[i], c->argvlen[i], &pk);

        if (rc == DKV_OK) {
            if (pk.val) reply_bulk(c, pk.val, pk.len);
            else reply_null(c);
            continue;
        }
        if (rc == DKV_ERR || db_load(c->argv[i], c->argvlen[i], &s) != DKV_OK) {
            reply_null(c);
            continue;
        }
        if (db_value(&s, server.now_ms, &valbuf, &p, &len, NULL))
            reply_bulk(c, p, len);
        else
            reply_null(c);
        vset_free(&s);
    }
}

static int
mset_one(struct client *c, int i)
{
    struct vset s;
    struct version v;
    int rc;

    if (kv_load(c, c->argv[i], c->argvlen[i], &s) != DKV_OK) return DKV_ERR;
    kv_make_value(&v, c->argv[i + 1], c->argvlen[i + 1], 0);
    rc = kv_put(c, c->argv[i], c->argvlen[i], &s, &v, NULL);
    vset_free(&s);
    return rc;
}

void
mset_command(struct client *c)
{
    if (c->argc % 2 == 0) {
        reply_arity_error(c);
        return;
    }
    for (int i = 1; i < c->argc; i += 2)
        if (mset_one(c, i) != DKV_OK) return;
    reply_ok(c);
}

void
msetnx_command(struct client *c)
{
    if (c->argc % 2 == 0) {
        reply_arity_error(c);
        return;
    }
    for (int i = 1; i < c->argc; i += 2) {
        struct vset s;
        int live;

        if (kv_load(c, c->argv[i], c->argvlen[i], &s) != DKV_OK) return;
        live = vset_live_count(&s, server.now_ms) > 0;
        vset_free(&s);
        if (live) {
            reply_ll(c, 0);
            return;
        }
    }
    for (int i = 1; i < c->argc; i += 2)
        if (mset_one(c, i) != DKV_OK) return;
    reply_ll(c, 1);
}

/* ---- Ranges -------------------------------------------------------------- */

void
append_command(struct client *c)
{
    struct vset s;
    struct version v;
    const struct version *winner;
    const char *p = "";
    size_t len = 0;
    int64_t expire = 0;
    struct buf nv;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    if (db_value(&s, server.now_ms, &valbuf, &p, &len, &winner))
        expire = winner->expire_ms;
    if ((long long)len > server.proto_max_bulk_len -
                         (long long)c->argvlen[2]) {
        reply_error(c, "ERR string exceeds maximum allowed size "
                    "(proto-max-bulk-len)");
        vset_free(&s);
        return;
    }
    buf_init(&nv);
    buf_append(&nv, p, len);
    buf_append(&nv, c->argv[2], c->argvlen[2]);
    version_init(&v);
    v.kind = VERSION_VALUE;
    v.val = nv.p;
    v.len = nv.len;
    v.expire_ms = expire;
    if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
        reply_ll(c, (long long)nv.len);
    vset_free(&s);
}

void
strlen_command(struct client *c)
{
    struct vset s;
    const char *p;
    size_t len = 0;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    if (!db_value(&s, server.now_ms, &valbuf, &p, &len, NULL)) len = 0;
    reply_ll(c, (long long)len);
    vset_free(&s);
}

void
getrange_command(struct client *c)
{
    struct vset s;
    long long start, end;
    const char *p;
    size_t len;

    if (kv_parse_ll(c, c->argv[2], c->argvlen[2], &start) != DKV_OK ||
        kv_parse_ll(c, c->argv[3], c->argvlen[3], &end) != DKV_OK)
        return;
    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    if (!db_value(&s, server.now_ms, &valbuf, &p, &len, NULL) ||
        (start < 0 && end < 0 && start > end)) {
        reply_bulk(c, "", 0);
        vset_free(&s);
        return;
    }
    /* Redis's clamping: negative counts from the end, then clamp. */
    if (start < 0) start = (long long)len + start;
    if (end < 0) end = (long long)len + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if ((unsigned long long)end >= len) end = (long long)len - 1;
    if (len == 0 || start > end) reply_bulk(c, "", 0);
    else reply_bulk(c, p + start, end - start + 1);
    vset_free(&s);
}

void
setrange_command(struct client *c)
{
    struct vset s;
    struct version v;
    const struct version *winner;
    const char *p = "";
    size_t len = 0;
    long long offset;
    int64_t expire = 0;
    int live;
    struct buf nv;
    size_t vlen = c->argvlen[3];

    if (kv_parse_ll(c, c->argv[2], c->argvlen[2], &offset) != DKV_OK) return;
    if (offset < 0) {
        reply_error(c, "ERR offset is out of range");
        return;
    }
    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    live = db_value(&s, server.now_ms, &valbuf, &p, &len, &winner);
    if (live) expire = winner->expire_ms;
    if (vlen == 0) {
        /* Nothing to write: Redis replies the current length. */
        reply_ll(c, live ? (long long)len : 0);
        vset_free(&s);
        return;
    }
    /* Subtracted, not added: offset + vlen overflows for an offset near
     * LLONG_MAX (and vlen may exceed a limit lowered since it arrived). */
    if (offset > server.proto_max_bulk_len - (long long)vlen) {
        reply_error(c, "ERR string exceeds maximum allowed size "
                    "(proto-max-bulk-len)");
        vset_free(&s);
        return;
    }
    buf_init(&nv);
    buf_append(&nv, p, len);
    if ((size_t)offset + vlen > nv.len) {
        size_t grow = (size_t)offset + vlen - nv.len;
        buf_reserve(&nv, grow);
        memset(nv.p + nv.len, 0, grow);
        nv.len += grow;
    }
    memcpy(nv.p + offset, c->argv[3], vlen);
    version_init(&v);
    v.kind = VERSION_VALUE;
    v.val = nv.p;
    v.len = nv.len;
    v.expire_ms = expire;
    if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
        reply_ll(c, (long long)nv.len);
    vset_free(&s);
}

/* ---- Counters ------------------------------------------------------------ */

/* INCR family: the winner's counter (or a new one based on its integer
 * string) gets this node's share moved by delta. */
static void
incr_generic(struct client *c, long long delta)
{
    struct vset s;
    struct version v;
    const struct version *winner;
    const char *p;
    size_t len;
    long long cur = 0, result;

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    version_init(&v);
    if (db_value(&s, server.now_ms, &valbuf, &p, &len, &winner)) {
        if (winner->kind == VERSION_COUNTER) {
            vset_counter_merged(&s, winner, server.now_ms, &v);
            if (version_counter_value(&v, &cur) != DKV_OK) {
                reply_error(c, "ERR increment or decrement would overflow");
                version_free(&v);
                goto out;
            }
        } else if (string2ll(p, len, &cur)) {
            v.kind = VERSION_COUNTER;
            v.base = cur;
            v.expire_ms = winner->expire_ms;
        } else {
            reply_not_integer(c);
            goto out;
        }
    } else {
        v.kind = VERSION_COUNTER;
    }
    if (__builtin_add_overflow(cur, delta, &result)) {
        reply_error(c, "ERR increment or decrement would overflow");
        version_free(&v);
        goto out;
    }
    v.ts_ms = 0;
    version_counter_add(&v, db_actor(), delta);
    if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
        reply_ll(c, result);
out:
    vset_free(&s);
}

void
incr_command(struct client *c)
{
    incr_generic(c, 1);
}

void
decr_command(struct client *c)
{
    incr_generic(c, -1);
}

void
incrby_command(struct client *c)
{
    long long d;

    if (kv_parse_ll(c, c->argv[2], c->argvlen[2], &d) != DKV_OK) return;
    incr_generic(c, d);
}

void
decrby_command(struct client *c)
{
    long long d;

    if (kv_parse_ll(c, c->argv[2], c->argvlen[2], &d) != DKV_OK) return;
    if (d == LLONG_MIN) {
        reply_error(c, "ERR decrement would overflow");
        return;
    }
    incr_generic(c, -d);
}

void
incrbyfloat_command(struct client *c)
{
    struct vset s;
    struct version v;
    const struct version *winner;
    const char *p;
    size_t len;
    long double cur = 0, incr;
    char out[5 * 1024];   /* %.17Lf of a long double can be this long */
    int outlen;
    int64_t expire = 0;

    if (!string2ld(c->argv[2], c->argvlen[2], &incr)) {
        reply_error(c, "ERR value is not a valid float");
        return;
    }
    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    if (db_value(&s, server.now_ms, &valbuf, &p, &len, &winner)) {
        expire = winner->expire_ms;
        if (!string2ld(p, len, &cur)) {
            reply_error(c, "ERR value is not a valid float");
            vset_free(&s);
            return;
        }
    }
    cur += incr;
    if (isnan(cur) || isinf(cur)) {
        reply_error(c, "ERR increment would produce NaN or Infinity");
        vset_free(&s);
        return;
    }
    /* Stored as a string, as Redis does: floats are not conflict-free
     * counters, the last writer wins. */
    outlen = ld2string(out, sizeof(out), cur);
    kv_make_value(&v, out, outlen, expire);
    if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v, NULL) == DKV_OK)
        reply_bulk(c, out, outlen);
    vset_free(&s);
}

/* ---- Causal context ------------------------------------------------------ */

/* DKV.CONTEXT key -> [context, [value, ...]]: every live sibling and the
 * clock that names them all, for a read-modify-write that resolves them. */
void
dkv_context_command(struct client *c)
{
    struct vset s;
    struct vclock ctx;
    struct buf enc;
    int64_t now = server.now_ms;
    char num[32];

    if (kv_load(c, c->argv[1], c->argvlen[1], &s) != DKV_OK) return;
    vclock_init(&ctx);
    vset_context(&s, &ctx);
    buf_init(&enc);
    context_encode(&ctx, &enc);
    reply_array_len(c, 2);
    reply_bulk(c, enc.p, enc.len);
    reply_array_len(c, vset_live_count(&s, now));
    for (int i = 0; i < s.n; i++) {
        const struct version *v = &s.v[i];
        if (!version_live(v, now)) continue;
        if (v->kind == VERSION_COUNTER) {
            long long n = 0;
            version_counter_value(v, &n);
            reply_bulk(c, num, ll2string(num, sizeof(num), n));
        } else {
            reply_bulk(c, v->val ? v->val : "", v->len);
        }
    }
    buf_free(&enc);
    vclock_free(&ctx);
    vset_free(&s);
}

/* DKV.DEL key [CONTEXT ctx]: a tombstone superseding what ctx names. */
void
dkv_del_command(struct client *c)
{
    struct vset s;
    struct version v;
    struct vclock ctx;
    int had;

    vclock_init(&ctx);
    if (c->argc == 4 && !strcasecmp(c->argv[2], "context")) {
        if (kv_parse_context(c, c->argv[3], c->argvlen[3], &ctx) != DKV_OK)
            return;
    } else if (c->argc != 2) {
        reply_syntax_error(c);
        return;
    }
    if (kv_load(c, c->argv[1], c->argvlen[1], &s) == DKV_OK) {
        had = vset_live_count(&s, server.now_ms) > 0;
        version_init(&v);
        v.kind = VERSION_TOMBSTONE;
        if (kv_put(c, c->argv[1], c->argvlen[1], &s, &v,
                   c->argc == 4 ? &ctx : NULL) == DKV_OK)
            reply_ll(c, had);
        vset_free(&s);
    }
    vclock_free(&ctx);
}

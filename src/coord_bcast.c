/* SCAN, KEYS, DBSIZE and FLUSHALL across the cluster (see coord.c for the
 * request record and coord.h for the interface): each goes to the members
 * that hold the data. SCAN's cursor is a ring position, so it survives the
 * ring changing; each partition is read from one live replica (this node
 * when it is one), so each key is seen once; DBSIZE adds per-partition
 * counts the same way; FLUSHALL reaches every member. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <hiredis/hiredis.h>

#include "coord.h"
#include "coord_int.h"
#include "client.h"
#include "cluster.h"
#include "db.h"
#include "log.h"
#include "peer.h"
#include "server.h"
#include "t_string.h"

static void bcast_done(struct creq *r);

/* Appends a DKV.SCANP answer's keys to keys (u32 length + bytes); -1 if
 * the answer is not one. */
static long
collect_keys(const redisReply *rep, struct buf *keys, uint64_t *next)
{
    long n = 0;

    *next = 0;
    if (rep == NULL || rep->type != REDIS_REPLY_ARRAY || rep->elements != 2 ||
        rep->element[0]->type != REDIS_REPLY_STRING ||
        rep->element[1]->type != REDIS_REPLY_ARRAY)
        return -1;
    *next = strtoull(rep->element[0]->str, NULL, 10);
    for (size_t i = 0; i < rep->element[1]->elements; i++) {
        const redisReply *k = rep->element[1]->element[i];
        uint32_t l;
        if (k->type != REDIS_REPLY_STRING) return -1;
        l = (uint32_t)k->len;
        buf_append(keys, &l, sizeof(l));
        buf_append(keys, k->str, k->len);
        n++;
    }
    return n;
}

/* hiredis frees a reply when its callback returns: what the request
 * needs is parsed out here. */
static void
bcast_reply(void *priv, redisReply *reply)
{
    struct slot *slot = priv;
    struct creq *r = slot->r;
    int m = slot->i, ok = 0;

    r->bwait--;
    if (!r->done && reply) {
        switch (r->bkind) {
        case BC_SCAN:
        case BC_KEYS:
            r->mnkeys[m] = collect_keys(reply, &r->mkeys[m], &r->mnext[m]);
            ok = r->mnkeys[m] >= 0;
            break;
        case BC_DBSIZE:
            if (reply->type == REDIS_REPLY_ARRAY &&
                (int)reply->elements == cluster_ring()->q) {
                r->mcounts[m] = xmalloc(sizeof(long long) * reply->elements);
                ok = 1;
                for (size_t p = 0; p < reply->elements; p++) {
                    ok &= reply->element[p]->type == REDIS_REPLY_INTEGER;
                    r->mcounts[m][p] = reply->element[p]->integer;
                }
            }
            break;
        case BC_FLUSH:
            ok = reply->type == REDIS_REPLY_STATUS;
            break;
        }
    }
    if (!r->done) {
        r->mstate[m] = ok ? S_OK : S_FAIL;
        if (r->bwait == 0) bcast_done(r);
    }
    creq_unref(r);
}

static void
bcast_send(struct creq *r, int m, int argc, const char **argv,
           const size_t *argvlen)
{
    struct member *mem = cluster_member(m);

    r->mslot[m].r = r;
    r->mslot[m].i = m;
    if (mem->self) return;
    if (peer_send(mem->peer, argc, argv, argvlen, bcast_reply,
                  &r->mslot[m]) == DKV_OK) {
        r->mstate[m] = S_WAIT;
        r->bwait++;
        r->refs++;
    } else {
        r->mstate[m] = S_FAIL;
    }
}

static struct creq *
bcast_new(struct client *c, const struct command *cmd, enum bcast_kind kind)
{
    struct creq *r = creq_new(CR_BROADCAST, cmd, c->argc, c->argv,
                              c->argvlen);

    r->c = c;
    r->resp = c->resp;
    r->db = c->db;
    r->bkind = kind;
    r->nmem = cluster_ring()->nmembers;
    r->mslot = xcalloc(r->nmem, sizeof(*r->mslot));
    r->mstate = xcalloc(r->nmem, 1);
    r->mkeys = xcalloc(r->nmem, sizeof(*r->mkeys));
    r->mnkeys = xcalloc(r->nmem, sizeof(*r->mnkeys));
    r->mnext = xcalloc(r->nmem, sizeof(*r->mnext));
    r->mcounts = xcalloc(r->nmem, sizeof(*r->mcounts));
    for (int m = 0; m < r->nmem; m++) r->mstate[m] = S_FAIL;
    r->mstate[cluster_self_index()] = S_OK;
    return r;
}

/* Which member serves partition p's keys: this node when it is a
 * replica, else the first replica that is up. -1 if none is. */
static int
partition_server(const struct ring *ring, int p)
{
    const int *pl = ring_preflist(ring, p);
    int self = cluster_self_index();

    for (int i = 0; i < ring->nrep; i++)
        if (pl[i] == self) return self;
    for (int i = 0; i < ring->nrep; i++)
        if (cluster_member_up(cluster_member(pl[i]))) return pl[i];
    return -1;
}

/* Encodes keys (u32 length + bytes) as an array, after a cursor when
 * given (SCAN's two-element reply). Plain RESP2 framing, also valid
 * RESP3. */
static void
reply_keys(struct buf *out, const struct buf *keys, long n, const char *cursor)
{
    char hdr[48];
    size_t off = 0;
    int len;

    if (cursor) {
        len = snprintf(hdr, sizeof(hdr), "*2\r\n$%zu\r\n%s\r\n",
                       strlen(cursor), cursor);
        buf_append(out, hdr, len);
    }
    len = snprintf(hdr, sizeof(hdr), "*%ld\r\n", n);
    buf_append(out, hdr, len);
    while (off < keys->len) {
        uint32_t l;
        memcpy(&l, keys->p + off, sizeof(l));
        off += sizeof(l);
        len = snprintf(hdr, sizeof(hdr), "$%u\r\n", l);
        buf_append(out, hdr, len);
        buf_append(out, keys->p + off, l);
        buf_append(out, "\r\n", 2);
        off += l;
    }
}

/* The partitions member m serves, as a bitmask (bit p of byte p/8). */
static void
serve_mask(const struct ring *ring, int m, uint8_t *mask, int *any)
{
    *any = 0;
    memset(mask, 0, (ring->q + 7) / 8);
    for (int p = 0; p < ring->q; p++)
        if (partition_server(ring, p) == m) {
            mask[p / 8] |= 1 << (p % 8);
            *any = 1;
        }
}

static void
bcast_done(struct creq *r)
{
    const struct ring *ring = cluster_ring();
    int self = cluster_self_index();
    struct buf keys;
    long n = 0;
    int ok = 0;
    char num[32];

    if (r->answered) {
        finish(r);
        return;
    }
    for (int m = 0; m < r->nmem; m++) ok += r->mstate[m] == S_OK;
    buf_init(&keys);
    buf_reset(&r->reply);
    switch (r->bkind) {
    case BC_SCAN: {
        uint64_t next = 0;
        int at = r->scan_member;
        if (at == self) {
            /* Local partitions in a row are walked in one call, until
             * COUNT is reached or the next one lives elsewhere. */
            uint64_t from = r->scan_from, end = r->scan_end;
            int rc;
            for (;;) {
                int p;
                rc = keys_walk_range(r->db, from, end, r->scan_count,
                                     r->pattern,
                                     r->patlen, NULL, &keys, &n, &next);
                if (rc != DKV_OK || next != 0 || end == 0 ||
                    n >= r->scan_count)
                    break;
                p = ring_partition(ring, end);
                if (partition_server(ring, p) != self) break;
                from = end;
                end = p + 1 < ring->q ? ring_partition_start(ring, p + 1) : 0;
            }
            r->scan_end = end;
            if (rc != DKV_OK) {
                answer_msg(r, "ERR storage error (see the server log)");
                break;
            }
        } else if (r->mstate[at] == S_OK) {
            buf_append(&keys, r->mkeys[at].p, r->mkeys[at].len);
            n = r->mnkeys[at];
            next = r->mnext[at];
        } else {
            noquorum(r, 0, 1, "replicas");
            break;
        }
        /* 0 from the replica = its range is done: go on at the next
         * partition (0 again after the last = the scan is complete). */
        if (next == 0) next = r->scan_end;
        snprintf(num, sizeof(num), "%llu",
                 (unsigned long long)(next >> SCAN_CURSOR_SHIFT));
        reply_keys(&r->reply, &keys, n, num);
        answer(r);
        break;
    }
    case BC_KEYS: {
        uint8_t *mask = xmalloc((ring->q + 7) / 8);
        uint64_t next;
        int any;
        for (int m = 0; m < r->nmem; m++) {
            if (!r->mslot[m].r) continue;  /* serves nothing */
            if (m == self) {
                serve_mask(ring, self, mask, &any);
                keys_walk_range(r->db, 0, 0, 0, r->pattern, r->patlen, mask,
                                &keys, &n, &next);
            } else if (r->mstate[m] == S_OK) {
                buf_append(&keys, r->mkeys[m].p, r->mkeys[m].len);
                n += r->mnkeys[m];
            }
        }
        free(mask);
        if (ok < r->nmem) {
            noquorum(r, ok, r->nmem, "nodes");
            break;
        }
        reply_keys(&r->reply, &keys, n, NULL);
        answer(r);
        break;
    }
    case BC_DBSIZE: {
        long long total = 0;
        int missing = 0;
        for (int p = 0; p < ring->q; p++) {
            const int *pl = ring_preflist(ring, p);
            int found = 0;
            for (int i = 0; i < ring->nrep && !found; i++) {
                if (pl[i] == self) {
                    total += db_partition_keys(r->db)[p];
                    found = 1;
                } else if (r->mcounts[pl[i]]) {
                    total += r->mcounts[pl[i]][p];
                    found = 1;
                }
            }
            missing += !found;
        }
        if (missing) {
            noquorum(r, ring->q - missing, ring->q, "partitions");
            break;
        }
        n = snprintf(num, sizeof(num), ":%lld\r\n", total);
        buf_append(&r->reply, num, n);
        answer(r);
        break;
    }
    case BC_FLUSH:
        if (ok < r->nmem) {
            noquorum(r, ok, r->nmem, "nodes");
            break;
        }
        buf_append(&r->reply, "+OK\r\n", 5);
        answer(r);
        break;
    }
    buf_free(&keys);
    finish(r);
}

static void
bcast_go(struct creq *r)
{
    arm_timer(r);
    if (r->bwait == 0) bcast_done(r);
}

/* SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: the cursor names
 * a ring position (t_keys.c); one step reads from it to the end of its
 * partition on one replica. Partition starts are multiples of 2^(64 -
 * log2 ring-size), so cursor buckets never straddle two partitions. */
int
scan_start(struct client *c, const struct command *cmd)
{
    const struct ring *ring = cluster_ring();
    uint64_t cursor;
    long long count = 10;
    int pat_at = 0, p, m;
    struct creq *r;

    if (keys_scan_cursor(c, c->argv[1], c->argvlen[1], &cursor) != DKV_OK)
        return 0;
    if (cursor == UINT64_MAX) return 0;  /* past the end: locally */
    for (int i = 2; i < c->argc; i += 2) {
        if (i + 1 >= c->argc) goto syntax;
        if (!strcasecmp(c->argv[i], "match")) {
            pat_at = i + 1;
        } else if (!strcasecmp(c->argv[i], "count")) {
            if (!string2ll(c->argv[i + 1], c->argvlen[i + 1], &count)) {
                reply_not_integer(c);
                return 0;
            }
            if (count < 1) goto syntax;
        } else if (strcasecmp(c->argv[i], "type")) {
            goto syntax;
        }
    }
    /* TYPE other than string: there are only strings. The local handler
     * says so (empty pages) without walking anything remote. */
    for (int i = 2; i + 1 < c->argc; i += 2)
        if (!strcasecmp(c->argv[i], "type") &&
            strcasecmp(c->argv[i + 1], "string"))
            return 0;
    p = ring_partition(ring, cursor);
    m = partition_server(ring, p);
    if (m < 0) {
        reply_errorf(c, "NOQUORUM 0 of %d replicas answered", ring->nrep);
        return 0;
    }
    r = bcast_new(c, cmd, BC_SCAN);
    r->scan_from = cursor;
    r->scan_end = p + 1 < ring->q ? ring_partition_start(ring, p + 1) : 0;
    r->scan_count = count;
    r->scan_member = m;
    if (pat_at) {
        r->pattern = r->argv[pat_at];
        r->patlen = r->argvlen[pat_at];
    }
    if (m != cluster_self_index()) {
        char db[24], from[24], to[24], cnt[24];
        const char *argv[6] = { "DKV.SCANP", db,
                                r->pattern ? r->pattern : "*", from, to,
                                cnt };
        size_t argvlen[6];
        snprintf(db, sizeof(db), "%d", r->db);
        snprintf(from, sizeof(from), "%llu", (unsigned long long)cursor);
        snprintf(to, sizeof(to), "%llu", (unsigned long long)r->scan_end);
        snprintf(cnt, sizeof(cnt), "%lld", count);
        argvlen[0] = 9;
        argvlen[1] = strlen(db);
        argvlen[2] = r->pattern ? r->patlen : 1;
        argvlen[3] = strlen(from);
        argvlen[4] = strlen(to);
        argvlen[5] = strlen(cnt);
        bcast_send(r, m, 6, argv, argvlen);
    }
    enqueue(c, r);
    bcast_go(r);
    return 1;
syntax:
    reply_syntax_error(c);
    return 0;
}

/* KEYS pattern: every member is asked for the partitions it serves. */
int
keys_start(struct client *c, const struct command *cmd)
{
    const struct ring *ring = cluster_ring();
    size_t masklen = (ring->q + 7) / 8;
    uint8_t *mask = xmalloc(masklen);
    char *hex = xmalloc(masklen * 2 + 1);
    struct creq *r;

    for (int p = 0; p < ring->q; p++)
        if (partition_server(ring, p) < 0) {
            free(mask);
            free(hex);
            reply_errorf(c, "NOQUORUM 0 of %d replicas answered", ring->nrep);
            return 0;
        }
    r = bcast_new(c, cmd, BC_KEYS);
    r->pattern = r->argv[1];
    r->patlen = r->argvlen[1];
    for (int m = 0; m < r->nmem; m++) {
        int any;
        serve_mask(ring, m, mask, &any);
        if (!any) {
            r->mstate[m] = S_OK;  /* nothing to ask it */
            continue;
        }
        r->mslot[m].r = r;
        if (m != cluster_self_index()) {
            char db[24];
            const char *argv[7] = { "DKV.SCANP", db, r->pattern, "0", "0",
                                    "0", hex };
            size_t argvlen[7] = { 9, 0, r->patlen, 1, 1, 1, masklen * 2 };
            argvlen[1] = snprintf(db, sizeof(db), "%d", r->db);
            for (size_t i = 0; i < masklen; i++)
                snprintf(hex + 2 * i, 3, "%02x", mask[i]);
            bcast_send(r, m, 7, argv, argvlen);
        }
    }
    free(mask);
    free(hex);
    enqueue(c, r);
    bcast_go(r);
    return 1;
}

int
simple_bcast(struct client *c, const struct command *cmd,
             enum bcast_kind kind, const char *peer_cmd, int db)
{
    struct creq *r = bcast_new(c, cmd, kind);
    char dbnum[24];
    const char *argv[2] = { peer_cmd, dbnum };
    size_t argvlen[2] = { strlen(peer_cmd), 0 };

    argvlen[1] = snprintf(dbnum, sizeof(dbnum), "%d", db);
    for (int m = 0; m < r->nmem; m++)
        bcast_send(r, m, db < 0 ? 1 : 2, argv, argvlen);
    enqueue(c, r);
    bcast_go(r);
    return 1;
}

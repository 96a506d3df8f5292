/* SCAN, KEYS, RANDOMKEY, DBSIZE and FLUSHDB/FLUSHALL across the cluster
 * (see coord.c for the request record and coord.h for the interface):
 * each goes to the members that hold the data. SCAN's cursor names a ring
 * position, so it survives the ring changing; SCAN, KEYS and RANDOMKEY
 * read each partition from R replicas and reconcile what they list
 * (coord_list.c), so a replica that missed a DEL never brings the key
 * back; DBSIZE adds per-partition counts where the replicas asked agree
 * (equal Merkle roots) and counts a reconciled listing of the partitions
 * where they do not; FLUSHDB/FLUSHALL reach every member. */
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
#include "merkle.h"
#include "peer.h"
#include "server.h"
#include "t_string.h"

static void bcast_done(struct creq *r);

/* A DKV.COUNTP answer: [[count per partition], <u64 root per
 * partition>]. */
static int
take_counts(struct creq *r, int m, const redisReply *reply)
{
    int q = cluster_ring()->q;
    const redisReply *counts, *roots;
    struct reader rd;
    int ok = 1;

    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2) return 0;
    counts = reply->element[0];
    roots = reply->element[1];
    if (counts->type != REDIS_REPLY_ARRAY || (int)counts->elements != q ||
        roots->type != REDIS_REPLY_STRING || roots->len != (size_t)q * 8)
        return 0;
    r->mcounts[m] = xmalloc(sizeof(long long) * q);
    r->mroots[m] = xmalloc(sizeof(uint64_t) * q);
    reader_init(&rd, roots->str, roots->len);
    for (int p = 0; p < q; p++) {
        ok &= counts->element[p]->type == REDIS_REPLY_INTEGER;
        r->mcounts[m][p] = counts->element[p]->integer;
        reader_u64(&rd, &r->mroots[m][p]);
    }
    return ok;
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
            break;  /* coord_list.c's own callbacks */
        case BC_DBSIZE:
            ok = take_counts(r, m, reply);
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
    r->mcounts = xcalloc(r->nmem, sizeof(*r->mcounts));
    r->mroots = xcalloc(r->nmem, sizeof(*r->mroots));
    for (int m = 0; m < r->nmem; m++) r->mstate[m] = S_FAIL;
    r->mstate[cluster_self_index()] = S_OK;
    return r;
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

/* A listing failed: NOQUORUM counting the members it asked (the first
 * round's count could read "5 of 5 nodes answered"). */
static void
listing_noquorum(struct creq *r)
{
    int asked, ok = listing_answered(r, &asked);

    noquorum(r, ok, asked, "nodes");
}

/* The end of a listing request: its answer (or NOQUORUM when a replica
 * asked did not answer), then the request is done. */
static void
listed(struct creq *r, int rc, const char *cursor)
{
    struct buf keys;

    if (!r->answered && rc != DKV_OK) {
        listing_noquorum(r);
    } else if (!r->answered) {
        buf_init(&keys);
        listing_keys(r, &keys);
        buf_reset(&r->reply);
        reply_keys(&r->reply, &keys, listing_count(r), cursor);
        buf_free(&keys);
        answer(r);
    }
    finish(r);
}

static void
scan_listed(struct creq *r, int rc)
{
    uint64_t next = rc == DKV_OK ? listing_next(r) : 0;
    char num[32];

    /* 0 = the partition's range is done: go on at the next partition
     * (0 again after the last = the scan is complete). */
    if (next == 0) next = r->scan_end;
    snprintf(num, sizeof(num), "%llu",
             (unsigned long long)(next >> SCAN_CURSOR_SHIFT));
    listed(r, rc, num);
}

static void
keys_listed(struct creq *r, int rc)
{
    listed(r, rc, NULL);
}

static void
answer_count(struct creq *r, long long n)
{
    char num[32];
    int len = snprintf(num, sizeof(num), ":%lld\r\n", n);

    buf_reset(&r->reply);
    buf_append(&r->reply, num, len);
    answer(r);
}

static void
dbsize_listed(struct creq *r, int rc)
{
    if (!r->answered && rc != DKV_OK)
        listing_noquorum(r);
    else if (!r->answered)
        answer_count(r, r->total + listing_count(r));
    finish(r);
}

/* DBSIZE: each partition's count where the replicas a read would ask
 * agree on its contents (equal Merkle roots: the same live versions),
 * a reconciled listing of the others. */
static void
dbsize_done(struct creq *r)
{
    const struct ring *ring = cluster_ring();
    int self = cluster_self_index(), rq, asked[MAX_REP];
    struct client *c = creq_client(r);
    size_t masklen = (ring->q + 7) / 8;
    uint8_t *mask = xcalloc(masklen, 1);
    int disputed = 0, none = 0;

    rq = c && c->read_quorum ? c->read_quorum : server.read_quorum;
    if (rq > ring->nrep) rq = ring->nrep;
    r->total = 0;
    for (int p = 0; p < ring->q; p++) {
        int n = listing_pick(ring, p, rq, asked), agree = n > 0;
        uint64_t root = 0;
        long long count = 0;
        for (int j = 0; j < n && agree; j++) {
            int m = asked[j];
            uint64_t mr;
            long long mc;
            if (m == self) {
                mr = db_merkle(p)->root;
                mc = db_partition_keys(r->db)[p];
            } else if (r->mcounts[m]) {
                mr = r->mroots[m][p];
                mc = r->mcounts[m][p];
            } else {
                agree = 0;
                break;
            }
            if (j == 0) {
                root = mr;
                count = mc;
            } else if (mr != root || mc != count) {
                agree = 0;
            }
        }
        none += n == 0;
        if (agree) {
            r->total += count;
        } else {
            mask[p / 8] |= 1 << (p % 8);
            disputed = 1;
        }
    }
    if (none) {
        noquorum(r, ring->q - none, ring->q, "partitions");
        finish(r);
    } else if (!disputed) {
        answer_count(r, r->total);
        finish(r);
    } else if (listing_start(r, r->db, NULL, 0, mask, 0, 0, 0,
                             dbsize_listed) != DKV_OK) {
        noquorum(r, 0, 1, "replicas");
        finish(r);
    }
    free(mask);
}

static void
bcast_done(struct creq *r)
{
    int ok = 0;

    if (r->answered) {
        finish(r);
        return;
    }
    for (int m = 0; m < r->nmem; m++) ok += r->mstate[m] == S_OK;
    switch (r->bkind) {
    case BC_SCAN:
    case BC_KEYS:
        break;  /* coord_list.c answers them */
    case BC_DBSIZE:
        dbsize_done(r);
        return;
    case BC_FLUSH:
        buf_reset(&r->reply);
        if (ok < r->nmem) {
            noquorum(r, ok, r->nmem, "nodes");
            break;
        }
        buf_append(&r->reply, "+OK\r\n", 5);
        answer(r);
        break;
    }
    finish(r);
}

static void
bcast_go(struct creq *r)
{
    arm_timer(r);
    if (r->bwait == 0) bcast_done(r);
}

/* Starts r's listing with the request timer armed; NOQUORUM at once when
 * a partition has no replica up. */
static void
list_go(struct client *c, struct creq *r, const uint8_t *mask, uint64_t from,
        uint64_t end, long count, list_done_fn done)
{
    enqueue(c, r);
    arm_timer(r);
    if (listing_start(r, r->db, r->pattern, r->patlen, mask, from, end,
                      count, done) != DKV_OK) {
        noquorum(r, 0, cluster_ring()->nrep, "replicas");
        finish(r);
    }
}

/* SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: the cursor names
 * a ring position (t_keys.c); one step reads from it to the end of its
 * partition. Partition starts are multiples of 2^(64 - log2 ring-size),
 * so cursor buckets never straddle two partitions. */
int
scan_start(struct client *c, const struct command *cmd)
{
    const struct ring *ring = cluster_ring();
    uint64_t cursor;
    long long count = 10;
    int pat_at = 0, p;
    uint8_t *mask;
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
    r = bcast_new(c, cmd, BC_SCAN);
    r->scan_end = p + 1 < ring->q ? ring_partition_start(ring, p + 1) : 0;
    if (pat_at) {
        r->pattern = r->argv[pat_at];
        r->patlen = r->argvlen[pat_at];
    }
    mask = xcalloc((ring->q + 7) / 8, 1);
    mask[p / 8] |= 1 << (p % 8);
    list_go(c, r, mask, cursor, r->scan_end, count, scan_listed);
    free(mask);
    return 1;
syntax:
    reply_syntax_error(c);
    return 0;
}

/* KEYS pattern: every partition, from R replicas each. */
int
keys_start(struct client *c, const struct command *cmd)
{
    const struct ring *ring = cluster_ring();
    size_t masklen = (ring->q + 7) / 8;
    uint8_t *mask = xmalloc(masklen);
    struct creq *r = bcast_new(c, cmd, BC_KEYS);

    memset(mask, 0xff, masklen);
    r->pattern = r->argv[1];
    r->patlen = r->argvlen[1];
    list_go(c, r, mask, 0, 0, 0, keys_listed);
    free(mask);
    return 1;
}

/* RANDOMKEY: the first key of a reconciled listing from a random
 * position (wrapping once), so a replica that missed a DEL never offers
 * the key. Each round looks at about RANDOMKEY_COUNT records per replica;
 * a database whose keys are far apart takes several rounds. */
#define RANDOMKEY_COUNT 100

static void
randomkey_listed(struct creq *r, int rc)
{
    const struct ring *ring = cluster_ring();
    size_t masklen = (ring->q + 7) / 8;
    uint64_t next = rc == DKV_OK ? listing_next(r) : 0;
    uint64_t from = next, end = r->stage ? r->scan_end : 0;
    uint8_t *mask;

    if (r->answered || rc != DKV_OK || listing_count(r) > 0 ||
        (next == 0 && (r->stage || r->scan_end == 0))) {
        if (!r->answered && rc != DKV_OK) {
            noquorum(r, r->nmem - r->bwait, r->nmem, "nodes");
        } else if (!r->answered && listing_count(r) > 0) {
            struct buf keys;
            uint32_t len;
            char hdr[24];
            buf_init(&keys);
            listing_keys(r, &keys);
            memcpy(&len, keys.p, sizeof(len));
            buf_reset(&r->reply);
            buf_append(&r->reply, hdr, snprintf(hdr, sizeof(hdr), "$%u\r\n",
                                                len));
            buf_append(&r->reply, keys.p + sizeof(len), len);
            buf_append(&r->reply, "\r\n", 2);
            buf_free(&keys);
            answer(r);
        } else if (!r->answered) {
            buf_reset(&r->reply);
            if (r->resp == 3) buf_append(&r->reply, "_\r\n", 3);
            else buf_append(&r->reply, "$-1\r\n", 5);
            answer(r);
        }
        finish(r);
        return;
    }
    if (next == 0) {
        /* The top reached: once more from 0 up to where we started. */
        r->stage = 1;
        from = 0;
        end = r->scan_end;
    }
    mask = xmalloc(masklen);
    memset(mask, 0xff, masklen);
    if (listing_start(r, r->db, NULL, 0, mask, from, end, RANDOMKEY_COUNT,
                      randomkey_listed) != DKV_OK) {
        noquorum(r, 0, ring->nrep, "replicas");
        finish(r);
    }
    free(mask);
}

int
randomkey_start(struct client *c, const struct command *cmd)
{
    const struct ring *ring = cluster_ring();
    size_t masklen = (ring->q + 7) / 8;
    uint8_t *mask = xmalloc(masklen);
    struct creq *r = bcast_new(c, cmd, BC_KEYS);
    uint64_t start = ((uint64_t)random() << 33) ^ ((uint64_t)random() << 2) ^
                     (uint64_t)random();

    /* A bucket start, as a page limit is: the wrap-around round ends
     * exactly where the first began. */
    start &= ~(((uint64_t)1 << SCAN_CURSOR_SHIFT) - 1);
    r->scan_end = start;
    memset(mask, 0xff, masklen);
    list_go(c, r, mask, start, 0, RANDOMKEY_COUNT, randomkey_listed);
    free(mask);
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

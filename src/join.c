/* Joining, leaving and partition clean-up (see join.h).
 *
 * DESIGN
 * ------
 * Two rings exist while the membership changes (cluster.c): the current
 * one, which serves requests, and the future one, with joining members in
 * and leaving members out. Coordinators also send every write to the
 * future replicas of its key (coord.c), so a member that is getting a
 * partition misses no write made while it copies the rest.
 *
 * Join: a node started with `seeds` that never completed a join starts
 * "joining". For each partition it replicates in the future ring it pulls
 * the partition's keys from one live current replica, DKV.XFER batches of
 * XFER_BATCH keys, one batch in flight (the source serves them between
 * its clients' requests), merging each key's versions by clock. Finished
 * partitions are recorded in the store's meta database, so a joiner that
 * restarts resumes where it was. DKV.MEMBERS shows "joining" and the
 * percentage pulled. When every partition is in, the node turns normal:
 * the rings switch, and only then do the old owners stop serving it.
 * A joining node that hears of no normal member for BOOTSTRAP_MS starts a
 * new ring instead (the first nodes of a cluster).
 *
 * Leave (DKV.LEAVE): the node turns "leaving"; it still serves, while it
 * pushes every key of each partition to the future replicas that are not
 * current ones (DKV.PUTV, batches). Then it turns "left", which drops it
 * from both rings everywhere, and exits.
 *
 * DKV.JOIN host:port makes a node that served alone join like a new node,
 * then hand each key it brought to its replicas in the ring (keeping its
 * copy where it is one of them).
 *
 * Clean-up: a node holding keys of a partition it replicates in neither
 * ring (an old owner after a join, a node after DKV.FORGET changed the
 * lists) sends each such key to the partition's replicas and, once all of
 * them acknowledged, removes its copy (hinted keys are left to handoff).
 *
 * DKV.FORGET <id> marks a dead member "left" on its behalf: the lists are
 * recomputed without it and anti-entropy re-creates the copies it held on
 * the members that replace it.
 *
 * Peer command:
 *   DKV.XFER <p> <from> <count> -> [<next>, [key, set, key, set, ...]]:
 *      the keys (tombstones included) of partition p at positions >= from,
 *      about count of them; next 0 = the partition is done. */
#define _GNU_SOURCE  /* memrchr */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <hiredis/hiredis.h>

#include "join.h"
#include "client.h"
#include "cluster.h"
#include "db.h"
#include "log.h"
#include "peer.h"
#include "server.h"
#include "store.h"
#include "version.h"

#define XFER_BATCH      200
#define BOOTSTRAP_MS    5000
#define CLEANUP_BATCH   200
#define LEFT_LINGER_MS  2000   /* gossip "left" a little before exiting */
#define PUSH_WINDOW     1000   /* keys handed over and not yet acknowledged */

static struct {
    long long keys_pulled, keys_pushed, keys_dropped, partitions_pulled;
} stats;

/* The pull in progress. */
static struct {
    int busy;
    int part;           /* -1 = pick the next */
    uint64_t cursor;
} mv = { 0, -1, 0 };

static uint8_t *done_map;       /* joined partitions, bit per partition */
static int64_t left_at;
static int64_t join_since;      /* DKV.JOIN: when it was asked */

/* ---- Persistence of a join's progress ------------------------------------ */

int
join_done_before(void)
{
    struct buf b;
    int rc;

    buf_init(&b);
    rc = store_meta_get("joined", &b) == DKV_OK && b.len == 1 && b.p[0] == 1;
    buf_free(&b);
    return rc;
}

static void
load_done_map(void)
{
    struct buf b;
    size_t len = (server.ring_size + 7) / 8;

    if (done_map) return;
    done_map = xcalloc(len, 1);
    buf_init(&b);
    if (store_meta_get("join-map", &b) == DKV_OK && b.len == len)
        memcpy(done_map, b.p, len);
    buf_free(&b);
}

static void
mark_done(int p)
{
    done_map[p / 8] |= 1 << (p % 8);
    store_meta_put("join-map", done_map, (server.ring_size + 7) / 8);
}

static int
is_done(int p)
{
    return done_map[p / 8] & (1 << (p % 8));
}

static int
in_list(const struct ring *r, int p, int idx)
{
    const int *pl;

    if (idx < 0) return 0;
    pl = ring_preflist(r, p);
    for (int i = 0; i < r->nrep; i++)
        if (pl[i] == idx) return 1;
    return 0;
}

/* ---- Join: pull ---------------------------------------------------------- */

static void pull_next(void);

static void
xfer_reply(void *priv, redisReply *reply)
{
    int part = (int)(intptr_t)priv;
    const redisReply *items;

    mv.busy = 0;
    if (cluster_self()->state != STATE_JOINING || part != mv.part) return;
    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY ||
        reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_STRING ||
        reply->element[1]->type != REDIS_REPLY_ARRAY ||
        reply->element[1]->elements % 2) {
        mv.part = -1;  /* try again, maybe from another replica */
        return;
    }
    items = reply->element[1];
    server.now_ms = mstime();
    for (size_t i = 0; i + 1 < items->elements; i += 2) {
        const redisReply *k = items->element[i], *v = items->element[i + 1];
        struct vset s;
        int changed;
        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            continue;
        vset_init(&s);
        if (vset_decode(v->str, v->len, &s) == DKV_OK &&
            db_merge(k->str, k->len, &s, &changed) == DKV_OK)
            stats.keys_pulled++;
        vset_free(&s);
    }
    mv.cursor = strtoull(reply->element[0]->str, NULL, 10);
    if (mv.cursor == 0) {
        mark_done(part);
        stats.partitions_pulled++;
        mv.part = -1;
    }
    pull_next();
}

/* The next partition to pull (or the next batch of this one). Returns
 * with mv.busy set when a request went out. */
static void
pull_next(void)
{
    const struct ring *fr = cluster_future_ring();
    const struct ring *cr = cluster_ring();
    int fself = cluster_future_self_index(), need = 0, have = 0;

    for (int p = 0; p < fr->q; p++)
        if (in_list(fr, p, fself)) {
            need++;
            have += is_done(p) != 0;
        }
    if (need == have) {
        store_meta_put("joined", "\1", 1);
        cluster_set_self_state(STATE_NORMAL, 100);
        log_notice("Join complete: %lld keys pulled in %lld partitions",
                   stats.keys_pulled, stats.partitions_pulled);
        return;
    }
    cluster_set_self_state(STATE_JOINING, (int)(100LL * have / need));
    if (mv.busy) return;
    if (mv.part < 0 || is_done(mv.part)) {
        mv.part = -1;
        for (int p = 0; p < fr->q && mv.part < 0; p++)
            if (in_list(fr, p, fself) && !is_done(p)) {
                mv.part = p;
                mv.cursor = ring_partition_start(cr, p);
            }
    }
    {
        const int *pl = ring_preflist(cr, mv.part);
        char ps[12], from[24], cnt[12];
        const char *argv[4] = { "DKV.XFER", ps, from, cnt };
        size_t argvlen[4];
        struct member *src = NULL;

        for (int i = 0; i < cr->nrep && !src; i++) {
            struct member *m = cluster_member(pl[i]);
            if (!m->self && cluster_member_up(m) && peer_ready(m->peer))
                src = m;
        }
        if (src == NULL) {
            /* No live replica of it now: nothing to lose by not waiting
             * (anti-entropy brings what a returning replica has). */
            if (cr->nmembers == 1 && cluster_member(0)->self) {
                mark_done(mv.part);
                mv.part = -1;
            }
            return;
        }
        snprintf(ps, sizeof(ps), "%d", mv.part);
        snprintf(from, sizeof(from), "%llu", (unsigned long long)mv.cursor);
        snprintf(cnt, sizeof(cnt), "%d", XFER_BATCH);
        argvlen[0] = 8;
        argvlen[1] = strlen(ps);
        argvlen[2] = strlen(from);
        argvlen[3] = strlen(cnt);
        if (peer_send(src->peer, 4, argv, argvlen, xfer_reply,
                      (void *)(intptr_t)mv.part) == DKV_OK)
            mv.busy = 1;
    }
}

static void
join_step(void)
{
    const struct ring *cr = cluster_ring();
    int others = 0;

    load_done_map();
    for (int i = 0; i < cr->nmembers; i++)
        others += !cluster_member(i)->self;
    if (others == 0) {
        /* No serving ring known: after a while, be one. */
        int64_t since = join_since > server.start_ms ? join_since
                                                     : server.start_ms;
        if (mstime() - since > BOOTSTRAP_MS) {
            store_meta_put("joined", "\1", 1);
            cluster_set_self_state(STATE_NORMAL, 100);
        }
        return;
    }
    if (!mv.busy) pull_next();
}

/* ---- Leave and clean-up: push --------------------------------------------- */

struct push_call {
    int waiting;        /* acknowledgements still due */
    int ok;             /* all came back positive */
    int drop;           /* remove our copy once all acknowledged */
    uint64_t sent;      /* bytes_hash of the versions pushed */
    size_t klen;
    char key[];
};

static int pushes_in_flight;

static void
push_reply(void *priv, redisReply *reply)
{
    struct push_call *pc = priv;

    if (!(reply && reply->type == REDIS_REPLY_INTEGER)) pc->ok = 0;
    if (--pc->waiting > 0) return;
    pushes_in_flight--;
    if (pc->ok) {
        static struct buf now;
        stats.keys_pushed++;
        server.now_ms = mstime();
        /* Only what was pushed may go: a write that came in meanwhile
         * stays until a later pass hands it over too. */
        if (pc->drop && db_get_encoded(pc->key, pc->klen, &now) == DKV_OK &&
            bytes_hash(now.p, now.len) == pc->sent) {
            if (db_drop_copy(pc->key, pc->klen) == DKV_OK)
                stats.keys_dropped++;
        }
    }
    free(pc);
}

/* Sends key's versions to member_of(list[i]) for each i < n. */
static void
push_key(const char *key, size_t klen, const struct buf *enc,
         struct member *(*member_of)(int), const int *list, int n, int drop)
{
    const char *argv[3] = { "DKV.PUTV", key, enc->p };
    size_t argvlen[3] = { 8, klen, enc->len };
    struct push_call *pc = xcalloc(1, sizeof(*pc) + klen);

    pc->ok = 1;
    pc->drop = drop;
    pc->sent = bytes_hash(enc->p, enc->len);
    pc->klen = klen;
    memcpy(pc->key, key, klen);
    for (int i = 0; i < n; i++) {
        struct member *m = member_of(list[i]);
        if (m->self) continue;
        if (!peer_ready(m->peer) ||
            peer_send(m->peer, 3, argv, argvlen, push_reply, pc) != DKV_OK) {
            pc->ok = 0;
            continue;
        }
        pc->waiting++;
    }
    if (pc->waiting == 0) {
        free(pc);
        return;
    }
    pushes_in_flight++;
}

/* What a push pass does with a key: */
#define PUSH_CLEANUP 0  /* to its replicas, then drop our copy */
#define PUSH_LEAVE   1  /* to its future-only replicas, keep our copy */
#define PUSH_SPREAD  2  /* to its replicas; keep our copy if we are one */

struct push_walk {
    int part;
    int leaving;        /* PUSH_* */
    long budget;
    uint64_t last;
};

static int
push_one(void *priv, uint64_t hash, const void *key, size_t klen,
         const void *val, size_t vlen)
{
    struct push_walk *w = priv;
    const struct ring *cr = cluster_ring();
    const struct ring *fr = cluster_future_ring();
    struct buf enc = { (char *)val, vlen, vlen };
    int list[32], n = 0;

    if (ring_partition(cr, hash) != w->part) return 1;
    w->last = hash;
    if (w->leaving == PUSH_LEAVE) {
        /* Future replicas that are not current ones lack it. */
        const int *fl = ring_preflist(fr, w->part);
        for (int i = 0; i < fr->nrep && n < 32; i++) {
            struct member *m = cluster_future_member(fl[i]);
            if (ring_member_index(cr, m->id) < 0 ||
                !in_list(cr, w->part, ring_member_index(cr, m->id)))
                list[n++] = fl[i];
        }
        if (n) push_key(key, klen, &enc, cluster_future_member, list, n, 0);
    } else {
        const int *pl = ring_preflist(cr, w->part);
        for (int i = 0; i < cr->nrep && n < 32; i++) list[n++] = pl[i];
        for (int i = 0; i < cr->nmembers; i++)
            if (store_index_has(STORE_IDX_HINT, cluster_member(i)->id, hash,
                                key, klen) == 1)
                return --w->budget <= 0;  /* handoff owns it */
        push_key(key, klen, &enc, cluster_member, list, n,
                 w->leaving == PUSH_CLEANUP ||
                 !in_list(cr, w->part, cluster_self_index()));
    }
    return --w->budget <= 0;
}

/* Pushes one batch of partition p; returns 1 when the partition is done. */
static int
push_partition(int p, int leaving, uint64_t *cursor)
{
    const struct ring *cr = cluster_ring();
    struct push_walk w = { p, leaving, CLEANUP_BATCH, 0 };
    uint64_t next;
    uint64_t end = p + 1 < cr->q ? ring_partition_start(cr, p + 1) : 0;

    if (*cursor < ring_partition_start(cr, p)) *cursor = ring_partition_start(cr, p);
    if (store_scan(*cursor, CLEANUP_BATCH, push_one, &w, &next) != DKV_OK)
        return 0;
    if (next == 0 || (end && next >= end) ||
        (w.last && ring_partition(cr, w.last) != p && w.budget > 0)) {
        *cursor = 0;
        return 1;
    }
    *cursor = next;
    return 0;
}

static struct {
    int part;           /* partition being handed over, -1 = none */
    uint64_t cursor;
    int passes;         /* full passes of a leave */
} ho = { -1, 0, 0 };

/* Leaving: push every partition we replicate to its new replicas. */
static void
leave_step(void)
{
    const struct ring *cr = cluster_ring();
    int self = cluster_self_index();

    if (left_at) {
        if (mstime() - left_at > LEFT_LINGER_MS) server_request_shutdown();
        return;
    }
    /* Small or empty partitions go several per tick; a batch of keys in
     * flight waits for its answers. */
    for (int n = 0; n < 64 && pushes_in_flight < PUSH_WINDOW; n++) {
        if (ho.part < 0) ho.part = 0;
        while (ho.part < cr->q && !in_list(cr, ho.part, self)) ho.part++;
        if (ho.part >= cr->q) {
            if (pushes_in_flight > 0) return;
            log_notice("Leave complete: %lld keys handed over",
                       stats.keys_pushed);
            cluster_set_self_state(STATE_LEFT, 100);
            left_at = mstime();
            return;
        }
        if (push_partition(ho.part, PUSH_LEAVE, &ho.cursor)) ho.part++;
    }
}

/* After DKV.JOIN of a node that served alone: its own keys go to their
 * replicas in the ring it joined, every partition once. */
static int spread_part = -1;

static void
spread_step(void)
{
    const struct ring *cr = cluster_ring();

    for (int n = 0; n < 64 && pushes_in_flight < PUSH_WINDOW; n++) {
        if (spread_part >= cr->q) {
            log_notice("Keys brought by DKV.JOIN handed to their replicas");
            spread_part = -1;
            return;
        }
        if (db_partition_keys(-1)[spread_part] == 0) {
            spread_part++;
            continue;
        }
        if (ho.part != spread_part) {
            ho.part = spread_part;
            ho.cursor = 0;
        }
        if (push_partition(spread_part, PUSH_SPREAD, &ho.cursor)) spread_part++;
        else return;
    }
}

/* Normal: hand over and drop the keys of partitions we no longer
 * replicate in either ring. */
static void
cleanup_step(void)
{
    static int next_part;
    const struct ring *cr = cluster_ring();
    const struct ring *fr = cluster_future_ring();
    const long long *counts = db_partition_keys(-1);

    for (int tries = 0; tries < cr->q && pushes_in_flight < PUSH_WINDOW;
         tries++) {
        int p = (next_part + tries) % cr->q;
        if (counts[p] == 0 || in_list(cr, p, cluster_self_index()) ||
            in_list(fr, p, cluster_future_self_index()))
            continue;
        if (ho.part != p) {
            ho.part = p;
            ho.cursor = 0;
        }
        if (push_partition(p, PUSH_CLEANUP, &ho.cursor)) next_part = p + 1;
        else return;  /* the rest of this one next tick */
    }
}

void
join_cron(void)
{
    struct member *me;

    if (!cluster_active() && cluster_self()->state == STATE_NORMAL) return;
    me = cluster_self();
    server.now_ms = mstime();
    if (me->state == STATE_JOINING) join_step();
    else if (me->state == STATE_LEAVING || me->state == STATE_LEFT) leave_step();
    else if (spread_part >= 0 && !cluster_changing()) spread_step();
    else if (!cluster_changing()) cleanup_step();
}

void
join_info(struct buf *b)
{
    char line[256];
    int n = snprintf(line, sizeof(line),
                     "join_keys_pulled:%lld\r\njoin_partitions_pulled:%lld\r\n"
                     "handover_keys_pushed:%lld\r\nhandover_keys_dropped:%lld\r\n",
                     stats.keys_pulled, stats.partitions_pulled,
                     stats.keys_pushed, stats.keys_dropped);
    buf_append(b, line, n);
}

/* ---- Commands ------------------------------------------------------------ */

void
dkv_leave_command(struct client *c)
{
    struct member *me = cluster_self();

    if (!cluster_active()) {
        reply_error(c, "ERR this node is the whole ring: nothing to leave");
        return;
    }
    if (me->state != STATE_NORMAL) {
        reply_errorf(c, "ERR this node is %s", cluster_state_name(me->state));
        return;
    }
    ho.part = -1;
    ho.cursor = 0;
    cluster_set_self_state(STATE_LEAVING, 100);
    reply_ok(c);
}

/* DKV.JOIN host:port: a node serving alone joins the ring at host:port
 * (its own keys then go to their replicas there by the clean-up); a node
 * already in a ring just learns one more seed. */
void
dkv_join_command(struct client *c)
{
    char host[64];
    const char *colon = memrchr(c->argv[1], ':', c->argvlen[1]);
    long long port;
    size_t hlen;

    if (colon == NULL ||
        !string2ll(colon + 1, c->argvlen[1] - (colon + 1 - c->argv[1]), &port) ||
        port < 1 || port > 65535 || (hlen = colon - c->argv[1]) == 0 ||
        hlen >= sizeof(host)) {
        reply_error(c, "ERR expected host:port");
        return;
    }
    memcpy(host, c->argv[1], hlen);
    host[hlen] = '\0';
    if (cluster_numeric_host(host, host, sizeof(host)) != DKV_OK) {
        reply_errorf(c, "ERR cannot resolve '%s'", host);
        return;
    }
    if (!cluster_active() && cluster_self()->state == STATE_NORMAL) {
        /* Pull our share of the ring we join, like a new node. */
        load_done_map();
        memset(done_map, 0, (server.ring_size + 7) / 8);
        store_meta_put("join-map", done_map, (server.ring_size + 7) / 8);
        join_since = mstime();
        mv.part = -1;
        mv.busy = 0;
        spread_part = 0;  /* once joined, our keys go to their replicas */
        cluster_set_self_state(STATE_JOINING, 0);
    }
    if (cluster_add_seed(host, (int)port) != DKV_OK) {
        reply_error(c, "ERR cannot join that address (this node itself?)");
        return;
    }
    reply_ok(c);
}

void
dkv_forget_command(struct client *c)
{
    char *end;
    uint64_t id = strtoull(c->argv[1], &end, 16);

    if (c->argvlen[1] == 0 || *end != '\0') {
        reply_error(c, "ERR invalid node id");
        return;
    }
    switch (cluster_forget(id)) {
    case 0: reply_ok(c); break;
    case 1: reply_error(c, "ERR unknown node id"); break;
    case 2: reply_error(c, "ERR a node cannot forget itself (use DKV.LEAVE)"); break;
    default: reply_error(c, "ERR that member is up: only a dead member can "
                         "be forgotten (use DKV.LEAVE on it)"); break;
    }
}

struct xfer_out {
    int part;
    int shift;
    struct buf items;   /* u32 klen, key, u32 vlen, val */
    long n;
    int ended;
};

static int
xfer_one(void *priv, uint64_t hash, const void *key, size_t klen,
         const void *val, size_t vlen)
{
    struct xfer_out *o = priv;

    if ((int)(hash >> o->shift) != o->part) {
        o->ended = 1;
        return 1;
    }
    buf_put_u32(&o->items, (uint32_t)klen);
    buf_append(&o->items, key, klen);
    buf_put_u32(&o->items, (uint32_t)vlen);
    buf_append(&o->items, val, vlen);
    o->n++;
    return 0;
}

void
dkv_xfer_command(struct client *c)
{
    long long p, count;
    unsigned long long from;
    char *end;
    struct xfer_out o;
    uint64_t next = 0;
    int bits = 0;
    struct reader rd;
    char num[24];

    if (!string2ll(c->argv[1], c->argvlen[1], &p) || p < 0 ||
        p >= server.ring_size || !string2ll(c->argv[3], c->argvlen[3], &count) ||
        count < 1 || count > 100000) {
        reply_error(c, "ERR bad DKV.XFER arguments");
        return;
    }
    from = strtoull(c->argv[2], &end, 10);
    if (*end != '\0') {
        reply_error(c, "ERR bad DKV.XFER arguments");
        return;
    }
    while ((1 << bits) < server.ring_size) bits++;
    memset(&o, 0, sizeof(o));
    o.part = (int)p;
    o.shift = 64 - bits;
    buf_init(&o.items);
    if (from < ((unsigned long long)p << o.shift))
        from = (unsigned long long)p << o.shift;
    if (store_scan(from, count, xfer_one, &o, &next) != DKV_OK) {
        buf_free(&o.items);
        reply_error(c, "ERR storage error (see the server log)");
        return;
    }
    if (o.ended || next == 0 || (int)(next >> o.shift) != o.part) next = 0;
    reply_array_len(c, 2);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)next);
    reply_bulk_cstr(c, num);
    reply_array_len(c, o.n * 2);
    reader_init(&rd, o.items.p, o.items.len);
    for (long i = 0; i < o.n; i++) {
        uint32_t kl, vl;
        const unsigned char *k, *v;
        reader_u32(&rd, &kl);
        reader_bytes(&rd, kl, &k);
        reader_u32(&rd, &vl);
        reader_bytes(&rd, vl, &v);
        reply_bulk(c, k, kl);
        reply_bulk(c, v, vl);
    }
    buf_free(&o.items);
}

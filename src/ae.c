/* Merkle anti-entropy exchanges (see ae.h).
 *
 * DESIGN
 * ------
 * Every anti-entropy-interval seconds a node picks the next member it
 * shares partitions with (round robin) and runs one exchange with it:
 *
 *   1. DKV.MROOTS: the peer's tree root of every partition. Partitions
 *      whose roots agree are in sync (remembered per partition and peer,
 *      for tombstone reaping); the others are repaired one by one:
 *   2. DKV.MTREE p: the peer's middle nodes; only differing ones go on.
 *   3. DKV.MLEAVES p g...: the leaves under those; only differing ones.
 *   4. DKV.MKEYS p l...: the peer's (key, position, item) in those leaves,
 *      compared with ours: the keys that differ or exist on one side.
 *   5. per such key: DKV.GETV from the peer, merged here by clock; if the
 *      peer lacked anything of ours, DKV.PUTV to it.
 *
 * So repairing k keys costs the roots, fan hashes per differing middle
 * node and the keys of the differing leaves - about k * fan hashes, not
 * the partition's size.
 *
 * Tombstones: a key holding only tombstones counts as absent in the trees
 * (db.c), so replicas that reaped it and replicas that still keep it
 * agree, while a replica still holding the deleted value differs and is
 * sent the tombstone. A node reaps a tombstone (past tombstone-grace) only
 * once exchanges with every other replica of each of its partitions found
 * the roots equal after the tombstone was written: then no replica holds
 * a value it deleted, and none can bring one back. The trees are kept current by every write
 * (db.c); an exchange never rebuilds one. INFO # Cluster shows exchanges,
 * partitions found in sync and repaired, keys repaired, and bytes sent.
 *
 * Peer commands (replies are binary: be64 hashes back to back):
 *   DKV.MROOTS            -> bulk: ring-size roots
 *   DKV.MTREE <p>         -> bulk: fan middle hashes of partition p
 *   DKV.MLEAVES <p> <g>.. -> bulk: fan leaf hashes under each middle g
 *   DKV.MKEYS <p> <l>..   -> array of [key, bulk be64 position || be64
 *                            item] for every key in the leaves l */
#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>

#include "ae.h"
#include "client.h"
#include "cluster.h"
#include "db.h"
#include "log.h"
#include "merkle.h"
#include "peer.h"
#include "server.h"
#include "store.h"
#include "version.h"

#define EXCHANGE_MAX_MS  30000  /* an exchange still running is dropped */
#define EXCHANGE_MAX_KEYS 5000  /* keys repaired per exchange, at most */

static struct {
    long long exchanges, partitions_in_sync, partitions_repaired;
    long long keys_repaired, hashes_compared, bytes_sent, bytes_received;
} stats;

/* When each partition was last found equal with each member. */
struct sync_mark {
    uint64_t member;
    int64_t at;
};
static struct sync_mark **sync_marks;  /* [partition][MAX_REP] */
#define SYNC_SLOTS 16

/* The one exchange in progress. */
static struct {
    int active;
    uint64_t id;            /* callbacks of an older exchange are ignored */
    uint64_t member;
    struct peer *peer;
    int64_t started_ms;
    int *parts;             /* partitions whose roots differ */
    int nparts, pi;
    int part;               /* the one being repaired */
    int pending;            /* key repairs in flight */
    long keys_left;
    int *leaves;            /* differing leaves of the partition */
    int nleaves;
} ex;
static uint64_t next_id = 1;
static int rr_member;         /* round robin over members */
static int64_t last_start_ms;

static void next_partition(void);

/* ---- Bookkeeping --------------------------------------------------------- */

static void
mark_synced(int p, uint64_t member)
{
    struct sync_mark *m;
    int free_slot = -1;

    if (sync_marks == NULL)
        sync_marks = xcalloc(server.ring_size, sizeof(*sync_marks));
    if (sync_marks[p] == NULL)
        sync_marks[p] = xcalloc(SYNC_SLOTS, sizeof(struct sync_mark));
    m = sync_marks[p];
    for (int i = 0; i < SYNC_SLOTS; i++) {
        if (m[i].member == member) {
            m[i].at = mstime();
            return;
        }
        if (m[i].member == 0 && free_slot < 0) free_slot = i;
    }
    if (free_slot < 0) free_slot = (int)(member % SYNC_SLOTS);
    m[free_slot].member = member;
    m[free_slot].at = mstime();
}

static int64_t
synced_at(int p, uint64_t member)
{
    if (sync_marks == NULL || sync_marks[p] == NULL) return 0;
    for (int i = 0; i < SYNC_SLOTS; i++)
        if (sync_marks[p][i].member == member) return sync_marks[p][i].at;
    return 0;
}

int64_t
ae_synced_before(void)
{
    const struct ring *ring = cluster_ring();
    int self = cluster_self_index();
    int64_t min = INT64_MAX;

    for (int p = 0; p < ring->q; p++) {
        const int *pl = ring_preflist(ring, p);
        int mine = 0;
        for (int i = 0; i < ring->nrep; i++) mine |= pl[i] == self;
        if (!mine) continue;
        for (int i = 0; i < ring->nrep; i++) {
            int64_t at;
            if (pl[i] == self) continue;
            at = synced_at(p, cluster_member(pl[i])->id);
            if (at < min) min = at;
        }
    }
    return min == INT64_MAX ? 0 : min;
}

static int
shares(const struct ring *ring, int p, int a, int b)
{
    const int *pl = ring_preflist(ring, p);
    int ha = 0, hb = 0;

    for (int i = 0; i < ring->nrep; i++) {
        ha |= pl[i] == a;
        hb |= pl[i] == b;
    }
    return ha && hb;
}

static void
finish_exchange(void)
{
    free(ex.parts);
    free(ex.leaves);
    ex.parts = NULL;
    ex.leaves = NULL;
    ex.active = 0;
}

/* A callback's context: which exchange it belongs to. */
struct ae_call {
    uint64_t id;
    size_t klen;
    char key[];
};

static struct ae_call *
call_new(const char *key, size_t klen)
{
    struct ae_call *c = xmalloc(sizeof(*c) + klen);
    c->id = ex.id;
    c->klen = klen;
    if (klen) memcpy(c->key, key, klen);
    return c;
}

static int
stale(struct ae_call *c)
{
    return !ex.active || c->id != ex.id;
}

/* Bytes of a reply, as they came over the link (about). */
static size_t
reply_size(const redisReply *r)
{
    size_t n = 16;

    if (r == NULL) return 0;
    if (r->type == REDIS_REPLY_STRING) n += r->len;
    if (r->type == REDIS_REPLY_ARRAY)
        for (size_t i = 0; i < r->elements; i++)
            n += reply_size(r->element[i]);
    return n;
}

static int
ae_send(int argc, const char **argv, const size_t *argvlen, peer_reply_fn fn,
     struct ae_call *call)
{
    for (int i = 0; i < argc; i++) stats.bytes_sent += argvlen[i];
    if (peer_send(ex.peer, argc, argv, argvlen, fn, call) != DKV_OK) {
        free(call);
        return DKV_ERR;
    }
    return DKV_OK;
}

/* ---- Step 5: repair the keys that differ --------------------------------- */

static void
key_done(void)
{
    if (--ex.pending == 0) next_partition();
}

static void
getv_reply(void *priv, redisReply *reply)
{
    stats.bytes_received += reply_size(reply);
    struct ae_call *call = priv;
    struct vset remote, local, tmp;
    int changed = 0;

    if (stale(call)) {
        free(call);
        return;
    }
    vset_init(&remote);
    if (reply == NULL || (reply->type != REDIS_REPLY_NIL &&
                          (reply->type != REDIS_REPLY_STRING ||
                           vset_decode(reply->str, reply->len, &remote) !=
                               DKV_OK))) {
        free(call);
        key_done();
        return;
    }
    server.now_ms = mstime();
    if (remote.n > 0 &&
        db_merge(call->key, call->klen, &remote, &changed) == DKV_OK &&
        changed)
        stats.keys_repaired++;
    /* What we hold now; push it if the peer lacks any of it. */
    if (db_load(call->key, call->klen, &local) == DKV_OK) {
        vset_init(&tmp);
        vset_copy(&tmp, &remote);
        if (vset_merge(&tmp, &local)) {
            struct buf enc;
            const char *argv[3] = { "DKV.PUTV", call->key, NULL };
            size_t argvlen[3] = { 8, call->klen, 0 };
            buf_init(&enc);
            vset_encode(&local, &enc);
            argv[2] = enc.p;
            argvlen[2] = enc.len;
            if (ae_send(3, argv, argvlen, NULL, NULL) == DKV_OK)
                stats.keys_repaired++;
            buf_free(&enc);
        }
        vset_free(&tmp);
        vset_free(&local);
    }
    vset_free(&remote);
    free(call);
    key_done();
}

/* ---- Step 4: compare the keys of the differing leaves -------------------- */

struct kv_item {
    uint64_t pos;
    uint64_t item;
    size_t klen;
    const char *key;
};

struct item_list {
    struct kv_item *v;
    int n, cap;
    struct buf keys;  /* local keys' bytes */
};

static void
collect_local(void *priv, uint64_t pos, const void *key, size_t klen,
              uint64_t item)
{
    struct item_list *l = priv;

    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xrealloc(l->v, sizeof(*l->v) * l->cap);
    }
    l->v[l->n].pos = pos;
    l->v[l->n].item = item;
    l->v[l->n].klen = klen;
    l->v[l->n].key = (const char *)(uintptr_t)l->keys.len;  /* offset */
    buf_append(&l->keys, key, klen);
    l->n++;
}

static int
kv_cmp(uint64_t pa, const char *ka, size_t la, uint64_t pb, const char *kb,
       size_t lb)
{
    size_t n = la < lb ? la : lb;
    int c;

    if (pa != pb) return pa < pb ? -1 : 1;
    c = memcmp(ka, kb, n);
    if (c) return c;
    return (la > lb) - (la < lb);
}

static void
repair_key(const char *key, size_t klen)
{
    const char *argv[2] = { "DKV.GETV", key };
    size_t argvlen[2] = { 8, klen };

    if (ex.keys_left <= 0) return;
    ex.keys_left--;
    if (ae_send(2, argv, argvlen, getv_reply, call_new(key, klen)) == DKV_OK)
        ex.pending++;
}

static void
mkeys_reply(void *priv, redisReply *reply)
{
    stats.bytes_received += reply_size(reply);
    struct ae_call *call = priv;
    const struct ring *ring = cluster_ring();
    const struct merkle *t;
    struct item_list local = { 0 };
    size_t ri = 0;
    int li = 0;

    if (stale(call)) {
        free(call);
        return;
    }
    free(call);
    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        next_partition();
        return;
    }
    /* Our side of the same leaves (the ones the request named). */
    t = db_merkle(ex.part);
    buf_init(&local.keys);
    server.now_ms = mstime();
    for (int i = 0; i < ex.nleaves; i++) {
        int l = ex.leaves[i];
        uint64_t from = merkle_leaf_start(t, ex.part, ring->qbits, l);
        uint64_t end = l + 1 < t->fan * t->fan ?
            merkle_leaf_start(t, ex.part, ring->qbits, l + 1) :
            (ex.part + 1 < ring->q ? ring_partition_start(ring, ex.part + 1)
                                   : 0);
        db_walk_items(from, end, collect_local, &local);
    }
    /* Merge-walk both lists (both in store order). */
    ex.pending++;  /* held while queueing, so next_partition waits */
    while (ri < reply->elements || li < local.n) {
        const redisReply *e = ri < reply->elements ? reply->element[ri] : NULL;
        uint64_t rpos = 0, ritem = 0;
        const char *rkey = NULL;
        size_t rklen = 0;
        int c;

        if (e && (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
                  e->element[0]->type != REDIS_REPLY_STRING ||
                  e->element[1]->type != REDIS_REPLY_STRING ||
                  e->element[1]->len != 16)) {
            ri++;
            continue;
        }
        if (e) {
            struct reader rd;
            reader_init(&rd, e->element[1]->str, 16);
            reader_u64(&rd, &rpos);
            reader_u64(&rd, &ritem);
            rkey = e->element[0]->str;
            rklen = e->element[0]->len;
        }
        if (e == NULL) c = 1;
        else if (li >= local.n) c = -1;
        else c = kv_cmp(rpos, rkey, rklen, local.v[li].pos,
                        local.keys.p + (uintptr_t)local.v[li].key,
                        local.v[li].klen);
        if (c < 0) {            /* only the peer has it */
            repair_key(rkey, rklen);
            ri++;
        } else if (c > 0) {     /* only we have it */
            repair_key(local.keys.p + (uintptr_t)local.v[li].key,
                       local.v[li].klen);
            li++;
        } else {
            if (ritem != local.v[li].item) repair_key(rkey, rklen);
            ri++;
            li++;
        }
    }
    free(local.v);
    buf_free(&local.keys);
    key_done();
}

/* ---- Steps 2-3: descend the differing branches --------------------------- */

static void
mleaves_reply(void *priv, redisReply *reply)
{
    stats.bytes_received += reply_size(reply);
    struct ae_call *call = priv;
    const struct merkle *t = db_merkle(ex.part);
    int fan = t->fan, ng = (int)(call->klen / sizeof(int));
    const int *groups = (const int *)call->key;
    struct buf args;
    const char **argv;
    size_t *argvlen;
    int n = 0;

    if (stale(call)) {
        free(call);
        return;
    }
    if (reply == NULL || reply->type != REDIS_REPLY_STRING ||
        reply->len != (size_t)ng * fan * 8) {
        free(call);
        next_partition();
        return;
    }
    free(ex.leaves);
    ex.leaves = xmalloc(sizeof(int) * ng * fan);
    ex.nleaves = 0;
    for (int g = 0; g < ng; g++) {
        struct reader rd;
        reader_init(&rd, reply->str + (size_t)g * fan * 8, (size_t)fan * 8);
        for (int i = 0; i < fan; i++) {
            uint64_t h;
            int l = groups[g] * fan + i;
            reader_u64(&rd, &h);
            if (h != t->leaf[l]) ex.leaves[ex.nleaves++] = l;
        }
        stats.hashes_compared += fan;
    }
    free(call);
    if (ex.nleaves == 0) {
        next_partition();
        return;
    }
    argv = xmalloc(sizeof(char *) * (ex.nleaves + 2));
    argvlen = xmalloc(sizeof(size_t) * (ex.nleaves + 2));
    buf_init(&args);
    buf_reserve(&args, (size_t)(ex.nleaves + 1) * 12);
    argv[n] = "DKV.MKEYS";
    argvlen[n++] = 9;
    for (int i = -1; i < ex.nleaves; i++) {
        char *at = args.p + args.len;
        int len = snprintf(at, 12, "%d", i < 0 ? ex.part : ex.leaves[i]);
        args.len += len + 1;
        argv[n] = at;
        argvlen[n++] = len;
    }
    ae_send(n, argv, argvlen, mkeys_reply, call_new(NULL, 0));
    free(argv);
    free(argvlen);
    buf_free(&args);
}

static void
mtree_reply(void *priv, redisReply *reply)
{
    stats.bytes_received += reply_size(reply);
    struct ae_call *call = priv;
    const struct merkle *t = db_merkle(ex.part);
    int fan = t->fan, groups[MERKLE_MAX_FAN], ng = 0, n = 0;
    const char *argv[MERKLE_MAX_FAN + 2];
    size_t argvlen[MERKLE_MAX_FAN + 2];
    char nums[MERKLE_MAX_FAN + 1][12];

    if (stale(call)) {
        free(call);
        return;
    }
    free(call);
    if (reply == NULL || reply->type != REDIS_REPLY_STRING ||
        reply->len != (size_t)fan * 8) {
        next_partition();
        return;
    }
    {
        struct reader rd;
        reader_init(&rd, reply->str, reply->len);
        for (int i = 0; i < fan; i++) {
            uint64_t h;
            reader_u64(&rd, &h);
            if (h != t->mid[i]) groups[ng++] = i;
        }
    }
    stats.hashes_compared += fan;
    if (ng == 0) {
        next_partition();
        return;
    }
    argv[n] = "DKV.MLEAVES";
    argvlen[n++] = 11;
    snprintf(nums[0], 12, "%d", ex.part);
    argv[n] = nums[0];
    argvlen[n++] = strlen(nums[0]);
    for (int g = 0; g < ng; g++) {
        snprintf(nums[g + 1], 12, "%d", groups[g]);
        argv[n] = nums[g + 1];
        argvlen[n++] = strlen(nums[g + 1]);
    }
    ae_send(n, argv, argvlen, mleaves_reply,
         call_new((const char *)groups, sizeof(int) * ng));
}

static void
next_partition(void)
{
    char num[12];
    const char *argv[2] = { "DKV.MTREE", num };
    size_t argvlen[2] = { 9, 0 };

    ex.pending = 0;
    if (!ex.active) return;
    if (ex.pi >= ex.nparts || ex.keys_left <= 0 || !peer_ready(ex.peer)) {
        finish_exchange();
        return;
    }
    ex.part = ex.parts[ex.pi++];
    stats.partitions_repaired++;
    snprintf(num, sizeof(num), "%d", ex.part);
    argvlen[1] = strlen(num);
    if (ae_send(2, argv, argvlen, mtree_reply, call_new(NULL, 0)) != DKV_OK)
        finish_exchange();
}

/* ---- Step 1: compare roots ----------------------------------------------- */

static void
mroots_reply(void *priv, redisReply *reply)
{
    stats.bytes_received += reply_size(reply);
    struct ae_call *call = priv;
    const struct ring *ring = cluster_ring();
    int self = cluster_self_index(), them;

    if (stale(call)) {
        free(call);
        return;
    }
    free(call);
    them = ring_member_index(ring, ex.member);
    if (reply == NULL || reply->type != REDIS_REPLY_STRING ||
        reply->len != (size_t)ring->q * 8 || them < 0) {
        finish_exchange();
        return;
    }
    ex.parts = xmalloc(sizeof(int) * ring->q);
    ex.nparts = 0;
    for (int p = 0; p < ring->q; p++) {
        uint64_t h;
        struct reader rd;
        if (!shares(ring, p, self, them)) continue;
        reader_init(&rd, reply->str + (size_t)p * 8, 8);
        reader_u64(&rd, &h);
        stats.hashes_compared++;
        if (h == db_merkle(p)->root) {
            mark_synced(p, ex.member);
            stats.partitions_in_sync++;
        } else {
            ex.parts[ex.nparts++] = p;
        }
    }
    ex.pi = 0;
    next_partition();
}

void
ae_cron(void)
{
    const struct ring *ring = cluster_ring();
    int self = cluster_self_index();
    int64_t now = mstime();
    static const char *argv[1] = { "DKV.MROOTS" };
    static const size_t argvlen[1] = { 10 };

    if (last_start_ms == 0) last_start_ms = now;  /* first after a period */
    if (ex.active && now - ex.started_ms > EXCHANGE_MAX_MS) {
        log_verbose("Anti-entropy exchange with %016llx timed out",
                    (unsigned long long)ex.member);
        finish_exchange();
    }
    if (ex.active || ring->nmembers < 2 ||
        now - last_start_ms < (int64_t)server.anti_entropy_interval * 1000)
        return;
    last_start_ms = now;
    /* The next member that is up and shares a partition with us. */
    for (int tries = 0; tries < ring->nmembers; tries++) {
        struct member *m;
        int shared = 0;
        rr_member = (rr_member + 1) % ring->nmembers;
        if (rr_member == self) continue;
        m = cluster_member(rr_member);
        if (!cluster_member_up(m) || !peer_ready(m->peer)) continue;
        for (int p = 0; p < ring->q && !shared; p++)
            shared = shares(ring, p, self, rr_member);
        if (!shared) continue;
        memset(&ex, 0, sizeof(ex));
        ex.active = 1;
        ex.id = next_id++;
        ex.member = m->id;
        ex.peer = m->peer;
        ex.started_ms = now;
        ex.keys_left = EXCHANGE_MAX_KEYS;
        stats.exchanges++;
        if (ae_send(1, argv, argvlen, mroots_reply, call_new(NULL, 0)) != DKV_OK)
            finish_exchange();
        return;
    }
}

void
ae_info(struct buf *b)
{
    char line[512];
    int n = snprintf(line, sizeof(line),
                     "ae_exchanges:%lld\r\nae_partitions_in_sync:%lld\r\n"
                     "ae_partitions_repaired:%lld\r\nae_keys_repaired:%lld\r\n"
                     "ae_hashes_compared:%lld\r\nae_bytes_sent:%lld\r\n"
                     "ae_bytes_received:%lld\r\n",
                     stats.exchanges, stats.partitions_in_sync,
                     stats.partitions_repaired, stats.keys_repaired,
                     stats.hashes_compared, stats.bytes_sent,
                     stats.bytes_received);
    buf_append(b, line, n);
}

/* DKV.MERKLE: [partition, root (hex)] for every partition this node
 * replicates: two replicas of a partition agree exactly when their roots
 * do (what utils/dkv-torture polls to see the cluster converge). */
void
dkv_merkle_command(struct client *c)
{
    const struct ring *ring = cluster_ring();
    int self = cluster_self_index(), n = 0;

    for (int p = 0; p < ring->q; p++) n += shares(ring, p, self, self);
    reply_array_len(c, n * 2);
    for (int p = 0; p < ring->q; p++) {
        char hex[17];
        if (!shares(ring, p, self, self)) continue;
        snprintf(hex, sizeof(hex), "%016llx",
                 (unsigned long long)db_merkle(p)->root);
        reply_ll(c, p);
        reply_bulk_cstr(c, hex);
    }
}

/* ---- Peer side ----------------------------------------------------------- */

static int
arg_int(struct client *c, int i, long long max, long long *out)
{
    if (!string2ll(c->argv[i], c->argvlen[i], out) || *out < 0 ||
        *out >= max) {
        reply_error(c, "ERR bad anti-entropy argument");
        return 0;
    }
    return 1;
}

static void
put_be64(struct buf *b, uint64_t v)
{
    buf_put_u64(b, v);
}

void
dkv_mroots_command(struct client *c)
{
    struct buf b;

    buf_init(&b);
    for (int p = 0; p < server.ring_size; p++)
        put_be64(&b, db_merkle(p)->root);
    reply_bulk(c, b.p, b.len);
    buf_free(&b);
}

void
dkv_mtree_command(struct client *c)
{
    long long p;
    const struct merkle *t;
    struct buf b;

    if (!arg_int(c, 1, server.ring_size, &p)) return;
    t = db_merkle((int)p);
    buf_init(&b);
    for (int i = 0; i < t->fan; i++) put_be64(&b, t->mid[i]);
    reply_bulk(c, b.p, b.len);
    buf_free(&b);
}

void
dkv_mleaves_command(struct client *c)
{
    long long p, g;
    const struct merkle *t;
    struct buf b;

    if (!arg_int(c, 1, server.ring_size, &p)) return;
    t = db_merkle((int)p);
    buf_init(&b);
    for (int i = 2; i < c->argc; i++) {
        if (!arg_int(c, i, t->fan, &g)) {
            buf_free(&b);
            return;
        }
        for (int j = 0; j < t->fan; j++)
            put_be64(&b, t->leaf[g * t->fan + j]);
    }
    reply_bulk(c, b.p, b.len);
    buf_free(&b);
}

struct mkeys_out {
    struct client *c;
    struct buf items;  /* per key: u32 klen, key, be64 pos, be64 item */
    long n;
};

static void
mkeys_one(void *priv, uint64_t pos, const void *key, size_t klen,
          uint64_t item)
{
    struct mkeys_out *o = priv;

    buf_put_u32(&o->items, (uint32_t)klen);
    buf_append(&o->items, key, klen);
    buf_put_u64(&o->items, pos);
    buf_put_u64(&o->items, item);
    o->n++;
}

void
dkv_mkeys_command(struct client *c)
{
    long long p, l;
    const struct merkle *t;
    int qbits = 0, leaves;
    struct mkeys_out o = { c, { 0 }, 0 };
    struct reader rd;

    if (!arg_int(c, 1, server.ring_size, &p)) return;
    while ((1 << qbits) < server.ring_size) qbits++;
    t = db_merkle((int)p);
    leaves = t->fan * t->fan;
    buf_init(&o.items);
    server.now_ms = mstime();
    for (int i = 2; i < c->argc; i++) {
        uint64_t from, end;
        if (!arg_int(c, i, leaves, &l)) {
            buf_free(&o.items);
            return;
        }
        from = merkle_leaf_start(t, (int)p, qbits, (int)l);
        end = l + 1 < leaves ? merkle_leaf_start(t, (int)p, qbits, (int)l + 1)
            : (p + 1 < server.ring_size ? (uint64_t)(p + 1) << (64 - qbits)
                                        : 0);
        db_walk_items(from, end, mkeys_one, &o);
    }
    reply_array_len(c, o.n);
    reader_init(&rd, o.items.p, o.items.len);
    for (long i = 0; i < o.n; i++) {
        uint32_t klen;
        const unsigned char *k, *tail;
        reader_u32(&rd, &klen);
        reader_bytes(&rd, klen, &k);
        reader_bytes(&rd, 16, &tail);
        reply_array_len(c, 2);
        reply_bulk(c, k, klen);
        reply_bulk(c, tail, 16);
    }
    buf_free(&o.items);
}

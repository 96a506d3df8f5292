/* Reconciled listings for KEYS, SCAN and DBSIZE across the ring: the live
 * keys of one database in a set of partitions, read from R replicas of
 * each, so that a replica that missed a DEL (restarted, hints not yet
 * delivered, anti-entropy not yet run) never brings the key back into a
 * listing while GET says it is gone.
 *
 * DESIGN
 * ------
 * For each partition, the replicas asked are this node when it is one,
 * then the preference list's up members in order, up to the request's
 * read quorum (fewer when fewer are up; none up is NOQUORUM). Each member
 * is sent one DKV.SCANP for the partitions it is asked about (this node
 * walks its store directly). The answers are merged by (position, key):
 *
 * - a key every asked replica of its partition reports live is listed;
 * - any other key is disputed: its version set is fetched from every
 *   asked replica (DKV.GETV), merged by clock, and listed only when the
 *   merged set is live. A DEL acknowledged by W replicas is held by at
 *   least one of any R of them (R + W > N), so its tombstone wins.
 *
 * So the cost over a single-replica listing is R answers per partition
 * (key names only) and, for the keys replicas disagree about, one GETV
 * each: nothing when replicas agree. A key whose DEL only a stand-in holds
 * (sloppy quorum, its replicas down) can still show until the hint is
 * delivered, as a GET with those replicas back would show it.
 *
 * With a COUNT (SCAN), each replica stops after about COUNT records at its
 * own position; the page ends at the lowest of them, rounded down to a
 * cursor bucket (t_keys.c), and only keys below it are listed, so every
 * replica has been read up to there and resuming skips and repeats
 * nothing. */
#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>

#include "coord.h"
#include "coord_int.h"
#include "client.h"
#include "cluster.h"
#include "db.h"
#include "keyspace.h"
#include "log.h"
#include "peer.h"
#include "server.h"
#include "t_string.h"

/* One key a replica listed. */
struct lent {
    uint64_t pos;       /* ring position of its stored form */
    size_t off;         /* user key in pool */
    uint32_t len;
    int p;              /* partition */
    uint32_t seen;      /* bit j: asked replica j of p listed it */
    int disp;           /* index in dsets, -1 = undisputed */
};

struct listing {
    int db;
    const char *pattern;        /* into the request's argv */
    size_t patlen;
    uint64_t from, end;         /* positions, end 0 = the top */
    long count;                 /* records per replica, 0 = all */
    uint8_t *pmask;             /* partitions listed */
    int *asked;                 /* q x MAX_REP members per partition */
    uint8_t *nasked;
    list_done_fn done;
    struct slot *mslot;         /* per member */
    uint8_t *mstate;            /* S_WAIT / S_OK / S_FAIL, 0xff = unasked */
    struct buf *mkeys;          /* each member's answer: u32 len + key */
    uint64_t *mnext;
    struct buf pool;            /* user keys of ents */
    struct lent *ents;
    long nents;
    struct vset *dsets;         /* disputed keys' merged sets */
    long ndisp;
    struct slot *dslot;         /* ndisp x MAX_REP */
    int wait;
    uint64_t lim;               /* SCAN: keys below it listed, 0 = end */
};

#define UNASKED 0xff

void
listing_free(struct listing *l)
{
    if (l == NULL) return;
    free(l->pmask);
    free(l->asked);
    free(l->nasked);
    free(l->mslot);
    free(l->mstate);
    for (int m = 0; l->mkeys && m < cluster_ring()->nmembers; m++)
        buf_free(&l->mkeys[m]);
    free(l->mkeys);
    free(l->mnext);
    buf_free(&l->pool);
    free(l->ents);
    for (long d = 0; d < l->ndisp; d++) vset_free(&l->dsets[d]);
    free(l->dsets);
    free(l->dslot);
    free(l);
}

int
listing_pick(const struct ring *ring, int p, int rq, int *out)
{
    const int *pl = ring_preflist(ring, p);
    int self = cluster_self_index(), n = 0;

    for (int i = 0; i < ring->nrep; i++)
        if (pl[i] == self) out[n++] = self;
    /* Members whose link can take a request now first: one that is up
     * by gossip but whose link is still connecting (just restarted)
     * would fail the whole listing. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < ring->nrep && n < rq; i++) {
            struct member *m = cluster_member(pl[i]);
            int ready = m->peer && peer_ready(m->peer);
            if (pl[i] != self && cluster_member_up(m) && ready == !pass)
                out[n++] = pl[i];
        }
    return n;
}

/* The request's read quorum, capped at the preference list. */
static int
read_quorum(struct creq *r)
{
    struct client *c = creq_client(r);
    int rq = c && c->read_quorum ? c->read_quorum : server.read_quorum;
    int nrep = cluster_ring()->nrep;

    return rq < nrep ? rq : nrep;
}

static void list_merge(struct creq *r);
static void list_finish(struct creq *r);

/* Parses a DKV.SCANP answer into l's member slot. */
static int
take_answer(struct listing *l, int m, const redisReply *rep)
{
    if (rep == NULL || rep->type != REDIS_REPLY_ARRAY || rep->elements != 2 ||
        rep->element[0]->type != REDIS_REPLY_STRING ||
        rep->element[1]->type != REDIS_REPLY_ARRAY)
        return 0;
    l->mnext[m] = strtoull(rep->element[0]->str, NULL, 10);
    for (size_t i = 0; i < rep->element[1]->elements; i++) {
        const redisReply *k = rep->element[1]->element[i];
        uint32_t len;
        if (k->type != REDIS_REPLY_STRING) return 0;
        len = (uint32_t)k->len;
        buf_append(&l->mkeys[m], &len, sizeof(len));
        buf_append(&l->mkeys[m], k->str, k->len);
    }
    return 1;
}

static void merge_answer(struct listing *l, long d, const redisReply *reply);

/* Every peer answer of a listing: a DKV.SCANP one, or (once disputes are
 * being resolved, dsets set) a DKV.GETV one. */
static void
list_reply(void *priv, redisReply *reply)
{
    struct slot *slot = priv;
    struct creq *r = slot->r;
    struct listing *l = r->list;

    l->wait--;
    r->bwait--;
    if (!r->done && l->dsets) {
        merge_answer(l, slot->i / MAX_REP, reply);
        if (l->wait == 0) list_finish(r);
    } else if (!r->done) {
        l->mstate[slot->i] = take_answer(l, slot->i, reply) ? S_OK : S_FAIL;
        if (l->wait == 0) list_merge(r);
    }
    creq_unref(r);
}

/* The partitions of l member m is asked about, as DKV.SCANP's hex mask. */
static void
member_mask(const struct listing *l, const struct ring *ring, int m,
            uint8_t *mask)
{
    memset(mask, 0, (ring->q + 7) / 8);
    for (int p = 0; p < ring->q; p++) {
        if (!(l->pmask[p / 8] & (1 << (p % 8)))) continue;
        for (int j = 0; j < l->nasked[p]; j++)
            if (l->asked[p * MAX_REP + j] == m) mask[p / 8] |= 1 << (p % 8);
    }
}

static void
ask_member(struct creq *r, int m, const uint8_t *mask, size_t masklen)
{
    struct listing *l = r->list;
    char db[16], from[24], end[24], cnt[24];
    char *hex = xmalloc(masklen * 2 + 1);
    const char *argv[7] = { "DKV.SCANP", db, l->pattern, from, end, cnt,
                            hex };
    size_t argvlen[7];

    argvlen[0] = 9;
    argvlen[1] = snprintf(db, sizeof(db), "%d", l->db);
    argvlen[2] = l->patlen;
    argvlen[3] = snprintf(from, sizeof(from), "%llu",
                          (unsigned long long)l->from);
    argvlen[4] = snprintf(end, sizeof(end), "%llu",
                          (unsigned long long)l->end);
    argvlen[5] = snprintf(cnt, sizeof(cnt), "%ld", l->count);
    for (size_t i = 0; i < masklen; i++)
        snprintf(hex + 2 * i, 3, "%02x", mask[i]);
    argvlen[6] = masklen * 2;
    l->mslot[m].r = r;
    l->mslot[m].i = m;
    if (peer_send(cluster_member(m)->peer, 7, argv, argvlen, list_reply,
                  &l->mslot[m]) == DKV_OK) {
        l->mstate[m] = S_WAIT;
        l->wait++;
        r->bwait++;
        r->refs++;
    } else {
        l->mstate[m] = S_FAIL;
    }
    free(hex);
}

int
listing_start(struct creq *r, int db, const char *pattern, size_t patlen,
              const uint8_t *pmask, uint64_t from, uint64_t end, long count,
              list_done_fn done)
{
    const struct ring *ring = cluster_ring();
    size_t masklen = (ring->q + 7) / 8;
    int rq = read_quorum(r), self = cluster_self_index();
    struct listing *l = xcalloc(1, sizeof(*l));
    uint8_t *mask = xmalloc(masklen);

    l->db = db;
    l->pattern = pattern ? pattern : "*";
    l->patlen = pattern ? patlen : 1;
    l->from = from;
    l->end = end;
    l->count = count;
    l->done = done;
    l->pmask = xmalloc(masklen);
    memcpy(l->pmask, pmask, masklen);
    l->asked = xcalloc((size_t)ring->q * MAX_REP, sizeof(int));
    l->nasked = xcalloc(ring->q, 1);
    l->mslot = xcalloc(ring->nmembers, sizeof(*l->mslot));
    l->mstate = xmalloc(ring->nmembers);
    memset(l->mstate, UNASKED, ring->nmembers);
    l->mkeys = xcalloc(ring->nmembers, sizeof(*l->mkeys));
    l->mnext = xcalloc(ring->nmembers, sizeof(*l->mnext));
    buf_init(&l->pool);
    listing_free(r->list);
    r->list = l;
    for (int p = 0; p < ring->q; p++) {
        if (!(pmask[p / 8] & (1 << (p % 8)))) continue;
        l->nasked[p] = listing_pick(ring, p, rq, &l->asked[p * MAX_REP]);
        if (l->nasked[p] == 0) {
            free(mask);
            return DKV_ERR;
        }
        for (int j = 0; j < l->nasked[p]; j++)
            l->mstate[l->asked[p * MAX_REP + j]] = S_WAIT;
    }
    for (int m = 0; m < ring->nmembers; m++) {
        if (l->mstate[m] == UNASKED) continue;
        member_mask(l, ring, m, mask);
        if (m != self) {
            ask_member(r, m, mask, masklen);
        } else if (keys_walk_range(db, from, end, count, pattern, patlen,
                                   mask, &l->mkeys[m], &(long){0},
                                   &l->mnext[m]) == DKV_OK) {
            l->mstate[m] = S_OK;
        } else {
            l->mstate[m] = S_FAIL;
        }
    }
    free(mask);
    r->refs++;  /* held until the merge below ran */
    if (l->wait == 0) list_merge(r);
    creq_unref(r);
    return DKV_OK;
}

/* The key pool entries being sorted point into (qsort has no context
 * argument; one sort runs at a time). */
static const char *sort_pool;

static int
lent_order(const struct lent *x, const struct lent *y, const char *p)
{
    size_t n = x->len < y->len ? x->len : y->len;
    int c;

    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    c = n ? memcmp(p + x->off, p + y->off, n) : 0;
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static int
lent_cmp(const void *a, const void *b)
{
    return lent_order(a, b, sort_pool);
}

/* The asked index of member m for partition p, -1 if not asked. */
static int
asked_index(const struct listing *l, int p, int m)
{
    for (int j = 0; j < l->nasked[p]; j++)
        if (l->asked[p * MAX_REP + j] == m) return j;
    return -1;
}

/* Where a SCAN page ends: the lowest position an asked replica stopped
 * at, rounded down to a cursor bucket; 0 when every one finished. */
static uint64_t
page_limit(const struct listing *l, int nmem)
{
    uint64_t lim = 0;

    if (l->count <= 0) return 0;
    for (int m = 0; m < nmem; m++)
        if (l->mstate[m] == S_OK && l->mnext[m] &&
            (lim == 0 || l->mnext[m] < lim))
            lim = l->mnext[m];
    if (lim) lim &= ~(((uint64_t)1 << SCAN_CURSOR_SHIFT) - 1);
    return lim;
}

static void getv_disputed(struct creq *r);

/* Every answer is in: entries sorted and merged, disputes resolved. */
static void
list_merge(struct creq *r)
{
    struct listing *l = r->list;
    const struct ring *ring = cluster_ring();
    struct buf stored;
    long n = 0;

    for (int m = 0; m < ring->nmembers; m++)
        if (l->mstate[m] == S_FAIL) {
            l->done(r, DKV_ERR);
            return;
        }
    l->lim = page_limit(l, ring->nmembers);
    buf_init(&stored);
    for (int m = 0; m < ring->nmembers; m++) {
        size_t off = 0;
        const struct buf *k = &l->mkeys[m];
        if (l->mstate[m] != S_OK) continue;
        while (off < k->len) {
            uint32_t len;
            struct lent e;
            int j;
            memcpy(&len, k->p + off, sizeof(len));
            off += sizeof(len);
            buf_reset(&stored);
            keyspace_encode(l->db, k->p + off, len, &stored);
            e.pos = db_hash(stored.p ? stored.p : "", stored.len);
            e.p = ring_partition(ring, e.pos);
            j = asked_index(l, e.p, m);
            if (j >= 0 && (l->lim == 0 || e.pos < l->lim)) {
                e.off = l->pool.len;
                e.len = len;
                e.seen = 1u << j;
                e.disp = -1;
                buf_append(&l->pool, k->p + off, len);
                if (l->nents % 256 == 0)
                    l->ents = xrealloc(l->ents,
                                       sizeof(*l->ents) * (l->nents + 256));
                l->ents[l->nents++] = e;
            }
            off += len;
        }
        buf_free(&l->mkeys[m]);
    }
    buf_free(&stored);
    sort_pool = l->pool.p;
    if (l->nents > 1) qsort(l->ents, l->nents, sizeof(*l->ents), lent_cmp);
    /* One entry per key, with every replica that listed it. */
    for (long i = 0; i < l->nents; i++) {
        if (n > 0 && lent_order(&l->ents[n - 1], &l->ents[i], l->pool.p) == 0) {
            l->ents[n - 1].seen |= l->ents[i].seen;
            continue;
        }
        l->ents[n++] = l->ents[i];
    }
    l->nents = n;
    for (long i = 0; i < l->nents; i++) {
        struct lent *e = &l->ents[i];
        if (__builtin_popcount(e->seen) < l->nasked[e->p])
            e->disp = (int)l->ndisp++;
    }
    if (l->ndisp == 0) {
        list_finish(r);
        return;
    }
    getv_disputed(r);
}

static void
merge_answer(struct listing *l, long d, const redisReply *reply)
{
    struct vset s;

    if (reply == NULL || reply->type != REDIS_REPLY_STRING) return;
    if (vset_decode(reply->str, reply->len, &s) != DKV_OK) return;
    vset_merge(&l->dsets[d], &s);
    vset_free(&s);
}

/* Fetches each disputed key's set from every asked replica of it. */
static void
getv_disputed(struct creq *r)
{
    struct listing *l = r->list;
    int self = cluster_self_index();
    struct buf stored;

    l->dsets = xcalloc(l->ndisp, sizeof(*l->dsets));
    l->dslot = xcalloc((size_t)l->ndisp * MAX_REP, sizeof(*l->dslot));
    buf_init(&stored);
    server.now_ms = mstime();
    for (long i = 0; i < l->nents; i++) {
        const struct lent *e = &l->ents[i];
        const char *argv[2] = { "DKV.GETV", NULL };
        size_t argvlen[2] = { 8, 0 };
        if (e->disp < 0) continue;
        vset_init(&l->dsets[e->disp]);
        buf_reset(&stored);
        keyspace_encode(l->db, l->pool.p + e->off, e->len, &stored);
        buf_put_u8(&stored, 0);
        argv[1] = stored.p;
        argvlen[1] = stored.len - 1;
        for (int j = 0; j < l->nasked[e->p]; j++) {
            int m = l->asked[e->p * MAX_REP + j];
            struct slot *s = &l->dslot[e->disp * MAX_REP + j];
            if (m == self) {
                struct vset local;
                if (db_load(argv[1], argvlen[1], &local) == DKV_OK) {
                    vset_merge(&l->dsets[e->disp], &local);
                    vset_free(&local);
                }
                continue;
            }
            s->r = r;
            s->i = e->disp * MAX_REP + j;
            if (peer_send(cluster_member(m)->peer, 2, argv, argvlen,
                          list_reply, s) == DKV_OK) {
                l->wait++;
                r->bwait++;
                r->refs++;
            }
        }
    }
    buf_free(&stored);
    r->refs++;
    if (l->wait == 0) list_finish(r);
    creq_unref(r);
}

/* The listing's result: live keys in position order (u32 len + key). */
static void
list_finish(struct creq *r)
{
    struct listing *l = r->list;
    long n = 0;

    server.now_ms = mstime();
    for (long i = 0; i < l->nents; i++) {
        const struct lent *e = &l->ents[i];
        if (e->disp >= 0 &&
            vset_live_count(&l->dsets[e->disp], server.now_ms) == 0)
            continue;
        l->ents[n++] = *e;
    }
    l->nents = n;
    l->done(r, DKV_OK);
}

int
listing_answered(const struct creq *r, int *asked)
{
    const struct listing *l = r->list;
    int nmem = cluster_ring()->nmembers, ok = 0;

    *asked = 0;
    for (int m = 0; l && m < nmem; m++) {
        if (l->mstate[m] == UNASKED) continue;
        (*asked)++;
        ok += l->mstate[m] == S_OK;
    }
    return ok;
}

long
listing_count(const struct creq *r)
{
    return r->list->nents;
}

uint64_t
listing_next(const struct creq *r)
{
    return r->list->lim;
}

void
listing_keys(const struct creq *r, struct buf *keys)
{
    const struct listing *l = r->list;

    for (long i = 0; i < l->nents; i++) {
        uint32_t len = l->ents[i].len;
        buf_append(keys, &len, sizeof(len));
        buf_append(keys, l->pool.p + l->ents[i].off, len);
    }
}

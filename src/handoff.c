/* Hinted handoff (see handoff.h).
 *
 * DESIGN
 * ------
 * A hint is an entry in the store's index database, STORE_IDX_HINT, keyed
 * by (owner id, key position, key): the versions themselves are in the
 * data database like any other key's, so reads at the stand-in see them
 * and one transaction keeps data and hint together. Delivery walks the
 * hints of each owner that is up and whose link is ready, HANDOFF_BATCH
 * at a time (the next batch starts when the last answer of the previous
 * one came back, so a slow owner slows its own handoff and nothing else),
 * sending DKV.PUTV with the key's current versions; the owner merges them
 * by clock like any replica write. An acknowledged hint is removed; when
 * no hint for the key is left and this node is not in the key's
 * preference list, the stand-in's copy is removed too (a plain removal,
 * not a tombstone: the owners have the versions). */
#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>

#include "handoff.h"
#include "cluster.h"
#include "db.h"
#include "log.h"
#include "peer.h"
#include "server.h"
#include "store.h"

#define HANDOFF_BATCH 256

static long long pending, stored, delivered, failed, dropped_copies;

/* Owners with a batch in flight. */
struct owner_flight {
    uint64_t owner;
    int inflight;
};
static struct owner_flight *flights;
static int nflights;

struct hint_call {
    uint64_t owner;
    uint64_t hash;
    uint64_t sent;      /* bytes_hash of the versions handed over */
    size_t klen;
    char key[];
};

/* 1 if key's versions here are still the ones a hand-over sent: a write
 * that arrived meanwhile (reusing the hint) must not be dropped with the
 * hint - it goes with the next round. */
static int
unchanged_since(const char *key, size_t klen, uint64_t sent)
{
    static struct buf now;

    if (db_get_encoded(key, klen, &now) != DKV_OK) return 0;
    return bytes_hash(now.p, now.len) == sent;
}

static struct owner_flight *
flight_of(uint64_t owner)
{
    for (int i = 0; i < nflights; i++)
        if (flights[i].owner == owner) return &flights[i];
    flights = xrealloc(flights, sizeof(*flights) * (nflights + 1));
    flights[nflights].owner = owner;
    flights[nflights].inflight = 0;
    return &flights[nflights++];
}

void
handoff_init(void)
{
    long n = store_index_count(STORE_IDX_HINT);
    pending = n > 0 ? n : 0;
    if (pending)
        log_notice("%lld hinted writes wait for their owners", pending);
}

long long
handoff_pending(void)
{
    return pending;
}

int
handoff_add(uint64_t owner, const char *key, size_t klen)
{
    uint64_t h = db_hash(key, klen);
    int has = store_index_has(STORE_IDX_HINT, owner, h, key, klen);

    if (has < 0) return DKV_ERR;
    if (has) return DKV_OK;
    if (store_index_set(STORE_IDX_HINT, h, key, klen, 0, (int64_t)owner) !=
        DKV_OK)
        return DKV_ERR;
    pending++;
    stored++;
    return DKV_OK;
}

/* 1 when this node is in the key's preference list. */
static int
replica_here(uint64_t hash)
{
    const struct ring *ring = cluster_ring();
    const int *pl = ring_preflist(ring, ring_partition(ring, hash));
    int self = cluster_self_index();

    for (int i = 0; i < ring->nrep; i++)
        if (pl[i] == self) return 1;
    return 0;
}

static int
other_hints(uint64_t hash, const char *key, size_t klen)
{
    const struct ring *ring = cluster_ring();

    for (int i = 0; i < ring->nmembers; i++)
        if (store_index_has(STORE_IDX_HINT, cluster_member(i)->id, hash, key,
                            klen) == 1)
            return 1;
    return 0;
}

static void
delivered_cb(void *priv, struct redisReply *reply)
{
    struct hint_call *hc = priv;
    struct owner_flight *f = flight_of(hc->owner);

    f->inflight--;
    server.now_ms = mstime();
    if (reply && reply->type == REDIS_REPLY_INTEGER &&
        !unchanged_since(hc->key, hc->klen, hc->sent)) {
        /* Newer versions came in for the owner: keep the hint. */
    } else if (reply && reply->type == REDIS_REPLY_INTEGER) {
        if (store_index_set(STORE_IDX_HINT, hc->hash, hc->key, hc->klen,
                            (int64_t)hc->owner, 0) == DKV_OK) {
            pending--;
            delivered++;
        }
        if (!replica_here(hc->hash) &&
            !other_hints(hc->hash, hc->key, hc->klen)) {
            if (db_drop_copy(hc->key, hc->klen) == DKV_OK) dropped_copies++;
        }
    } else {
        failed++;
    }
    free(hc);
}

struct batch {
    struct member *m;
    int sent;
};

static int
deliver_one(void *priv, int64_t at, uint64_t hash, const void *key,
            size_t klen)
{
    struct batch *b = priv;
    static struct buf enc;
    const char *argv[3] = { "DKV.PUTV", key, NULL };
    size_t argvlen[3] = { 8, klen, 0 };
    struct hint_call *hc;

    (void)at;
    if (db_get_encoded(key, klen, &enc) != DKV_OK) return 1;
    if (enc.len == 0) {
        /* Gone here (FLUSHALL): nothing to hand over. */
        store_index_set(STORE_IDX_HINT, hash, key, klen, (int64_t)b->m->id, 0);
        pending--;
        return 0;
    }
    argv[2] = enc.p;
    argvlen[2] = enc.len;
    hc = xmalloc(sizeof(*hc) + klen);
    hc->owner = b->m->id;
    hc->hash = hash;
    hc->sent = bytes_hash(enc.p, enc.len);
    hc->klen = klen;
    memcpy(hc->key, key, klen);
    if (peer_send(b->m->peer, 3, argv, argvlen, delivered_cb, hc) != DKV_OK) {
        free(hc);
        return 1;
    }
    flight_of(b->m->id)->inflight++;
    b->sent++;
    return 0;
}

void
handoff_cron(void)
{
    const struct ring *ring;

    if (pending <= 0) return;
    ring = cluster_ring();
    server.now_ms = mstime();
    for (int i = 0; i < ring->nmembers; i++) {
        struct member *m = cluster_member(i);
        struct batch b = { m, 0 };
        if (m->self || !cluster_member_up(m) || !peer_ready(m->peer)) continue;
        if (flight_of(m->id)->inflight > 0) continue;
        store_index_range(STORE_IDX_HINT, m->id, m->id, HANDOFF_BATCH,
                          deliver_one, &b);
    }
}

void
handoff_info(struct buf *b)
{
    char line[256];
    int n = snprintf(line, sizeof(line),
                     "hints_pending:%lld\r\nhints_stored:%lld\r\n"
                     "hints_delivered:%lld\r\nhints_failed:%lld\r\n"
                     "hint_copies_dropped:%lld\r\n",
                     pending, stored, delivered, failed, dropped_copies);
    buf_append(b, line, n);
}

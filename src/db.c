/* The keyspace over the store (see db.h).
 *
 * DESIGN
 * ------
 * Every key's record is its encoded version set. Two indexes, kept in the
 * same transaction as the record, say when a key needs attention:
 *   TTL   at the earliest expiry among its live versions;
 *   TOMB  at the newest tombstone time, when no version is live.
 * index_at() derives both from the stored set alone, so the entry a write
 * must remove can always be found from the set it replaces.
 *
 * The active sweep (db_cron) reads due TTL entries and loads those keys,
 * which turns expired versions into tombstones (lazy expiry does the same
 * on access): an expired value becomes a delete with the same clock, so
 * no replica can bring it back. Tombstones are reaped after
 * tombstone-grace, and in a cluster only once anti-entropy has found all
 * replicas in agreement since (ae.c), so every replica holds them.
 *
 * Each write also updates its partition's Merkle tree (merkle.h) with the
 * key's item, so anti-entropy never rebuilds a tree.
 *
 * Counters: server.keys counts keys with a live version, server.expires
 * those of them with a TTL entry, both also per database (the key's
 * stored form names it, keyspace.h) and live keys per (database, ring
 * partition); db_store adjusts them from the old and new sets, and
 * db_count recomputes them at startup. */
#include <string.h>
#include <stdlib.h>
#include <openssl/evp.h>

#include "db.h"
#include "keyspace.h"
#include "merkle.h"
#include "ae.h"
#include "cluster.h"
#include "store.h"
#include "server.h"
#include "log.h"

#define CRON_EXPIRE_MAX 200   /* due keys handled per batch */
#define CRON_REAP_MAX   200   /* tombstones reaped per batch */
#define CRON_BUDGET_US  10000 /* at most 10 ms of sweeping per cron tick */

static struct buf iobuf;      /* encode/decode scratch */

/* Live keys per database and ring partition (databases and ring-size are
 * fixed at start-up), so the cluster's DBSIZE can count each partition
 * once. Keys of a database at or past `databases` (the setting was
 * lowered) count in the totals only. */
static long long *part_keys;
static long long *part_all;   /* every database's, per partition */
static long long db_nkeys[KEYSPACE_MAX_DBS];
static long long db_nexpires[KEYSPACE_MAX_DBS];
static int part_shift;
static int part_bits;
static struct merkle *trees;  /* one per partition (anti-entropy) */

static void
part_init(void)
{
    int fan;

    if (part_keys) return;
    while ((1 << part_bits) < server.ring_size) part_bits++;
    part_shift = 64 - part_bits;
    part_keys = xcalloc((size_t)server.ring_size * server.databases,
                        sizeof(long long));
    part_all = xcalloc(server.ring_size, sizeof(long long));
    trees = xcalloc(server.ring_size, sizeof(*trees));
    fan = merkle_fan_for(server.ring_size);
    for (int p = 0; p < server.ring_size; p++) merkle_init(&trees[p], fan);
}

const struct merkle *
db_merkle(int p)
{
    part_init();
    return &trees[p];
}

static void
tree_update(uint64_t h, uint64_t old_item, uint64_t new_item)
{
    struct merkle *t;

    if (old_item == new_item) return;
    t = &trees[h >> part_shift];
    merkle_update(t, merkle_leaf_of(t, h, part_bits), old_item, new_item);
}

const long long *
db_partition_keys(int db)
{
    part_init();
    if (db < 0) return part_all;
    return part_keys + (size_t)db * server.ring_size;
}

long long
db_keys(int db)
{
    return db_nkeys[db];
}

long long
db_expires(int db)
{
    return db_nexpires[db];
}

/* Keeps the counters in step with a key going from (was_live,
 * had_ttl) to (live, ttl). */
static void
count_key(const void *key, size_t klen, uint64_t h, int dlive, int dttl)
{
    int kdb = keyspace_decode(key, klen, NULL, NULL);

    server.keys += dlive;
    server.expires += dttl;
    db_nkeys[kdb] += dlive;
    db_nexpires[kdb] += dttl;
    part_init();
    part_all[h >> part_shift] += dlive;
    if (kdb < server.databases)
        part_keys[(size_t)kdb * server.ring_size + (h >> part_shift)] += dlive;
}

/* The last key hashed: a write command loads then stores the same key,
 * and hashing it once halves the MD5 work of every write. */
static struct buf memo_key;
static uint64_t memo_hash;
static int memo_valid;

static uint64_t md5_prefix(const void *key, size_t klen);

uint64_t
db_hash(const void *key, size_t klen)
{
    if (memo_valid && memo_key.len == klen &&
        (klen == 0 || memcmp(memo_key.p, key, klen) == 0))
        return memo_hash;
    memo_hash = md5_prefix(key, klen);
    buf_reset(&memo_key);
    buf_append(&memo_key, key, klen);
    memo_valid = 1;
    return memo_hash;
}

static uint64_t
md5_prefix(const void *key, size_t klen)
{
    /* Fetched once: an implicit fetch per call (EVP_Digest with EVP_md5())
     * costs more than hashing a short key. */
    static EVP_MD *md5;
    static EVP_MD_CTX *ctx;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    uint64_t h = 0;

    if (md5 == NULL) {
        md5 = EVP_MD_fetch(NULL, "MD5", NULL);
        ctx = EVP_MD_CTX_new();
        if (md5 == NULL || ctx == NULL) dkv_panic("OpenSSL has no MD5");
    }
    if (!EVP_DigestInit_ex2(ctx, md5, NULL) ||
        !EVP_DigestUpdate(ctx, key, klen) ||
        !EVP_DigestFinal_ex(ctx, md, &mdlen))
        dkv_panic("MD5 failed");
    for (int i = 0; i < 8; i++) h = (h << 8) | md[i];
    return h;
}

/* Where the set sits in the indexes (0 = not in that index). Depends on
 * the set only, never on the clock. */
static void
index_at(const struct vset *s, int64_t *ttl_at, int64_t *tomb_at)
{
    int live = 0;

    *ttl_at = 0;
    *tomb_at = 0;
    for (int i = 0; i < s->n; i++) {
        const struct version *v = &s->v[i];
        if (v->kind == VERSION_TOMBSTONE) {
            if (v->ts_ms > *tomb_at) *tomb_at = v->ts_ms;
            continue;
        }
        live = 1;
        if (v->expire_ms && (*ttl_at == 0 || v->expire_ms < *ttl_at))
            *ttl_at = v->expire_ms;
    }
    if (live) *tomb_at = 0;
    else if (s->n > 0 && *tomb_at == 0) *tomb_at = 1;  /* ancient ts */
}

static int
set_is_live(const struct vset *s)
{
    for (int i = 0; i < s->n; i++)
        if (s->v[i].kind != VERSION_TOMBSTONE) return 1;
    return 0;
}

/* What db_store must know of the set a write replaces: where it sat in
 * the indexes and whether it was live. Taken before the set is modified,
 * so a write needs no copy of the old set. */
struct set_place {
    int64_t ttl_at;
    int64_t tomb_at;
    int live;
    uint64_t item;   /* the key's Merkle item (0: no versions) */
};

/* A key's Merkle item. A set of tombstones only counts as absent: a
 * replica that reaped it and one that still keeps it agree, so reaping
 * never makes trees differ (and anti-entropy never hands a reaped
 * tombstone back), while a replica still holding a value the tombstone
 * deleted differs, and gets the tombstone. */
static uint64_t
set_item(uint64_t h, const struct vset *s)
{
    return set_is_live(s) ? merkle_item(h, vset_digest(s)) : 0;
}

static void
set_place_of(uint64_t h, const struct vset *s, struct set_place *p)
{
    index_at(s, &p->ttl_at, &p->tomb_at);
    p->live = set_is_live(s);
    p->item = set_item(h, s);
}

/* Bumped by every write to the store: a reader can tell that nothing it
 * loaded can have changed since. */
static uint64_t write_gen;

uint64_t
db_generation(void)
{
    return write_gen;
}

/* The coordinator's overlays (db_overlay_begin): while set, an overlay's
 * key is read from and written to the coordinator's merged set instead of
 * the store. */
static struct db_overlay *overlays;
static int noverlays;
static int overlay_multi;     /* a multi-key request: strict, puts kept */

/* Overlays are sorted by bytes, then length (db_overlay_begin). */
static int
overlay_cmp(const struct db_overlay *o, const void *key, size_t klen)
{
    int c = memcmp(o->key, key, o->klen < klen ? o->klen : klen);
    return c ? c : (o->klen > klen) - (o->klen < klen);
}

/* The overlay of key, or NULL: a binary search, as a transaction may
 * name many keys. */
static struct db_overlay *
overlay_of(const void *key, size_t klen)
{
    int lo = 0, hi = noverlays - 1;

    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = overlay_cmp(&overlays[mid], key, klen);
        if (c == 0) return &overlays[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

int
db_overlay_active(void)
{
    return overlays != NULL;
}

static int
is_overlay(const void *key, size_t klen)
{
    return overlay_of(key, klen) != NULL;
}

/* A multi-key handler reaching for a key it did not name: a bug in its
 * command's key positions; refused so it never touches the local store
 * in a request coordinated from elsewhere. */
static int
outside_overlays(const void *key, size_t klen)
{
    if (!overlay_multi || is_overlay(key, klen)) return 0;
    log_warn("A multi-key command touched a key of %zu bytes it does not "
             "name; refused", klen);
    return 1;
}

void
db_overlay_begin(struct db_overlay *o, int n, int multi)
{
    for (int i = 0; i < n; i++) {
        o[i].dirty = 0;
        o[i].put = 0;
    }
    overlays = o;
    noverlays = n;
    overlay_multi = multi;
}

void
db_overlay_end(void)
{
    overlays = NULL;
    noverlays = 0;
    overlay_multi = 0;
}

static int
store_set(const void *key, size_t klen, const struct set_place *old,
          const struct vset *s)
{
    uint64_t h;
    struct set_place now;
    int rc;

    if (is_overlay(key, klen)) {
        /* Counters and indexes follow when the coordinator stores the
         * result for real. */
        struct db_overlay *o = overlay_of(key, klen);
        vset_copy(o->set, s);
        o->dirty = 1;
        return DKV_OK;
    }
    if (outside_overlays(key, klen)) return DKV_ERR;
    h = db_hash(key, klen);

    set_place_of(h, s, &now);
    if (s->n == 0) {
        rc = store_put(h, key, klen, NULL, 0);
    } else {
        buf_reset(&iobuf);
        vset_encode(s, &iobuf);
        rc = store_put(h, key, klen, iobuf.p, iobuf.len);
    }
    if (rc == DKV_OK)
        rc = store_index_set(STORE_IDX_TTL, h, key, klen, old->ttl_at,
                             now.ttl_at);
    if (rc == DKV_OK)
        rc = store_index_set(STORE_IDX_TOMB, h, key, klen, old->tomb_at,
                             now.tomb_at);
    if (rc != DKV_OK) return rc;
    count_key(key, klen, h, now.live - old->live,
              (now.ttl_at != 0) - (old->ttl_at != 0));
    tree_update(h, old->item, now.item);
    server.stat_total_writes++;
    write_gen++;
    return DKV_OK;
}

int
db_store(const void *key, size_t klen, const struct vset *old,
         const struct vset *s)
{
    struct set_place place;

    set_place_of(db_hash(key, klen), old, &place);
    return store_set(key, klen, &place, s);
}

int
db_peek(const void *key, size_t klen, struct vset_peek *out)
{
    int rc;

    if (is_overlay(key, klen)) return VSET_PEEK_FULL;
    if (outside_overlays(key, klen)) return DKV_ERR;
    rc = store_get(db_hash(key, klen), key, klen, &iobuf);

    if (rc == STORE_NOTFOUND) {
        memset(out, 0, sizeof(*out));
        return DKV_OK;
    }
    if (rc != DKV_OK) return DKV_ERR;
    rc = vset_peek(iobuf.p, iobuf.len, server.now_ms, out);
    if (rc == DKV_ERR)
        log_warn("Corrupt record for a key of %zu bytes; treating as error",
                 klen);
    return rc;
}

/* Cheap check before the copy lazy expiry needs: most loads find none. */
static int
has_expired(const struct vset *s, int64_t now)
{
    for (int i = 0; i < s->n; i++) {
        const struct version *v = &s->v[i];
        if (v->kind != VERSION_TOMBSTONE && v->expire_ms &&
            v->expire_ms <= now)
            return 1;
    }
    return 0;
}

int
db_load(const void *key, size_t klen, struct vset *s)
{
    uint64_t h = db_hash(key, klen);
    int rc;

    vset_init(s);
    if (is_overlay(key, klen)) {
        vset_copy(s, overlay_of(key, klen)->set);
        goto loaded;
    }
    if (outside_overlays(key, klen)) return DKV_ERR;
    rc = store_get(h, key, klen, &iobuf);
    if (rc == STORE_NOTFOUND) return DKV_OK;
    if (rc != DKV_OK) return DKV_ERR;
    if (vset_decode(iobuf.p, iobuf.len, s) != DKV_OK) {
        /* A record we cannot read is reported, not silently dropped. */
        log_warn("Corrupt record for a key of %zu bytes; treating as error",
                 klen);
        return DKV_ERR;
    }
loaded:
    if (has_expired(s, server.now_ms)) {
        struct set_place old;

        set_place_of(h, s, &old);
        vset_expire(s, server.now_ms);
        if (store_set(key, klen, &old, s) == DKV_OK)
            server.stat_expiredkeys++;
    }
    return DKV_OK;
}

int
db_value(const struct vset *s, int64_t now, struct buf *tmp, const char **p,
         size_t *len, const struct version **winner)
{
    const struct version *v = vset_lww(s, now);

    if (winner) *winner = v;
    if (v == NULL) return 0;
    if (v->kind == VERSION_COUNTER) {
        long long n = 0;
        char num[32];
        int nlen;
        struct version merged;

        /* Concurrent increments are sibling counters: the value is their
         * PN-merge, so none is lost. */
        vset_counter_merged(s, v, now, &merged);
        version_counter_value(&merged, &n);
        version_free(&merged);
        nlen = ll2string(num, sizeof(num), n);
        buf_reset(tmp);
        buf_append(tmp, num, nlen);
        *p = tmp->p;
        *len = tmp->len;
    } else {
        *p = v->val ? v->val : "";
        *len = v->len;
    }
    return 1;
}

/* ---- Startup count ------------------------------------------------------- */

static int
count_one(void *priv, uint64_t hash, const void *key, size_t klen,
          const void *val, size_t vlen)
{
    struct vset s;
    int64_t ttl_at, tomb_at;

    (void)priv;
    if (vset_decode(val, vlen, &s) != DKV_OK) return 0;
    index_at(&s, &ttl_at, &tomb_at);
    count_key(key, klen, hash, set_is_live(&s), ttl_at != 0);
    tree_update(hash, 0, set_item(hash, &s));
    vset_free(&s);
    return 0;
}

int
db_count(void)
{
    uint64_t pos = 0;

    server.keys = 0;
    server.expires = 0;
    part_init();
    memset(part_keys, 0,
           sizeof(long long) * server.ring_size * server.databases);
    memset(part_all, 0, sizeof(long long) * server.ring_size);
    memset(db_nkeys, 0, sizeof(db_nkeys));
    memset(db_nexpires, 0, sizeof(db_nexpires));
    for (int p = 0; p < server.ring_size; p++) merkle_clear(&trees[p]);
    do {
        if (store_scan(pos, 10000, count_one, NULL, &pos) != DKV_OK)
            return DKV_ERR;
    } while (pos != 0);
    return DKV_OK;
}

/* ---- Expiry and reaping -------------------------------------------------- */

static int
expire_due(void *priv, int64_t at, uint64_t hash, const void *key,
           size_t klen)
{
    struct vset s;

    (void)priv;
    (void)at;
    (void)hash;
    /* Loading does the work: expired versions become tombstones and the
     * index entry moves (or goes) with the rewrite. */
    if (db_load(key, klen, &s) == DKV_OK) vset_free(&s);
    return 0;
}

static int
reap_due(void *priv, int64_t at, uint64_t hash, const void *key,
         size_t klen)
{
    struct vset s, empty;

    (void)priv;
    (void)at;
    (void)hash;
    if (db_load(key, klen, &s) != DKV_OK) return 0;
    if (s.n > 0 && !set_is_live(&s)) {
        vset_init(&empty);
        if (db_store(key, klen, &s, &empty) == DKV_OK)
            server.stat_tombstones_reaped++;
    }
    vset_free(&s);
    return 0;
}

/* Tombstones older than this may go: past tombstone-grace and, in a
 * cluster, older than the last time anti-entropy found every replica of
 * every partition here in agreement (so every replica holds them). */
static int64_t
reap_before(int64_t now)
{
    int64_t at = now - server.tombstone_grace * 1000;

    if (cluster_active()) {
        int64_t synced = ae_synced_before();
        if (synced < at) at = synced;
    }
    return at;
}

void
db_cron(void)
{
    int64_t start = monotonic_us();
    int64_t now = server.now_ms;
    long n;

    /* Like Redis's active expire cycle: batches while there is work and
     * the tick's time budget lasts, so a burst of expiring keys is
     * cleared quickly without starving clients. */
    do {
        n = 0;
        if (server.active_expire)
            n += store_index_scan(STORE_IDX_TTL, now, CRON_EXPIRE_MAX,
                                  expire_due, NULL);
        n += store_index_scan(STORE_IDX_TOMB, reap_before(now),
                              CRON_REAP_MAX, reap_due, NULL);
        if (store_batch_full()) store_commit(server.fsync);
    } while (n > 0 && monotonic_us() - start < CRON_BUDGET_US);
}

int
db_flush(void)
{
    if (store_truncate() != DKV_OK) return DKV_ERR;
    part_init();
    memset(part_keys, 0,
           sizeof(long long) * server.ring_size * server.databases);
    memset(part_all, 0, sizeof(long long) * server.ring_size);
    memset(db_nkeys, 0, sizeof(db_nkeys));
    memset(db_nexpires, 0, sizeof(db_nexpires));
    for (int p = 0; p < server.ring_size; p++) merkle_clear(&trees[p]);
    server.keys = 0;
    server.expires = 0;
    return DKV_OK;
}

/* Collects the stored keys of one database (u32 length + bytes). */
struct db_collect {
    int db;
    struct buf keys;
};

static int
collect_db_key(void *priv, uint64_t hash, const void *key, size_t klen,
               const void *val, size_t vlen)
{
    struct db_collect *w = priv;
    uint32_t l = (uint32_t)klen;

    (void)hash;
    (void)val;
    (void)vlen;
    if (keyspace_decode(key, klen, NULL, NULL) != w->db) return 0;
    buf_append(&w->keys, &l, sizeof(l));
    buf_append(&w->keys, key, klen);
    return 0;
}

int
db_flush_db(int db)
{
    struct db_collect w = { db, { NULL, 0, 0 } };
    uint64_t pos = 0;
    int rc = DKV_OK;

    /* A batch of keys, then their removal: the walk's cursor never sits
     * on a record being deleted. */
    do {
        size_t off = 0;
        buf_reset(&w.keys);
        if (store_scan(pos, 1000, collect_db_key, &w, &pos) != DKV_OK) {
            rc = DKV_ERR;
            break;
        }
        while (off < w.keys.len && rc == DKV_OK) {
            struct vset s, empty;
            uint32_t l;
            memcpy(&l, w.keys.p + off, sizeof(l));
            off += sizeof(l);
            if (db_load(w.keys.p + off, l, &s) != DKV_OK) {
                rc = DKV_ERR;
                break;
            }
            vset_init(&empty);
            if (s.n > 0) rc = db_store(w.keys.p + off, l, &s, &empty);
            vset_free(&s);
            off += l;
        }
        if (store_batch_full()) store_commit(server.fsync);
    } while (rc == DKV_OK && pos != 0);
    buf_free(&w.keys);
    return rc;
}

/* ---- Anti-entropy -------------------------------------------------------- */

struct item_walk {
    uint64_t end;
    db_item_fn fn;
    void *priv;
    int done;
};

static int
item_one(void *priv, uint64_t hash, const void *key, size_t klen,
         const void *val, size_t vlen)
{
    struct item_walk *w = priv;
    struct vset s;

    if (w->end && hash >= w->end) {
        w->done = 1;
        return 1;
    }
    if (vset_decode(val, vlen, &s) != DKV_OK) return 0;
    /* Tombstone-only keys count as absent in the trees: leave them out. */
    if (set_is_live(&s)) w->fn(w->priv, hash, key, klen, set_item(hash, &s));
    vset_free(&s);
    return 0;
}

int
db_walk_items(uint64_t from, uint64_t end, db_item_fn fn, void *priv)
{
    struct item_walk w = { end, fn, priv, 0 };
    uint64_t pos = from;

    do {
        if (store_scan(pos, 1000, item_one, &w, &pos) != DKV_OK)
            return DKV_ERR;
    } while (pos != 0 && !w.done && (end == 0 || pos < end));
    return DKV_OK;
}

/* ---- Replica side ------------------------------------------------------- */

int
db_get_encoded(const void *key, size_t klen, struct buf *out)
{
    struct vset_peek pk;
    struct vset s;
    int rc;

    buf_reset(out);
    if (is_overlay(key, klen)) return DKV_ERR;  /* never: replica side */
    rc = store_get(db_hash(key, klen), key, klen, &iobuf);
    if (rc == STORE_NOTFOUND) return DKV_OK;
    if (rc != DKV_OK) return DKV_ERR;
    rc = vset_peek(iobuf.p, iobuf.len, server.now_ms, &pk);
    if (rc == DKV_OK) {
        /* Nothing due for lazy expiry: the stored bytes are the answer. */
        buf_append(out, iobuf.p, iobuf.len);
        return DKV_OK;
    }
    if (db_load(key, klen, &s) != DKV_OK) return DKV_ERR;
    if (s.n > 0) vset_encode(&s, out);
    vset_free(&s);
    return DKV_OK;
}

int
db_merge(const void *key, size_t klen, const struct vset *in, int *changed)
{
    struct vset s;
    struct set_place old;
    int rc = DKV_OK;

    *changed = 0;
    if (db_load(key, klen, &s) != DKV_OK) return DKV_ERR;
    set_place_of(db_hash(key, klen), &s, &old);
    if (vset_merge(&s, in)) {
        vset_limit(&s, server.max_siblings, server.now_ms);
        rc = store_set(key, klen, &old, &s);
        *changed = rc == DKV_OK;
    }
    vset_free(&s);
    return rc;
}

/* ---- Dots ------------------------------------------------------------------ */

/* Every dot this node issues is above every one it issued before, across
 * all keys: at least the wall clock in ms, and one more than the last. A
 * high-water mark kept in the store, DOT_RESERVE ahead, keeps that true
 * across a restart even when writes outran the clock. */
#define DOT_RESERVE 10000000ULL
static uint64_t dot_last, dot_hw;
static int dot_loaded;

static uint64_t
dot_floor(int64_t now)
{
    uint64_t f;

    if (!dot_loaded) {
        struct buf b;
        struct reader r;
        buf_init(&b);
        if (store_meta_get("dot-hw", &b) == DKV_OK && b.len == 8) {
            reader_init(&r, b.p, 8);
            reader_u64(&r, &dot_hw);
            dot_last = dot_hw;
        }
        buf_free(&b);
        dot_loaded = 1;
    }
    f = dot_last + 1;
    if (now > 0 && (uint64_t)now > f) f = (uint64_t)now;
    return f;
}

static void
dot_issued(uint64_t counter)
{
    if (counter > dot_last) dot_last = counter;
    if (dot_last >= dot_hw) {
        struct buf b;
        dot_hw = dot_last + DOT_RESERVE;
        buf_init(&b);
        buf_put_u64(&b, dot_hw);
        store_meta_put("dot-hw", b.p, b.len);
        buf_free(&b);
    }
}

/* ---- Actors ---------------------------------------------------------------- */

#define STANDIN_EPOCH 0x80000000u  /* apart from every main epoch */
static int as_standin;
static int standin_used = 1;       /* unknown after a restart: assume so */
static uint32_t standin_gen;
static int standin_loaded;
static struct actor standin;

static void
standin_load(void)
{
    struct buf b;
    struct reader r;

    if (standin_loaded) return;
    standin_loaded = 1;
    buf_init(&b);
    if (store_meta_get("standin-gen", &b) == DKV_OK && b.len == 4) {
        reader_init(&r, b.p, 4);
        reader_u32(&r, &standin_gen);
    }
    buf_free(&b);
}

const struct actor *
db_actor(void)
{
    if (!as_standin) return &server.me;
    standin_load();
    standin.node = server.me.node;
    standin.epoch = STANDIN_EPOCH | (standin_gen & ~STANDIN_EPOCH);
    standin_used = 1;
    return &standin;
}

void
db_standin(int on)
{
    as_standin = on;
}

int
db_drop_copy(const void *key, size_t klen)
{
    struct vset s, empty;
    int rc;

    if (db_load(key, klen, &s) != DKV_OK) return DKV_ERR;
    vset_init(&empty);
    rc = s.n > 0 ? db_store(key, klen, &s, &empty) : STORE_NOTFOUND;
    vset_free(&s);
    if (rc == DKV_OK && standin_used) {
        struct buf b;
        standin_load();
        standin_gen++;
        standin_used = 0;
        buf_init(&b);
        buf_put_u32(&b, standin_gen);
        store_meta_put("standin-gen", b.p, b.len);
        buf_free(&b);
    }
    return rc;
}

/* ---- Local coordinated put ----------------------------------------------- */

int
db_put(const void *key, size_t klen, struct vset *s, struct version *v,
       const struct vclock *ctx)
{
    struct set_place old;
    int64_t now = server.now_ms;

    set_place_of(db_hash(key, klen), s, &old);
    if (v->ts_ms == 0) v->ts_ms = now;
    if (overlay_multi && is_overlay(key, klen)) {
        struct db_overlay *o = overlay_of(key, klen);
        if (o->put) version_free(&o->putv);
        version_init(&o->putv);
        version_copy(&o->putv, v);
        o->put = 1;
    }
    vset_put(s, ctx, v, db_actor(), now, dot_floor(now));
    dot_issued(s->v[s->n - 1].dot.counter);
    if (vset_limit(s, server.max_siblings, now)) {
        server.stat_sibling_collapses++;
        log_verbose("Collapsed siblings of a key past max-siblings %d",
                    server.max_siblings);
    }
    return store_set(key, klen, &old, s);
}

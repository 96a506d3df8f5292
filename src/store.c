/* Storage on Berkeley DB (see store.h for the layout and the group-commit
 * design). This is the only file that includes <db.h>. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <db.h>

#include "store.h"
#include "log.h"

#define STORE_LOG_BUFFER   (8 * 1024 * 1024)   /* in-memory log buffer */
#define STORE_LOG_FILE_MAX (64 * 1024 * 1024)  /* size of one log file */
#define STORE_LOCKS        200000              /* batch txns lock many pages */
#define STORE_CKP_KBYTES   (16 * 1024)         /* checkpoint every 16 MB log */
#define STORE_CKP_MINUTES  1                   /* ... or every minute */
#define STORE_BATCH_MAX    10000               /* commit early past this */
#define DATA_PAGE_SIZE     8192                /* data.db btree pages */
#define INDEX_PAGE_SIZE    4096                /* index.db, meta.db */
#define IDX_KEY_PREFIX     17                  /* u8 idx + be64 at + be64 hash */

static DB_ENV *env;
static DB *data_db;
static DB *index_db;
static DB *meta_db;
static DB_TXN *batch;         /* the iteration's open transaction, or NULL */
static long batch_writes;     /* writes in it */
static struct buf keybuf;     /* scratch for composite keys */
static struct store_stats stats;

static void
be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = v & 0xff;
        v >>= 8;
    }
}

static uint64_t
get_be64(const unsigned char *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

static void
errcall(const DB_ENV *e, const char *prefix, const char *msg)
{
    (void)e;
    (void)prefix;
    log_warn("Berkeley DB: %s", msg);
}

static int
fail(int ret, const char *what)
{
    stats.last_error = ret;
    log_warn("Berkeley DB %s: %s", what, db_strerror(ret));
    return DKV_ERR;
}

/* ---- Open / close -------------------------------------------------------- */

/* Keys of data and index start with big-endian integers; comparing the
 * first 8 bytes as one number settles almost every comparison, where the
 * default compares byte by byte. Same order as memcmp. */
static int
key_compare(DB *db, const DBT *a, const DBT *b)
{
    size_t n = a->size < b->size ? a->size : b->size;
    int c;

    (void)db;
    if (n >= 8) {
        uint64_t x = get_be64(a->data), y = get_be64(b->data);
        if (x != y) return x < y ? -1 : 1;
    }
    c = memcmp(a->data, b->data, n);
    if (c) return c;
    return a->size < b->size ? -1 : a->size > b->size;
}

static int
open_db(DB **dbp, const char *file, uint32_t pagesize, char *err,
        size_t errlen)
{
    int ret = db_create(dbp, env, 0);

    /* Small pages: measured against 16 and 32 KB with redis-benchmark
     * (random keys over 100k), they gave the fastest lookups, because a
     * binary search within a page misses the CPU cache at every step.
     * data.db uses 8 KB so that values up to about 2 KB still fit on the
     * leaf page: a larger item moves to an overflow page of its own. */
    if (ret == 0) ret = (*dbp)->set_pagesize(*dbp, pagesize);
    if (ret == 0) ret = (*dbp)->set_bt_compare(*dbp, key_compare);
    if (ret == 0)
        ret = (*dbp)->open(*dbp, NULL, file, NULL, DB_BTREE,
                           DB_CREATE | DB_AUTO_COMMIT, 0644);
    if (ret != 0) {
        snprintf(err, errlen, "opening %s: %s", file, db_strerror(ret));
        return DKV_ERR;
    }
    return DKV_OK;
}

int
store_open(const char *dir, long long cache_bytes, char *err, size_t errlen)
{
    int ret;
    uint32_t flags = DB_CREATE | DB_INIT_LOG | DB_INIT_MPOOL |
                     DB_INIT_TXN | DB_RECOVER | DB_PRIVATE;

    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "can't create dir %s: %s", dir, strerror(errno));
        return DKV_ERR;
    }
    if ((ret = db_env_create(&env, 0)) != 0) goto bdb_err;
    env->set_errcall(env, errcall);
    env->set_cachesize(env, (uint32_t)(cache_bytes >> 30),
                       (uint32_t)(cache_bytes & ((1 << 30) - 1)), 1);
    env->set_lg_bsize(env, STORE_LOG_BUFFER);
    env->set_lg_max(env, STORE_LOG_FILE_MAX);
    env->set_lk_max_locks(env, STORE_LOCKS);
    env->set_lk_max_objects(env, STORE_LOCKS);
    env->set_lk_max_lockers(env, 1000);
    /* Commits don't sync by themselves: store_commit() chooses per fsync
     * mode. Log files no longer needed for recovery are removed by BDB
     * itself after each checkpoint, which keeps the disk bounded. */
    env->set_flags(env, DB_TXN_NOSYNC, 1);
    env->log_set_config(env, DB_LOG_AUTO_REMOVE, 1);
    /* DB_PRIVATE: one process owns the environment; regions live in our
     * heap. DB_RECOVER runs normal recovery on every open, which is what
     * makes kill -9 safe. */
    if ((ret = env->open(env, dir, flags, 0)) != 0) goto bdb_err;
    if (open_db(&data_db, "data.db", DATA_PAGE_SIZE, err, errlen) != DKV_OK ||
        open_db(&index_db, "index.db", INDEX_PAGE_SIZE, err, errlen) !=
            DKV_OK ||
        open_db(&meta_db, "meta.db", INDEX_PAGE_SIZE, err, errlen) != DKV_OK)
        return DKV_ERR;
    buf_init(&keybuf);
    return DKV_OK;

bdb_err:
    snprintf(err, errlen, "Berkeley DB environment in %s: %s", dir,
             db_strerror(ret));
    if (env) env->close(env, 0);
    env = NULL;
    return DKV_ERR;
}

void
store_close(void)
{
    if (env == NULL) return;
    store_commit(FSYNC_ALWAYS);
    env->txn_checkpoint(env, 0, 0, DB_FORCE);
    if (data_db) data_db->close(data_db, 0);
    if (index_db) index_db->close(index_db, 0);
    if (meta_db) meta_db->close(meta_db, 0);
    env->close(env, 0);
    env = NULL;
    data_db = index_db = meta_db = NULL;
    buf_free(&keybuf);
}

/* ---- Batch (group commit) ------------------------------------------------ */

static DB_TXN *
batch_txn(void)
{
    int ret;

    if (batch == NULL) {
        if ((ret = env->txn_begin(env, NULL, &batch, 0)) != 0) {
            fail(ret, "txn_begin");
            dkv_panic("cannot begin a transaction: %s", db_strerror(ret));
        }
    }
    return batch;
}

static void pos_close(void);

int
store_commit(enum fsync_mode mode)
{
    long n = batch_writes;
    int ret;

    if (batch == NULL) return 0;
    pos_close();
    /* always: the log is on disk before any reply leaves (group commit).
     * Otherwise the log reaches the OS now (a process crash loses
     * nothing) and disk later. */
    ret = batch->commit(batch, mode == FSYNC_ALWAYS ? DB_TXN_SYNC
                                                   : DB_TXN_WRITE_NOSYNC);
    batch = NULL;
    batch_writes = 0;
    if (ret != 0) {
        /* Replies for these writes have not been sent; stopping here is
         * the only way not to acknowledge what is not stored. */
        fail(ret, "commit");
        dkv_panic("cannot commit to the store: %s", db_strerror(ret));
    }
    stats.commits++;
    if (mode == FSYNC_ALWAYS) {
        stats.syncs++;
        stats.last_sync_ms = mstime();
    }
    return (int)n;
}

int
store_sync(void)
{
    int ret = env->log_flush(env, NULL);

    if (ret != 0) return fail(ret, "log_flush");
    stats.syncs++;
    stats.last_sync_ms = mstime();
    return DKV_OK;
}

long
store_pending(void)
{
    return batch_writes;
}

static void
count_write(void)
{
    batch_writes++;
}

void
store_cron(void)
{
    int ret;

    if (env == NULL || batch != NULL) return;
    ret = env->txn_checkpoint(env, STORE_CKP_KBYTES, STORE_CKP_MINUTES, 0);
    if (ret != 0) {
        fail(ret, "checkpoint");
        return;
    }
    stats.checkpoints++;
    stats.last_checkpoint_ms = mstime();
}

const struct store_stats *
store_get_stats(void)
{
    return &stats;
}

/* ---- Records ------------------------------------------------------------- */

static void
data_key(DBT *k, uint64_t hash, const void *key, size_t klen)
{
    buf_reset(&keybuf);
    buf_reserve(&keybuf, 8 + klen);
    be64((unsigned char *)keybuf.p, hash);
    memcpy(keybuf.p + 8, key, klen);
    keybuf.len = 8 + klen;
    memset(k, 0, sizeof(*k));
    k->data = keybuf.p;
    k->size = (uint32_t)keybuf.len;
}

/* Reads k's record into out, growing it as needed: through cur (left on
 * the record) when given, else through db. */
static int
read_record(DB *db, DBC *cur, DBT *k, struct buf *out)
{
    DBT v;
    int ret;

    buf_reserve(out, 256);
    for (int tries = 0; tries < 2; tries++) {
        memset(&v, 0, sizeof(v));
        v.data = out->p;
        v.ulen = (uint32_t)out->cap;
        v.flags = DB_DBT_USERMEM;
        ret = cur ? cur->get(cur, k, &v, DB_SET) : db->get(db, batch, k, &v, 0);
        if (ret == DB_BUFFER_SMALL) {
            buf_reserve(out, v.size);
            continue;
        }
        if (ret == DB_NOTFOUND) return STORE_NOTFOUND;
        if (ret != 0) return fail(ret, "get");
        out->len = v.size;
        return DKV_OK;
    }
    return fail(DB_BUFFER_SMALL, "get");
}

/* A read-modify-write (load a key's set, store its new set) would search
 * the btree twice. Inside a batch, reads go through one cursor that stays
 * on the record found, and a write of that same key right after replaces
 * it in place (DB_CURRENT) without searching again. Any other write to
 * data forgets the position; the cursor closes before every commit. */
static DBC *poscur;
static struct buf poskey;
static int pos_valid;

static void
pos_close(void)
{
    if (poscur) poscur->close(poscur);
    poscur = NULL;
    pos_valid = 0;
}

static int
read_positioned(DBT *k, struct buf *out)
{
    int ret;

    pos_valid = 0;
    if (poscur == NULL &&
        (ret = data_db->cursor(data_db, batch, &poscur, 0)) != 0)
        return fail(ret, "cursor");
    ret = read_record(data_db, poscur, k, out);
    if (ret == DKV_OK) {
        buf_reset(&poskey);
        buf_append(&poskey, k->data, k->size);
        pos_valid = 1;
    }
    return ret;
}

int
store_get(uint64_t hash, const void *key, size_t klen, struct buf *out)
{
    DBT k;

    data_key(&k, hash, key, klen);
    buf_reset(out);
    if (batch) return read_positioned(&k, out);
    return read_record(data_db, NULL, &k, out);
}

int
store_put(uint64_t hash, const void *key, size_t klen, const void *val,
          size_t vlen)
{
    DBT k, v;
    DB_TXN *txn = batch_txn();
    int ret;

    data_key(&k, hash, key, klen);
    memset(&v, 0, sizeof(v));
    v.data = (void *)val;
    v.size = (uint32_t)vlen;
    if (pos_valid && poskey.len == keybuf.len &&
        memcmp(poskey.p, keybuf.p, keybuf.len) == 0) {
        /* The record the last read found: replace it where it is. */
        ret = val ? poscur->put(poscur, &k, &v, DB_CURRENT)
                  : poscur->del(poscur, 0);
        pos_valid = val != NULL;
    } else if (val == NULL) {
        pos_valid = 0;
        ret = data_db->del(data_db, txn, &k, 0);
        if (ret == DB_NOTFOUND) ret = 0;
    } else {
        pos_valid = 0;
        ret = data_db->put(data_db, txn, &k, &v, 0);
    }
    if (ret != 0) return fail(ret, val ? "put" : "del");
    count_write();
    return DKV_OK;
}

static void
index_key(struct buf *b, enum store_index idx, int64_t at, uint64_t hash,
          const void *key, size_t klen)
{
    buf_reset(b);
    buf_reserve(b, IDX_KEY_PREFIX + klen);
    b->p[0] = (char)idx;
    be64((unsigned char *)b->p + 1, (uint64_t)at);
    be64((unsigned char *)b->p + 9, hash);
    memcpy(b->p + IDX_KEY_PREFIX, key, klen);
    b->len = IDX_KEY_PREFIX + klen;
}

int
store_index_set(enum store_index idx, uint64_t hash, const void *key,
                size_t klen, int64_t old_at, int64_t new_at)
{
    DB_TXN *txn;
    DBT k, v;
    int ret;

    if (old_at == new_at) return DKV_OK;
    txn = batch_txn();
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    if (old_at) {
        index_key(&keybuf, idx, old_at, hash, key, klen);
        k.data = keybuf.p;
        k.size = (uint32_t)keybuf.len;
        ret = index_db->del(index_db, txn, &k, 0);
        if (ret != 0 && ret != DB_NOTFOUND) return fail(ret, "index del");
    }
    if (new_at) {
        index_key(&keybuf, idx, new_at, hash, key, klen);
        k.data = keybuf.p;
        k.size = (uint32_t)keybuf.len;
        ret = index_db->put(index_db, txn, &k, &v, 0);
        if (ret != 0) return fail(ret, "index put");
    }
    count_write();
    return DKV_OK;
}

int
store_truncate(void)
{
    DB_TXN *txn = batch_txn();
    uint32_t count;
    int ret;

    pos_close();  /* truncate refuses while a cursor is open */
    if ((ret = data_db->truncate(data_db, txn, &count, 0)) != 0)
        return fail(ret, "truncate");
    if ((ret = index_db->truncate(index_db, txn, &count, 0)) != 0)
        return fail(ret, "truncate");
    count_write();
    return DKV_OK;
}

/* ---- Walks --------------------------------------------------------------- */

int
store_scan(uint64_t from, long max, store_scan_fn fn, void *priv,
           uint64_t *next)
{
    DBC *cur;
    DBT k, v;
    unsigned char start[8];
    long seen = 0;
    int have_last = 0;
    uint64_t last = 0;
    int ret, flag = DB_SET_RANGE;

    *next = 0;
    if ((ret = data_db->cursor(data_db, batch, &cur, 0)) != 0)
        return fail(ret, "cursor");
    be64(start, from);
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    k.data = start;
    k.size = 8;
    while ((ret = cur->get(cur, &k, &v, flag)) == 0) {
        uint64_t h;

        flag = DB_NEXT;
        if (k.size < 8) continue;  /* not ours; never written by us */
        h = get_be64(k.data);
        /* Stop only on a hash boundary so a cursor never splits records
         * that share a position. */
        if (seen >= max && have_last && h != last) {
            *next = h;
            break;
        }
        seen++;
        have_last = 1;
        last = h;
        if (fn(priv, h, (char *)k.data + 8, k.size - 8, v.data, v.size)) {
            *next = last + 1;  /* 0 (the end) if last was the top */
            ret = 0;
            break;
        }
    }
    cur->close(cur);
    if (ret != 0 && ret != DB_NOTFOUND) return fail(ret, "scan");
    return DKV_OK;
}

/* One due index entry, copied out of the cursor. */
struct due_entry {
    int64_t at;
    uint64_t hash;
    size_t klen;
    char *key;
};

/* Entries of idx with from <= at <= upto (as unsigned numbers when
 * is_unsigned: hint owners are node ids), oldest first. */
static long
index_walk(enum store_index idx, uint64_t from, uint64_t upto,
           int is_unsigned, long max, store_index_fn fn, void *priv)
{
    DBC *cur;
    DBT k, v;
    unsigned char start[9];
    struct due_entry *due;
    long n = 0;
    int ret, flag = DB_SET_RANGE;

    if (max <= 0) return 0;
    if ((ret = index_db->cursor(index_db, batch, &cur, 0)) != 0)
        return fail(ret, "cursor");
    due = xmalloc(sizeof(*due) * max);
    start[0] = (unsigned char)idx;
    be64(start + 1, from);
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    k.data = start;
    k.size = is_unsigned ? 9 : 1;
    while (n < max && (ret = cur->get(cur, &k, &v, flag)) == 0) {
        const unsigned char *p = k.data;
        uint64_t raw;
        int64_t at;

        flag = DB_NEXT;
        if (k.size < IDX_KEY_PREFIX || p[0] != idx) break;
        raw = get_be64(p + 1);
        at = (int64_t)raw;
        if (is_unsigned ? raw > upto : at > (int64_t)upto) break;
        due[n].at = at;
        due[n].hash = get_be64(p + 9);
        due[n].klen = k.size - IDX_KEY_PREFIX;
        due[n].key = xmemdup(p + IDX_KEY_PREFIX, due[n].klen);
        n++;
    }
    cur->close(cur);
    /* Call back only after the cursor is closed: the callbacks rewrite
     * the very entries we walked. */
    for (long i = 0; i < n; i++) {
        if (fn(priv, due[i].at, due[i].hash, due[i].key, due[i].klen)) {
            for (long j = i; j < n; j++) free(due[j].key);
            n = i + 1;
            break;
        }
        free(due[i].key);
    }
    free(due);
    if (ret != 0 && ret != DB_NOTFOUND) return fail(ret, "index scan");
    return n;
}

long
store_index_scan(enum store_index idx, int64_t upto, long max,
                 store_index_fn fn, void *priv)
{
    return index_walk(idx, 0, (uint64_t)upto, 0, max, fn, priv);
}

long
store_index_range(enum store_index idx, uint64_t from, uint64_t upto,
                  long max, store_index_fn fn, void *priv)
{
    return index_walk(idx, from, upto, 1, max, fn, priv);
}

int
store_index_has(enum store_index idx, uint64_t at, uint64_t hash,
                const void *key, size_t klen)
{
    DBT k, v;
    int ret;

    index_key(&keybuf, idx, (int64_t)at, hash, key, klen);
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    k.data = keybuf.p;
    k.size = (uint32_t)keybuf.len;
    v.flags = DB_DBT_PARTIAL;  /* existence only */
    ret = index_db->get(index_db, batch, &k, &v, 0);
    if (ret == DB_NOTFOUND) return 0;
    if (ret != 0) return fail(ret, "index get");
    return 1;
}

/* Entries of idx (all of them: startup counts). */
long
store_index_count(enum store_index idx)
{
    DBC *cur;
    DBT k, v;
    unsigned char start[1] = { (unsigned char)idx };
    long n = 0;
    int ret, flag = DB_SET_RANGE;

    if ((ret = index_db->cursor(index_db, batch, &cur, 0)) != 0)
        return fail(ret, "cursor");
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    k.data = start;
    k.size = 1;
    v.flags = DB_DBT_PARTIAL;
    while ((ret = cur->get(cur, &k, &v, flag)) == 0) {
        flag = DB_NEXT;
        if (k.size < 1 || ((unsigned char *)k.data)[0] != idx) break;
        n++;
    }
    cur->close(cur);
    return n;
}

/* ---- Meta ---------------------------------------------------------------- */

int
store_meta_get(const char *name, struct buf *out)
{
    DBT k;

    memset(&k, 0, sizeof(k));
    k.data = (void *)name;
    k.size = (uint32_t)strlen(name);
    buf_reset(out);
    return read_record(meta_db, NULL, &k, out);
}

int
store_meta_put(const char *name, const void *val, size_t len)
{
    DBT k, v;
    int ret;

    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    k.data = (void *)name;
    k.size = (uint32_t)strlen(name);
    v.data = (void *)val;
    v.size = (uint32_t)len;
    if ((ret = meta_db->put(meta_db, batch_txn(), &k, &v, 0)) != 0)
        return fail(ret, "meta put");
    count_write();
    return DKV_OK;
}

/* Large batches hold many page locks; a caller writing in a loop (FLUSHALL
 * of a huge keyspace, a long sweep) commits early through this. */
int
store_batch_full(void)
{
    return batch_writes >= STORE_BATCH_MAX;
}

/* Multi-key requests: commands flagged CMD_MULTIKEY (RENAME, RENAMENX,
 * COPY, MOVE, and any later command that reads or writes several keys
 * with one answer) coordinated across the ring with their ordinary
 * single-node handler.
 *
 * DESIGN
 * ------
 * The keys are those of the command's table row (first/last/step) plus
 * those its more_keys function finds in its options (COPY ... DB n,
 * MOVE's target), each in its stored form, duplicates removed. Then:
 *
 *   READ    one child request per key, an ordinary coordinated read
 *           (coord.c: quorum R, version sets merged, read repair after)
 *           whose merged set is captured instead of running a command.
 *   EXECUTE once every read answered, the handler runs against those
 *           merged sets (db.h's overlays, one per key): loads of the keys
 *           return them, its puts are recorded, nothing is stored here.
 *           Any other key is refused (a wrong key row fails loudly).
 *   WRITE   each key the handler put becomes an ordinary coordinated
 *           single-key write: `SET key value [PXAT at] CONTEXT c` or
 *           `DKV.DEL key CONTEXT c`, c being the context of the key's set
 *           as read, so the write supersedes exactly what the handler
 *           saw and anything written meanwhile stays a sibling. As for
 *           every write, a node that is not a replica of a key forwards
 *           it to one (coord.c: a version is only ever named after a
 *           node that holds the key). Values are written first; the
 *           tombstones (RENAME's and MOVE's source) only once every value
 *           reached W, so a failure never leaves the data nowhere.
 *   ANSWER  the handler's reply once every write reached W; otherwise the
 *           first error (NOQUORUM ...): then some of the writes may have
 *           happened (the destination written, the source not yet
 *           deleted), as for any write that missed W.
 *
 * The pair is not atomic: a reader through another node between the two
 * writes can see both keys (or, for COPY REPLACE, the old destination),
 * and concurrent writers to either key follow the usual rules. */
#include <stdlib.h>
#include <string.h>

#include "coord.h"
#include "coord_int.h"
#include "client.h"
#include "commands.h"
#include "db.h"
#include "version.h"

static void multikey_execute(struct creq *p);
static void multikey_begin(struct creq *r);
static void children_more(struct creq *p);
static struct creq *write_child(struct creq *p, int n, int i,
                                const struct version *v, int stage);

#define MULTIKEY_WINDOW 512  /* children in flight (see children_more) */
static void multikey_writes(struct creq *p);

/* Appends key (u32 length + bytes) to r->keys; duplicates go once the
 * list is complete (index_keys). */
static void
add_key(struct creq *r, const char *key, size_t klen)
{
    uint32_t l = (uint32_t)klen;

    buf_append(&r->keys, &l, sizeof(l));
    buf_append(&r->keys, key, klen);
}

static const char *sort_base;  /* qsort has no context argument */

static int
key_cmp(const void *a, const void *b)
{
    size_t oa = *(const size_t *)a, ob = *(const size_t *)b;
    uint32_t la, lb;
    int c;

    memcpy(&la, sort_base + oa, sizeof(la));
    memcpy(&lb, sort_base + ob, sizeof(lb));
    c = memcmp(sort_base + oa + sizeof(la), sort_base + ob + sizeof(lb),
               la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* Sorts r->keys' offsets and drops duplicates: r->koff[i] is key i
 * (a transaction may name a key many times; no quadratic search). */
static void
index_keys(struct creq *r)
{
    size_t off = 0, n = 0, cap = 16;
    size_t *koff = xmalloc(sizeof(size_t) * cap);

    while (off < r->keys.len) {
        uint32_t l;
        if (n == cap) koff = xrealloc(koff, sizeof(size_t) * (cap *= 2));
        koff[n++] = off;
        memcpy(&l, r->keys.p + off, sizeof(l));
        off += sizeof(l) + l;
    }
    sort_base = r->keys.p;
    if (n > 1) qsort(koff, n, sizeof(size_t), key_cmp);
    r->nkeys = 0;
    for (size_t i = 0; i < n; i++)
        if (r->nkeys == 0 || key_cmp(&koff[r->nkeys - 1], &koff[i]) != 0)
            koff[r->nkeys++] = koff[i];
    r->koff = koff;
}

/* The i-th key of r->keys. */
static const char *
key_at(const struct creq *r, int i, size_t *klen)
{
    uint32_t l;

    memcpy(&l, r->keys.p + r->koff[i], sizeof(l));
    *klen = l;
    return r->keys.p + r->koff[i] + sizeof(l);
}

static void
collect_keys(struct creq *r)
{
    const struct command *cmd = r->cmd;
    int last = command_last_key(cmd, r->argc);
    struct buf more;
    size_t off = 0;

    for (int i = cmd->first_key; i <= last; i += cmd->key_step)
        add_key(r, r->argv[i], r->argvlen[i]);
    if (cmd->more_keys == NULL) return;
    buf_init(&more);
    cmd->more_keys(r->argc, r->argv, r->argvlen, &more);
    while (off < more.len) {
        uint32_t l;
        memcpy(&l, more.p + off, sizeof(l));
        off += sizeof(l);
        add_key(r, more.p + off, l);
        off += l;
    }
    buf_free(&more);
}

/* Resets the children's bookkeeping for n children. */
static void
children_reset(struct creq *p, int n)
{
    for (int i = 0; i < p->nchild; i++) buf_free(&p->child_reply[i]);
    free(p->child_reply);
    p->nchild = n;
    p->ndone = 0;
    p->nstarted = 0;
    p->child_reply = xcalloc(n ? n : 1, sizeof(struct buf));
}

/* ---- Key locks -----------------------------------------------------------
 * A multi-key request holds every one of its keys on this node from its
 * reads until its writes reached W: two transactions (or RENAMEs) through
 * the same node on a common key run one after the other, so the second
 * reads what the first wrote (EXEC's WATCH check then sees the change),
 * and a single-key request this node coordinates on one of those keys
 * waits too (key_start), so nothing lands between a transaction's read
 * and its write. All or none are taken, so two multi-key requests never
 * wait on each other; a request already under way when the locks were
 * taken is not waited for (its write then is a sibling). */
#define TXLOCK_BUCKETS 4096

struct txlock {
    struct txlock *next;
    const char *key;        /* into the holder's keys */
    size_t klen;
    struct creq *holder;
};

static struct txlock *txlocks[TXLOCK_BUCKETS];
static long ntxlocks;       /* held now: none, no lookup at all */
static struct creq *txwait_head, *txwait_tail;
static int txwait_retry;    /* a lock was released: try the waiters */

static struct txlock **
txlock_find(const char *key, size_t klen)
{
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a */
    struct txlock **lp;

    for (size_t i = 0; i < klen; i++)
        h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
    lp = &txlocks[h % TXLOCK_BUCKETS];
    while (*lp && !((*lp)->klen == klen && memcmp((*lp)->key, key, klen) == 0))
        lp = &(*lp)->next;
    return lp;
}

static int
tx_lock_all(struct creq *r)
{
    for (int i = 0; i < r->nkeys; i++) {
        size_t klen;
        const char *key = key_at(r, i, &klen);
        if (*txlock_find(key, klen) != NULL) return 0;
    }
    for (int i = 0; i < r->nkeys; i++) {
        struct txlock *l = xcalloc(1, sizeof(*l));
        struct txlock **lp;
        l->key = key_at(r, i, &l->klen);
        l->holder = r;
        lp = txlock_find(l->key, l->klen);
        *lp = l;
        ntxlocks++;
    }
    r->txlocked = 1;
    return 1;
}

void
multikey_unlock(struct creq *r)
{
    if (!r->txlocked) return;
    for (int i = 0; i < r->nkeys; i++) {
        size_t klen;
        const char *key = key_at(r, i, &klen);
        struct txlock **lp = txlock_find(key, klen), *l = *lp;
        if (l && l->holder == r) {
            *lp = l->next;
            free(l);
            ntxlocks--;
        }
    }
    r->txlocked = 0;
    if (txwait_head) txwait_retry = 1;
}

static void
wait_for_locks(struct creq *r)
{
    r->tx_next = NULL;
    if (txwait_tail) txwait_tail->tx_next = r;
    else txwait_head = r;
    txwait_tail = r;
}

/* 1 if r's key is held by a multi-key request other than r's own. */
static int
held_by_other(struct creq *r)
{
    struct txlock *l;
    struct creq *top = r;

    if (ntxlocks == 0) return 0;
    l = *txlock_find(CREQ_KEY(r), CREQ_KEYLEN(r));
    if (l == NULL) return 0;
    while (top->parent) top = top->parent;
    return l->holder != top;
}

int
multikey_key_busy(struct creq *r)
{
    if (!held_by_other(r)) return 0;
    wait_for_locks(r);
    return 1;
}

void
multikey_run_waiting(void)
{
    while (txwait_retry) {
        struct creq **pp = &txwait_head, *prev = NULL;

        txwait_retry = 0;
        while (*pp) {
            struct creq *r = *pp;
            if (r->kind == CR_KEY ? held_by_other(r) : !tx_lock_all(r)) {
                prev = r;
                pp = &r->tx_next;
                continue;
            }
            *pp = r->tx_next;
            if (txwait_tail == r) txwait_tail = prev;
            r->tx_next = NULL;
            if (r->kind == CR_KEY) key_start(r);
            else multikey_begin(r);
        }
    }
}

int
multikey_start(struct client *c, const struct command *cmd)
{
    return multikey_start_keys(c, cmd, NULL);
}

int
multikey_start_keys(struct client *c, const struct command *cmd,
                    const struct buf *keys)
{
    struct creq *r = creq_new(CR_MULTIKEY, cmd, c->argc, c->argv,
                              c->argvlen);

    r->c = c;
    r->resp = c->resp;
    buf_init(&r->keys);
    buf_init(&r->hreply);
    if (keys) buf_append(&r->keys, keys->p, keys->len);
    else collect_keys(r);
    index_keys(r);
    enqueue(c, r);
    if (!tx_lock_all(r)) {
        /* Another multi-key request of this node holds one of the keys:
         * this one starts when it is done (multikey_run_waiting). */
        wait_for_locks(r);
        return 1;
    }
    multikey_begin(r);
    return 1;
}

/* The reads: one child per key. */
static void
multikey_begin(struct creq *r)
{
    r->ksets = xcalloc(r->nkeys ? r->nkeys : 1, sizeof(struct vset));
    for (int i = 0; i < r->nkeys; i++) vset_init(&r->ksets[i]);
    children_reset(r, r->nkeys);
    if (r->nkeys == 0) multikey_execute(r);
    else children_more(r);
}

/* The current stage's child k: stage 0 reads key k; stages 1 and 2
 * write the next key with a put of that stage (fan_first is the cursor
 * over the keys). */
static struct creq *
multikey_child(struct creq *p, int k)
{
    if (p->stage == 0) {
        char *argv[2] = { "get", NULL };
        size_t argvlen[2] = { 3, 0 };
        struct creq *kid;
        argv[1] = (char *)key_at(p, k, &argvlen[1]);
        kid = creq_child(p, k, command_lookup("get", 3), 2, argv, argvlen);
        kid->capture = &p->ksets[k];
        return kid;
    }
    while (p->fan_first < p->nkeys) {
        int i = p->fan_first++;
        if (p->kput[i]) {
            struct creq *kid = write_child(p, k, i, &p->kputs[i], p->stage);
            if (kid) return kid;
        }
    }
    return NULL;  /* never: nchild counted them */
}

/* At most MULTIKEY_WINDOW children in flight: a transaction may name
 * 10^5 keys, and all at once would overrun the peer links. */
static void
children_more(struct creq *p)
{
    children_window(p, MULTIKEY_WINDOW, multikey_child);
}

/* The first error among the children's replies, or NULL. */
static const struct buf *
first_error(const struct creq *p)
{
    for (int i = 0; i < p->nchild; i++)
        if (p->child_reply[i].len && p->child_reply[i].p[0] == '-')
            return &p->child_reply[i];
    return NULL;
}

static void
finish_with(struct creq *p, const struct buf *reply)
{
    buf_reset(&p->reply);
    buf_append(&p->reply, reply->p, reply->len);
    answer(p);
    finish(p);
}

/* Builds the write child for a recorded put of key i (stage 1: values,
 * stage 2: tombstones); NULL when it belongs to the other stage. */
static struct creq *
write_child(struct creq *p, int n, int i, const struct version *v,
            int stage)
{
    struct vclock ctx;
    struct buf enc, at, val;
    char *argv[7];  /* set key value pxat at context ctx */
    size_t argvlen[7];
    int argc = 0;
    struct creq *k;

    if ((v->kind == VERSION_TOMBSTONE) != (stage == 2)) return NULL;
    vclock_init(&ctx);
    vset_context(&p->ksets[i], &ctx);
    buf_init(&enc);
    context_encode(&ctx, &enc);
    buf_put_u8(&enc, 0);
    buf_init(&at);
    buf_init(&val);
    argv[argc] = v->kind == VERSION_TOMBSTONE ? "dkv.del" : "set";
    argvlen[argc] = strlen(argv[argc]);
    argc++;
    argv[argc] = (char *)key_at(p, i, &argvlen[argc]);
    argc++;
    if (v->kind == VERSION_COUNTER) {
        /* A counter the handler moved (INCR in a transaction, RENAME of
         * a counter) is written as its value: the write supersedes what
         * was read, like any other of these. */
        long long cur = 0;
        char num[32];
        version_counter_value(v, &cur);
        argvlen[argc] = ll2string(num, sizeof(num), cur);
        buf_append(&val, num, argvlen[argc]);
        buf_put_u8(&val, 0);
        argv[argc++] = val.p;
    } else if (v->kind != VERSION_TOMBSTONE) {
        argv[argc] = v->val ? v->val : "";
        argvlen[argc++] = v->len;
    }
    if (v->kind != VERSION_TOMBSTONE) {
        if (v->expire_ms) {
            char num[32];
            int len = ll2string(num, sizeof(num), v->expire_ms);
            buf_append(&at, num, len);
            buf_put_u8(&at, 0);
            argv[argc] = "pxat";
            argvlen[argc++] = 4;
            argv[argc] = at.p;
            argvlen[argc++] = len;
        }
    }
    argv[argc] = "context";
    argvlen[argc++] = 7;
    argv[argc] = enc.p;
    argvlen[argc++] = enc.len - 1;
    k = creq_child(p, n, command_lookup(argv[0], argvlen[0]), argc, argv,
                   argvlen);
    buf_free(&at);
    buf_free(&val);
    buf_free(&enc);
    vclock_free(&ctx);
    return k;
}

/* Runs the handler over copies of the sets as read (the sets themselves
 * stay as read: each write's context), then starts the writes. */
static void
multikey_execute(struct creq *p)
{
    struct client *c = creq_client(p);
    int n = p->nkeys;
    struct db_overlay *ov;
    struct vset *work;

    if (c == NULL) {
        finish(p);  /* nobody to answer: start no write */
        return;
    }
    ov = xcalloc(n ? n : 1, sizeof(*ov));
    work = xcalloc(n ? n : 1, sizeof(*work));
    for (int i = 0; i < n; i++) {
        vset_init(&work[i]);
        vset_copy(&work[i], &p->ksets[i]);
        ov[i].key = key_at(p, i, &ov[i].klen);
        ov[i].set = &work[i];
    }
    db_overlay_begin(ov, n, 1);
    run_handler(p, c);
    db_overlay_end();
    buf_free(&p->hreply);
    p->hreply = p->reply;
    buf_init(&p->reply);
    p->kputs = xcalloc(n ? n : 1, sizeof(struct version));
    p->kput = xcalloc(n ? n : 1, 1);
    for (int i = 0; i < n; i++) {
        version_init(&p->kputs[i]);
        if (ov[i].put) {
            p->kputs[i] = ov[i].putv;
            p->kput[i] = 1;
        }
        vset_free(&work[i]);
    }
    free(work);
    free(ov);
    p->stage = 1;
    multikey_writes(p);
}

/* Starts the current stage's writes (1: values, 2: tombstones); a stage
 * with none moves on, and after stage 2 the handler's reply goes out. */
static void
multikey_writes(struct creq *p)
{
    while (p->stage <= 2) {
        int n = 0;

        for (int i = 0; i < p->nkeys; i++)
            if (p->kput[i] && (p->kputs[i].kind == VERSION_TOMBSTONE) ==
                              (p->stage == 2))
                n++;
        if (n > 0) {
            children_reset(p, n);
            p->fan_first = 0;
            children_more(p);
            return;
        }
        p->stage++;
    }
    finish_with(p, &p->hreply);
}

void
multikey_child_done(struct creq *p, int i, const struct buf *reply)
{
    const struct buf *err;

    buf_reset(&p->child_reply[i]);
    buf_append(&p->child_reply[i], reply->p, reply->len);
    if (++p->ndone < p->nchild) {
        children_more(p);
        return;
    }
    if ((err = first_error(p)) != NULL) {
        finish_with(p, err);
        return;
    }
    if (p->stage == 0) {
        multikey_execute(p);
        return;
    }
    p->stage++;
    multikey_writes(p);
}

void
multikey_free(struct creq *r)
{
    multikey_unlock(r);
    buf_free(&r->keys);
    buf_free(&r->hreply);
    for (int i = 0; r->ksets && i < r->nkeys; i++) vset_free(&r->ksets[i]);
    for (int i = 0; r->kputs && i < r->nkeys; i++)
        if (r->kput[i]) version_free(&r->kputs[i]);
    free(r->ksets);
    free(r->koff);
    free(r->kputs);
    free(r->kput);
}

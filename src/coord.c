/* The coordinator: keyspace commands across the ring (see coord.h).
 *
 * DESIGN
 * ------
 * A single-key command becomes a request (struct creq) over the key's
 * preference list of N replicas, R and W capped at N:
 *
 *   READ    ask every replica for the key's version set (DKV.GETV; the
 *           local store directly when this node is one) and merge the
 *           answers by clock. Continue once R answered. Skipped for a
 *           blind write (SET/SETEX/PSETEX without NX/XX/GET/KEEPTTL) when
 *           this node is a replica: its own set is the context, as in
 *           Dynamo, and two such writes through two coordinators are two
 *           siblings.
 *   EXECUTE run the ordinary command handler against the merged set
 *           (db.h's overlay): one implementation of every command's
 *           semantics, single node or cluster. A write leaves the new set
 *           in the overlay; it is stored locally for real when this node
 *           is a replica.
 *   WRITE   send the new set to the other replicas (DKV.PUTV, merged by
 *           clock there) and answer after W acknowledgements, the local
 *           store counting as one. A replica acknowledges only after its
 *           own commit, so W acks mean W durable copies (per `fsync`).
 *   LINGER  after the answer, wait (until request-timeout) for the
 *           replicas that have not answered, then read repair: every
 *           replica whose set lacked something of the merged set gets it.
 *
 * A node that is not a replica coordinates a read the same way, reading
 * from the replicas. A write it forwards (DKV.FWD) to the first target
 * that answers its read, which coordinates it: the actor of a new
 * version's dot must be a node whose store holds every version of the
 * key that actor wrote and nothing has superseded yet. A clock entry
 * "a:n" covers every dot of a up to n; had a non-replica written "a:n"
 * from a read that missed its own earlier "a:m" (sloppy reads during
 * failures), a later write seeing "a:n" would silently cover "a:m", a
 * write it never saw (found by utils/dkv-torture). Forwarding to whoever
 * answered first, not to a fixed replica, keeps a stopped node that is
 * not yet known down from holding writes up.
 *
 * A client's pipeline keeps its order: while requests of it are in flight,
 * the next command may start only if it is another single-key command on
 * a key none of them touches (commands on different keys commute), up to
 * COORD_MAX_INFLIGHT; anything else waits (net.c holds it) until they are
 * answered. Replies are sent in request order whatever order the
 * replicas answer in. If the client disconnects, its requests still
 * complete their writes and repairs, without a reply.
 *
 * A request that misses its quorum within request-timeout gets
 * "-NOQUORUM <answered> of <needed> replicas answered". A write that
 * missed W may still have reached some replicas (Dynamo's semantics: the
 * client should read and retry).
 *
 * MGET, MSET, MSETNX, DEL, UNLINK and EXISTS fan out: one child request
 * per key (GET / SET / EXISTS / DEL), the parent assembles the answers.
 * Commands flagged CMD_MULTIKEY (RENAME, COPY, MOVE) read each key they
 * name, run their handler on what was read and write each key it changed
 * as its own single-key write (coord_multikey.c).
 * SCAN, KEYS, DBSIZE and FLUSHALL go to the nodes that hold the data:
 * SCAN's cursor names a ring position, so it survives ring changes; each
 * partition is read from R replicas and what they list is reconciled
 * (coord_list.c), so a replica that missed a DEL never lists the key;
 * DBSIZE adds per-partition counts where those replicas agree.
 *
 * Lifetime: a request holds one reference for itself plus one per peer
 * call in flight (the peer always calls back, with NULL if the link
 * fails); it is freed when the last goes, never under a callback.
 *
 * Peer commands (replica side, peer connections only):
 *   DKV.FWD <resp> <rq> <wq> <command> <key> [arg ...]
 *                               -> bulk <the command's reply, in RESP
 *                                  <resp>>: coordinate it here; rq/wq are
 *                                  the client's quorums, 0 = ours. Sent on
 *                                  its own link (peer_lane 1).
 *   DKV.GETV <key>              -> bulk <encoded version set> | nil
 *   DKV.PUTV <key> <set> [HINT <owner-id-hex>]
 *                               -> :1 if the set changed here, :0 if not;
 *                                  with HINT the receiver stands in for
 *                                  owner and hands the key over later
 *   DKV.SCANP <db> <pattern> <from> <end> <count> [<mask>]
 *                               -> [<next position>, [key, ...]], live
 *                                  keys of database db in [from, end),
 *                                  as the client names them (keyspace.h);
 *                                  next 0 = done. mask: hex bitmap of the
 *                                  partitions to list (KEYS)
 *   DKV.COUNTP <db>             -> [[count per partition], <roots>]:
 *                                  live keys of database db, and every
 *                                  partition's Merkle root (u64 each)
 *   DKV.FLUSHP [<db>]           -> +OK after removing every local key (of
 *                                  database db only, when given)
 *   (positions are decimal u64; end 0 = the top of the ring; a version
 *   set is version.h's binary encoding.) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <event2/event.h>
#include <hiredis/hiredis.h>

#include "coord.h"
#include "coord_int.h"
#include "client.h"
#include "cluster.h"
#include "commands.h"
#include "db.h"
#include "handoff.h"
#include "keyspace.h"
#include "log.h"
#include "merkle.h"
#include "peer.h"
#include "server.h"
#include "t_multi.h"
#include "t_string.h"
#include "wait.h"
#include "version.h"
#include "latency.h"

struct coord_stats stats;

static void child_done(struct creq *parent, int i, const struct buf *reply);

/* ---- Request lifetime ---------------------------------------------------- */

struct creq *
creq_new(enum creq_kind kind, const struct command *cmd, int argc,
         char **argv, const size_t *argvlen)
{
    struct creq *r = xcalloc(1, sizeof(*r));
    size_t total = 0;
    char *bytes;

    r->refs = 1;
    r->kind = kind;
    r->cmd = cmd;
    r->argc = argc;
    /* OBJECT ENCODING key, MEMORY USAGE key: the key after a subcommand. */
    r->key_at = cmd && cmd->first_key > 1 && cmd->first_key < argc
                ? cmd->first_key : 1;
    /* One block for every argument's bytes: a fan-out of 10^6 keys is
     * one allocation and one free, not a million of each. */
    r->argv = xmalloc(sizeof(char *) * (argc ? argc : 1));
    r->argvlen = xmalloc(sizeof(size_t) * (argc ? argc : 1));
    for (int i = 0; i < argc; i++) total += argvlen[i] + 1;
    bytes = argc ? xmalloc(total) : NULL;
    for (int i = 0; i < argc; i++) {
        r->argv[i] = bytes;
        memcpy(bytes, argv[i], argvlen[i]);
        bytes[argvlen[i]] = '\0';
        bytes += argvlen[i] + 1;
        r->argvlen[i] = argvlen[i];
    }
    buf_init(&r->reply);
    buf_init(&r->ref_enc);
    buf_init(&r->put_enc);
    r->ref = -1;
    vset_init(&r->merged);
    for (int i = 0; i < MAX_REP; i++) vset_init(&r->rset[i]);
    stats.inflight++;
    return r;
}

static void
creq_free(struct creq *r)
{
    if (r->argc > 0) free(r->argv[0]);  /* the block of them all */
    free(r->argv);
    free(r->argvlen);
    buf_free(&r->reply);
    buf_free(&r->ref_enc);
    buf_free(&r->put_enc);
    vset_free(&r->merged);
    if (r->kind == CR_MULTIKEY) multikey_free(r);
    for (int i = 0; i < MAX_REP; i++) vset_free(&r->rset[i]);
    buf_free(&r->fan_arena);
    buf_free(&r->fan_err);
    free(r->fan_off);
    free(r->fan_len);
    if (r->child_reply) {
        for (int i = 0; i < r->nchild; i++) buf_free(&r->child_reply[i]);
        free(r->child_reply);
    }
    for (int i = 0; r->mcounts && i < r->nmem; i++) free(r->mcounts[i]);
    for (int i = 0; r->mroots && i < r->nmem; i++) free(r->mroots[i]);
    free(r->mroots);
    listing_free(r->list);
    free(r->mcounts);
    free(r->mslot);
    free(r->mstate);
    if (r->timer) event_free(r->timer);
    if (r->parent) creq_unref(r->parent);
    wait_track_unref(r->track);
    stats.inflight--;
    free(r);
}

void
creq_unref(struct creq *r)
{
    if (--r->refs == 0) creq_free(r);
}

struct creq *
creq_child(struct creq *p, int i, const struct command *sub, int argc,
           char **argv, const size_t *argvlen)
{
    struct creq *k = creq_new(CR_KEY, sub, argc, argv, argvlen);

    k->parent = p;
    k->child_index = i;
    k->resp = p->resp;
    p->refs++;
    return k;
}

/* The WAIT track of the write command r belongs to, or NULL. */
static struct write_track *
root_track(struct creq *r)
{
    while (r->parent) r = r->parent;
    return r->track;
}

/* The client a request answers, through its fan-out parents. */
struct client *
creq_client(struct creq *r)
{
    while (r->parent) r = r->parent;
    return r->c;
}

static void
timeout_cb(evutil_socket_t fd, short what, void *arg);

/* Every request waits the same request-timeout: libevent's common
 * timeout queue makes that O(1) per request instead of a heap insert. */
void
arm_timer(struct creq *r)
{
    static const struct timeval *common;
    static long long common_ms = -1;

    if (common_ms != server.request_timeout) {
        struct timeval tv = { server.request_timeout / 1000,
                              (server.request_timeout % 1000) * 1000 };
        common = event_base_init_common_timeout(server.base, &tv);
        common_ms = server.request_timeout;
    }
    r->timer = event_new(server.base, -1, 0, timeout_cb, r);
    event_add(r->timer, common);
}

/* Appends r to c's in-flight list; the list holds a reference, so r's
 * reply survives until it is r's turn to go out. */
void
enqueue(struct client *c, struct creq *r)
{
    r->c = c;
    r->refs++;
    r->start_us = c->cmd_start_us;
    /* A write command: WAIT counts its acknowledgements. */
    if (r->cmd && ((r->cmd->flags & (CMD_WRITE | CMD_MULTIKEY)) ||
                   r->cmd->proc == exec_command))
        r->track = wait_track_new(c);
    r->client_next = NULL;
    if (c->inflight_tail) c->inflight_tail->client_next = r;
    else c->inflight_head = r;
    c->inflight_tail = r;
    c->ninflight++;
}

/* Sends every ready reply at the head of c's list, in order. */
static void
drain(struct client *c)
{
    while (c->inflight_head && c->inflight_head->ready) {
        struct creq *r = c->inflight_head;
        c->inflight_head = r->client_next;
        if (c->inflight_head == NULL) c->inflight_tail = NULL;
        c->ninflight--;
        if (r->silent) { /* CLIENT REPLY SKIP */ }
        else if (r->fwd_in) reply_bulk(c, r->reply.p ? r->reply.p : "",
                                       r->reply.len);
        else if (r->reply.len) reply_raw(c, r->reply.p, r->reply.len);
        r->c = NULL;
        if (r->track) wait_track_forget_client(r->track);
        creq_unref(r);
    }
    /* A request held behind these may be able to start now. */
    if (c->held) client_resume(c);
}

/* ---- One write per key at a time ---------------------------------------- */

/* Writes of one key coordinated by this node run one after the other: a
 * write reads the replicas first, and two writes of the same key by the
 * same actor that both read the state before either wrote would both
 * bump the actor's own counter entry from the same value (PN-counters
 * merge by max: one increment would vanish). A replica coordinator's
 * local store orders them anyway; a coordinator that is not a replica
 * has only this. The next write starts from the before-sleep hook once
 * the previous one was answered (W acknowledgements), so its read
 * quorum meets that write. Found by utils/dkv-torture. */
struct key_lock {
    uint64_t hash;
    struct creq *holder;
    struct creq *wait_head, *wait_tail;
    struct key_lock *next;
};
#define LOCK_BUCKETS 1024
static struct key_lock *locks[LOCK_BUCKETS];
static struct creq *ready_head, *ready_tail;

static struct key_lock **
lock_find(struct creq *r)
{
    struct key_lock **lp = &locks[r->hash % LOCK_BUCKETS];

    for (; *lp; lp = &(*lp)->next) {
        struct creq *h = (*lp)->holder;
        if ((*lp)->hash == r->hash && CREQ_KEYLEN(h) == CREQ_KEYLEN(r) &&
            memcmp(CREQ_KEY(h), CREQ_KEY(r), CREQ_KEYLEN(r)) == 0)
            return lp;
    }
    return lp;
}

/* 1: r holds the lock now; 0: r waits for it (started later). */
static int
lock_acquire(struct creq *r)
{
    struct key_lock **lp = lock_find(r);

    if (*lp == NULL) {
        *lp = xcalloc(1, sizeof(**lp));
        (*lp)->hash = r->hash;
        (*lp)->holder = r;
        r->locked = 1;
        return 1;
    }
    r->lock_next = NULL;
    if ((*lp)->wait_tail) (*lp)->wait_tail->lock_next = r;
    else (*lp)->wait_head = r;
    (*lp)->wait_tail = r;
    r->refs++;  /* the wait list holds it */
    return 0;
}

static void
lock_release(struct creq *r)
{
    struct key_lock **lp = lock_find(r), *l = *lp;
    struct creq *w;

    r->locked = 0;
    if (l == NULL || l->holder != r) return;
    w = l->wait_head;
    if (w == NULL) {
        *lp = l->next;
        free(l);
        return;
    }
    l->wait_head = w->lock_next;
    if (l->wait_head == NULL) l->wait_tail = NULL;
    l->holder = w;
    w->locked = 1;
    w->lock_next = NULL;
    if (ready_tail) ready_tail->lock_next = w;
    else ready_head = w;
    ready_tail = w;
}

static void key_run(struct creq *r);
static void forward(struct creq *r, int f);

void
coord_run_ready(void)
{
    multikey_run_waiting();
    while (ready_head) {
        struct creq *r = ready_head;
        ready_head = r->lock_next;
        if (ready_head == NULL) ready_tail = NULL;
        r->lock_next = NULL;
        key_run(r);
        creq_unref(r);  /* the wait list's reference */
    }
}

/* commandstats, latency and the slow log for a client's coordinated
 * command, its keys shown as the client sent them (argv holds their
 * stored form: a database's prefix). */
static void
record_command(struct creq *r)
{
    const struct command *cmd = r->cmd;
    char **argv = xmalloc(sizeof(char *) * (r->argc ? r->argc : 1));
    size_t *argvlen = xmalloc(sizeof(size_t) * (r->argc ? r->argc : 1));
    int last = command_last_key(cmd, r->argc);

    memcpy(argv, r->argv, sizeof(char *) * r->argc);
    memcpy(argvlen, r->argvlen, sizeof(size_t) * r->argc);
    for (int i = cmd->first_key; cmd->first_key > 0 && i <= last;
         i += cmd->key_step) {
        const char *key;
        keyspace_decode(r->argv[i], r->argvlen[i], &key, &argvlen[i]);
        argv[i] = (char *)key;
    }
    command_record(r->c, cmd, r->argc, argv, argvlen,
                   ustime() - r->start_us,
                   r->reply.len > 0 && r->reply.p[0] == '-');
    free(argv);
    free(argvlen);
}

/* Hands the answer in r->reply on, once. */
void
answer(struct creq *r)
{
    if (r->answered) return;
    r->answered = 1;
    if (r->locked) lock_release(r);
    if (r->parent && r->parent->kind == CR_MULTIKEY) {
        multikey_child_done(r->parent, r->child_index, &r->reply);
        return;
    }
    if (r->parent) {
        child_done(r->parent, r->child_index, &r->reply);
        return;
    }
    r->ready = 1;
    /* The client's command is done: its time runs from command_call to
     * here (a forwarded write is the origin node's command, not ours). */
    if (!r->fwd_in && r->start_us)
        record_command(r);
    if (r->c) drain(r->c);
}

/* Answers with an error; msg without the leading '-'. The same bytes in
 * RESP2 and RESP3. */
void
answer_msg(struct creq *r, const char *msg)
{
    if (r->answered) return;
    /* Errors made here never pass reply_error: INFO errorstats. */
    if (!r->fwd_in) latency_count_error(msg, strlen(msg));
    buf_reset(&r->reply);
    buf_append(&r->reply, "-", 1);
    buf_append(&r->reply, msg, strlen(msg));
    buf_append(&r->reply, "\r\n", 2);
    answer(r);
}

void
noquorum(struct creq *r, int got, int need, const char *what)
{
    char msg[96];

    stats.noquorum++;
    snprintf(msg, sizeof(msg), "NOQUORUM %d of %d %s answered", got, need,
             what);
    answer_msg(r, msg);
}

/* ---- Single-key requests ------------------------------------------------- */

/* SET/SETEX/PSETEX whose result does not depend on the current value. */
static int
is_blind(const struct creq *r)
{
    const char *name = r->cmd->name;

    if (!strcmp(name, "setex") || !strcmp(name, "psetex")) return 1;
    if (strcmp(name, "set") != 0) return 0;
    for (int i = 3; i < r->argc; i++) {
        const char *a = r->argv[i];
        if (!strcasecmp(a, "ex") || !strcasecmp(a, "px") ||
            !strcasecmp(a, "exat") || !strcasecmp(a, "pxat") ||
            !strcasecmp(a, "context")) {
            i++;
            continue;
        }
        return 0;  /* NX, XX, GET, KEEPTTL, or a syntax error to report */
    }
    return 1;
}

/* 1 when a lacks something b has (b would change it). */
static int
set_lacks(const struct vset *a, const struct vset *b)
{
    struct vset tmp;
    int changed;

    vset_init(&tmp);
    vset_copy(&tmp, a);
    changed = vset_merge(&tmp, b);
    vset_free(&tmp);
    return changed;
}

static void putv_reply(void *priv, redisReply *reply);

/* Sends the merged set (encoded once, in put_enc) to replica i; with a
 * slot the answer counts toward W. */
static int
send_putv(struct creq *r, int i, struct slot *slot)
{
    const char *argv[5] = { "DKV.PUTV", CREQ_KEY(r), NULL, "HINT", NULL };
    size_t argvlen[5] = { 8, CREQ_KEYLEN(r), 0, 4, 16 };
    char owner[17];
    int rc;

    if (r->skip[i]) return DKV_ERR;
    if (r->put_enc.len == 0) vset_encode(&r->merged, &r->put_enc);
    argv[2] = r->put_enc.p;
    argvlen[2] = r->put_enc.len;
    /* A stand-in keeps what it is sent for the owner it stands in for. */
    snprintf(owner, sizeof(owner), "%016llx", (unsigned long long)r->hint[i]);
    argv[4] = owner;
    rc = peer_send(r->peer[i], r->hint[i] ? 5 : 3, argv, argvlen,
                   slot ? putv_reply : NULL, slot);
    if (rc == DKV_OK && slot) r->refs++;
    return rc;
}

/* Read repair: the replicas that answered with less than we know. */
static void
read_repair(struct creq *r)
{
    int any = 0, ref_lacks = -1;

    buf_reset(&r->put_enc);
    for (int i = 0; i < r->nrep; i++) {
        if (i == r->local || r->rstate[i] != S_OK) continue;
        if (r->same[i]) {
            /* Answered the reference bytes: lacks what the reference
             * lacks, decided once. */
            if (ref_lacks < 0)
                ref_lacks = set_lacks(&r->rset[r->ref], &r->merged);
            if (!ref_lacks) continue;
        } else if (!set_lacks(&r->rset[i], &r->merged)) {
            continue;
        }
        if (send_putv(r, i, NULL) == DKV_OK) {
            stats.repairs_sent++;
            any = 1;
        }
    }
    if (r->local >= 0 && r->late_news) {
        struct vset local;
        server.now_ms = mstime();
        if (db_load(CREQ_KEY(r), CREQ_KEYLEN(r), &local) == DKV_OK) {
            if (set_lacks(&local, &r->merged)) {
                struct vset merged;
                vset_init(&merged);
                vset_copy(&merged, &local);
                vset_merge(&merged, &r->merged);
                db_store(CREQ_KEY(r), CREQ_KEYLEN(r), &local, &merged);
                vset_free(&merged);
                any = 1;
            }
            vset_free(&local);
        }
    }
    if (any) stats.read_repairs++;
}

/* Ends a request whose answer went out (or never will). */
void
finish(struct creq *r)
{
    if (r->done) return;
    r->done = 1;
    if (r->timer) event_del(r->timer);
    if (r->kind == CR_MULTIKEY) multikey_unlock(r);
    if (r->kind == CR_KEY && !r->wrote && r->phase != P_READ)
        read_repair(r);
    creq_unref(r);
}

static void
maybe_finish(struct creq *r)
{
    if (r->answered && r->rwait == 0 && r->wwait == 0) finish(r);
}

static void
write_check(struct creq *r)
{
    if (r->wok >= r->wq) answer(r);
    else if (r->wok + r->wwait < r->wq) noquorum(r, r->wok, r->wq, "replicas");
    maybe_finish(r);
}

void
run_handler(struct creq *r, struct client *c)
{
    struct buf saved_out = c->out;
    int saved_argc = c->argc, saved_resp = c->resp;
    char **saved_argv = c->argv;
    size_t *saved_argvlen = c->argvlen;
    const struct command *saved_cmd = c->cmd;

    buf_init(&c->out);
    c->argc = r->argc;
    c->argv = r->argv;
    c->argvlen = r->argvlen;
    c->cmd = r->cmd;
    c->resp = r->resp;
    r->cmd->proc(c);
    buf_free(&r->reply);
    r->reply = c->out;
    c->out = saved_out;
    c->argc = saved_argc;
    c->argv = saved_argv;
    c->argvlen = saved_argvlen;
    c->cmd = saved_cmd;
    c->resp = saved_resp;
}

/* Runs the command's handler against the merged set, then stores and
 * replicates what it wrote. */
static void
execute(struct creq *r)
{
    struct client *c = creq_client(r);
    struct db_overlay ov = { CREQ_KEY(r), CREQ_KEYLEN(r), &r->merged, 0 };
    struct vset local;

    if (c == NULL) {
        /* Nobody to answer: do not start a write nobody asked to see (a
         * fan-out parent still needs to hear that the child ended). */
        r->phase = P_LINGER;
        answer_msg(r, "ERR client gone");
        maybe_finish(r);
        return;
    }
    server.now_ms = mstime();
    vset_init(&local);
    if (r->local >= 0 && r->phase == P_READ &&
        r->rstate[r->local] == S_OK && db_generation() == r->local_gen) {
        /* Nothing was written since the local read: it is still current
         * and already merged. */
        vset_copy(&local, &r->rset[r->local]);
    } else if (r->local >= 0) {
        /* Fresh: another request may have written since the read. */
        if (db_load(CREQ_KEY(r), CREQ_KEYLEN(r), &local) != DKV_OK) {
            r->phase = P_LINGER;
            answer_msg(r, "ERR storage error (see the server log)");
            maybe_finish(r);
            return;
        }
        vset_merge(&r->merged, &local);
    }
    r->phase = P_LINGER;
    if (r->capture) {
        /* A multi-key request's read (coord_multikey.c): the merged set
         * is the answer; read repair follows as for any read. */
        vset_free(&local);
        vset_copy(r->capture, &r->merged);
        buf_reset(&r->reply);
        buf_append(&r->reply, "+OK\r\n", 5);
        answer(r);
        maybe_finish(r);
        return;
    }

    db_overlay_begin(&ov, 1, 0);
    db_standin(r->local < 0 || r->hint[r->local] != 0);
    run_handler(r, c);
    db_standin(0);
    db_overlay_end();

    if (r->local >= 0 &&
        (ov.dirty || (r->diverged && set_lacks(&local, &r->merged)))) {
        db_store(CREQ_KEY(r), CREQ_KEYLEN(r), &local, &r->merged);
        if (r->hint[r->local])
            handoff_add(r->hint[r->local], CREQ_KEY(r), CREQ_KEYLEN(r));
    }
    vset_free(&local);
    if (r->local < 0 && r->fwd_in && ov.dirty) {
        /* A forwarded write that found this node no longer a replica (the
         * ring moved meanwhile): it writes as a stand-in and keeps a copy,
         * so the stand-in actor's set is here (see db_actor); the
         * clean-up hands the copy to the replicas and drops it once they
         * all have it. */
        int changed;
        db_merge(CREQ_KEY(r), CREQ_KEYLEN(r), &r->merged, &changed);
    }

    if (ov.dirty && !(r->cmd->flags & CMD_READONLY)) {
        /* A write: W acknowledgements before the answer. */
        r->wrote = 1;
        r->phase = P_WRITE;
        stats.writes++;
        r->wok = r->local >= 0 ? 1 : 0;
        if (root_track(r)) wait_track_write(root_track(r));
        for (int i = 0; i < r->nrep; i++) {
            if (i == r->local || r->skip[i]) continue;
            r->wslot[i].r = r;
            r->wslot[i].i = i;
            if (send_putv(r, i, &r->wslot[i]) == DKV_OK)
                r->wwait++;
        }
        write_check(r);
        return;
    }
    /* A read (its lazy expiry, if any, travels as a repair). */
    if (ov.dirty) {
        r->wrote = 1;
        for (int i = 0; i < r->nrep; i++)
            if (i != r->local) send_putv(r, i, NULL);
    }
    answer(r);
    maybe_finish(r);
}

static void
read_check(struct creq *r)
{
    if (r->phase != P_READ) {
        maybe_finish(r);
        return;
    }
    if (r->fwd_out) {
        /* getv_reply forwards on the first answer; none came. */
        if (r->rwait == 0) {
            noquorum(r, 0, r->wq, "replicas");
            r->phase = P_LINGER;
            maybe_finish(r);
        }
        return;
    }
    if (r->rok >= r->rq) {
        execute(r);
    } else if (r->rok + r->rwait < r->rq) {
        noquorum(r, r->rok, r->rq, "replicas");
        r->phase = P_LINGER;
        maybe_finish(r);
    }
}

static void
getv_reply(void *priv, redisReply *reply)
{
    struct slot *slot = priv;
    struct creq *r = slot->r;
    int i = slot->i;

    r->rwait--;
    if (!r->done) {
        int ok = 0;
        const char *p = "";
        size_t len = 0;
        if (reply && reply->type == REDIS_REPLY_STRING) {
            p = reply->str;
            len = reply->len;
        }
        if (reply && r->ref >= 0 && len == r->ref_enc.len &&
            (len == 0 || memcmp(p, r->ref_enc.p, len) == 0) &&
            (reply->type == REDIS_REPLY_NIL ||
             reply->type == REDIS_REPLY_STRING)) {
            /* The usual case: the same bytes as the reference set,
             * nothing to decode or merge. */
            ok = 1;
            r->same[i] = 1;
        } else if (reply && reply->type == REDIS_REPLY_NIL) {
            ok = 1;
        } else if (reply && reply->type == REDIS_REPLY_STRING) {
            ok = vset_decode(p, len, &r->rset[i]) == DKV_OK;
            if (!ok)
                log_warn("Malformed version set from %s; ignored",
                         peer_addr(r->peer[i]));
        }
        r->rstate[i] = ok ? S_OK : S_FAIL;
        if (ok && !r->same[i]) {
            if (r->ref < 0) {
                r->ref = i;
                buf_append(&r->ref_enc, p, len);
            }
            if (vset_merge(&r->merged, &r->rset[i])) {
                if (r->phase != P_READ) r->late_news = 1;
                else r->diverged = 1;
            }
        }
        if (ok) r->rok++;
        if (ok && r->fwd_out && r->phase == P_READ) forward(r, i);
        else read_check(r);
    }
    creq_unref(r);
}

static void
putv_reply(void *priv, redisReply *reply)
{
    struct slot *slot = priv;
    struct creq *r = slot->r;

    r->wwait--;
    if (reply && reply->type == REDIS_REPLY_INTEGER && root_track(r)) {
        wait_track_ack(root_track(r), r->others, r->others + 1);
        r->others++;
    }
    if (!r->done) {
        if (reply && reply->type == REDIS_REPLY_INTEGER) r->wok++;
        write_check(r);
    }
    creq_unref(r);
}

static void
add_target(struct creq *r, struct member *m)
{
    int i;

    if (r->nrep >= MAX_REP || (m->self && r->local >= 0)) return;
    for (int j = 0; j < r->nrep; j++)
        if (!m->self && r->peer[j] == m->peer) return;
    i = r->nrep++;
    r->hint[i] = 0;
    r->skip[i] = !m->self && !cluster_member_up(m);
    r->peer[i] = m->self ? NULL : m->peer;
    if (m->self) r->local = i;
    r->changing = 1;
}

/* While members join or leave (and a few seconds after), the replicas of
 * a key differ between the rings nodes may be using: the request also
 * goes to the key's replicas in the future ring (which are being filled)
 * and in the previous one (which hold what was written before), and a
 * read waits for every one of them that is up, so it sees every write
 * acknowledged under either ring. */
static void
add_changing_targets(struct creq *r, int p)
{
    const struct ring *fr = cluster_future_ring();
    const struct ring *pr = cluster_prev_ring();
    const int *fl = ring_preflist(fr, p);

    for (int i = 0; i < fr->nrep; i++) add_target(r, cluster_future_member(fl[i]));
    if (pr) {
        const int *pl = ring_preflist(pr, p);
        for (int i = 0; i < pr->nrep; i++) add_target(r, cluster_prev_member(pl[i]));
    }
}

/* The N members a request goes to (Dynamo's sloppy quorum): the key's
 * preference list, where each member that is not up is replaced by the
 * next up member further along the walk, which keeps what it is sent
 * with a hint naming the member it stands in for. Without hinted
 * handoff, or when no member is left to stand in, a member that is not
 * up is not asked at all: requests never wait on a member known down. */
static void
pick_targets(struct creq *r, const struct ring *ring, int p)
{
    const int *walk = ring_walk(ring, p);
    int next = ring->nrep;

    r->nrep = ring->nrep > MAX_REP ? MAX_REP : ring->nrep;
    r->local = -1;
    for (int i = 0; i < r->nrep; i++) {
        struct member *m = cluster_member(walk[i]);
        r->hint[i] = 0;
        r->skip[i] = 0;
        if (!m->self && !cluster_member_up(m)) {
            struct member *s = NULL;
            while (server.hinted_handoff && next < ring->nmembers && s == NULL) {
                struct member *cand = cluster_member(walk[next++]);
                if (cand->self || cluster_member_up(cand)) s = cand;
            }
            if (s) {
                r->hint[i] = m->id;
                m = s;
            } else {
                r->skip[i] = 1;
            }
        }
        r->peer[i] = m->self ? NULL : m->peer;
        if (m->self && !r->skip[i]) r->local = i;
    }
    if (cluster_changing()) add_changing_targets(r, p);
}

static void
fwd_reply(void *priv, redisReply *reply)
{
    struct creq *r = priv;

    r->wwait--;
    if (!r->done) {
        if (reply && reply->type == REDIS_REPLY_STRING) {
            buf_reset(&r->reply);
            buf_append(&r->reply, reply->str, reply->len);
            r->wok = r->wq;
            /* The replica it went to waited for W copies, none here. */
            if (root_track(r)) {
                wait_track_write(root_track(r));
                wait_track_ack(root_track(r), 0, r->wq);
            }
            /* The handler's error was made on the target: count it here,
             * where the client sees it (INFO errorstats). */
            if (r->reply.len > 1 && r->reply.p[0] == '-')
                latency_count_error(r->reply.p + 1, r->reply.len - 1);
            answer(r);
        } else if (reply && reply->type == REDIS_REPLY_ERROR) {
            answer_msg(r, reply->str);
        } else {
            noquorum(r, 0, r->wq, "replicas");
        }
        maybe_finish(r);
    }
    creq_unref(r);
}

/* Hands a write to target f, which just answered (see the top). Its
 * answer, or NOQUORUM when it does not answer within request-timeout;
 * like any write that missed W, it may still have happened. */
static void
forward(struct creq *r, int f)
{
    char hdr[3][24];
    const char **argv = xmalloc(sizeof(char *) * (r->argc + 4));
    size_t *argvlen = xmalloc(sizeof(size_t) * (r->argc + 4));

    argv[0] = "DKV.FWD";
    argvlen[0] = 7;
    snprintf(hdr[0], sizeof(hdr[0]), "%d", r->resp);
    snprintf(hdr[1], sizeof(hdr[1]), "%d", r->fwd_rq);
    snprintf(hdr[2], sizeof(hdr[2]), "%d", r->fwd_wq);
    for (int i = 0; i < 3; i++) {
        argv[1 + i] = hdr[i];
        argvlen[1 + i] = strlen(hdr[i]);
    }
    for (int i = 0; i < r->argc; i++) {
        argv[4 + i] = r->argv[i];
        argvlen[4 + i] = r->argvlen[i];
    }
    r->phase = P_WRITE;
    r->wrote = 1;  /* nothing to repair from here */
    r->wok = 0;
    if (peer_send(peer_lane(r->peer[f], 1), r->argc + 4, argv, argvlen,
                  fwd_reply, r) == DKV_OK) {
        r->wwait = 1;
        r->refs++;
        stats.forwarded++;
    } else {
        noquorum(r, 0, r->wq, "replicas");
        maybe_finish(r);
    }
    free(argv);
    free(argvlen);
}

void
key_start(struct creq *r)
{
    r->hash = db_hash(CREQ_KEY(r), CREQ_KEYLEN(r));
    /* A transaction (or RENAME...) of this node holds the key: nothing
     * this node coordinates interleaves with it. */
    if (multikey_key_busy(r)) return;
    if ((r->cmd->flags & CMD_WRITE) && !lock_acquire(r)) return;
    key_run(r);
}

static void
key_run(struct creq *r)
{
    const struct ring *ring = cluster_ring();
    struct client *c = creq_client(r);
    int crq = r->fwd_in ? r->fwd_rq : c ? c->read_quorum : 0;
    int cwq = r->fwd_in ? r->fwd_wq : c ? c->write_quorum : 0;
    int rq = crq ? crq : server.read_quorum;
    int wq = cwq ? cwq : server.write_quorum;

    pick_targets(r, ring, ring_partition(ring, r->hash));
    if (r->local < 0 && r->fwd_in) {
        /* What this node wrote to the key before (see execute). */
        struct vset own;
        server.now_ms = mstime();
        if (db_load(CREQ_KEY(r), CREQ_KEYLEN(r), &own) == DKV_OK) {
            vset_merge(&r->merged, &own);
            vset_free(&own);
        }
    }
    r->rq = rq < r->nrep ? rq : r->nrep;
    r->wq = wq < r->nrep ? wq : r->nrep;
    if (r->changing) {
        int up = 0;
        for (int i = 0; i < r->nrep; i++) up += !r->skip[i];
        if (up > r->rq) r->rq = up;
        /* Writes too: W acks may come from future or previous replicas
         * only, while a node not yet aware of the change reads R of
         * the replicas it knows. */
        if (up > r->wq) r->wq = up;
    }
    arm_timer(r);

    for (int i = 0; i < r->nrep; i++)
        if (r->skip[i]) {
            r->rstate[i] = S_FAIL;
        }
    if (r->local < 0 && !r->fwd_in && (r->cmd->flags & CMD_WRITE)) {
        r->fwd_out = 1;
        r->fwd_rq = crq;
        r->fwd_wq = cwq;
    }
    /* A blind write at an intended replica needs no read: its own set is
     * the context. A stand-in's set may lack the key's history, so it
     * reads first (its write would otherwise become a sibling of every
     * version it did not know); so does a replica while members join or
     * leave: its copy may still be on its way back to it, and the new
     * version would carry our clock entry past our own versions in it
     * (see the top: the writer must hold what it wrote). */
    if (r->local >= 0 && !r->hint[r->local] && !r->changing && is_blind(r)) {
        execute(r);
        return;
    }
    r->phase = P_READ;
    stats.reads++;
    if (r->local >= 0) {
        server.now_ms = mstime();
        if (db_load(CREQ_KEY(r), CREQ_KEYLEN(r), &r->rset[r->local]) ==
            DKV_OK) {
            r->local_gen = db_generation();
            r->rstate[r->local] = S_OK;
            r->rok++;
            vset_merge(&r->merged, &r->rset[r->local]);
            /* What the replicas answer, encoded the same way when they
             * hold the same versions (the same bytes a GETV sends). */
            r->ref = r->local;
            if (r->rset[r->local].n > 0)
                vset_encode(&r->rset[r->local], &r->ref_enc);
        } else {
            r->rstate[r->local] = S_FAIL;
        }
    }
    for (int i = 0; i < r->nrep; i++) {
        const char *argv[2] = { "DKV.GETV", CREQ_KEY(r) };
        size_t argvlen[2] = { 8, CREQ_KEYLEN(r) };
        if (i == r->local || r->skip[i]) continue;
        r->rslot[i].r = r;
        r->rslot[i].i = i;
        if (peer_send(r->peer[i], 2, argv, argvlen, getv_reply,
                      &r->rslot[i]) == DKV_OK) {
            r->rwait++;
            r->refs++;
        } else {
            r->rstate[i] = S_FAIL;
        }
    }
    read_check(r);
}

static void
timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    struct creq *r = arg;

    (void)fd;
    (void)what;
    if (!r->answered) {
        if (r->kind == CR_KEY && r->phase == P_READ)
            noquorum(r, r->rok, r->rq, "replicas");
        else if (r->kind == CR_KEY)
            noquorum(r, r->wok, r->wq, "replicas");
        else
            noquorum(r, r->nmem - r->bwait, r->nmem, "nodes");
    }
    finish(r);
}

/* ---- Fan-out ------------------------------------------------------------- */

/* A fan-out keeps at most FANOUT_WINDOW children in flight: each answer
 * starts the next, so an MGET of 10^6 keys never has more than this many
 * requests on a peer link (a link refuses past PEER_MAX_PENDING), and
 * its work is spread over many loop iterations, between which other
 * clients are served: the answers to a window can arrive in one read,
 * and each may start a write (128: an MGET of 200,000 keys kept a PING
 * elsewhere under 9 ms; 512 let it wait 18 ms). */
#define FANOUT_WINDOW 128

void
children_window(struct creq *p, int window,
                struct creq *(*child)(struct creq *p, int k))
{
    if (p->fanning) return;  /* a child answered at once: the loop below
                                goes on */
    p->fanning = 1;
    p->refs++;  /* a child's answer may finish p */
    while (!p->done && p->nstarted < p->nchild &&
           p->nstarted - p->ndone < window) {
        struct creq *kid = child(p, p->nstarted++);
        if (kid == NULL) break;
        key_start(kid);
    }
    p->fanning = 0;
    creq_unref(p);
}

/* A fan-out's child k: the subcommand on argv[first + k * step] and the
 * nargs - 2 arguments after it. */
static struct creq *
fanout_child(struct creq *p, int k)
{
    const char *name = p->fan_sub->name;
    char *argv[3];
    size_t argvlen[3];
    int at = p->fan_first + k * p->fan_step;

    argv[0] = (char *)name;
    argvlen[0] = strlen(name);
    for (int j = 0; j < p->fan_nargs - 1; j++) {
        argv[1 + j] = p->argv[at + j];
        argvlen[1 + j] = p->argvlen[at + j];
    }
    return creq_child(p, k, p->fan_sub, p->fan_nargs, argv, argvlen);
}

static void
fanout_more(struct creq *p)
{
    children_window(p, FANOUT_WINDOW, fanout_child);
}

/* One child per key (name key [value]) for argv[first], argv[first +
 * step], ...: nargs arguments each. */
static void
start_children(struct creq *p, const char *name, int first, int step,
               int nargs)
{
    int n = (p->argc - first) / step;

    p->nchild = n;
    p->ndone = 0;
    p->nstarted = 0;
    /* Answers are folded in as they come (a sum, the first error); only
     * MGET keeps them, in one buffer, to answer in key order. */
    p->fan_sum = 0;
    buf_reset(&p->fan_err);
    if (p->mkind == MK_ARRAY) {
        p->fan_off = xmalloc(sizeof(size_t) * (n ? n : 1));
        p->fan_len = xmalloc(sizeof(size_t) * (n ? n : 1));
    }
    p->fan_sub = command_lookup(name, strlen(name));
    p->fan_first = first;
    p->fan_step = step;
    p->fan_nargs = nargs;
    fanout_more(p);
}

static void
multi_done(struct creq *p)
{
    struct buf *out = &p->reply;
    char num[32];
    int n;

    buf_reset(out);
    if (p->mkind == MK_ARRAY) {
        n = snprintf(num, sizeof(num), "*%d\r\n", p->nchild);
        buf_append(out, num, n);
        for (int i = 0; i < p->nchild; i++)
            buf_append(out, p->fan_arena.p + p->fan_off[i], p->fan_len[i]);
    } else if (p->fan_err.len) {
        buf_append(out, p->fan_err.p, p->fan_err.len);
    } else if (p->mkind == MK_OK) {
        buf_append(out, "+OK\r\n", 5);
    } else if (p->mkind == MK_MSETNX && p->stage == 0) {
        if (p->fan_sum > 0) {
            buf_append(out, ":0\r\n", 4);
        } else {
            /* None of the keys exists: set them all. */
            p->stage = 1;
            start_children(p, "set", 1, 2, 3);
            return;
        }
    } else if (p->mkind == MK_MSETNX) {
        buf_append(out, ":1\r\n", 4);
    } else {
        n = snprintf(num, sizeof(num), ":%lld\r\n", p->fan_sum);
        buf_append(out, num, n);
    }
    answer(p);
    finish(p);
}

static void
child_done(struct creq *p, int i, const struct buf *reply)
{
    /* DEL/EXISTS/TOUCH and MSETNX's first round add integers up. */
    int summed = p->mkind == MK_SUM || (p->mkind == MK_MSETNX && p->stage == 0);
    int integer = reply->len >= 3 && reply->p[0] == ':';

    if (p->mkind == MK_ARRAY) {
        p->fan_off[i] = p->fan_arena.len;
        p->fan_len[i] = reply->len;
        buf_append(&p->fan_arena, reply->p, reply->len);
    } else if ((reply->len > 0 && reply->p[0] == '-') ||
               (summed && !integer)) {
        /* The first error answers for all (as a sum would not parse). */
        if (p->fan_err.len == 0)
            buf_append(&p->fan_err, reply->p, reply->len);
    } else if (summed) {
        long long v = 0;
        string2ll(reply->p + 1, reply->len - 3, &v);
        p->fan_sum += v;
    }
    if (++p->ndone == p->nchild) multi_done(p);
    else fanout_more(p);
}

/* ---- Dispatch ------------------------------------------------------------ */

static int
multi_start(struct client *c, const struct command *cmd,
            enum multi_kind kind, const char *sub, int step)
{
    struct creq *p = creq_new(CR_MULTI, cmd, c->argc, c->argv, c->argvlen);

    p->c = c;
    p->resp = c->resp;
    p->mkind = kind;
    stats.fanouts++;
    enqueue(c, p);
    start_children(p, sub, 1, step, step + 1);
    return 1;
}

int
coord_dispatch(struct client *c, const struct command *cmd)
{
    const char *name = cmd->name;
    struct creq *r;

    if (!cluster_active() || (c->flags & CLIENT_PEER)) return 0;
    if (cmd->proc == exec_command) {
        /* A transaction: one multi-key request over every key it reads
         * or writes (t_multi.c). */
        struct buf keys;
        int go;

        buf_init(&keys);
        go = multi_exec_keys(c, &keys);
        if (go) multikey_start_keys(c, cmd, &keys);
        buf_free(&keys);
        return go;
    }
    if (cmd->flags & CMD_MULTIKEY) return multikey_start(c, cmd);
    if (!(cmd->flags & (CMD_WRITE | CMD_READONLY))) return 0;
    if (!strcmp(name, "scan")) return scan_start(c, cmd);
    if (!strcmp(name, "keys")) return keys_start(c, cmd);
    if (!strcmp(name, "dbsize"))
        return simple_bcast(c, cmd, BC_DBSIZE, "DKV.COUNTP", c->db);
    if (!strcmp(name, "flushall") || !strcmp(name, "flushdb")) {
        int all = !strcmp(name, "flushall");
        if (c->argc > 2 || (c->argc == 2 && strcasecmp(c->argv[1], "async") &&
                            strcasecmp(c->argv[1], "sync")))
            return 0;  /* the local handler reports the syntax error */
        if ((all ? db_flush() : db_flush_db(c->db)) != DKV_OK) return 0;
        return simple_bcast(c, cmd, BC_FLUSH, "DKV.FLUSHP", all ? -1 : c->db);
    }
    if (!strcmp(name, "randomkey")) return randomkey_start(c, cmd);
    if (cmd->first_key == 0) return 0;
    if (cmd->first_key >= c->argc) return 0;  /* OBJECT HELP: no key */
    if (!strcmp(name, "mget")) return multi_start(c, cmd, MK_ARRAY, "get", 1);
    if (!strcmp(name, "mset")) {
        if (c->argc % 2 == 0) return 0;  /* arity error, locally */
        return multi_start(c, cmd, MK_OK, "set", 2);
    }
    if (!strcmp(name, "msetnx")) {
        if (c->argc % 2 == 0) return 0;
        return multi_start(c, cmd, MK_MSETNX, "exists", 2);
    }
    if ((!strcmp(name, "del") || !strcmp(name, "unlink")) && c->argc > 2)
        return multi_start(c, cmd, MK_SUM, "del", 1);
    if (!strcmp(name, "exists") && c->argc > 2)
        return multi_start(c, cmd, MK_SUM, "exists", 1);
    /* TOUCH counts the keys that exist: EXISTS's fan-out. */
    if (!strcmp(name, "touch") && c->argc > 2)
        return multi_start(c, cmd, MK_SUM, "exists", 1);

    r = creq_new(CR_KEY, cmd, c->argc, c->argv, c->argvlen);
    r->c = c;
    r->resp = c->resp;
    enqueue(c, r);
    key_start(r);
    return 1;
}

/* 1 if a request of c in flight touches key, or is not a single-key
 * one. */
static int
inflight_has_key(struct client *c, const char *key, size_t klen)
{
    for (struct creq *r = c->inflight_head; r; r = r->client_next) {
        if (r->kind != CR_KEY) return 1;
        if (CREQ_KEYLEN(r) == klen && memcmp(CREQ_KEY(r), key, klen) == 0)
            return 1;
    }
    return 0;
}

int
coord_may_start(struct client *c, const struct command *cmd)
{
    int argc = c->argc;
    char **argv = c->argv;
    size_t *argvlen = c->argvlen;

    if (c->ninflight == 0) return 1;
    if (cmd == NULL || c->ninflight >= COORD_MAX_INFLIGHT ||
        !cluster_active() || !(c->flags & CLIENT_AUTHENTICATED))
        return 0;
    if (c->flags & CLIENT_PEER) {
        /* On a peer link only forwarded writes are coordinated (their
         * own lane): the same rule, on the command inside. */
        if (cmd->proc != dkv_fwd_command || argc < 6) return 0;
        argc -= 4;
        argv += 4;
        argvlen += 4;
        cmd = command_lookup(argv[0], argvlen[0]);
        if (cmd == NULL) return 0;
    }
    /* Coordinated, exactly one key (DEL/EXISTS/MGET... are fan-outs). */
    if (!(cmd->flags & (CMD_WRITE | CMD_READONLY)) || cmd->first_key != 1 ||
        cmd->last_key != 1 || argc < 2 ||
        (cmd->arity > 0 && argc != cmd->arity) || argc < -cmd->arity)
        return 0;
    /* In flight, keys are in their stored form (command_keys_to_db). */
    if (!(c->flags & CLIENT_PEER)) {
        static struct buf key;
        buf_reset(&key);
        keyspace_encode(c->db, argv[1], argvlen[1], &key);
        return !inflight_has_key(c, key.p ? key.p : "", key.len);
    }
    return !inflight_has_key(c, argv[1], argvlen[1]);
}

void
coord_silence_last(struct client *c)
{
    if (c->inflight_tail) c->inflight_tail->silent = 1;
}

void
coord_client_gone(struct client *c)
{
    while (c->inflight_head) {
        struct creq *r = c->inflight_head;
        c->inflight_head = r->client_next;
        r->c = NULL;
        if (r->track) wait_track_forget_client(r->track);
        creq_unref(r);
    }
    c->inflight_tail = NULL;
    c->ninflight = 0;
}

void
coord_info(struct buf *b)
{
    char line[512];
    int n = snprintf(line, sizeof(line),
                     "coord_reads:%lld\r\ncoord_writes:%lld\r\n"
                     "coord_fanouts:%lld\r\ncoord_noquorum:%lld\r\n"
                     "coord_inflight:%lld\r\nread_repairs:%lld\r\n"
                     "read_repair_puts:%lld\r\nreplica_gets:%lld\r\n"
                     "replica_puts:%lld\r\nreplica_puts_changed:%lld\r\n"
                     "coord_forwarded:%lld\r\nforwards_served:%lld\r\n",
                     stats.reads, stats.writes, stats.fanouts,
                     stats.noquorum, stats.inflight, stats.read_repairs,
                     stats.repairs_sent, stats.getv_served,
                     stats.putv_served, stats.putv_changed, stats.forwarded,
                     stats.forwards_served);
    buf_append(b, line, n);
}

/* ---- Replica side -------------------------------------------------------- */

static struct buf encbuf;

void
dkv_getv_command(struct client *c)
{
    stats.getv_served++;
    if (db_get_encoded(c->argv[1], c->argvlen[1], &encbuf) != DKV_OK) {
        reply_error(c, "ERR storage error (see the server log)");
        return;
    }
    if (encbuf.len == 0) reply_null(c);
    else reply_bulk(c, encbuf.p, encbuf.len);
}

void
dkv_putv_command(struct client *c)
{
    struct vset in;
    int changed;
    uint64_t owner = 0;

    stats.putv_served++;
    if (c->argc == 5 && !strcasecmp(c->argv[3], "hint")) {
        char *end;
        owner = strtoull(c->argv[4], &end, 16);
        if (c->argvlen[4] != 16 || *end != '\0' || owner == 0) {
            reply_error(c, "ERR bad hint owner");
            return;
        }
    } else if (c->argc != 3) {
        reply_error(c, "ERR syntax error");
        return;
    }
    vset_init(&in);
    if (vset_decode(c->argv[2], c->argvlen[2], &in) != DKV_OK) {
        reply_error(c, "ERR malformed version set");
        return;
    }
    if (db_merge(c->argv[1], c->argvlen[1], &in, &changed) != DKV_OK ||
        (owner && handoff_add(owner, c->argv[1], c->argvlen[1]) != DKV_OK)) {
        reply_error(c, "ERR storage error (see the server log)");
    } else {
        stats.putv_changed += changed;
        reply_ll(c, changed);
    }
    vset_free(&in);
}

void
dkv_fwd_command(struct client *c)
{
    long long resp, rq, wq;
    const struct command *cmd;
    struct creq *r;
    int argc = c->argc - 4;

    if (!string2ll(c->argv[1], c->argvlen[1], &resp) ||
        (resp != 2 && resp != 3) ||
        !string2ll(c->argv[2], c->argvlen[2], &rq) || rq < 0 || rq > 255 ||
        !string2ll(c->argv[3], c->argvlen[3], &wq) || wq < 0 || wq > 255) {
        reply_error(c, "ERR syntax error");
        return;
    }
    cmd = command_lookup(c->argv[4], c->argvlen[4]);
    /* One key: a fan-out's child (DEL of one key) included. */
    if (cmd == NULL || !(cmd->flags & CMD_WRITE) || cmd->first_key != 1 ||
        (cmd->last_key != 1 && argc != 2) || (cmd->flags & CMD_PEER) ||
        (cmd->arity > 0 && argc != cmd->arity) || argc < -cmd->arity) {
        reply_error(c, "ERR not a single-key write");
        return;
    }
    stats.forwards_served++;
    r = creq_new(CR_KEY, cmd, argc, c->argv + 4, c->argvlen + 4);
    r->resp = (int)resp;
    r->fwd_in = 1;
    r->fwd_rq = (int)rq;
    r->fwd_wq = (int)wq;
    enqueue(c, r);
    key_start(r);
}

/* A database number from a peer; -1 if it is not one. */
static int
peer_db_arg(const char *arg, size_t len)
{
    long long db;

    if (!string2ll(arg, len, &db) || db < 0 || db >= server.databases)
        return -1;
    return (int)db;
}

void
dkv_scanp_command(struct client *c)
{
    unsigned long long from, end;
    long long count;
    uint8_t *mask = NULL;
    struct buf keys;
    long n = 0;
    uint64_t next = 0;
    char num[32];
    size_t off = 0;
    int db = peer_db_arg(c->argv[1], c->argvlen[1]);

    if (c->argc > 7 || db < 0 ||
        !string2ll(c->argv[5], c->argvlen[5], &count) ||
        sscanf(c->argv[3], "%llu", &from) != 1 ||
        sscanf(c->argv[4], "%llu", &end) != 1) {
        reply_error(c, "ERR bad DKV.SCANP arguments");
        return;
    }
    if (c->argc == 7) {
        size_t masklen = (server.ring_size + 7) / 8;
        if (c->argvlen[6] != masklen * 2) {
            reply_error(c, "ERR bad DKV.SCANP partition mask");
            return;
        }
        mask = xmalloc(masklen);
        for (size_t i = 0; i < masklen; i++) {
            unsigned v;
            if (sscanf(c->argv[6] + 2 * i, "%2x", &v) != 1) v = 0;
            mask[i] = (uint8_t)v;
        }
    }
    buf_init(&keys);
    if (keys_walk_range(db, from, end, count, c->argv[2], c->argvlen[2],
                        mask, &keys, &n, &next) != DKV_OK) {
        free(mask);
        buf_free(&keys);
        reply_error(c, "ERR storage error (see the server log)");
        return;
    }
    free(mask);
    reply_array_len(c, 2);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)next);
    reply_bulk_cstr(c, num);
    reply_array_len(c, n);
    while (off < keys.len) {
        uint32_t l;
        memcpy(&l, keys.p + off, sizeof(l));
        off += sizeof(l);
        reply_bulk(c, keys.p + off, l);
        off += l;
    }
    buf_free(&keys);
}

void
dkv_countp_command(struct client *c)
{
    int db = peer_db_arg(c->argv[1], c->argvlen[1]);
    const long long *counts;
    struct buf roots;

    if (db < 0) {
        reply_error(c, "ERR bad DKV.COUNTP database");
        return;
    }
    counts = db_partition_keys(db);
    reply_array_len(c, 2);
    reply_array_len(c, server.ring_size);
    for (int p = 0; p < server.ring_size; p++) reply_ll(c, counts[p]);
    buf_init(&roots);
    for (int p = 0; p < server.ring_size; p++)
        buf_put_u64(&roots, db_merkle(p)->root);
    reply_bulk(c, roots.p, roots.len);
    buf_free(&roots);
}

void
dkv_flushp_command(struct client *c)
{
    int db = c->argc == 2 ? peer_db_arg(c->argv[1], c->argvlen[1]) : -1;

    if (c->argc > 2 || (c->argc == 2 && db < 0)) {
        reply_error(c, "ERR bad DKV.FLUSHP database");
        return;
    }
    if ((db < 0 ? db_flush() : db_flush_db(db)) != DKV_OK) {
        reply_error(c, "ERR storage error (see the server log)");
        return;
    }
    reply_ok(c);
}

/* Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * DESIGN
 * ------
 * Between MULTI and EXEC command_call() hands every command except
 * EXEC, DISCARD, MULTI, WATCH, QUIT and RESET (CMD_TX) to multi_queue(),
 * which keeps a copy of its arguments and answers +QUEUED; a command
 * refused before that (unknown, wrong arity) marks the transaction
 * failed and EXEC answers EXECABORT, as Redis does. The queue is bounded
 * by client-query-buffer-limit: it is input the client sent and we hold.
 *
 * EXEC runs the queue in its own handler, one command after another, with
 * nothing else in between: on one node that is Redis's atomicity. On a
 * cluster, EXEC is a multi-key request (coord_multikey.c): the watched
 * keys and every key the queue names are read at quorum first, then this
 * same handler runs against what was read, then each key it changed is
 * written with the context it was read with. The coordinator's clients
 * see the transaction whole or not at all; a reader through another node
 * can see some of its writes before others, and a write that slipped in
 * after the read becomes a sibling, never lost (README: Transactions).
 *
 * WATCH records, per key, whether it had a live value and the context of
 * its version set (DKV.CONTEXT's clock): every write makes a new version,
 * so any write, including the client's own, a delete, or the value
 * expiring, changes one of the two, and EXEC then answers a null array.
 * On a cluster WATCH is a multi-key read too, so the context is the
 * quorum's. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "t_multi.h"
#include "client.h"
#include "cluster.h"
#include "commands.h"
#include "db.h"
#include "keyspace.h"
#include "server.h"
#include "version.h"

#define QUEUED_OVERHEAD 64  /* bytes counted per queued command ... */
#define ARG_OVERHEAD 16     /* ... and per argument, besides the bytes */

struct queued {
    const struct command *cmd;
    int argc;
    char **argv;            /* owned, NUL-terminated */
    size_t *argvlen;
    int db;                 /* the database it will run in (SELECTs before
                               it in the queue included) */
};

struct watched {
    char *key;              /* stored form (its database's) */
    size_t klen;
    int live;               /* had a live value at WATCH */
    struct buf ctx;         /* its context then, encoded */
};

struct multi_state {
    int queuing;            /* between MULTI and EXEC/DISCARD */
    int failed;             /* a command was refused: EXECABORT */
    int qdb;                /* the database the next queued command sees */
    struct queued *q;
    int nq, capq;
    long long qbytes;
    struct watched *w;
    int nw, capw;
    long long wbytes;
};

static struct multi_state *
state_of(struct client *c)
{
    if (c->multi == NULL) c->multi = xcalloc(1, sizeof(*c->multi));
    return c->multi;
}

static void
drop_queue(struct multi_state *m)
{
    for (int i = 0; i < m->nq; i++) {
        for (int j = 0; j < m->q[i].argc; j++) free(m->q[i].argv[j]);
        free(m->q[i].argv);
        free(m->q[i].argvlen);
    }
    free(m->q);
    m->q = NULL;
    m->nq = m->capq = 0;
    m->qbytes = 0;
    m->queuing = 0;
    m->failed = 0;
}

static void
drop_watches(struct multi_state *m)
{
    for (int i = 0; i < m->nw; i++) {
        free(m->w[i].key);
        buf_free(&m->w[i].ctx);
    }
    free(m->w);
    m->w = NULL;
    m->nw = m->capw = 0;
    m->wbytes = 0;
}

void
multi_free(struct client *c)
{
    if (c->multi == NULL) return;
    drop_queue(c->multi);
    drop_watches(c->multi);
    free(c->multi);
    c->multi = NULL;
}

int
multi_queuing(const struct client *c)
{
    return c->multi != NULL && c->multi->queuing;
}

void
multi_refused(struct client *c)
{
    if (multi_queuing(c)) c->multi->failed = 1;
}

/* On a cluster the queue runs against the keys read for it: a command
 * that lists or counts the whole keyspace has no such keys. */
static int
cluster_unsafe(const struct command *cmd)
{
    return (cmd->flags & (CMD_WRITE | CMD_READONLY)) && cmd->first_key == 0;
}

/* SELECT n queued: the database the commands after it will see. */
static void
follow_select(struct multi_state *m, const struct queued *q)
{
    long long db;

    if (q->cmd->proc == select_command && q->argc == 2 &&
        string2ll(q->argv[1], q->argvlen[1], &db) && db >= 0 &&
        db < server.databases)
        m->qdb = (int)db;
}

void
multi_queue(struct client *c, const struct command *cmd)
{
    struct multi_state *m = c->multi;
    struct queued *q;
    long long bytes = QUEUED_OVERHEAD;

    if (cluster_active() && cluster_unsafe(cmd)) {
        m->failed = 1;
        reply_errorf(c, "ERR dkv: '%s' cannot be queued in a transaction on "
                     "a cluster (it reads the whole keyspace)", cmd->name);
        return;
    }
    for (int i = 0; i < c->argc; i++) bytes += ARG_OVERHEAD + c->argvlen[i];
    if (m->qbytes + bytes > server.client_query_buffer_limit) {
        /* Held input like the query buffer, and bounded like it. */
        m->failed = 1;
        reply_error(c, "ERR dkv: the transaction's queued commands exceed "
                    "client-query-buffer-limit");
        return;
    }
    if (m->failed) {
        /* EXEC will refuse it anyway: keep nothing. */
        reply_status(c, "QUEUED");
        return;
    }
    if (m->nq == m->capq) {
        m->capq = m->capq ? m->capq * 2 : 8;
        m->q = xrealloc(m->q, sizeof(*m->q) * m->capq);
    }
    q = &m->q[m->nq++];
    q->cmd = cmd;
    q->argc = c->argc;
    q->argv = xmalloc(sizeof(char *) * c->argc);
    q->argvlen = xmalloc(sizeof(size_t) * c->argc);
    q->db = m->qdb;
    for (int i = 0; i < c->argc; i++) {
        q->argv[i] = xmalloc(c->argvlen[i] + 1);
        memcpy(q->argv[i], c->argv[i], c->argvlen[i]);
        q->argv[i][c->argvlen[i]] = '\0';
        q->argvlen[i] = c->argvlen[i];
    }
    m->qbytes += bytes;
    follow_select(m, q);
    reply_status(c, "QUEUED");
}

int
multi_exec_paused(struct client *c)
{
    if (!multi_queuing(c) || c->multi->failed) return 0;
    for (int i = 0; i < c->multi->nq; i++)
        if (client_paused(c, c->multi->q[i].cmd)) return 1;
    return 0;
}

static void
add_key(struct buf *keys, const char *key, size_t klen)
{
    uint32_t l = (uint32_t)klen;
    buf_append(keys, &l, sizeof(l));
    buf_append(keys, key, klen);
}

int
multi_exec_keys(struct client *c, struct buf *keys)
{
    struct multi_state *m = c->multi;
    int saved_argc = c->argc, saved_db = c->db;
    char **saved_argv = c->argv;
    size_t *saved_argvlen = c->argvlen;

    if (!multi_queuing(c) || m->failed) return 0;
    for (int i = 0; i < m->nq; i++)
        if (cluster_unsafe(m->q[i].cmd)) return 0;  /* the handler refuses */
    for (int i = 0; i < m->nw; i++) add_key(keys, m->w[i].key, m->w[i].klen);
    for (int i = 0; i < m->nq; i++) {
        const struct command *cmd = m->q[i].cmd;
        int last;

        if (cmd->first_key == 0 || cmd->first_key >= m->q[i].argc) continue;
        /* The keys as the handler will see them: in the database the
         * command runs in. */
        c->argc = m->q[i].argc;
        c->argv = m->q[i].argv;
        c->argvlen = m->q[i].argvlen;
        c->db = m->q[i].db;
        command_keys_to_db(c, cmd);
        last = command_last_key(cmd, c->argc);
        for (int k = cmd->first_key; k <= last; k += cmd->key_step)
            add_key(keys, c->argv[k], c->argvlen[k]);
        if (cmd->more_keys) cmd->more_keys(c->argc, c->argv, c->argvlen, keys);
        command_keys_restore(c);
    }
    c->argc = saved_argc;
    c->argv = saved_argv;
    c->argvlen = saved_argvlen;
    c->db = saved_db;
    return 1;
}

/* Whether key has a live value now, and its context (encoded into ctx).
 * -1 when it cannot be read. */
static int
key_state(const char *key, size_t klen, struct buf *ctx)
{
    static struct buf tmp;
    struct vset s;
    struct vclock vc;
    const struct version *winner;
    const char *p;
    size_t len;
    int live;

    if (db_load(key, klen, &s) != DKV_OK) return -1;
    live = db_value(&s, server.now_ms, &tmp, &p, &len, &winner) ? 1 : 0;
    vclock_init(&vc);
    vset_context(&s, &vc);
    context_encode(&vc, ctx);
    vclock_free(&vc);
    vset_free(&s);
    return live;
}

void
multi_command(struct client *c)
{
    struct multi_state *m;

    if (multi_queuing(c)) {
        reply_error(c, "ERR MULTI calls can not be nested");
        return;
    }
    m = state_of(c);
    m->queuing = 1;
    m->failed = 0;
    m->qdb = c->db;
    reply_ok(c);
}

void
discard_command(struct client *c)
{
    if (!multi_queuing(c)) {
        reply_error(c, "ERR DISCARD without MULTI");
        return;
    }
    multi_free(c);
    reply_ok(c);
}

/* 1 if a watched key changed since WATCH (or cannot be read). */
static int
watched_changed(struct client *c)
{
    struct multi_state *m = c->multi;
    struct buf now;
    int changed = 0;

    buf_init(&now);
    for (int i = 0; i < m->nw && !changed; i++) {
        int live;

        buf_reset(&now);
        live = key_state(m->w[i].key, m->w[i].klen, &now);
        changed = live != m->w[i].live || now.len != m->w[i].ctx.len ||
                  memcmp(now.p, m->w[i].ctx.p, now.len) != 0;
    }
    buf_free(&now);
    return changed;
}

static void
exec_run(struct client *c)
{
    struct multi_state *m = c->multi;
    int saved_argc = c->argc;
    char **saved_argv = c->argv;
    size_t *saved_argvlen = c->argvlen;
    const struct command *saved_cmd = c->cmd;

    if (!multi_queuing(c)) {
        reply_error(c, "ERR EXEC without MULTI");
        return;
    }
    if (m->failed) {
        multi_free(c);
        reply_error(c, "EXECABORT Transaction discarded because of previous "
                    "errors.");
        return;
    }
    if (cluster_active() && !db_overlay_active()) {
        /* The coordinator declined it: a queued command the cluster cannot
         * run here (the ring formed after it was queued). */
        multi_free(c);
        reply_error(c, "EXECABORT dkv: a queued command lists the whole "
                    "keyspace, which a transaction on a cluster cannot do");
        return;
    }
    if (watched_changed(c)) {
        multi_free(c);
        reply_null_array(c);
        return;
    }
    /* Taken off the client first: a queued command may RESET nothing (it
     * cannot be queued) but must see no transaction in progress. */
    c->multi = NULL;
    reply_array_len(c, m->nq);
    for (int i = 0; i < m->nq; i++) {
        c->argc = m->q[i].argc;
        c->argv = m->q[i].argv;
        c->argvlen = m->q[i].argvlen;
        monitor_feed(c, m->q[i].cmd);
        command_run(c, m->q[i].cmd);
    }
    c->argc = saved_argc;
    c->argv = saved_argv;
    c->argvlen = saved_argvlen;
    c->cmd = saved_cmd;
    drop_queue(m);
    drop_watches(m);
    free(m);
}

/* MONITOR shows EXEC after the commands it ran, as Redis 7 does
 * (command_call feeds every other command before it runs). */
void
exec_command(struct client *c)
{
    const struct command *cmd = c->cmd;

    exec_run(c);
    monitor_feed(c, cmd);
}

void
watch_command(struct client *c)
{
    struct multi_state *m;

    if (multi_queuing(c)) {
        reply_error(c, "ERR WATCH inside MULTI is not allowed");
        return;
    }
    m = state_of(c);
    for (int i = 1; i < c->argc; i++) {
        struct watched *w;
        long long bytes = QUEUED_OVERHEAD + (long long)c->argvlen[i];

        /* A key watched twice is kept twice (no quadratic search): EXEC
         * fails if either state changed, as Redis fails if the key was
         * touched after the first WATCH. */
        if (m->wbytes + bytes > server.client_query_buffer_limit) {
            reply_error(c, "ERR dkv: the watched keys exceed "
                        "client-query-buffer-limit");
            return;
        }
        m->wbytes += bytes;
        if (m->nw == m->capw) {
            m->capw = m->capw ? m->capw * 2 : 4;
            m->w = xrealloc(m->w, sizeof(*m->w) * m->capw);
        }
        w = &m->w[m->nw++];
        w->key = xmalloc(c->argvlen[i] + 1);
        memcpy(w->key, c->argv[i], c->argvlen[i]);
        w->key[c->argvlen[i]] = '\0';
        w->klen = c->argvlen[i];
        buf_init(&w->ctx);
        /* Unreadable now: recorded as a state no later read matches. */
        w->live = key_state(w->key, w->klen, &w->ctx);
        if (w->live < 0) w->live = 2;
    }
    reply_ok(c);
}

void
unwatch_command(struct client *c)
{
    if (c->multi) drop_watches(c->multi);
    reply_ok(c);
}

/* The coordinator's insides, shared by coord.c (single-key requests,
 * fan-outs, dispatch, the replica side), coord_bcast.c (SCAN, KEYS,
 * DBSIZE, FLUSHALL across the members) and coord_multikey.c (RENAME,
 * COPY, MOVE): the request record and the few
 * calls both use for its life and its answer. Not for other modules:
 * coord.h is the coordinator's interface. */
#ifndef DKV_COORD_INT_H
#define DKV_COORD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "commands.h"
#include "util.h"
#include "version.h"

struct peer;

#define MAX_REP 16

enum creq_kind { CR_KEY, CR_MULTI, CR_BROADCAST, CR_MULTIKEY };
enum phase { P_READ, P_WRITE, P_LINGER };
enum multi_kind { MK_ARRAY, MK_SUM, MK_OK, MK_MSETNX };
enum bcast_kind { BC_SCAN, BC_KEYS, BC_DBSIZE, BC_FLUSH };
enum slot_state { S_WAIT = 0, S_OK, S_FAIL };

struct creq;

/* What a peer callback needs: its request and which replica or member. */
struct slot {
    struct creq *r;
    int i;
};

struct creq {
    int refs;
    int done;                   /* finished; late callbacks only unref */
    int answered;               /* the reply went to the client/parent */
    enum creq_kind kind;
    struct client *c;           /* the client (root requests only) */
    struct creq *parent;        /* fan-out parent, or NULL */
    int child_index;
    struct creq *client_next;   /* the client's in-flight list */
    int ready;                  /* its reply waits for earlier ones */
    int silent;                 /* CLIENT REPLY SKIP: the reply is dropped */
    struct write_track *track;  /* a root write command's acks (WAIT) */
    int others;                 /* a key write's acks by other nodes */
    int64_t start_us;           /* the command's start (commandstats) */
    const struct command *cmd;
    int argc;
    int key_at;                 /* argv index of the key (CR_KEY) */
    char **argv;                /* owned copies, NUL-terminated */
    size_t *argvlen;
    int resp;
    int rq, wq;                 /* quorums, capped at nrep */
    struct event *timer;
    struct buf reply;           /* the answer, in the client's protocol */

    /* CR_KEY */
    uint64_t hash;
    int nrep;
    int local;                  /* our index in the list, -1 = not one */
    struct peer *peer[MAX_REP]; /* NULL for the local replica */
    uint64_t hint[MAX_REP];     /* a stand-in's intended owner, 0 = none */
    uint8_t skip[MAX_REP];      /* not up and no stand-in: never asked */
    int changing;               /* extra targets: membership is changing */
    int locked;                 /* holds its key's write lock */
    int fwd_in;                 /* came as DKV.FWD: never forwarded on */
    int fwd_out;                /* a write to forward once a target answers */
    int fwd_rq, fwd_wq;         /* the client's quorums, for DKV.FWD */
    struct creq *lock_next;     /* waiting for the lock / ready to start */
    enum phase phase;
    uint8_t rstate[MAX_REP];
    struct vset rset[MAX_REP];  /* each replica's set as read */
    struct slot rslot[MAX_REP], wslot[MAX_REP];
    int rok, rwait, wok, wwait;
    int wrote;                  /* the command wrote: replicas got PUTV */
    int late_news;              /* a late answer changed the merged set */
    int diverged;               /* an answer changed it before execute */
    struct vset merged;
    uint64_t local_gen;         /* store generation at the local read */
    int ref;                    /* replica whose bytes are in ref_enc */
    struct buf ref_enc;         /* the first set read, encoded: an answer
                                   with the same bytes needs no decode */
    uint8_t same[MAX_REP];      /* answered exactly ref_enc */
    struct buf put_enc;         /* merged, encoded once for every PUTV */
    struct vset *capture;       /* a multi-key read: merged set goes here
                                   instead of running the command */

    /* CR_MULTI */
    enum multi_kind mkind;
    int nchild, ndone, stage;
    struct buf *child_reply;
    int nstarted;               /* children started (FANOUT_WINDOW) */
    int fan_first, fan_step, fan_nargs, fanning;
    const struct command *fan_sub; /* the children's command */
    long long fan_sum;          /* MK_SUM, MSETNX: the integers so far */
    struct buf fan_err;         /* the first error answered, if any */
    struct buf fan_arena;       /* MK_ARRAY: the answers, as they came */
    size_t *fan_off, *fan_len;  /* ... child i's in fan_arena */

    /* CR_MULTIKEY (coord_multikey.c) */
    int nkeys;
    struct buf keys;            /* every key: u32 length + bytes */
    size_t *koff;               /* key i starts at keys.p + koff[i] */
    int txlocked;               /* holds its keys' locks on this node */
    struct creq *tx_next;       /* waiting for them (a CR_KEY too) */
    struct vset *ksets;         /* each key's merged set as read */
    struct buf hreply;          /* the handler's reply, sent once the
                                   writes reached W */
    struct version *kputs;      /* what the handler put, per key */
    uint8_t *kput;              /* kputs[i] holds a version */

    /* CR_BROADCAST */
    struct listing *list;       /* KEYS/SCAN/DBSIZE's reconciled listing */
    uint64_t **mroots;          /* DBSIZE: each member's Merkle roots */
    long long total;            /* DBSIZE: counted so far */
    enum bcast_kind bkind;
    int db;                     /* the client's database (SELECT) */
    int nmem;
    struct slot *mslot;         /* per member; .r set = it serves data */
    uint8_t *mstate;
    long long **mcounts;        /* DBSIZE: each member's partition counts */
    int bwait;
    uint64_t scan_end;          /* SCAN: where the partition ends */
    const char *pattern;        /* into argv */
    size_t patlen;
};

#define CREQ_KEY(r) ((r)->argv[(r)->key_at])
#define CREQ_KEYLEN(r) ((r)->argvlen[(r)->key_at])

struct coord_stats {
    long long reads, writes, noquorum, read_repairs, repairs_sent;
    long long getv_served, putv_served, putv_changed, fanouts;
    long long inflight, forwarded, forwards_served;
};
extern struct coord_stats stats;

/* Lifetime: one reference for the request itself plus one per peer call
 * in flight; freed when the last goes (see coord.c). */
/* Child i of p: a CR_KEY request of sub (argv[0] its name). */
struct creq *creq_child(struct creq *p, int i, const struct command *sub,
                        int argc, char **argv, const size_t *argvlen);
struct creq *creq_new(enum creq_kind kind, const struct command *cmd,
                      int argc, char **argv, const size_t *argvlen);
void creq_unref(struct creq *r);
/* The client a request answers, through its fan-out parents. */
struct client *creq_client(struct creq *r);
/* request-timeout for r (NOQUORUM when it fires). */
void arm_timer(struct creq *r);
/* Appends r to c's in-flight list (replies leave in request order). */
void enqueue(struct client *c, struct creq *r);
/* Hands r->reply on, once; answer_msg first sets an error (no '-'). */
void answer(struct creq *r);
void answer_msg(struct creq *r, const char *msg);
void noquorum(struct creq *r, int got, int need, const char *what);
/* Ends a request whose answer went out (or never will). */
void finish(struct creq *r);

/* Starts a single-key request (after the lock of its key, for a write). */
void key_start(struct creq *r);
/* Runs r's command handler for client c as if c had sent r's argv (in
 * r's protocol), putting c's own request back after; the reply lands in
 * r->reply. */
void run_handler(struct creq *r, struct client *c);

/* Starts p's next children (child(p, k) builds child k, NULL when there
 * is none) while fewer than window are in flight; called again as each
 * answers. A child answering at once re-enters: the running loop goes
 * on. */
void children_window(struct creq *p, int window,
                     struct creq *(*child)(struct creq *p, int k));

/* coord_multikey.c */
int multikey_start(struct client *c, const struct command *cmd);
/* The same with the keys given (u32 length + bytes each, stored form;
 * duplicates allowed): EXEC's. */
int multikey_start_keys(struct client *c, const struct command *cmd,
                        const struct buf *keys);
/* Releases r's key locks (its end); the requests waiting for them start
 * from multikey_run_waiting (the before-sleep hook). */
void multikey_unlock(struct creq *r);
void multikey_run_waiting(void);
/* key_start: 1 if r's key is held by another node-local multi-key
 * request; r then starts again once it is released. */
int multikey_key_busy(struct creq *r);
void multikey_child_done(struct creq *p, int i, const struct buf *reply);
void multikey_free(struct creq *r);

/* coord_list.c: the live keys of database db in the partitions set in
 * pmask, positions [from, end) (end 0 = the top), about count records per
 * replica (0 = all), matching pattern (NULL = all), read from R replicas
 * of each partition and reconciled (see its DESIGN). done runs once, with
 * DKV_OK (the result in listing_count/keys/next) or DKV_ERR (a replica
 * failed). DKV_ERR at once when a partition has no replica up. */
struct listing;
typedef void (*list_done_fn)(struct creq *r, int rc);
int listing_start(struct creq *r, int db, const char *pattern, size_t patlen,
                  const uint8_t *pmask, uint64_t from, uint64_t end,
                  long count, list_done_fn done);
long listing_count(const struct creq *r);
/* After a failed listing: how many of the members it asked answered. */
int listing_answered(const struct creq *r, int *asked);
void listing_keys(const struct creq *r, struct buf *keys);
/* SCAN: keys below this position were listed (0 = all of the range). */
uint64_t listing_next(const struct creq *r);
void listing_free(struct listing *l);
/* The members a listing asks about partition p (this node first when a
 * replica, then up replicas in preference order, up to rq); returns how
 * many, written to out (MAX_REP). */
struct ring;
int listing_pick(const struct ring *ring, int p, int rq, int *out);

/* coord_bcast.c: 1 when the command was taken (answered later). */
int scan_start(struct client *c, const struct command *cmd);
int keys_start(struct client *c, const struct command *cmd);
int randomkey_start(struct client *c, const struct command *cmd);
/* Sends peer_cmd [db] (db -1: without it) to every member. */
int simple_bcast(struct client *c, const struct command *cmd,
                 enum bcast_kind kind, const char *peer_cmd, int db);

#endif

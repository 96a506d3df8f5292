/* The coordinator's insides, shared by coord.c (single-key requests,
 * fan-outs, dispatch, the replica side) and coord_bcast.c (SCAN, KEYS,
 * DBSIZE, FLUSHALL across the members): the request record and the few
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

enum creq_kind { CR_KEY, CR_MULTI, CR_BROADCAST };
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

    /* CR_MULTI */
    enum multi_kind mkind;
    int nchild, ndone, stage;
    struct buf *child_reply;

    /* CR_BROADCAST */
    enum bcast_kind bkind;
    int nmem;
    struct slot *mslot;         /* per member; .r set = it serves data */
    uint8_t *mstate;
    struct buf *mkeys;          /* SCAN/KEYS: each member's keys */
    long *mnkeys;
    uint64_t *mnext;
    long long **mcounts;        /* DBSIZE: each member's partition counts */
    int bwait;
    int scan_member;
    uint64_t scan_from, scan_end;
    long scan_count;
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

/* coord_bcast.c: 1 when the command was taken (answered later). */
int scan_start(struct client *c, const struct command *cmd);
int keys_start(struct client *c, const struct command *cmd);
int simple_bcast(struct client *c, const struct command *cmd,
                 enum bcast_kind kind, const char *peer_cmd);

#endif

/* An external client connection: its socket (a libevent bufferevent), its
 * request parser, its pending replies and its per-connection settings. A
 * client is never freed inside one of its own callbacks' callers: closing
 * marks it CLIENT_CLOSE_ASAP and net.c frees it from the before-sleep hook
 * (Redis's freeClientAsync), so nothing up the stack holds a dangling
 * pointer. */
#ifndef DKV_CLIENT_H
#define DKV_CLIENT_H

#include <stdint.h>
#include <stddef.h>
#include "resp_parse.h"
#include "util.h"

struct bufferevent;
struct event;
struct command;
struct creq;
struct multi_state;
struct write_track;

#define CLIENT_CLOSE_AFTER_REPLY (1 << 0)  /* flush replies, then close */
#define CLIENT_CLOSE_ASAP        (1 << 1)  /* close without flushing */
#define CLIENT_AUTHENTICATED     (1 << 2)  /* AUTH passed (or not needed) */
#define CLIENT_PENDING_WRITE     (1 << 3)  /* on the pending-write list */
#define CLIENT_READ_PAUSED       (1 << 4)  /* output backlog: not reading */
#define CLIENT_PEER              (1 << 5)  /* authenticated as a cluster peer */
#define CLIENT_RESUME            (1 << 6)  /* on the resume list */
#define CLIENT_MONITOR           (1 << 7)  /* MONITOR: gets every command */
#define CLIENT_NO_EVICT          (1 << 8)  /* CLIENT NO-EVICT on */
#define CLIENT_REPLY_OFF         (1 << 9)  /* CLIENT REPLY OFF */
#define CLIENT_REPLY_SKIP_NEXT   (1 << 10) /* CLIENT REPLY SKIP: the next */
#define CLIENT_REPLY_SKIP        (1 << 11) /* ... command runs silent */
#define CLIENT_SUB_REJECTED      (1 << 12) /* the subcommand's arity was
                                              wrong: rejected_calls */
#define CLIENT_SUB_UNKNOWN       (1 << 13) /* no such subcommand: no stats */

#define MONITORS_MAX 64
#define MONITORS_MAX_TEXT "64"

/* One connected client. */
struct client {
    uint64_t id;                 /* CLIENT ID, unique, increasing */
    int fd;                      /* socket */
    struct bufferevent *bev;     /* libevent output for fd (backlog) */
    struct event *rev;           /* read readiness of fd */
    int flags;                   /* CLIENT_* */
    int resp;                    /* protocol version: 2 or 3 */
    int64_t cmd_start_us;        /* when the current command started */
    char *name;                  /* CLIENT SETNAME, NULL if none */
    char addr[64];               /* "ip:port" of the remote end */
    char laddr[64];              /* "ip:port" of our end */
    struct req_parser parser;    /* query buffer + argv of the request */
    int argc;                    /* current request (aliases parser) */
    char **argv;
    size_t *argvlen;
    const struct command *cmd;   /* command being run, NULL between */
    const struct command *lastcmd; /* for CLIENT LIST cmd= */
    struct buf out;              /* replies not yet handed to the socket */
    int64_t ctime_ms;            /* connected at */
    int64_t last_interaction_ms; /* idle timeout */
    int read_quorum;             /* DKV.CONSISTENCY R, 0 = default */
    int write_quorum;            /* DKV.CONSISTENCY W, 0 = default */
    int db;                      /* SELECT: the database of its keys */
    char **user_argv;            /* while keys are rewritten to their
                                    database's form (command_keys_to_db):
                                    the client's own argv, else NULL */
    size_t *user_argvlen;
    struct creq *inflight_head;  /* coordinated requests not yet answered
                                    to the client, in arrival order */
    struct creq *inflight_tail;
    int ninflight;
    int held;                    /* the parsed request waits until the
                                    in-flight ones allow it (coord.c) */
    struct multi_state *multi;   /* MULTI queue and WATCHed keys
                                    (t_multi.c), NULL if none */
    struct write_track *last_write; /* its latest write command's acks
                                    (wait.c), NULL if none */
    uint64_t write_seq;          /* its write commands so far */
    int wait_state;              /* WAIT: waiting / timed out (wait.c) */
    struct event *wait_timer;    /* WAIT's timeout */
    struct client *resume_next;  /* on the resume list */
    struct client *prev, *next;  /* all-clients list */
    struct client *pw_next;      /* pending-write list */
};

/* ---- Replies (resp.c): append to c->out in the client's RESP version ---- */
void reply_raw(struct client *c, const char *p, size_t len);
void reply_ok(struct client *c);
void reply_status(struct client *c, const char *s);
void reply_error(struct client *c, const char *s);  /* s without "-" */
void reply_errorf(struct client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void reply_bulk(struct client *c, const void *p, size_t len);
void reply_bulk_cstr(struct client *c, const char *s);
void reply_bulk_ll(struct client *c, long long v);
void reply_verbatim(struct client *c, const char *p, size_t len,
                    const char *ext);
void reply_null(struct client *c);          /* $-1 / _ */
void reply_null_array(struct client *c);    /* *-1 / _ */
void reply_ll(struct client *c, long long v);
void reply_double(struct client *c, double d);
void reply_bool(struct client *c, int b);
void reply_array_len(struct client *c, long len);
void reply_map_len(struct client *c, long len);  /* pairs */
void reply_set_len(struct client *c, long len);

/* Standard errors with Redis's exact text. */
void reply_arity_error(struct client *c);
void reply_syntax_error(struct client *c);
void reply_not_integer(struct client *c);
/* Container commands (c->cmd set): 1 when argc fits the subcommand's
 * arity (N exact, -N at least N), else replies Redis 7's "wrong number of
 * arguments for 'latency|history' command" and returns 0. */
int subcommand_arity_ok(struct client *c, int arity);
/* "ERR unknown subcommand 'x'. Try LATENCY HELP." */
void reply_subcommand_unknown(struct client *c);
/* A timeout in ms (CLIENT PAUSE, WAIT): DKV_OK, or DKV_ERR having
 * replied Redis's error (not an integer, negative). */
int parse_timeout_ms(struct client *c, const char *s, size_t len,
                     long long *ms);
/* A HELP reply: one status line each. */
void reply_help(struct client *c, const char *const *lines, int n);

/* ---- Lifecycle (net.c) ---- */
/* Marks c for closing; with CLIENT_CLOSE_AFTER_REPLY semantics when
 * after_reply is 1. Safe from any callback. */
void client_close(struct client *c, int after_reply);
/* Queues c for the before-sleep flush (called by the reply functions). */
void client_pending_write(struct client *c);
/* CLIENT LIST / CLIENT INFO line for c (appended to b, no newline). */
void client_info_line(struct client *c, struct buf *b);
/* The coordinator answered one of c's requests: c's held input runs again
 * from the before-sleep hook. */
void client_resume(struct client *c);
/* ---- cmd_client.c ---- */
/* Whether cmd from c must wait for CLIENT PAUSE to end (it is resumed
 * then: command_call returns CALL_HELD). */
int client_paused(struct client *c, const struct command *cmd);
/* Sends c's current command (argv as sent) to every MONITOR client. */
void monitor_feed(struct client *c, const struct command *cmd);
/* c is being freed: off the monitor list. */
void client_gone_monitor(struct client *c);
/* RESET: the connection's state back to a fresh connection's. */
void client_reset_state(struct client *c);

/* Every connected client, for CLIENT LIST and INFO. */
struct client *client_list_head(void);
long client_count(void);

#endif

/* Request parsing: turns a client's byte stream into argv vectors. RESP
 * multibulk requests go through hiredis's redisReader with our own object
 * functions (so argv is built directly, no intermediate redisReply); inline
 * requests (telnet style, "SET a b\r\n") are parsed here. The reader's
 * buffer is the client's query buffer: bytes are fed once and both parsers
 * consume from it.
 *
 * hiredis 0.14 checks neither bulk lengths nor multibulk counts against any
 * limit and accepts any reply type inside an array, so the limits and
 * Redis's protocol error texts are enforced here (STYLE.md §3). Pure module:
 * no I/O, unit-tested in unit/test_resp.c. */
#ifndef DKV_RESP_PARSE_H
#define DKV_RESP_PARSE_H

#include <limits.h>
#include <stddef.h>

/* Redis 7's cap on argc. The argument slots grow as arguments arrive, and
 * what arrived counts toward client-query-buffer-limit (reqp_pending), so
 * a large count costs nothing until its bytes are sent. */
#define REQ_MAX_MULTIBULK INT_MAX
#define REQ_MAX_INLINE (64 * 1024)       /* longest inline request */
#define REQ_UNAUTH_MULTIBULK 10          /* Redis 7's caps before AUTH */
#define REQ_UNAUTH_BULK 16384

enum req_status {
    REQ_OK = 0,    /* a request is ready in argc/argv */
    REQ_MORE,      /* need more bytes */
    REQ_ERR        /* protocol error: err holds Redis's text; close */
};

/* One client's parser state. */
struct req_parser {
    void *reader;               /* redisReader; opaque to users */
    long long max_bulk;         /* proto-max-bulk-len (the caller may
                                   change it between calls) */
    int unauth;                 /* held to REQ_UNAUTH_* (not yet AUTHed) */
    int argc;                   /* arguments of the current request */
    int argv_cap;               /* slots allocated in argv/argvlen */
    char **argv;                /* NUL-terminated copies, parser-owned */
    size_t *argvlen;            /* lengths */
    int multibulk_len;          /* declared count of the request being read */
    size_t argv_bytes;          /* held in argv: lengths + per-slot cost */
    const char *err;            /* static error text after "-ERR " */
};

void reqp_init(struct req_parser *p, long long max_bulk);
void reqp_free(struct req_parser *p);
/* Copies len bytes into the query buffer. */
void reqp_feed(struct req_parser *p, const char *buf, size_t len);
/* Parses the next request. On REQ_OK argv holds it until the next call
 * (argc may be 0 for an empty request, which callers skip). */
enum req_status reqp_next(struct req_parser *p);
/* Bytes received but not yet consumed (client-query-buffer-limit). */
size_t reqp_pending(const struct req_parser *p);
/* Releases argv strings of the last request (done before the next). */
void reqp_reset_args(struct req_parser *p);

#endif

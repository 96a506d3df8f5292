/* Request parsing: RESP multibulk through hiredis's redisReader, inline
 * requests by hand, with Redis's limits and error texts. See resp_parse.h.
 *
 * DESIGN
 * ------
 * The redisReader's buffer doubles as the query buffer. When the reader is
 * between requests and the next byte is not '*', the request is inline and
 * is parsed here straight from the reader's buffer, after which the
 * reader's cursor (a public field of struct redisReader) is advanced past
 * it. The reader is "between requests" when its task stack is empty, or
 * holds only a root task that has not read its type byte yet (the state a
 * GetReply call on an exhausted buffer leaves behind).
 *
 * Headers are validated before the reader sees them: a multibulk count
 * must be a proper integer no larger than REQ_MAX_MULTIBULK, and a bulk
 * length announced for data not yet received must be within max_bulk,
 * otherwise a client could make us buffer without bound. Every argument
 * must be a bulk string; the object callbacks flag anything else. The
 * callbacks check the limits again on what arrived whole in one read.
 * A client not yet authenticated (unauth) is held to Redis 7's small
 * limits, with its texts, so it cannot make us buffer much before AUTH. */
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <hiredis/hiredis.h>

#include "resp_parse.h"
#include "util.h"

#if HIREDIS_MAJOR != 0
#error "dkv is written against hiredis 0.14 (Debian 12); see STYLE.md §3"
#endif

/* The parser the reader callbacks fill; we are single-threaded and the
 * callbacks only run inside reqp_next(). */
static struct req_parser *cur;

static void
set_type_err(char type)
{
    static char msg[64];

    snprintf(msg, sizeof(msg), "Protocol error: expected '$', got '%c'",
             type);
    cur->err = msg;
}

static void *
create_string(const redisReadTask *task, char *str, size_t len)
{
    if (task->parent == NULL || task->type != REDIS_REPLY_STRING) {
        if (cur->err == NULL) {
            set_type_err(task->type == REDIS_REPLY_STATUS ? '+' :
                         task->type == REDIS_REPLY_ERROR ? '-' : '$');
        }
        return cur;
    }
    if (cur->err == NULL && (long long)len > cur->max_bulk)
        cur->err = "Protocol error: invalid bulk length";
    else if (cur->err == NULL && cur->unauth && len > REQ_UNAUTH_BULK)
        cur->err = "Protocol error: unauthenticated bulk length";
    if (cur->err == NULL && task->idx >= cur->argv_cap &&
        task->idx < cur->multibulk_len) {
        int cap = cur->argv_cap * 2;
        if (cap > cur->multibulk_len || cap < cur->argv_cap)
            cap = cur->multibulk_len;
        cur->argv = xrealloc(cur->argv, sizeof(*cur->argv) * cap);
        cur->argvlen = xrealloc(cur->argvlen, sizeof(*cur->argvlen) * cap);
        cur->argv_cap = cap;
    }
    if (cur->err == NULL && task->idx >= 0 && task->idx < cur->argv_cap) {
        char *s = xmalloc(len + 1);
        cur->argv_bytes += len + 1 + sizeof(char *) + sizeof(size_t);
        memcpy(s, str, len);
        s[len] = '\0';
        cur->argv[task->idx] = s;
        cur->argvlen[task->idx] = len;
        cur->argc = task->idx + 1;
    }
    return cur;
}

static void *
create_array(const redisReadTask *task, int elements)
{
    if (task->parent != NULL) {
        if (cur->err == NULL) set_type_err('*');
        return cur;
    }
    if (elements > REQ_MAX_MULTIBULK || elements < 0) {
        cur->err = "Protocol error: invalid multibulk length";
        return cur;
    }
    if (cur->unauth && elements > REQ_UNAUTH_MULTIBULK) {
        cur->err = "Protocol error: unauthenticated multibulk length";
        return cur;
    }
    /* Slots for what a count promises are taken as arguments come
     * (create_string): "*2000000000" alone allocates nothing large. */
    if (cur->argv_cap < 1024 && elements > cur->argv_cap) {
        int cap = elements < 1024 ? elements : 1024;
        cur->argv = xrealloc(cur->argv, sizeof(*cur->argv) * cap);
        cur->argvlen = xrealloc(cur->argvlen, sizeof(*cur->argvlen) * cap);
        cur->argv_cap = cap;
    }
    cur->multibulk_len = elements;
    return cur;
}

static void *
create_integer(const redisReadTask *task, long long v)
{
    (void)task;
    (void)v;
    if (cur->err == NULL) set_type_err(':');
    return cur;
}

static void *
create_nil(const redisReadTask *task)
{
    /* "*-1" as a whole request is an empty request, as in Redis; a nil
     * (or otherwise negative) bulk inside one is not an argument. */
    if (task->parent != NULL && cur->err == NULL)
        cur->err = "Protocol error: invalid bulk length";
    return cur;
}

static void
free_object(void *obj)
{
    (void)obj;  /* arguments belong to the parser, freed by reset */
}

static redisReplyObjectFunctions reader_fns = {
    .createString = create_string,
    .createArray = create_array,
    .createInteger = create_integer,
    .createNil = create_nil,
    .freeObject = free_object,
};

void
reqp_init(struct req_parser *p, long long max_bulk)
{
    memset(p, 0, sizeof(*p));
    p->reader = redisReaderCreateWithFunctions(&reader_fns);
    if (p->reader == NULL) {
        /* hiredis only fails on allocation; xmalloc's policy applies. */
        xmalloc((size_t)-1);
    }
    p->max_bulk = max_bulk;
}

void
reqp_reset_args(struct req_parser *p)
{
    for (int i = 0; i < p->argc; i++) free(p->argv[i]);
    p->argc = 0;
    p->argv_bytes = 0;
}

void
reqp_free(struct req_parser *p)
{
    reqp_reset_args(p);
    if (p->reader) redisReaderFree(p->reader);
    free(p->argv);
    free(p->argvlen);
    memset(p, 0, sizeof(*p));
}

void
reqp_feed(struct req_parser *p, const char *buf, size_t len)
{
    redisReader *r = p->reader;

    /* After a protocol error the request stream is over (the client is
     * being closed): hiredis refuses more bytes then, which is not an
     * allocation failure (found by fuzz/fuzz_request.c). */
    if (r->err) return;
    if (redisReaderFeed(r, buf, len) != REDIS_OK) xmalloc((size_t)-1);
}

size_t
reqp_pending(const struct req_parser *p)
{
    const redisReader *r = p->reader;
    /* The arguments already parsed are input held too. */
    return r->len - r->pos + p->argv_bytes;
}

static int
reader_idle(const redisReader *r)
{
    return r->ridx == -1 || (r->ridx == 0 && r->rstack[0].type < 0);
}

/* Parses the integer line at s (digits up to "\r\n"). Returns 1 with *v
 * set, 0 if the line is incomplete, -1 if the number is malformed. */
static int
parse_count(const char *s, size_t avail, long long *v)
{
    const char *nl = memchr(s, '\r', avail);

    if (nl == NULL) return avail > 32 ? -1 : 0;
    if (!string2ll(s, nl - s, v)) return -1;
    return 1;
}

/* ---- Inline requests ---------------------------------------------------- */

static int
hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static void
push_arg(struct req_parser *p, struct buf *a)
{
    if (p->argc == p->argv_cap) {
        p->argv_cap = p->argv_cap ? p->argv_cap * 2 : 8;
        p->argv = xrealloc(p->argv, sizeof(*p->argv) * p->argv_cap);
        p->argvlen = xrealloc(p->argvlen, sizeof(*p->argvlen) * p->argv_cap);
    }
    buf_put_u8(a, 0);
    p->argv[p->argc] = a->p;
    p->argvlen[p->argc] = a->len - 1;
    p->argc++;
    buf_init(a);
}

/* Splits one inline line into arguments with redis-cli's quoting rules:
 * "..." with \n \r \t \b \a \xHH escapes, '...' with only \' escaped, a
 * closing quote must be followed by a space or the end. */
static int
split_inline(struct req_parser *p, const char *s, size_t len)
{
    const char *end = s + len;
    struct buf a;

    buf_init(&a);
    while (1) {
        while (s < end && isspace((unsigned char)*s)) s++;
        if (s == end) return DKV_OK;
        buf_reserve(&a, 16);
        if (*s == '"' || *s == '\'') {
            char q = *s++;
            int closed = 0;
            while (s < end) {
                if (q == '"' && *s == '\\' && s + 3 < end && s[1] == 'x' &&
                    hexval(s[2]) >= 0 && hexval(s[3]) >= 0) {
                    buf_put_u8(&a, hexval(s[2]) * 16 + hexval(s[3]));
                    s += 4;
                } else if (*s == '\\' && s + 1 < end &&
                           (q == '"' || s[1] == '\'')) {
                    char c = s[1];
                    if (q == '"') {
                        switch (c) {
                        case 'n': c = '\n'; break;
                        case 'r': c = '\r'; break;
                        case 't': c = '\t'; break;
                        case 'b': c = '\b'; break;
                        case 'a': c = '\a'; break;
                        }
                    }
                    buf_put_u8(&a, c);
                    s += 2;
                } else if (*s == q) {
                    s++;
                    if (s < end && !isspace((unsigned char)*s)) break;
                    closed = 1;
                    break;
                } else {
                    buf_put_u8(&a, *s++);
                }
            }
            if (!closed) {
                buf_free(&a);
                p->err = "Protocol error: unbalanced quotes in request";
                return DKV_ERR;
            }
        } else {
            while (s < end && !isspace((unsigned char)*s))
                buf_put_u8(&a, *s++);
        }
        push_arg(p, &a);
    }
}

static enum req_status
parse_inline(struct req_parser *p)
{
    redisReader *r = p->reader;
    char *start = r->buf + r->pos;
    size_t avail = r->len - r->pos;
    char *nl = memchr(start, '\n', avail);
    size_t linelen;

    if (nl == NULL) {
        if (avail > REQ_MAX_INLINE) {
            p->err = "Protocol error: too big inline request";
            return REQ_ERR;
        }
        return REQ_MORE;
    }
    linelen = nl - start;
    if (linelen > 0 && start[linelen - 1] == '\r') linelen--;
    if (split_inline(p, start, linelen) != DKV_OK) return REQ_ERR;
    /* Consume the line from the reader's buffer (see the top comment).
     * Only the cursor moves: the reader's sds keeps its own length, and
     * an empty GetReply is what makes the reader discard consumed bytes. */
    r->pos += (nl - start) + 1;
    if (r->pos == r->len) {
        cur = p;
        redisReaderGetReply(r, NULL);
    }
    return REQ_OK;
}

/* ---- Multibulk ------------------------------------------------------------ */

enum req_status
reqp_next(struct req_parser *p)
{
    redisReader *r = p->reader;
    void *reply = NULL;

    if (p->err) return REQ_ERR;
    /* The previous request's arguments go when a new one starts; a
     * request still arriving keeps the arguments it already has. */
    if (reader_idle(r)) reqp_reset_args(p);
    if (r->len - r->pos == 0) return REQ_MORE;

    if (reader_idle(r)) {
        const char *s = r->buf + r->pos;
        size_t avail = r->len - r->pos;
        long long n;
        int rc;

        if (*s != '*') return parse_inline(p);
        rc = parse_count(s + 1, avail - 1, &n);
        if (rc == 0) return REQ_MORE;
        if (rc < 0 || n > REQ_MAX_MULTIBULK) {
            p->err = "Protocol error: invalid multibulk length";
            return REQ_ERR;
        }
        if (rc > 0 && p->unauth && n > REQ_UNAUTH_MULTIBULK) {
            p->err = "Protocol error: unauthenticated multibulk length";
            return REQ_ERR;
        }
        p->multibulk_len = 0;
    }

    cur = p;
    if (redisReaderGetReply(r, &reply) != REDIS_OK) {
        if (p->err == NULL && r->buf != NULL) {
            const char *bad = r->pos > 0 ? r->buf + r->pos - 1 : r->buf;
            set_type_err(*bad);
        } else if (p->err == NULL) {
            /* hiredis refused a length and dropped its buffer (found by
             * fuzz/fuzz_request.c: "$9\xb9..." dereferenced NULL). */
            const char *type = strstr(r->errstr, "got \"");
            if (type && type[5] && type[6] == '"')
                set_type_err(type[5]);  /* "%": a RESP3 type, as Redis */
            else
                /* hiredis's "Multi-bulk length ..." / "Bulk string
                 * length ...", in either case. */
                p->err = strstr(r->errstr, "ulti") ?
                    "Protocol error: invalid multibulk length" :
                    strstr(r->errstr, "ulk") ?
                    "Protocol error: invalid bulk length" :
                    "Protocol error: invalid length";
        }
        return REQ_ERR;
    }
    if (p->err) return REQ_ERR;
    if (reply != NULL) {
        /* An interrupted argument list (shorter than announced) cannot
         * happen: the reader only completes the array when every element
         * arrived. */
        return REQ_OK;
    }
    /* Incomplete: if a bulk is announced for data not yet here, check its
     * length now, before we buffer it. The reader has consumed the '$'
     * and stopped on the length line of the current string task. */
    if (r->ridx >= 0 && r->rstack[r->ridx].type == REDIS_REPLY_STRING &&
        r->pos < r->len) {
        long long n;
        int rc = parse_count(r->buf + r->pos, r->len - r->pos, &n);
        if (rc < 0 || (rc > 0 && (n < 0 || n > p->max_bulk))) {
            p->err = "Protocol error: invalid bulk length";
            return REQ_ERR;
        }
        if (rc > 0 && p->unauth && n > REQ_UNAUTH_BULK) {
            p->err = "Protocol error: unauthenticated bulk length";
            return REQ_ERR;
        }
    }
    return REQ_MORE;
}

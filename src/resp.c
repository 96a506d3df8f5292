/* Reply encoding: every reply a command sends is appended to the client's
 * output buffer here, in RESP2 or RESP3 as the client chose with HELLO.
 * Nothing is written to the socket from here; net.c flushes all pending
 * output once per event-loop iteration, after the store has committed the
 * iteration's writes (group commit), so no reply can acknowledge a write
 * that is not yet durable. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <ctype.h>

#include "client.h"
#include "commands.h"
#include "latency.h"

static inline void
out_append(struct client *c, const void *p, size_t len)
{
    if (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY |
                    CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP))
        return;
    buf_append(&c->out, p, len);
    if (!(c->flags & CLIENT_PENDING_WRITE)) client_pending_write(c);
}

/* Appends "<type><n>\r\n". */
static void
out_header(struct client *c, char type, long long n)
{
    char hdr[32];
    int len;

    hdr[0] = type;
    len = ll2string(hdr + 1, sizeof(hdr) - 3, n) + 1;
    hdr[len++] = '\r';
    hdr[len++] = '\n';
    out_append(c, hdr, len);
}

void
reply_raw(struct client *c, const char *p, size_t len)
{
    out_append(c, p, len);
}

void
reply_ok(struct client *c)
{
    out_append(c, "+OK\r\n", 5);
}

void
reply_status(struct client *c, const char *s)
{
    out_append(c, "+", 1);
    out_append(c, s, strlen(s));
    out_append(c, "\r\n", 2);
}

/* Newlines would break the protocol framing; Redis replaces them too. */
static void
append_error_text(struct client *c, const char *s, size_t len)
{
    char tmp[512];
    size_t n = len < sizeof(tmp) ? len : sizeof(tmp);

    memcpy(tmp, s, n);
    /* Counted even when CLIENT REPLY OFF drops it, as Redis does; not on
     * peer links (their errors are the ring's, not a client's). */
    if (!(c->flags & CLIENT_PEER)) latency_count_error(tmp, n);
    for (size_t i = 0; i < n; i++)
        if (tmp[i] == '\r' || tmp[i] == '\n') tmp[i] = ' ';
    out_append(c, "-", 1);
    out_append(c, tmp, n);
    out_append(c, "\r\n", 2);
}

void
reply_error(struct client *c, const char *s)
{
    append_error_text(c, s, strlen(s));
}

void
reply_errorf(struct client *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof(msg)) n = sizeof(msg) - 1;
    append_error_text(c, msg, n);
}

void
reply_bulk(struct client *c, const void *p, size_t len)
{
    out_header(c, '$', (long long)len);
    out_append(c, p, len);
    out_append(c, "\r\n", 2);
}

void
reply_bulk_cstr(struct client *c, const char *s)
{
    if (s == NULL) reply_null(c);
    else reply_bulk(c, s, strlen(s));
}

void
reply_bulk_ll(struct client *c, long long v)
{
    char tmp[32];
    int n = ll2string(tmp, sizeof(tmp), v);
    reply_bulk(c, tmp, n);
}

void
reply_verbatim(struct client *c, const char *p, size_t len, const char *ext)
{
    if (c->resp == 2) {
        reply_bulk(c, p, len);
        return;
    }
    out_header(c, '=', (long long)len + 4);
    out_append(c, ext, 3);
    out_append(c, ":", 1);
    out_append(c, p, len);
    out_append(c, "\r\n", 2);
}

void
reply_null(struct client *c)
{
    if (c->resp == 2) out_append(c, "$-1\r\n", 5);
    else out_append(c, "_\r\n", 3);
}

void
reply_null_array(struct client *c)
{
    if (c->resp == 2) out_append(c, "*-1\r\n", 5);
    else out_append(c, "_\r\n", 3);
}

void
reply_ll(struct client *c, long long v)
{
    /* The two most frequent integer replies, canned. */
    if (v == 0) out_append(c, ":0\r\n", 4);
    else if (v == 1) out_append(c, ":1\r\n", 4);
    else out_header(c, ':', v);
}

void
reply_double(struct client *c, double d)
{
    char tmp[64];
    int n;

    if (isinf(d)) {
        n = snprintf(tmp, sizeof(tmp), "%s", d > 0 ? "inf" : "-inf");
    } else {
        n = snprintf(tmp, sizeof(tmp), "%.17g", d);
    }
    if (c->resp == 2) {
        reply_bulk(c, tmp, n);
        return;
    }
    out_append(c, ",", 1);
    out_append(c, tmp, n);
    out_append(c, "\r\n", 2);
}

void
reply_bool(struct client *c, int b)
{
    if (c->resp == 2) reply_ll(c, b ? 1 : 0);
    else out_append(c, b ? "#t\r\n" : "#f\r\n", 4);
}

void
reply_array_len(struct client *c, long len)
{
    out_header(c, '*', len);
}

void
reply_map_len(struct client *c, long len)
{
    if (c->resp == 2) out_header(c, '*', len * 2);
    else out_header(c, '%', len);
}

void
reply_set_len(struct client *c, long len)
{
    out_header(c, c->resp == 2 ? '*' : '~', len);
}

void
reply_arity_error(struct client *c)
{
    reply_errorf(c, "ERR wrong number of arguments for '%s' command",
                 c->cmd ? c->cmd->name : (c->argc > 0 ? c->argv[0] : ""));
}

void
reply_syntax_error(struct client *c)
{
    reply_error(c, "ERR syntax error");
}

void
reply_not_integer(struct client *c)
{
    reply_error(c, "ERR value is not an integer or out of range");
}

/* ---- Container commands (Redis 7's subcommand errors) -------------------- */

int
subcommand_arity_ok(struct client *c, int arity)
{
    char full[160];

    if (arity > 0 ? c->argc == arity : c->argc >= -arity) return 1;
    c->flags |= CLIENT_SUB_REJECTED;
    snprintf(full, sizeof(full), "%s|%.128s", c->cmd ? c->cmd->name : "",
             c->argv[1]);
    for (char *p = full; *p; p++) *p = tolower((unsigned char)*p);
    reply_errorf(c, "ERR wrong number of arguments for '%s' command", full);
    return 0;
}

void
reply_subcommand_unknown(struct client *c)
{
    char up[64];

    c->flags |= CLIENT_SUB_UNKNOWN;
    snprintf(up, sizeof(up), "%s", c->cmd ? c->cmd->name : "");
    for (char *p = up; *p; p++) *p = toupper((unsigned char)*p);
    reply_errorf(c, "ERR unknown subcommand '%.128s'. Try %s HELP.",
                 c->argv[1], up);
}

void
reply_help(struct client *c, const char *const *lines, int n)
{
    reply_array_len(c, n);
    for (int i = 0; i < n; i++) reply_status(c, lines[i]);
}

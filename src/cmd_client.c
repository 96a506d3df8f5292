/* The connection's own surface: CLIENT (names, ids, listings, KILL,
 * PAUSE/UNPAUSE, REPLY, NO-EVICT), MONITOR and RESET. Replies and error
 * texts are Redis 7.0's.
 *
 * DESIGN
 * ------
 * CLIENT PAUSE never blocks the loop: command_call() asks client_paused()
 * and, when the command must wait, returns CALL_HELD, exactly as for a
 * request held behind in-flight coordinated ones; the unpause timer (or
 * CLIENT UNPAUSE) resumes every held client. Peer links are never paused,
 * never listed and never killed from here: the ring must go on talking.
 *
 * MONITOR lines are fed from command_call() with the argv as the client
 * sent it, after the checks that reject a command (Redis shows only
 * commands that run), before any rewriting for dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "client.h"
#include "commands.h"
#include "server.h"
#include "t_multi.h"
#include "log.h"
#include "util.h"

#define MONITOR_OUTPUT_MAX (64 * 1024 * 1024)  /* unread bytes, then closed */

static struct client *monitors[MONITORS_MAX];
static int nmonitors;

static int64_t pause_end_ms;      /* 0 = not paused */
static int pause_all;             /* ALL, else WRITE only */
static struct event *unpause_timer;

/* ---- PAUSE --------------------------------------------------------------- */

static void
unpause(void)
{
    pause_end_ms = 0;
    if (unpause_timer) event_del(unpause_timer);
    for (struct client *o = client_list_head(); o; o = o->next)
        if (o->held) client_resume(o);
}

static void
unpause_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
    unpause();
}

int
client_paused(struct client *c, const struct command *cmd)
{
    if (pause_end_ms == 0 || (c->flags & CLIENT_PEER)) return 0;
    if (mstime() >= pause_end_ms) {
        unpause();
        return 0;
    }
    return pause_all || (cmd->flags & CMD_WRITE);
}

int
parse_timeout_ms(struct client *c, const char *s, size_t len, long long *ms)
{
    if (!string2ll(s, len, ms)) {
        reply_error(c, "ERR timeout is not an integer or out of range");
        return DKV_ERR;
    }
    if (*ms < 0) {
        reply_error(c, "ERR timeout is negative");
        return DKV_ERR;
    }
    return DKV_OK;
}

static void
client_pause(struct client *c)
{
    long long ms;
    int all = 1;
    struct timeval tv;

    if (parse_timeout_ms(c, c->argv[2], c->argvlen[2], &ms) != DKV_OK)
        return;
    if (c->argc == 4) {
        if (!strcasecmp(c->argv[3], "write")) all = 0;
        else if (strcasecmp(c->argv[3], "all")) {
            reply_error(c, "ERR CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    }
    if (ms > 100LL * 365 * 86400 * 1000) ms = 100LL * 365 * 86400 * 1000;
    /* As Redis: a pause only extends an earlier one, ALL wins over WRITE. */
    pause_all = pause_end_ms ? (pause_all || all) : all;
    if (pause_end_ms == 0 || mstime() + ms > pause_end_ms) {
        pause_end_ms = mstime() + ms;
        tv.tv_sec = ms / 1000;
        tv.tv_usec = (ms % 1000) * 1000;
        if (unpause_timer == NULL)
            unpause_timer = evtimer_new(server.base, unpause_cb, NULL);
        evtimer_add(unpause_timer, &tv);
    }
    reply_ok(c);
}

/* Redis's client classes; dkv's clients are all "normal". */
static int
valid_client_type(const char *t)
{
    return !strcasecmp(t, "normal") || !strcasecmp(t, "master") ||
           !strcasecmp(t, "slave") || !strcasecmp(t, "replica") ||
           !strcasecmp(t, "pubsub");
}

/* ---- KILL ---------------------------------------------------------------- */

static int
kill_filter_ok(struct client *c, struct client *o, int skipme,
               long long id, const char *addr, const char *laddr,
               const char *user, const char *type)
{
    if (o->flags & CLIENT_PEER) return 0;
    if (skipme && o == c) return 0;
    if (id && (long long)o->id != id) return 0;
    if (addr && strcmp(o->addr, addr)) return 0;
    if (laddr && strcmp(o->laddr, laddr)) return 0;
    if (user && strcmp(user, "default")) return 0;
    if (type && strcasecmp(type, "normal")) return 0;
    return 1;
}

static void
kill_one(struct client *c, struct client *o)
{
    /* The killer sees its own reply first, as in Redis. */
    client_close(o, o == c);
}

static void
client_kill(struct client *c)
{
    long long id = 0, killed = 0;
    const char *addr = NULL, *laddr = NULL, *user = NULL, *type = NULL;
    int skipme = 1;

    if (c->argc == 3) {
        /* Old form: one address, +OK or an error. */
        for (struct client *o = client_list_head(); o; o = o->next) {
            if (!(o->flags & CLIENT_PEER) && !strcmp(o->addr, c->argv[2])) {
                kill_one(c, o);
                reply_ok(c);
                return;
            }
        }
        reply_error(c, "ERR No such client");
        return;
    }
    if (c->argc % 2 != 0) {
        reply_syntax_error(c);
        return;
    }
    for (int i = 2; i < c->argc; i += 2) {
        const char *k = c->argv[i], *v = c->argv[i + 1];
        if (!strcasecmp(k, "id")) {
            if (!string2ll(v, c->argvlen[i + 1], &id) || id <= 0) {
                reply_error(c, "ERR client-id should be greater than 0");
                return;
            }
        } else if (!strcasecmp(k, "type")) {
            if (!valid_client_type(v)) {
                reply_errorf(c, "ERR Unknown client type '%s'", v);
                return;
            }
            type = v;
        } else if (!strcasecmp(k, "user")) {
            if (strcmp(v, "default")) {
                reply_errorf(c, "ERR No such user '%s'", v);
                return;
            }
            user = v;
        } else if (!strcasecmp(k, "addr")) {
            addr = v;
        } else if (!strcasecmp(k, "laddr")) {
            laddr = v;
        } else if (!strcasecmp(k, "skipme")) {
            if (!strcasecmp(v, "yes")) skipme = 1;
            else if (!strcasecmp(v, "no")) skipme = 0;
            else {
                reply_syntax_error(c);
                return;
            }
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    for (struct client *o = client_list_head(); o; o = o->next) {
        if (!kill_filter_ok(c, o, skipme, id, addr, laddr, user, type))
            continue;
        kill_one(c, o);
        killed++;
    }
    reply_ll(c, killed);
}

/* ---- CLIENT -------------------------------------------------------------- */

static int
valid_client_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '!' || s[i] > '~') return 0;
    return 1;
}

/* Whether CLIENT LIST's filter (TYPE t, or ID id ...) lets o through. */
static int
list_filter_ok(struct client *c, struct client *o)
{
    long long id;

    if (c->argc == 2) return 1;
    if (!strcasecmp(c->argv[2], "type"))
        return !strcasecmp(c->argv[3], "normal");
    for (int i = 3; i < c->argc; i++)
        if (string2ll(c->argv[i], c->argvlen[i], &id) &&
            (long long)o->id == id)
            return 1;
    return 0;
}

/* CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id ...]: 0 when
 * the filter is bad (the error sent). */
static int
client_list_args_ok(struct client *c)
{
    long long id;

    if (c->argc == 2) return 1;
    if (c->argc == 4 && !strcasecmp(c->argv[2], "type")) {
        if (!valid_client_type(c->argv[3])) {
            reply_errorf(c, "ERR Unknown client type '%s'", c->argv[3]);
            return 0;
        }
        return 1;
    }
    if (c->argc >= 4 && !strcasecmp(c->argv[2], "id")) {
        for (int i = 3; i < c->argc; i++) {
            if (!string2ll(c->argv[i], c->argvlen[i], &id)) {
                reply_error(c, "ERR Invalid client ID");
                return 0;
            }
        }
        return 1;
    }
    reply_syntax_error(c);
    return 0;
}

static void
reply_client_list(struct client *c, int only_self)
{
    struct buf b;

    buf_init(&b);
    for (struct client *o = client_list_head(); o; o = o->next) {
        if (o->flags & CLIENT_PEER) continue;
        if (only_self ? o != c : !list_filter_ok(c, o)) continue;
        client_info_line(o, &b);
        buf_append(&b, "\n", 1);
    }
    reply_verbatim(c, b.p ? b.p : "", b.len, "txt");
    buf_free(&b);
}

static const char *const client_help[] = {
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "    * ID <client-id>",
    "      Kill connections by client id.",
    "LIST [options ...]",
    "    Return information about client connections.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "HELP",
    "    Print this help.",
};

void
client_command(struct client *c)
{
    const char *sub = c->argv[1];

    if (!strcasecmp(sub, "setname")) {
        if (!subcommand_arity_ok(c, 3)) return;
        if (!valid_client_name(c->argv[2], c->argvlen[2])) {
            reply_error(c, "ERR Client names cannot contain spaces, newlines "
                        "or special characters.");
            return;
        }
        free(c->name);
        c->name = c->argvlen[2] ? xstrdup(c->argv[2]) : NULL;
        reply_ok(c);
    } else if (!strcasecmp(sub, "getname")) {
        if (!subcommand_arity_ok(c, 2)) return;
        if (c->name) reply_bulk_cstr(c, c->name);
        else reply_null(c);
    } else if (!strcasecmp(sub, "id")) {
        if (subcommand_arity_ok(c, 2)) reply_ll(c, (long long)c->id);
    } else if (!strcasecmp(sub, "info")) {
        if (subcommand_arity_ok(c, 2)) reply_client_list(c, 1);
    } else if (!strcasecmp(sub, "list")) {
        if (client_list_args_ok(c)) reply_client_list(c, 0);
    } else if (!strcasecmp(sub, "kill")) {
        if (subcommand_arity_ok(c, -3)) client_kill(c);
    } else if (!strcasecmp(sub, "pause")) {
        if (c->argc > 4) reply_syntax_error(c);
        else if (subcommand_arity_ok(c, -3)) client_pause(c);
    } else if (!strcasecmp(sub, "unpause")) {
        if (!subcommand_arity_ok(c, 2)) return;
        unpause();
        reply_ok(c);
    } else if (!strcasecmp(sub, "no-evict")) {
        if (!subcommand_arity_ok(c, 3)) return;
        /* dkv never evicts (no maxmemory); the flag shows in LIST. */
        if (!strcasecmp(c->argv[2], "on")) c->flags |= CLIENT_NO_EVICT;
        else if (!strcasecmp(c->argv[2], "off")) c->flags &= ~CLIENT_NO_EVICT;
        else {
            reply_syntax_error(c);
            return;
        }
        reply_ok(c);
    } else if (!strcasecmp(sub, "reply")) {
        if (!subcommand_arity_ok(c, 3)) return;
        if (!strcasecmp(c->argv[2], "on")) {
            c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT);
            reply_ok(c);
        } else if (!strcasecmp(c->argv[2], "off")) {
            c->flags |= CLIENT_REPLY_OFF;
        } else if (!strcasecmp(c->argv[2], "skip")) {
            if (!(c->flags & CLIENT_REPLY_OFF))
                c->flags |= CLIENT_REPLY_SKIP_NEXT;
        } else {
            reply_syntax_error(c);
        }
    } else if (!strcasecmp(sub, "unblock")) {
        long long id;
        if (!subcommand_arity_ok(c, -3)) return;
        if (!string2ll(c->argv[2], c->argvlen[2], &id)) {
            reply_not_integer(c);
            return;
        }
        /* No command blocks in dkv: nobody to unblock. */
        reply_ll(c, 0);
    } else if (!strcasecmp(sub, "tracking") || !strcasecmp(sub, "caching") ||
               !strcasecmp(sub, "getredir") ||
               !strcasecmp(sub, "trackinginfo")) {
        reply_error(c, "ERR dkv does not offer client-side caching "
                    "(CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO)");
    } else if (!strcasecmp(sub, "help")) {
        if (subcommand_arity_ok(c, 2))
            reply_help(c, client_help,
                       sizeof(client_help) / sizeof(client_help[0]));
    } else {
        reply_subcommand_unknown(c);
    }
}

/* ---- MONITOR ------------------------------------------------------------- */

static void
monitor_remove(struct client *c)
{
    for (int i = 0; i < nmonitors; i++) {
        if (monitors[i] == c) {
            monitors[i] = monitors[--nmonitors];
            break;
        }
    }
    c->flags &= ~CLIENT_MONITOR;
}

void
client_gone_monitor(struct client *c)
{
    if (c->flags & CLIENT_MONITOR) monitor_remove(c);
}

void
monitor_command(struct client *c)
{
    if (c->flags & CLIENT_MONITOR) return;
    if (nmonitors == MONITORS_MAX) {
        reply_error(c, "ERR dkv serves at most " MONITORS_MAX_TEXT
                    " MONITOR clients at once");
        return;
    }
    c->flags |= CLIENT_MONITOR;
    monitors[nmonitors++] = c;
    reply_ok(c);
}

void
monitor_feed(struct client *c, const struct command *cmd)
{
    struct buf b;
    char head[128];
    int64_t us;
    int n;

    if (nmonitors == 0 || (cmd->flags & CMD_ADMIN) ||
        (c->flags & CLIENT_PEER))
        return;
    us = ustime();
    n = snprintf(head, sizeof(head), "+%lld.%06lld [%d %s]",
                 (long long)(us / 1000000), (long long)(us % 1000000),
                 c->db, c->addr);
    buf_init(&b);
    buf_append(&b, head, n);
    for (int i = 0; i < c->argc; i++) {
        buf_append(&b, " ", 1);
        /* AUTH's password never leaves the node (Redis redacts it). */
        if (i > 0 && cmd->proc == auth_command)
            buf_append(&b, "\"(redacted)\"", 12);
        else
            buf_append_repr(&b, c->argv[i], c->argvlen[i]);
    }
    buf_append(&b, "\r\n", 2);
    for (int i = 0; i < nmonitors; i++) {
        struct client *m = monitors[i];
        size_t pending;

        if (m->flags & CLIENT_CLOSE_ASAP) continue;
        pending = m->out.len +
            evbuffer_get_length(bufferevent_get_output(m->bev));
        /* A monitor that does not read would hold every command the node
         * runs: past the bound it is closed (Redis's output limits). */
        if (pending > MONITOR_OUTPUT_MAX) {
            log_warn("Closing MONITOR client id=%llu addr=%s: %zu bytes of "
                     "output unread", (unsigned long long)m->id, m->addr,
                     pending);
            client_close(m, 0);
            continue;
        }
        reply_raw(m, b.p, b.len);
    }
    buf_free(&b);
}

/* ---- RESET --------------------------------------------------------------- */

void
client_reset_state(struct client *c)
{
    /* Add here whatever else a connection carries. */
    multi_free(c);
    free(c->name);
    c->name = NULL;
    c->resp = 2;
    c->read_quorum = c->write_quorum = 0;
    c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT |
                  CLIENT_REPLY_SKIP | CLIENT_NO_EVICT);
    client_gone_monitor(c);
    c->db = 0;
    if (server.requirepass && server.requirepass[0])
        c->flags &= ~CLIENT_AUTHENTICATED;
}

void
reset_command(struct client *c)
{
    client_reset_state(c);
    reply_status(c, "RESET");
}

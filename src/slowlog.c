/* The slow log (see slowlog.h): a list of the newest entries first, each
 * a copy of what Redis keeps: a unique id, the Unix time the command
 * started, its duration, at most SLOWLOG_MAX_ARGC arguments each cut to
 * SLOWLOG_MAX_STRING bytes (so a big SET costs the log 128 bytes, not the
 * value), the client's address and name. Durations are measured from the
 * command's start to its answer, so a coordinated request counts the
 * replicas' round trips (commands.c command_record). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slowlog.h"
#include "client.h"
#include "commands.h"
#include "server.h"
#include "util.h"

#define SLOWLOG_MAX_ARGC 32
#define SLOWLOG_MAX_STRING 128
#define SLOWLOG_DEFAULT_GET 10

struct slowlog_entry {
    long long id;
    long long time;             /* Unix seconds */
    long long usec;
    int argc;
    char **argv;
    size_t *argvlen;
    char *addr;
    char *name;
    struct slowlog_entry *next; /* older */
};

static struct slowlog_entry *newest;
static long long nentries;
static long long next_id;

static char *
dup_bytes(const char *p, size_t len)
{
    char *s = xmalloc(len + 1);
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

static void
entry_free(struct slowlog_entry *e)
{
    for (int i = 0; i < e->argc; i++) free(e->argv[i]);
    free(e->argv);
    free(e->argvlen);
    free(e->addr);
    free(e->name);
    free(e);
}

/* Drops entries past max (the oldest). */
static void
trim_to(long long max)
{
    struct slowlog_entry **pp = &newest;
    long long kept = 0;

    while (*pp && kept < max) {
        pp = &(*pp)->next;
        kept++;
    }
    while (*pp) {
        struct slowlog_entry *e = *pp;
        *pp = e->next;
        entry_free(e);
        nentries--;
    }
}

void
slowlog_apply_max_len(void)
{
    trim_to(server.slowlog_max_len);
}

/* AUTH's and HELLO AUTH's passwords never reach the log (Redis shows
 * "(redacted)"). */
static int
redacted(int argc, char **argv, int i)
{
    if (!strcasecmp(argv[0], "auth")) return i >= 1;
    if (!strcasecmp(argv[0], "hello"))
        for (int j = 2; j < argc && j < i; j++)
            if (!strcasecmp(argv[j], "auth") && (i == j + 1 || i == j + 2))
                return 1;
    return 0;
}

void
slowlog_push(struct client *c, int argc, char **argv, const size_t *argvlen,
             long long usec)
{
    struct slowlog_entry *e;
    int n = argc > SLOWLOG_MAX_ARGC ? SLOWLOG_MAX_ARGC : argc;

    if (server.slowlog_log_slower_than < 0 ||
        usec < server.slowlog_log_slower_than || server.slowlog_max_len == 0)
        return;
    e = xcalloc(1, sizeof(*e));
    e->id = next_id++;
    e->time = mstime() / 1000;
    e->usec = usec;
    e->argc = n;
    e->argv = xcalloc(n, sizeof(char *));
    e->argvlen = xcalloc(n, sizeof(size_t));
    for (int i = 0; i < n; i++) {
        char tmp[96];
        size_t len = argvlen[i];

        if (i == n - 1 && n < argc) {
            int k = snprintf(tmp, sizeof(tmp), "... (%d more arguments)",
                             argc - n + 1);
            e->argv[i] = dup_bytes(tmp, k);
            e->argvlen[i] = k;
        } else if (redacted(argc, argv, i)) {
            e->argv[i] = dup_bytes("(redacted)", 10);
            e->argvlen[i] = 10;
        } else if (len > SLOWLOG_MAX_STRING) {
            int k = snprintf(tmp, sizeof(tmp), "... (%zu more bytes)",
                             len - SLOWLOG_MAX_STRING);
            e->argv[i] = xmalloc(SLOWLOG_MAX_STRING + k + 1);
            memcpy(e->argv[i], argv[i], SLOWLOG_MAX_STRING);
            memcpy(e->argv[i] + SLOWLOG_MAX_STRING, tmp, k + 1);
            e->argvlen[i] = SLOWLOG_MAX_STRING + k;
        } else {
            e->argv[i] = dup_bytes(argv[i], len);
            e->argvlen[i] = len;
        }
    }
    e->addr = xstrdup(c ? c->addr : "");
    e->name = xstrdup(c && c->name ? c->name : "");
    e->next = newest;
    newest = e;
    nentries++;
    trim_to(server.slowlog_max_len);
}

void
slowlog_command(struct client *c)
{
    const char *sub = c->argv[1];

    if (!strcasecmp(sub, "get")) {
        long long count = SLOWLOG_DEFAULT_GET, n;
        struct slowlog_entry *e;

        if (!subcommand_arity_ok(c, -2)) return;
        if (c->argc > 3) {
            subcommand_arity_ok(c, 3);
            return;
        }
        if (c->argc == 3) {
            if (!string2ll(c->argv[2], c->argvlen[2], &count)) {
                reply_not_integer(c);
                return;
            }
            if (count < -1) {
                reply_error(c, "ERR count should be greater than or equal "
                            "to -1");
                return;
            }
            if (count == -1) count = nentries;
        }
        n = count < nentries ? count : nentries;
        reply_array_len(c, n);
        for (e = newest; e && n > 0; e = e->next, n--) {
            reply_array_len(c, 6);
            reply_ll(c, e->id);
            reply_ll(c, e->time);
            reply_ll(c, e->usec);
            reply_array_len(c, e->argc);
            for (int i = 0; i < e->argc; i++)
                reply_bulk(c, e->argv[i], e->argvlen[i]);
            reply_bulk_cstr(c, e->addr);
            reply_bulk_cstr(c, e->name);
        }
    } else if (!strcasecmp(sub, "len")) {
        if (subcommand_arity_ok(c, 2)) reply_ll(c, nentries);
    } else if (!strcasecmp(sub, "reset")) {
        if (!subcommand_arity_ok(c, 2)) return;
        trim_to(0);
        reply_ok(c);
    } else if (!strcasecmp(sub, "help")) {
        static const char *const help[] = {
            "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, "
            "-1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, "
            "client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
            "HELP",
            "    Prints this help.",
        };
        if (subcommand_arity_ok(c, 2))
            reply_help(c, help, sizeof(help) / sizeof(help[0]));
    } else {
        reply_subcommand_unknown(c);
    }
}

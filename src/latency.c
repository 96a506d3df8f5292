/* Per-command latency histograms, error counts and the LATENCY command
 * (see latency.h).
 *
 * DESIGN
 * ------
 * A histogram is hdr_histogram's layout, reimplemented for the one shape
 * Redis 7 uses (lowest 1 ns, highest 1 s, 2 significant digits): bucket k
 * holds 128 sub-buckets of width 2^k, so a value is kept with an error
 * under 1% and the whole range costs 3072 counters. The index, value and
 * percentile arithmetic follow hdr_histogram's exactly, so p50/p99 and
 * LATENCY HISTOGRAM's cumulative buckets are the numbers Redis would
 * print for the same durations. Durations are counted in microseconds
 * (ustime) and stored as ns, as Redis does.
 *
 * LATENCY LATEST/HISTORY report latency *events* (fork, AOF fsync,
 * expire cycles...) above latency-monitor-threshold. dkv records no such
 * events, so they answer what Redis answers with the monitor disabled
 * (threshold 0): nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latency.h"
#include "client.h"
#include "commands.h"
#include "server.h"
#include "util.h"

#define MAX_PERCENTILES 64
#define ERROR_CODES_MAX 128       /* distinct codes kept, as Redis */
#define ERROR_CODE_LEN 32

static double percentiles[MAX_PERCENTILES] = { 50, 99, 99.9 };
static int npercentiles = 3;

struct error_code {
    char code[ERROR_CODE_LEN + 1];
    long long count;
};
static struct error_code error_codes[ERROR_CODES_MAX];  /* sorted */
static int nerror_codes;

/* ---- The histogram (hdr_histogram's arithmetic) -------------------------- */

static int
hist_bucket(long long v)
{
    int pow2ceiling = 64 - __builtin_clzll((unsigned long long)v | 255);
    return pow2ceiling - (LAT_HIST_SUB_HALF_MAG + 1);
}

static int
hist_index(long long v)
{
    int b = hist_bucket(v);
    long long sub = v >> b;
    return ((b + 1) << LAT_HIST_SUB_HALF_MAG) + (int)(sub - LAT_HIST_SUB_HALF);
}

static long long
hist_value_at(int idx)
{
    int b = (idx >> LAT_HIST_SUB_HALF_MAG) - 1;
    long long sub = (idx & (LAT_HIST_SUB_HALF - 1)) + LAT_HIST_SUB_HALF;

    if (b < 0) {
        sub -= LAT_HIST_SUB_HALF;
        b = 0;
    }
    return sub << b;
}

static long long
hist_lowest_equivalent(long long v)
{
    int b = hist_bucket(v);
    return (v >> b) << b;
}

static long long
hist_highest_equivalent(long long v)
{
    int b = hist_bucket(v);
    long long sub = v >> b;
    int adjusted = sub >= 2 * LAT_HIST_SUB_HALF ? b + 1 : b;
    return hist_lowest_equivalent(v) + (1LL << adjusted) - 1;
}

static long long
hist_percentile(const struct latency_hist *h, double p)
{
    long long want = (long long)((p < 100 ? p : 100) / 100 * h->total + 0.5);
    long long cum = 0;

    if (want < 1) want = 1;
    for (int i = 0; i < LAT_HIST_COUNTS; i++) {
        cum += h->counts[i];
        if (cum >= want) {
            long long v = hist_value_at(i);
            return p == 0 ? hist_lowest_equivalent(v)
                          : hist_highest_equivalent(v);
        }
    }
    return 0;
}

/* Values at or below the highest equivalent of v. */
static long long
hist_count_upto(const struct latency_hist *h, long long v)
{
    int last = hist_index(v);
    long long cum = 0;

    if (last >= LAT_HIST_COUNTS) last = LAT_HIST_COUNTS - 1;
    for (int i = 0; i <= last; i++) cum += h->counts[i];
    return cum;
}

void
latency_record(struct command *cmd, long long usec)
{
    long long ns = usec * 1000;

    if (!server.latency_tracking) return;
    if (cmd->hist == NULL) cmd->hist = xcalloc(1, sizeof(*cmd->hist));
    if (ns < LAT_HIST_MIN_NS) ns = LAT_HIST_MIN_NS;
    if (ns > LAT_HIST_MAX_NS) ns = LAT_HIST_MAX_NS;
    cmd->hist->counts[hist_index(ns)]++;
    cmd->hist->total++;
}

/* ---- Percentile list ----------------------------------------------------- */

/* 0 when valid; else why not, in Redis's words. */
static const char *
parse_percentiles(const char *s, double *out, int *n)
{
    char tmp[1024];
    char *save = NULL;

    *n = 0;
    if (strlen(s) >= sizeof(tmp))
        return "Invalid latency-tracking-info-percentiles parameters";
    strcpy(tmp, s);
    for (char *t = strtok_r(tmp, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        char *end;
        double d = strtod(t, &end);
        if (*end || end == t || isnan(d) || *n == MAX_PERCENTILES)
            return "Invalid latency-tracking-info-percentiles parameters";
        if (d < 0 || d > 100)
            return "latency-tracking-info-percentiles parameters should sit "
                   "between [0.0,100.0]";
        out[(*n)++] = d;
    }
    return NULL;
}

const char *
latency_check_percentiles(const char *s)
{
    double tmp[MAX_PERCENTILES];
    int n;

    return parse_percentiles(s, tmp, &n);
}

void
latency_apply_percentiles(void)
{
    parse_percentiles(server.latency_tracking_info_percentiles, percentiles,
                      &npercentiles);
}

/* "%f" with the trailing zeros (and dot) cut: 99.9, 50. */
static void
trim_double(char *out, size_t len, double d)
{
    size_t n;

    snprintf(out, len, "%f", d);
    n = strlen(out);
    while (n > 0 && out[n - 1] == '0') out[--n] = '\0';
    if (n > 0 && out[n - 1] == '.') out[--n] = '\0';
}

/* ---- INFO ---------------------------------------------------------------- */

void
latency_info_latencystats(struct buf *b)
{
    int count;
    struct command **t = command_stat_rows(&count);
    char line[256], pname[64];

    for (int i = 0; i < count; i++) {
        int n;
        if (t[i]->hist == NULL || t[i]->hist->total == 0) continue;
        n = snprintf(line, sizeof(line), "latency_percentiles_usec_%s:",
                     t[i]->name);
        buf_append(b, line, n);
        for (int j = 0; j < npercentiles; j++) {
            trim_double(pname, sizeof(pname), percentiles[j]);
            n = snprintf(line, sizeof(line), "%sp%s=%.3f", j ? "," : "",
                         pname, hist_percentile(t[i]->hist, percentiles[j])
                         / 1000.0);
            buf_append(b, line, n);
        }
        buf_append(b, "\r\n", 2);
    }
}

void
latency_count_error(const char *msg, size_t len)
{
    const char *sp = memchr(msg, ' ', len < ERROR_CODE_LEN ? len
                                                           : ERROR_CODE_LEN);
    size_t n = sp ? (size_t)(sp - msg) : 3;
    const char *code = sp ? msg : "ERR";
    int lo = 0, hi = nerror_codes;

    server.stat_total_error_replies++;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int cmp = strncmp(error_codes[mid].code, code, n);
        if (cmp == 0 && error_codes[mid].code[n]) cmp = 1;
        if (cmp == 0) {
            error_codes[mid].count++;
            return;
        }
        if (cmp < 0) lo = mid + 1;
        else hi = mid;
    }
    /* Past the bound new codes go uncounted (total_error_replies still
     * counts them), as Redis does. */
    if (nerror_codes == ERROR_CODES_MAX) return;
    memmove(&error_codes[lo + 1], &error_codes[lo],
            (nerror_codes - lo) * sizeof(error_codes[0]));
    memcpy(error_codes[lo].code, code, n);
    error_codes[lo].code[n] = '\0';
    error_codes[lo].count = 1;
    nerror_codes++;
}

void
latency_info_errorstats(struct buf *b)
{
    char line[128];

    for (int i = 0; i < nerror_codes; i++) {
        int n = snprintf(line, sizeof(line), "errorstat_%s:count=%lld\r\n",
                         error_codes[i].code, error_codes[i].count);
        buf_append(b, line, n);
    }
}

void
latency_reset_stats(void)
{
    int count;
    struct command **t = command_stat_rows(&count);

    for (int i = 0; i < count; i++) {
        free(t[i]->hist);
        t[i]->hist = NULL;
    }
    nerror_codes = 0;
    server.stat_total_error_replies = 0;
}

/* ---- LATENCY ------------------------------------------------------------- */

/* One command's cumulative distribution, in Redis's reply shape: the
 * buckets are powers of two of 1024 ns, each with the count of calls at or
 * below it, listed only where the count grows. */
static void
reply_histogram(struct client *c, const struct command *cmd)
{
    const struct latency_hist *h = cmd->hist;
    long long prev = 0, level = 1024;
    long long labels[64], cums[64];
    int n = 0;

    while (prev < h->total && n < 64) {
        long long cum = hist_count_upto(h, level);
        if (cum > prev) {
            labels[n] = hist_highest_equivalent(level) / 1000;
            cums[n++] = cum;
        }
        prev = cum;
        level *= 2;
    }
    reply_bulk_cstr(c, cmd->name);
    reply_map_len(c, 2);
    reply_bulk_cstr(c, "calls");
    reply_ll(c, h->total);
    reply_bulk_cstr(c, "histogram_usec");
    reply_map_len(c, n);
    for (int i = 0; i < n; i++) {
        reply_ll(c, labels[i]);
        reply_ll(c, cums[i]);
    }
}

/* Whether stats row s is what LATENCY HISTOGRAM's argument names: the
 * command itself ("get", "config|get") or, for a container ("config"),
 * each of its subcommands. */
static int
histogram_names(const struct command *s, const char *arg, size_t len)
{
    if (s->hist == NULL || (s->flags & CMD_PEER)) return 0;
    if (strlen(s->name) == len && !strncasecmp(s->name, arg, len)) return 1;
    return !strncasecmp(s->name, arg, len) && s->name[len] == '|';
}

static void
latency_histogram(struct client *c)
{
    int count, n = 0;
    struct command **t = command_stat_rows(&count);

    /* Unknown and idle commands are left out; a name given twice is
     * listed twice (Redis does both). */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) reply_map_len(c, n);
        for (int i = 0; i < count; i++) {
            if (c->argc == 2 && t[i]->hist) {
                if (pass == 0) n++;
                else reply_histogram(c, t[i]);
            }
        }
        for (int a = 2; a < c->argc; a++) {
            for (int i = 0; i < count; i++) {
                if (!histogram_names(t[i], c->argv[a], c->argvlen[a]))
                    continue;
                if (pass == 0) n++;
                else reply_histogram(c, t[i]);
            }
        }
    }
}

void
latency_command(struct client *c)
{
    const char *sub = c->argv[1];

    if (!strcasecmp(sub, "histogram")) {
        latency_histogram(c);
    } else if (!strcasecmp(sub, "latest")) {
        if (subcommand_arity_ok(c, 2)) reply_array_len(c, 0);
    } else if (!strcasecmp(sub, "history")) {
        if (subcommand_arity_ok(c, 3)) reply_array_len(c, 0);
    } else if (!strcasecmp(sub, "reset")) {
        reply_ll(c, 0);
    } else if (!strcasecmp(sub, "graph")) {
        if (subcommand_arity_ok(c, 3))
            reply_errorf(c, "ERR No samples available for event '%s'",
                         c->argv[2]);
    } else if (!strcasecmp(sub, "doctor")) {
        if (!subcommand_arity_ok(c, 2)) return;
        static const char text[] =
            "I'm sorry, Dave, I can't do that. Latency monitoring is "
            "disabled in this Redis instance. You may use \"CONFIG SET "
            "latency-monitor-threshold <milliseconds>.\" in order to enable "
            "it. If we weren't in a deep space mission I'd suggest to take "
            "a look at https://redis.io/topics/latency-monitor.\n";
        reply_verbatim(c, text, sizeof(text) - 1, "txt");
    } else if (!strcasecmp(sub, "help")) {
        static const char *const help[] = {
            "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format "
            "of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are "
            "replied.",
            "HELP",
            "    Prints this help.",
        };
        if (subcommand_arity_ok(c, 2))
            reply_help(c, help, sizeof(help) / sizeof(help[0]));
    } else {
        reply_subcommand_unknown(c);
    }
}

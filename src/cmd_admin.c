/* Connection and server commands: PING ECHO QUIT SELECT AUTH HELLO,
 * COMMAND (COUNT/INFO/DOCS), INFO, CONFIG, TIME, SHUTDOWN, DEBUG and
 * DKV.CONSISTENCY. Replies match Redis 7's shapes and error texts so that
 * clients and tools that parse them (redis-cli, redis-py, monitoring) work
 * unchanged. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <malloc.h>
#include <ctype.h>
#include <limits.h>
#include <sys/utsname.h>
#include <sys/resource.h>
#include <event2/event.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "client.h"
#include "commands.h"
#include "cluster.h"
#include "coord.h"
#include "handoff.h"
#include "ae.h"
#include "join.h"
#include "cmd_docs.h"
#include "config.h"
#include "db.h"
#include "server.h"
#include "store.h"
#include "latency.h"
#include "log.h"
#include "t_string.h"

/* ---- Connection ---------------------------------------------------------- */

void
ping_command(struct client *c)
{
    if (c->argc > 2) {
        reply_arity_error(c);
        return;
    }
    if (c->argc == 2) reply_bulk(c, c->argv[1], c->argvlen[1]);
    else reply_status(c, "PONG");
}

void
echo_command(struct client *c)
{
    reply_bulk(c, c->argv[1], c->argvlen[1]);
}

void
quit_command(struct client *c)
{
    reply_ok(c);
    client_close(c, 1);
}

void
select_command(struct client *c)
{
    int db;

    if (kv_parse_int(c, c->argv[1], c->argvlen[1], &db) != DKV_OK) return;
    if (db < 0 || db >= server.databases) {
        reply_error(c, "ERR DB index is out of range");
        return;
    }
    c->db = db;
    reply_ok(c);
}

/* Checks a username/password pair against requirepass ("default" is the
 * only user). The password is compared as bytes (a NUL inside it counts)
 * and in constant time: the SHA-256 digests of both are compared with
 * CRYPTO_memcmp, so neither the matching prefix nor the length leaks. */
static int
check_password(const char *user, size_t userlen, const char *pass,
               size_t passlen)
{
    unsigned char want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
    unsigned int wlen = 0, glen = 0;

    if (user && (userlen != 7 || memcmp(user, "default", 7))) return 0;
    if (!server.requirepass || !server.requirepass[0]) return 0;
    if (!EVP_Digest(server.requirepass, strlen(server.requirepass), want,
                    &wlen, EVP_sha256(), NULL) ||
        !EVP_Digest(pass, passlen, got, &glen, EVP_sha256(), NULL))
        return 0;
    return wlen == glen && CRYPTO_memcmp(want, got, wlen) == 0;
}

void
auth_command(struct client *c)
{
    const char *user = c->argc == 3 ? c->argv[1] : NULL;
    const char *pass = c->argv[c->argc - 1];

    if (c->argc > 3) {
        reply_syntax_error(c);
        return;
    }
    if (!server.requirepass || !server.requirepass[0]) {
        if (c->argc == 2) {
            reply_error(c, "ERR AUTH <password> called without any password "
                        "configured for the default user. Are you sure your "
                        "configuration is correct?");
            return;
        }
        /* AUTH default <anything> succeeds when no password is set. */
        if (!strcmp(user, "default")) {
            reply_ok(c);
            return;
        }
    }
    if (check_password(user, user ? c->argvlen[1] : 0, pass,
                       c->argvlen[c->argc - 1])) {
        c->flags |= CLIENT_AUTHENTICATED;
        reply_ok(c);
    } else {
        reply_error(c, "WRONGPASS invalid username-password pair or user is "
                    "disabled.");
    }
}

/* HELLO [protover [AUTH user pass] [SETNAME name]] */
void
hello_command(struct client *c)
{
    long long ver = c->resp;
    const char *setname = NULL;

    if (c->argc >= 2) {
        if (!string2ll(c->argv[1], c->argvlen[1], &ver)) {
            reply_error(c, "ERR Protocol version is not an integer or out "
                        "of range");
            return;
        }
        if (ver < 2 || ver > 3) {
            reply_error(c, "NOPROTO unsupported protocol version");
            return;
        }
    }
    for (int i = 2; i < c->argc; i++) {
        int more = c->argc - i - 1;
        if (!strcasecmp(c->argv[i], "auth") && more >= 2) {
            if (!check_password(c->argv[i + 1], c->argvlen[i + 1],
                                c->argv[i + 2], c->argvlen[i + 2]) &&
                !(!server.requirepass[0] &&
                  !strcmp(c->argv[i + 1], "default"))) {
                reply_error(c, "WRONGPASS invalid username-password pair or "
                            "user is disabled.");
                return;
            }
            c->flags |= CLIENT_AUTHENTICATED;
            i += 2;
        } else if (!strcasecmp(c->argv[i], "setname") && more >= 1) {
            setname = c->argv[++i];
        } else {
            reply_errorf(c, "ERR Syntax error in HELLO option '%s'",
                         c->argv[i]);
            return;
        }
    }
    if (!(c->flags & CLIENT_AUTHENTICATED)) {
        reply_error(c, "NOAUTH HELLO must be called with the client already "
                    "authenticated, otherwise the HELLO <proto> AUTH <user> "
                    "<pass> option can be used to authenticate the client and "
                    "select the RESP protocol version at the same time");
        return;
    }
    if (setname) {
        free(c->name);
        c->name = setname[0] ? xstrdup(setname) : NULL;
    }
    c->resp = (int)ver;
    reply_map_len(c, 7);
    reply_bulk_cstr(c, "server");
    reply_bulk_cstr(c, "redis");
    reply_bulk_cstr(c, "version");
    reply_bulk_cstr(c, DKV_REDIS_VERSION);
    reply_bulk_cstr(c, "proto");
    reply_ll(c, c->resp);
    reply_bulk_cstr(c, "id");
    reply_ll(c, (long long)c->id);
    reply_bulk_cstr(c, "mode");
    reply_bulk_cstr(c, "standalone");
    reply_bulk_cstr(c, "role");
    reply_bulk_cstr(c, "master");
    reply_bulk_cstr(c, "modules");
    reply_array_len(c, 0);
}

/* ---- COMMAND ------------------------------------------------------------- */

static void
reply_flag_list(struct client *c, int flags)
{
    const char *names[8];
    int n = 0;

    if (flags & CMD_WRITE) names[n++] = "write";
    if (flags & CMD_READONLY) names[n++] = "readonly";
    if (flags & CMD_WRITE) names[n++] = "denyoom";
    if (flags & CMD_ADMIN) names[n++] = "admin";
    if (flags & CMD_NOAUTH) names[n++] = "no_auth";
    if (flags & CMD_FAST) names[n++] = "fast";
    reply_set_len(c, n);
    for (int i = 0; i < n; i++) reply_status(c, names[i]);
}

static void
reply_acl_list(struct client *c, const char *acl)
{
    char tmp[256];
    char *save = NULL;
    int n = 0;

    snprintf(tmp, sizeof(tmp), "%s", acl ? acl : "");
    for (const char *p = tmp; *p; p++) if (*p == '@') n++;
    reply_set_len(c, n);
    for (char *t = strtok_r(tmp, " ", &save); t; t = strtok_r(NULL, " ", &save))
        reply_status(c, t);
}

static void
reply_command_info(struct client *c, const struct command *cmd)
{
    reply_array_len(c, 10);
    reply_bulk_cstr(c, cmd->name);
    reply_ll(c, cmd->arity);
    reply_flag_list(c, cmd->flags);
    reply_ll(c, cmd->first_key);
    reply_ll(c, cmd->last_key);
    reply_ll(c, cmd->key_step);
    reply_acl_list(c, cmd->acl);
    reply_set_len(c, 0);      /* tips */
    reply_array_len(c, 0);    /* key specs: first/last/step describe them */
    reply_array_len(c, 0);    /* subcommands */
}

static void reply_doc_args(struct client *c, const struct cmd_arg *args);

static const char *arg_type_names[] = {
    [ARG_STRING] = "string", [ARG_INTEGER] = "integer",
    [ARG_DOUBLE] = "double", [ARG_KEY] = "key", [ARG_PATTERN] = "pattern",
    [ARG_UNIX_TIME] = "unix-time", [ARG_PURE_TOKEN] = "pure-token",
    [ARG_ONEOF] = "oneof", [ARG_BLOCK] = "block",
};

static void
reply_doc_arg(struct client *c, const struct cmd_arg *a)
{
    int fields = 2;
    int nflags = !!(a->flags & ARG_FLAG_OPTIONAL) +
                 !!(a->flags & ARG_FLAG_MULTIPLE) +
                 !!(a->flags & ARG_FLAG_MULTIPLE_TOKEN);

    if (a->type == ARG_KEY) fields++;
    if (a->token) fields++;
    if (nflags) fields++;
    if (a->subargs) fields++;
    reply_map_len(c, fields);
    reply_bulk_cstr(c, "name");
    reply_bulk_cstr(c, a->name);
    reply_bulk_cstr(c, "type");
    reply_bulk_cstr(c, arg_type_names[a->type]);
    if (a->type == ARG_KEY) {
        reply_bulk_cstr(c, "key_spec_index");
        reply_ll(c, 0);
    }
    if (a->token) {
        reply_bulk_cstr(c, "token");
        reply_bulk_cstr(c, a->token);
    }
    if (nflags) {
        reply_bulk_cstr(c, "flags");
        reply_set_len(c, nflags);
        if (a->flags & ARG_FLAG_OPTIONAL) reply_status(c, "optional");
        if (a->flags & ARG_FLAG_MULTIPLE) reply_status(c, "multiple");
        if (a->flags & ARG_FLAG_MULTIPLE_TOKEN)
            reply_status(c, "multiple_token");
    }
    if (a->subargs) {
        reply_bulk_cstr(c, "arguments");
        reply_doc_args(c, a->subargs);
    }
}

static void
reply_doc_args(struct client *c, const struct cmd_arg *args)
{
    int n = 0;

    while (args[n].name) n++;
    reply_array_len(c, n);
    for (int i = 0; i < n; i++) reply_doc_arg(c, &args[i]);
}

/* Subcommand docs of a container ("config" -> "config|get", ...). */
static int
count_subdocs(const char *name)
{
    size_t len = strlen(name);
    int n = 0;

    for (const struct cmd_doc *d = cmd_docs_table; d->name; d++)
        if (!strncmp(d->name, name, len) && d->name[len] == '|') n++;
    return n;
}

static void reply_doc(struct client *c, const struct cmd_doc *d);

static void
reply_doc_body(struct client *c, const struct cmd_doc *d)
{
    int subs = strchr(d->name, '|') ? 0 : count_subdocs(d->name);
    int fields = 4 + (d->args != NULL) + (subs > 0);

    reply_map_len(c, fields);
    reply_bulk_cstr(c, "summary");
    reply_bulk_cstr(c, d->summary);
    reply_bulk_cstr(c, "since");
    reply_bulk_cstr(c, d->since);
    reply_bulk_cstr(c, "group");
    reply_bulk_cstr(c, d->group);
    reply_bulk_cstr(c, "complexity");
    reply_bulk_cstr(c, d->complexity);
    if (d->args) {
        reply_bulk_cstr(c, "arguments");
        reply_doc_args(c, d->args);
    }
    if (subs > 0) {
        size_t len = strlen(d->name);
        reply_bulk_cstr(c, "subcommands");
        reply_map_len(c, subs);
        for (const struct cmd_doc *s = cmd_docs_table; s->name; s++)
            if (!strncmp(s->name, d->name, len) && s->name[len] == '|')
                reply_doc(c, s);
    }
}

static void
reply_doc(struct client *c, const struct cmd_doc *d)
{
    reply_bulk_cstr(c, d->name);
    reply_doc_body(c, d);
}

/* COMMAND GETKEYS cmd arg...: the keys the table row names (what the
 * coordinator would route by). */
static void
command_getkeys(struct client *c)
{
    const struct command *cmd = command_lookup(c->argv[2], c->argvlen[2]);
    int argc = c->argc - 2, last, n = 0;

    if (cmd == NULL || (cmd->flags & CMD_PEER)) {
        reply_error(c, "ERR Invalid command specified");
        return;
    }
    if (cmd->first_key == 0) {
        reply_error(c, "ERR The command has no key arguments");
        return;
    }
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        reply_error(c, "ERR Invalid number of arguments specified for "
                    "command");
        return;
    }
    last = command_last_key(cmd, argc);
    for (int i = cmd->first_key; i <= last; i += cmd->key_step) n++;
    if (n == 0) {
        reply_error(c, "ERR The command has no key arguments");
        return;
    }
    reply_array_len(c, n);
    for (int i = cmd->first_key; i <= last; i += cmd->key_step)
        reply_bulk(c, c->argv[i + 2], c->argvlen[i + 2]);
}

void
command_command(struct client *c)
{
    int count;
    struct command *table = command_table_get(&count);

    if (c->argc == 1) {
        reply_array_len(c, count);
        for (int i = 0; i < count; i++) reply_command_info(c, &table[i]);
    } else if (!strcasecmp(c->argv[1], "getkeys")) {
        if (subcommand_arity_ok(c, -4)) command_getkeys(c);
    } else if (!strcasecmp(c->argv[1], "count") && c->argc == 2) {
        reply_ll(c, count);
    } else if (!strcasecmp(c->argv[1], "info")) {
        reply_array_len(c, c->argc - 2);
        for (int i = 2; i < c->argc; i++) {
            const struct command *cmd = command_lookup(c->argv[i],
                                                       c->argvlen[i]);
            if (cmd) reply_command_info(c, cmd);
            else reply_null_array(c);
        }
    } else if (!strcasecmp(c->argv[1], "docs")) {
        int n = 0;
        if (c->argc == 2) {
            for (const struct cmd_doc *d = cmd_docs_table; d->name; d++)
                if (!strchr(d->name, '|')) n++;
            reply_map_len(c, n);
            for (const struct cmd_doc *d = cmd_docs_table; d->name; d++)
                if (!strchr(d->name, '|')) reply_doc(c, d);
            return;
        }
        for (int i = 2; i < c->argc; i++) {
            char lower[64];
            snprintf(lower, sizeof(lower), "%s", c->argv[i]);
            for (char *p = lower; *p; p++) *p = tolower((unsigned char)*p);
            if (cmd_docs_lookup(lower)) n++;
        }
        reply_map_len(c, n);
        for (int i = 2; i < c->argc; i++) {
            char lower[64];
            const struct cmd_doc *d;
            snprintf(lower, sizeof(lower), "%s", c->argv[i]);
            for (char *p = lower; *p; p++) *p = tolower((unsigned char)*p);
            if ((d = cmd_docs_lookup(lower)) != NULL) reply_doc(c, d);
        }
    } else {
        reply_errorf(c, "ERR unknown subcommand or wrong number of arguments "
                     "for '%.128s'. Try COMMAND HELP.", c->argv[1]);
    }
}

/* ---- INFO ---------------------------------------------------------------- */

static void
bytes_human(char *out, size_t len, long long n)
{
    if (n < 1024) snprintf(out, len, "%lldB", n);
    else if (n < 1024 * 1024) snprintf(out, len, "%.2fK", n / 1024.0);
    else if (n < 1024LL * 1024 * 1024)
        snprintf(out, len, "%.2fM", n / (1024.0 * 1024));
    else snprintf(out, len, "%.2fG", n / (1024.0 * 1024 * 1024));
}

static long long
rss_bytes(void)
{
    long long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f == NULL) return 0;
    if (fscanf(f, "%lld %lld", &pages, &resident) != 2) resident = 0;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

static void
info_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
info_printf(struct buf *b, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof(line)) n = sizeof(line) - 1;
    buf_append(b, line, n);
}

/* Whether section `name` is wanted by the INFO arguments. */
static int
want(struct client *c, const char *name, int is_default)
{
    if (c->argc == 1) return is_default;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        if (!strcasecmp(a, name)) return 1;
        if (!strcasecmp(a, "all")) return 1;
        if (!strcasecmp(a, "everything")) return 1;
        if (!strcasecmp(a, "default") && is_default) return 1;
    }
    return 0;
}

static void
info_section(struct buf *b, const char *title)
{
    if (b->len) buf_append(b, "\r\n", 2);
    info_printf(b, "# %s\r\n", title);
}

void
info_command(struct client *c)
{
    struct buf b;
    int64_t now = mstime();
    int64_t uptime = (now - server.start_ms) / 1000;
    struct mallinfo2 mi = mallinfo2();
    long long used = (long long)(mi.uordblks + mi.hblkhd);
    const struct store_stats *st = store_get_stats();
    static const char *fsync_names[] = {
        [FSYNC_NO] = "no", [FSYNC_EVERYSEC] = "everysec",
        [FSYNC_ALWAYS] = "always",
    };
    char h1[32], h2[32];
    struct utsname un;

    buf_init(&b);
    if (want(c, "server", 1)) {
        uname(&un);
        info_section(&b, "Server");
        info_printf(&b, "redis_version:%s\r\ndkv_version:%s\r\n"
                    "redis_mode:standalone\r\nos:%s %s %s\r\n"
                    "arch_bits:%d\r\nmultiplexing_api:%s\r\n"
                    "process_id:%d\r\nrun_id:%s\r\nnode_id:%s\r\n"
                    "actor_epoch:%u\r\ntcp_port:%d\r\n"
                    "server_time_usec:%lld\r\nuptime_in_seconds:%lld\r\n"
                    "uptime_in_days:%lld\r\nhz:%d\r\nexecutable:%s\r\n"
                    "config_file:%s\r\n",
                    DKV_REDIS_VERSION, DKV_VERSION, un.sysname, un.release,
                    un.machine, (int)(sizeof(long) * 8),
                    event_base_get_method(server.base), server.pid,
                    server.node_id, server.node_id, server.me.epoch,
                    server.port, (long long)ustime(), (long long)uptime,
                    (long long)uptime / 86400, server.hz, server.executable,
                    server.config_file ? server.config_file : "");
    }
    if (want(c, "clients", 1)) {
        info_section(&b, "Clients");
        info_printf(&b, "connected_clients:%ld\r\nmaxclients:%d\r\n"
                    "blocked_clients:0\r\ntracking_clients:0\r\n",
                    client_count(), server.maxclients);
    }
    if (want(c, "memory", 1)) {
        long long rss = rss_bytes();
        info_section(&b, "Memory");
        bytes_human(h1, sizeof(h1), used);
        bytes_human(h2, sizeof(h2), rss);
        info_printf(&b, "used_memory:%lld\r\nused_memory_human:%s\r\n"
                    "used_memory_rss:%lld\r\nused_memory_rss_human:%s\r\n"
                    "maxmemory:0\r\nmaxmemory_policy:noeviction\r\n"
                    "store_cache_size:%lld\r\nmem_allocator:libc\r\n",
                    used, h1, rss, h2, server.cache_size);
    }
    if (want(c, "persistence", 1)) {
        info_section(&b, "Persistence");
        info_printf(&b, "loading:0\r\nasync_loading:0\r\n"
                    "rdb_changes_since_last_save:0\r\n"
                    "rdb_bgsave_in_progress:0\r\nrdb_last_bgsave_status:ok\r\n"
                    "aof_enabled:0\r\naof_rewrite_in_progress:0\r\n"
                    "store_engine:berkeley-db\r\nstore_fsync:%s\r\n"
                    "store_commits:%lld\r\nstore_syncs:%lld\r\n"
                    "store_last_sync_ms_ago:%lld\r\n"
                    "store_checkpoints:%lld\r\nstore_last_error:%d\r\n",
                    fsync_names[server.fsync], st->commits, st->syncs,
                    st->last_sync_ms ? (long long)(now - st->last_sync_ms)
                                     : -1LL,
                    st->checkpoints, st->last_error);
    }
    if (want(c, "stats", 1)) {
        info_section(&b, "Stats");
        info_printf(&b, "total_connections_received:%lld\r\n"
                    "total_commands_processed:%lld\r\n"
                    "instantaneous_ops_per_sec:%lld\r\n"
                    "total_net_input_bytes:%lld\r\n"
                    "total_net_output_bytes:%lld\r\n"
                    "rejected_connections:%lld\r\nexpired_keys:%lld\r\n"
                    "evicted_keys:0\r\nkeyspace_hits:%lld\r\n"
                    "keyspace_misses:%lld\r\ntotal_writes:%lld\r\n"
                    "sibling_collapses:%lld\r\ntombstones_reaped:%lld\r\n"
                    "total_error_replies:%lld\r\n",
                    server.stat_numconnections, server.stat_numcommands,
                    server_ops_per_sec(), server.stat_net_input_bytes,
                    server.stat_net_output_bytes, server.stat_rejected_conn,
                    server.stat_expiredkeys, server.stat_keyspace_hits,
                    server.stat_keyspace_misses, server.stat_total_writes,
                    server.stat_sibling_collapses,
                    server.stat_tombstones_reaped,
                    server.stat_total_error_replies);
    }
    if (want(c, "replication", 1)) {
        info_section(&b, "Replication");
        info_printf(&b, "role:master\r\nconnected_slaves:0\r\n");
    }
    if (want(c, "cpu", 1)) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        info_section(&b, "CPU");
        info_printf(&b, "used_cpu_sys:%ld.%06ld\r\nused_cpu_user:%ld.%06ld\r\n",
                    (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
                    (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
    }
    if (want(c, "modules", 1)) info_section(&b, "Modules");
    if (want(c, "commandstats", 0)) {
        int count;
        struct command **t = command_stat_rows(&count);
        info_section(&b, "Commandstats");
        for (int i = 0; i < count; i++) {
            const struct command *s = t[i];
            if (s->calls == 0 && s->rejected_calls == 0) continue;
            info_printf(&b, "cmdstat_%s:calls=%lld,usec=%lld,"
                        "usec_per_call=%.2f,rejected_calls=%lld,"
                        "failed_calls=%lld\r\n", s->name, s->calls,
                        s->usec, s->calls ? (double)s->usec / s->calls
                                          : 0.0, s->rejected_calls,
                        s->failed_calls);
        }
    }
    if (want(c, "errorstats", 1)) {
        info_section(&b, "Errorstats");
        latency_info_errorstats(&b);
    }
    if (want(c, "latencystats", 0)) {
        info_section(&b, "Latencystats");
        latency_info_latencystats(&b);
    }
    if (want(c, "cluster", 1)) {
        info_section(&b, "Cluster");
        cluster_info(&b);
        coord_info(&b);
        handoff_info(&b);
        ae_info(&b);
        join_info(&b);
    }
    if (want(c, "keyspace", 1)) {
        info_section(&b, "Keyspace");
        for (int db = 0; db < server.databases; db++)
            if (db_keys(db) > 0)
                info_printf(&b, "db%d:keys=%lld,expires=%lld,avg_ttl=0\r\n",
                            db, db_keys(db), db_expires(db));
    }
    reply_verbatim(c, b.p ? b.p : "", b.len, "txt");
    buf_free(&b);
}

/* ---- CONFIG -------------------------------------------------------------- */

static const char *const compat_config[][2] = {
    { "save", "" }, { "appendonly", "no" }, { "databases", "1" }
};
#define COMPAT_CONFIG_COUNT \
    ((int)(sizeof(compat_config) / sizeof(compat_config[0])))

/* CONFIG GET collects pairs first: the reply needs their count up front. */
struct config_pairs {
    struct buf names;   /* NUL-separated */
    struct buf values;  /* NUL-separated */
    long n;
};

static void
collect_pair(void *priv, const char *name, const char *value)
{
    struct config_pairs *p = priv;
    const char *q = p->names.p;

    /* Several patterns may match one directive; list it once. */
    for (long i = 0; i < p->n; i++) {
        if (!strcmp(q, name)) return;
        q += strlen(q) + 1;
    }
    buf_append(&p->names, name, strlen(name) + 1);
    buf_append(&p->values, value, strlen(value) + 1);
    p->n++;
}

void
config_command(struct client *c)
{
    const char *sub = c->argv[1];
    char err[256];

    if (!strcasecmp(sub, "get") && c->argc >= 3) {
        struct config_pairs p;
        const char *n, *v;

        memset(&p, 0, sizeof(p));
        for (int i = 2; i < c->argc; i++) {
            config_get(c->argv[i], collect_pair, &p);
            /* Tools written for Redis (redis-benchmark, redis-cli) ask for
             * these; the truthful answer is that dkv has no RDB or AOF. */
            for (int k = 0; k < COMPAT_CONFIG_COUNT; k++)
                if (string_match(c->argv[i], c->argvlen[i], compat_config[k][0],
                                 strlen(compat_config[k][0]), 1))
                    collect_pair(&p, compat_config[k][0], compat_config[k][1]);
        }
        reply_map_len(c, p.n);
        n = p.names.p;
        v = p.values.p;
        for (long i = 0; i < p.n; i++) {
            reply_bulk_cstr(c, n);
            reply_bulk_cstr(c, v);
            n += strlen(n) + 1;
            v += strlen(v) + 1;
        }
        buf_free(&p.names);
        buf_free(&p.values);
    } else if (!strcasecmp(sub, "set") && c->argc >= 4 && c->argc % 2 == 0) {
        for (int i = 2; i < c->argc; i += 2) {
            if (config_set(c->argv[i], c->argv[i + 1], err, sizeof(err))) {
                reply_errorf(c, "ERR %s", err);
                return;
            }
        }
        reply_ok(c);
    } else if (!strcasecmp(sub, "resetstat") && c->argc == 2) {
        int count;
        struct command **t = command_stat_rows(&count);
        for (int i = 0; i < count; i++)
            t[i]->calls = t[i]->usec = t[i]->rejected_calls =
                t[i]->failed_calls = 0;
        latency_reset_stats();
        server.stat_numcommands = server.stat_numconnections = 0;
        server.stat_rejected_conn = server.stat_expiredkeys = 0;
        server.stat_keyspace_hits = server.stat_keyspace_misses = 0;
        server.stat_net_input_bytes = server.stat_net_output_bytes = 0;
        server.stat_sibling_collapses = server.stat_total_writes = 0;
        server.stat_tombstones_reaped = 0;
        reply_ok(c);
    } else if (!strcasecmp(sub, "rewrite") && c->argc == 2) {
        if (config_rewrite(err, sizeof(err))) reply_errorf(c, "ERR %s", err);
        else reply_ok(c);
    } else {
        reply_errorf(c, "ERR unknown subcommand or wrong number of arguments "
                     "for '%.128s'. Try CONFIG HELP.", sub);
    }
}

/* ---- TIME / SHUTDOWN / DEBUG -------------------------------------------- */

void
time_command(struct client *c)
{
    int64_t us = ustime();

    reply_array_len(c, 2);
    reply_bulk_ll(c, us / 1000000);
    reply_bulk_ll(c, us % 1000000);
}

void
shutdown_command(struct client *c)
{
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        if (!strcasecmp(a, "abort")) {
            reply_error(c, "ERR No shutdown in progress.");
            return;
        }
        if (strcasecmp(a, "nosave") && strcasecmp(a, "save") &&
            strcasecmp(a, "now") && strcasecmp(a, "force")) {
            reply_syntax_error(c);
            return;
        }
    }
    /* Every write is already committed; like Redis, no reply: the
     * connection closes as the server exits. */
    log_warn("User requested shutdown...");
    server_request_shutdown();
}

void
debug_command(struct client *c)
{
    const char *sub = c->argv[1];

    if (!server.enable_debug_command) {
        reply_error(c, "ERR DEBUG command not allowed. If the "
                    "enable-debug-command option is set to \"local\", you "
                    "can run it from a local connection, otherwise you need "
                    "to set this option in the configuration file, and then "
                    "restart the server.");
        return;
    }
    if (!strcasecmp(sub, "sleep") && c->argc == 3) {
        double secs = strtod(c->argv[2], NULL);
        if (secs > 0 && secs < 3600) usleep((useconds_t)(secs * 1e6));
        reply_ok(c);
    } else if (!strcasecmp(sub, "set-active-expire") && c->argc == 3) {
        server.active_expire = atoi(c->argv[2]) != 0;
        reply_ok(c);
    } else if (!strcasecmp(sub, "versions") && c->argc == 3) {
        /* The raw version set of a key, for tests and operators. */
        struct vset s;
        if (kv_load(c, c->argv[2], c->argvlen[2], &s) != DKV_OK) return;
        reply_array_len(c, s.n);
        for (int i = 0; i < s.n; i++) {
            const struct version *v = &s.v[i];
            char line[256];
            snprintf(line, sizeof(line),
                     "kind=%s ts=%lld expire=%lld clock_entries=%d len=%zu",
                     v->kind == VERSION_TOMBSTONE ? "tombstone" :
                     v->kind == VERSION_COUNTER ? "counter" : "value",
                     (long long)v->ts_ms, (long long)v->expire_ms,
                     v->clock.n, v->len);
            reply_bulk_cstr(c, line);
        }
        vset_free(&s);
    } else {
        reply_errorf(c, "ERR unknown subcommand or wrong number of arguments "
                     "for '%.128s'. Try DEBUG HELP.", sub);
    }
}

/* DKV.CONSISTENCY [R W | DEFAULT]: this connection's quorums. */
void
dkv_consistency_command(struct client *c)
{
    long long r, w;

    if (c->argc == 2 && !strcasecmp(c->argv[1], "default")) {
        c->read_quorum = c->write_quorum = 0;
        reply_ok(c);
        return;
    }
    if (c->argc == 1) {
        reply_array_len(c, 2);
        reply_ll(c, c->read_quorum ? c->read_quorum : server.read_quorum);
        reply_ll(c, c->write_quorum ? c->write_quorum : server.write_quorum);
        return;
    }
    if (c->argc != 3) {
        reply_arity_error(c);
        return;
    }
    if (!string2ll(c->argv[1], c->argvlen[1], &r) ||
        !string2ll(c->argv[2], c->argvlen[2], &w)) {
        reply_not_integer(c);
        return;
    }
    if (r < 1 || w < 1 || r > server.replicas || w > server.replicas) {
        reply_errorf(c, "ERR R and W must be between 1 and N (%d)",
                     server.replicas);
        return;
    }
    c->read_quorum = (int)r;
    c->write_quorum = (int)w;
    reply_ok(c);
}

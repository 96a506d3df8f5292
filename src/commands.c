/* The command table and dispatch (see commands.h). Adding a command: add
 * its row here, its handler to commands.h and its documentation to
 * cmd_docs.c (redis-cli builds its hints from COMMAND DOCS). */
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#include "commands.h"
#include "cmd_docs.h"
#include "client.h"
#include "cluster.h"
#include "coord.h"
#include "ae.h"
#include "join.h"
#include "keyspace.h"
#include "latency.h"
#include "slowlog.h"
#include "t_multi.h"
#include "wait.h"
#include "server.h"
#include "util.h"

#define R  CMD_READONLY
#define W  CMD_WRITE
#define F  CMD_FAST

static struct command command_table[] = {
    /* connection */
    { .name = "ping", .proc = ping_command, .arity = -1, .flags = F,
      .acl = "@fast @connection" },
    { .name = "echo", .proc = echo_command, .arity = 2, .flags = F,
      .acl = "@fast @connection" },
    { .name = "quit", .proc = quit_command, .arity = -1,
      .flags = F | CMD_NOAUTH | CMD_TX, .acl = "@fast @connection" },
    { .name = "select", .proc = select_command, .arity = 2, .flags = F,
      .acl = "@fast @connection" },
    { .name = "auth", .proc = auth_command, .arity = -2,
      .flags = F | CMD_NOAUTH, .acl = "@fast @connection" },
    { .name = "hello", .proc = hello_command, .arity = -1,
      .flags = F | CMD_NOAUTH, .acl = "@fast @connection" },
    { .name = "client", .proc = client_command, .arity = -2,
      .flags = CMD_CONTAINER, .acl = "@slow @connection" },
    { .name = "command", .proc = command_command, .arity = -1,
      .flags = CMD_CONTAINER, .acl = "@slow @connection" },
    /* server */
    { .name = "info", .proc = info_command, .arity = -1, .flags = 0,
      .acl = "@slow @dangerous" },
    { .name = "config", .proc = config_command, .arity = -2,
      .flags = CMD_ADMIN | CMD_CONTAINER, .acl = "@admin @slow @dangerous" },
    { .name = "time", .proc = time_command, .arity = 1, .flags = F,
      .acl = "@fast" },
    { .name = "shutdown", .proc = shutdown_command, .arity = -1,
      .flags = CMD_ADMIN, .acl = "@admin @slow @dangerous" },
    { .name = "debug", .proc = debug_command, .arity = -2,
      .flags = CMD_ADMIN, .acl = "@admin @slow @dangerous" },
    { .name = "dbsize", .proc = dbsize_command, .arity = 1, .flags = R | F,
      .acl = "@keyspace @read @fast" },
    { .name = "flushall", .proc = flushall_command, .arity = -1, .flags = W,
      .acl = "@keyspace @write @slow @dangerous" },
    { .name = "flushdb", .proc = flushdb_command, .arity = -1, .flags = W,
      .acl = "@keyspace @write @slow @dangerous" },
    /* strings */
    { .name = "get", .proc = get_command, .arity = 2, .flags = R | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @string @fast" },
    { .name = "set", .proc = set_command, .arity = -3, .flags = W,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @slow" },
    { .name = "setnx", .proc = setnx_command, .arity = 3, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "setex", .proc = setex_command, .arity = 4, .flags = W,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @slow" },
    { .name = "psetex", .proc = psetex_command, .arity = 4, .flags = W,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @slow" },
    { .name = "getset", .proc = getset_command, .arity = 3, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "getdel", .proc = getdel_command, .arity = 2, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "getex", .proc = getex_command, .arity = -2, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "mget", .proc = mget_command, .arity = -2, .flags = R | F,
      .first_key = 1, .last_key = -1, .key_step = 1,
      .acl = "@read @string @fast" },
    { .name = "mset", .proc = mset_command, .arity = -3, .flags = W,
      .first_key = 1, .last_key = -1, .key_step = 2,
      .acl = "@write @string @slow" },
    { .name = "msetnx", .proc = msetnx_command, .arity = -3, .flags = W,
      .first_key = 1, .last_key = -1, .key_step = 2,
      .acl = "@write @string @slow" },
    { .name = "append", .proc = append_command, .arity = 3, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "strlen", .proc = strlen_command, .arity = 2, .flags = R | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @string @fast" },
    { .name = "getrange", .proc = getrange_command, .arity = 4, .flags = R,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @string @slow" },
    { .name = "substr", .proc = getrange_command, .arity = 4, .flags = R,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @string @slow" },
    { .name = "setrange", .proc = setrange_command, .arity = 4, .flags = W,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @slow" },
    { .name = "incr", .proc = incr_command, .arity = 2, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "decr", .proc = decr_command, .arity = 2, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "incrby", .proc = incrby_command, .arity = 3, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "decrby", .proc = decrby_command, .arity = 3, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    { .name = "incrbyfloat", .proc = incrbyfloat_command, .arity = 3,
      .flags = W | F, .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @string @fast" },
    /* keyspace */
    { .name = "del", .proc = del_command, .arity = -2, .flags = W,
      .first_key = 1, .last_key = -1, .key_step = 1,
      .acl = "@keyspace @write @slow" },
    { .name = "unlink", .proc = del_command, .arity = -2, .flags = W | F,
      .first_key = 1, .last_key = -1, .key_step = 1,
      .acl = "@keyspace @write @fast" },
    { .name = "exists", .proc = exists_command, .arity = -2, .flags = R | F,
      .first_key = 1, .last_key = -1, .key_step = 1,
      .acl = "@keyspace @read @fast" },
    { .name = "type", .proc = type_command, .arity = 2, .flags = R | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @read @fast" },
    { .name = "expire", .proc = expire_command, .arity = -3, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @write @fast" },
    { .name = "pexpire", .proc = pexpire_command, .arity = -3,
      .flags = W | F, .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @write @fast" },
    { .name = "expireat", .proc = expireat_command, .arity = -3,
      .flags = W | F, .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @write @fast" },
    { .name = "pexpireat", .proc = pexpireat_command, .arity = -3,
      .flags = W | F, .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @write @fast" },
    { .name = "ttl", .proc = ttl_command, .arity = 2, .flags = R | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @read @fast" },
    { .name = "pttl", .proc = pttl_command, .arity = 2, .flags = R | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @read @fast" },
    { .name = "persist", .proc = persist_command, .arity = 2, .flags = W | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @write @fast" },
    { .name = "scan", .proc = scan_command, .arity = -2, .flags = R,
      .acl = "@keyspace @read @slow" },
    { .name = "keys", .proc = keys_command, .arity = 2, .flags = R,
      .acl = "@keyspace @read @slow @dangerous" },
    { .name = "randomkey", .proc = randomkey_command, .arity = 1,
      .flags = R, .acl = "@keyspace @read @slow" },
    /* databases, RENAME/COPY/MOVE (multi-key: coord_multikey.c) */
    { .name = "swapdb", .proc = swapdb_command, .arity = 3, .flags = W,
      .acl = "@keyspace @write @fast @dangerous" },
    { .name = "rename", .proc = rename_command, .arity = 3,
      .flags = W | CMD_MULTIKEY, .first_key = 1, .last_key = 2,
      .key_step = 1, .acl = "@keyspace @write @slow" },
    { .name = "renamenx", .proc = renamenx_command, .arity = 3,
      .flags = W | F | CMD_MULTIKEY, .first_key = 1, .last_key = 2,
      .key_step = 1, .acl = "@keyspace @write @fast" },
    { .name = "copy", .proc = copy_command, .arity = -3,
      .flags = W | CMD_MULTIKEY, .first_key = 1, .last_key = 2,
      .key_step = 1, .more_keys = copy_keys,
      .acl = "@keyspace @write @slow" },
    { .name = "move", .proc = move_command, .arity = 3,
      .flags = W | F | CMD_MULTIKEY, .first_key = 1, .last_key = 1,
      .key_step = 1, .more_keys = move_keys,
      .acl = "@keyspace @write @fast" },
    /* dkv */
    { .name = "dkv.context", .proc = dkv_context_command, .arity = 2,
      .flags = R | F, .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @fast" },
    { .name = "dkv.del", .proc = dkv_del_command, .arity = -2, .flags = W,
      .first_key = 1, .last_key = 1, .key_step = 1, .acl = "@write" },
    { .name = "dkv.consistency", .proc = dkv_consistency_command,
      .arity = -1, .flags = F, .acl = "@fast @connection" },
    { .name = "dkv.members", .proc = dkv_members_command, .arity = 1,
      .flags = 0, .acl = "@slow" },
    { .name = "dkv.ring", .proc = dkv_ring_command, .arity = 1,
      .flags = 0, .acl = "@slow" },
    { .name = "dkv.merkle", .proc = dkv_merkle_command, .arity = 1,
      .flags = 0, .acl = "@slow" },
    { .name = "dkv.join", .proc = dkv_join_command, .arity = 2,
      .flags = CMD_ADMIN, .acl = "@admin @slow @dangerous" },
    { .name = "dkv.leave", .proc = dkv_leave_command, .arity = 1,
      .flags = CMD_ADMIN, .acl = "@admin @slow @dangerous" },
    { .name = "dkv.forget", .proc = dkv_forget_command, .arity = 2,
      .flags = CMD_ADMIN, .acl = "@admin @slow @dangerous" },
    /* DUMP / RESTORE (t_dump.c): Redis's serialization format */
    { .name = "dump", .proc = dump_command, .arity = 2, .flags = R,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @read @slow" },
    { .name = "restore", .proc = restore_command, .arity = -4, .flags = W,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @write @slow @dangerous" },
    /* bitmaps and LCS (t_bitmap.c, t_lcs.c) */
    { .name = "setbit", .proc = setbit_command, .arity = 4, .flags = W,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @bitmap @slow" },
    { .name = "getbit", .proc = getbit_command, .arity = 3, .flags = R | F,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @bitmap @fast" },
    { .name = "bitcount", .proc = bitcount_command, .arity = -2, .flags = R,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @bitmap @slow" },
    { .name = "bitpos", .proc = bitpos_command, .arity = -3, .flags = R,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @bitmap @slow" },
    { .name = "bitop", .proc = bitop_command, .arity = -4,
      .flags = W | CMD_MULTIKEY, .first_key = 2, .last_key = -1,
      .key_step = 1, .acl = "@write @bitmap @slow" },
    { .name = "bitfield", .proc = bitfield_command, .arity = -2, .flags = W,
      .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@write @bitmap @slow" },
    { .name = "bitfield_ro", .proc = bitfield_ro_command, .arity = -2,
      .flags = R | F, .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@read @bitmap @fast" },
    { .name = "lcs", .proc = lcs_command, .arity = -3,
      .flags = R | CMD_MULTIKEY, .first_key = 1, .last_key = 2,
      .key_step = 1, .acl = "@read @string @slow" },
    /* observability and connection surface (issue 9) */
    { .name = "monitor", .proc = monitor_command, .arity = 1,
      .flags = CMD_ADMIN, .acl = "@admin @slow @dangerous" },
    { .name = "reset", .proc = reset_command, .arity = 1,
      .flags = F | CMD_NOAUTH | CMD_TX, .acl = "@fast @connection" },
    /* transactions (t_multi.c) */
    { .name = "multi", .proc = multi_command, .arity = 1,
      .flags = F | CMD_TX, .acl = "@fast @transaction" },
    { .name = "exec", .proc = exec_command, .arity = 1, .flags = CMD_TX,
      .acl = "@slow @transaction" },
    { .name = "discard", .proc = discard_command, .arity = 1,
      .flags = F | CMD_TX, .acl = "@fast @transaction" },
    { .name = "watch", .proc = watch_command, .arity = -2,
      .flags = F | CMD_TX | CMD_MULTIKEY, .first_key = 1, .last_key = -1,
      .key_step = 1, .acl = "@fast @transaction" },
    { .name = "unwatch", .proc = unwatch_command, .arity = 1, .flags = F,
      .acl = "@fast @transaction" },
    { .name = "wait", .proc = wait_command, .arity = 3, .flags = 0,
      .acl = "@slow @connection" },
    { .name = "slowlog", .proc = slowlog_command, .arity = -2,
      .flags = CMD_ADMIN | CMD_CONTAINER, .acl = "@admin @slow @dangerous" },
    { .name = "latency", .proc = latency_command, .arity = -2,
      .flags = CMD_ADMIN | CMD_CONTAINER, .acl = "@admin @slow @dangerous" },
    { .name = "function", .proc = function_command, .arity = -2,
      .flags = CMD_CONTAINER, .acl = "@slow @scripting" },
    { .name = "script", .proc = script_command, .arity = -2,
      .flags = CMD_CONTAINER, .acl = "@slow @scripting" },
    { .name = "eval", .proc = eval_refused_command, .arity = -3,
      .flags = 0, .acl = "@slow @scripting" },
    { .name = "evalsha", .proc = eval_refused_command, .arity = -3,
      .flags = 0, .acl = "@slow @scripting" },
    { .name = "eval_ro", .proc = eval_refused_command, .arity = -3,
      .flags = 0, .acl = "@slow @scripting" },
    { .name = "evalsha_ro", .proc = eval_refused_command, .arity = -3,
      .flags = 0, .acl = "@slow @scripting" },
    { .name = "fcall", .proc = eval_refused_command, .arity = -3,
      .flags = 0, .acl = "@slow @scripting" },
    { .name = "fcall_ro", .proc = eval_refused_command, .arity = -3,
      .flags = 0, .acl = "@slow @scripting" },
    { .name = "object", .proc = object_command, .arity = -2,
      .flags = R | CMD_CONTAINER, .first_key = 2, .last_key = 2,
      .key_step = 1, .acl = "@keyspace @read @slow" },
    { .name = "memory", .proc = memory_command, .arity = -2,
      .flags = R | CMD_CONTAINER, .first_key = 2, .last_key = 2,
      .key_step = 1, .acl = "@read @slow" },
    /* dkv keeps no access times: TOUCH is EXISTS. */
    { .name = "touch", .proc = exists_command, .arity = -2, .flags = R | F,
      .first_key = 1, .last_key = -1, .key_step = 1,
      .acl = "@keyspace @read @fast" },
    { .name = "expiretime", .proc = expiretime_command, .arity = 2,
      .flags = R | F, .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @read @fast" },
    { .name = "pexpiretime", .proc = pexpiretime_command, .arity = 2,
      .flags = R | F, .first_key = 1, .last_key = 1, .key_step = 1,
      .acl = "@keyspace @read @fast" },
    /* Internal (peer links only; see cluster.c and coord.c for their
     * grammar). Kept last: COMMAND does not list them. */
    { .name = "dkv.peer", .proc = dkv_peer_command, .arity = 2,
      .flags = F | CMD_NOAUTH, .acl = "@fast" },
    { .name = "dkv.gossip", .proc = dkv_gossip_command, .arity = 2,
      .flags = CMD_PEER, .acl = "@slow" },
    { .name = "dkv.getv", .proc = dkv_getv_command, .arity = 2,
      .flags = CMD_PEER | F, .acl = "@fast" },
    { .name = "dkv.putv", .proc = dkv_putv_command, .arity = -3,
      .flags = CMD_PEER | F, .acl = "@fast" },
    { .name = "dkv.fwd", .proc = dkv_fwd_command, .arity = -6,
      .flags = CMD_PEER, .acl = "@fast" },
    { .name = "dkv.scanp", .proc = dkv_scanp_command, .arity = -6,
      .flags = CMD_PEER, .acl = "@slow" },
    { .name = "dkv.countp", .proc = dkv_countp_command, .arity = 2,
      .flags = CMD_PEER, .acl = "@slow" },
    { .name = "dkv.flushp", .proc = dkv_flushp_command, .arity = -1,
      .flags = CMD_PEER, .acl = "@slow" },
    { .name = "dkv.mroots", .proc = dkv_mroots_command, .arity = 1,
      .flags = CMD_PEER, .acl = "@slow" },
    { .name = "dkv.mtree", .proc = dkv_mtree_command, .arity = 2,
      .flags = CMD_PEER, .acl = "@slow" },
    { .name = "dkv.mleaves", .proc = dkv_mleaves_command, .arity = -3,
      .flags = CMD_PEER, .acl = "@slow" },
    { .name = "dkv.mkeys", .proc = dkv_mkeys_command, .arity = -3,
      .flags = CMD_PEER, .acl = "@slow" },
    { .name = "dkv.xfer", .proc = dkv_xfer_command, .arity = 4,
      .flags = CMD_PEER, .acl = "@slow" },
};

#define INTERNAL_COMMANDS 13

#undef R
#undef W
#undef F

#define COMMAND_COUNT ((int)(sizeof(command_table) / sizeof(command_table[0])))

/* Open-addressing table over the command names, built once; lookups are on
 * every request, so no strcasecmp scan. */
#define LOOKUP_SLOTS 256
static struct command *lookup_slots[LOOKUP_SLOTS];

static unsigned
name_hash(const char *s, size_t len)
{
    unsigned h = 5381;
    for (size_t i = 0; i < len; i++)
        h = h * 33 + (unsigned char)(s[i] | 0x20);
    return h;
}

static struct command **stat_rows;
static int nstat_rows;

/* Gives each container its subcommand rows (named as COMMAND DOCS names
 * them) and lists every row statistics go to. */
static void
build_stat_rows(void)
{
    int external = COMMAND_COUNT - INTERNAL_COMMANDS, n = 0;

    for (int i = 0; i < external; i++) {
        struct command *cmd = &command_table[i];
        size_t len = strlen(cmd->name);
        int k = 0;
        char *help;

        if (!(cmd->flags & CMD_CONTAINER)) continue;
        for (const struct cmd_doc *d = cmd_docs_table; d->name; d++)
            if (!strncmp(d->name, cmd->name, len) && d->name[len] == '|') k++;
        /* Every container has HELP ("config|help"), documented or not. */
        cmd->subs = xcalloc(k + 1, sizeof(*cmd->subs));
        help = xmalloc(len + sizeof("|help"));
        memcpy(help, cmd->name, len);
        memcpy(help + len, "|help", sizeof("|help"));
        cmd->subs[0] = *cmd;
        cmd->subs[0].name = help;
        cmd->subs[0].subs = NULL;
        cmd->nsubs = 1;
        for (const struct cmd_doc *d = cmd_docs_table; d->name; d++) {
            if (strncmp(d->name, cmd->name, len) || d->name[len] != '|' ||
                !strcmp(d->name + len, "|help"))
                continue;
            cmd->subs[cmd->nsubs] = *cmd;
            cmd->subs[cmd->nsubs].name = d->name;
            cmd->subs[cmd->nsubs].subs = NULL;
            cmd->subs[cmd->nsubs++].nsubs = 0;
        }
        n += cmd->nsubs;
    }
    stat_rows = xcalloc(external + n, sizeof(*stat_rows));
    for (int i = 0; i < external; i++) {
        struct command *cmd = &command_table[i];
        stat_rows[nstat_rows++] = cmd;
        for (int k = 0; k < cmd->nsubs; k++)
            stat_rows[nstat_rows++] = &cmd->subs[k];
    }
}

struct command **
command_stat_rows(int *count)
{
    *count = nstat_rows;
    return stat_rows;
}

struct command *
command_stat_row(const struct command *cmd, int argc, char **argv)
{
    size_t len = strlen(cmd->name) + 1;

    if (argc >= 2)
        for (int k = 0; k < cmd->nsubs; k++)
            if (!strcasecmp(cmd->subs[k].name + len, argv[1]))
                return &cmd->subs[k];
    return (struct command *)cmd;
}

void
commands_init(void)
{
    build_stat_rows();
    for (int i = 0; i < COMMAND_COUNT; i++) {
        struct command *cmd = &command_table[i];
        unsigned h = name_hash(cmd->name, strlen(cmd->name));
        while (lookup_slots[h % LOOKUP_SLOTS] != NULL) h++;
        lookup_slots[h % LOOKUP_SLOTS] = cmd;
    }
}

const struct command *
command_lookup(const char *name, size_t len)
{
    unsigned h = name_hash(name, len);

    for (int probes = 0; probes < LOOKUP_SLOTS; probes++, h++) {
        struct command *cmd = lookup_slots[h % LOOKUP_SLOTS];
        if (cmd == NULL) return NULL;
        if (strlen(cmd->name) == len && strncasecmp(cmd->name, name, len) == 0)
            return cmd;
    }
    return NULL;
}

struct command *
command_table_get(int *count)
{
    *count = COMMAND_COUNT - INTERNAL_COMMANDS;
    return command_table;
}

/* ---- Redis commands dkv deliberately does not offer (yet) ---------------
 * Unknown commands get Redis's own text; these, which a Redis user (or
 * redis-benchmark's default list) may well send, are refused naming dkv
 * and what it lacks. Hashes, sets, sorted sets and HyperLogLogs are to
 * come (they move to the command table then); lists, streams and geo
 * indexes are not planned. Adding one: its lower-case name and group. */

#define NOT_LIST   "dkv has no lists"
#define NOT_HASH   "dkv has no hashes yet"
#define NOT_SET    "dkv has no sets yet"
#define NOT_ZSET   "dkv has no sorted sets yet"
#define NOT_HLL    "dkv has no HyperLogLogs yet"
#define NOT_STREAM "dkv has no streams"
#define NOT_GEO    "dkv has no geospatial indexes"

static const struct {
    const char *name;    /* lower case */
    const char *why;     /* NOT_* */
} not_offered[] = {
    { "lpush", NOT_LIST }, { "rpush", NOT_LIST }, { "lpushx", NOT_LIST },
    { "rpushx", NOT_LIST }, { "lpop", NOT_LIST }, { "rpop", NOT_LIST },
    { "lrange", NOT_LIST }, { "llen", NOT_LIST }, { "lindex", NOT_LIST },
    { "lset", NOT_LIST }, { "linsert", NOT_LIST }, { "lrem", NOT_LIST },
    { "ltrim", NOT_LIST }, { "lpos", NOT_LIST }, { "lmove", NOT_LIST },
    { "blmove", NOT_LIST }, { "rpoplpush", NOT_LIST },
    { "brpoplpush", NOT_LIST }, { "blpop", NOT_LIST }, { "brpop", NOT_LIST },
    { "lmpop", NOT_LIST }, { "blmpop", NOT_LIST },
    { "hset", NOT_HASH }, { "hsetnx", NOT_HASH }, { "hget", NOT_HASH },
    { "hmset", NOT_HASH }, { "hmget", NOT_HASH }, { "hdel", NOT_HASH },
    { "hexists", NOT_HASH }, { "hlen", NOT_HASH }, { "hstrlen", NOT_HASH },
    { "hkeys", NOT_HASH }, { "hvals", NOT_HASH }, { "hgetall", NOT_HASH },
    { "hincrby", NOT_HASH }, { "hincrbyfloat", NOT_HASH },
    { "hrandfield", NOT_HASH }, { "hscan", NOT_HASH },
    { "sadd", NOT_SET }, { "srem", NOT_SET }, { "smembers", NOT_SET },
    { "sismember", NOT_SET }, { "smismember", NOT_SET }, { "scard", NOT_SET },
    { "spop", NOT_SET }, { "srandmember", NOT_SET }, { "smove", NOT_SET },
    { "sinter", NOT_SET }, { "sintercard", NOT_SET },
    { "sinterstore", NOT_SET }, { "sunion", NOT_SET },
    { "sunionstore", NOT_SET }, { "sdiff", NOT_SET },
    { "sdiffstore", NOT_SET }, { "sscan", NOT_SET },
    { "zadd", NOT_ZSET }, { "zincrby", NOT_ZSET }, { "zrem", NOT_ZSET },
    { "zcard", NOT_ZSET }, { "zcount", NOT_ZSET }, { "zscore", NOT_ZSET },
    { "zmscore", NOT_ZSET }, { "zrank", NOT_ZSET }, { "zrevrank", NOT_ZSET },
    { "zrange", NOT_ZSET }, { "zrangestore", NOT_ZSET },
    { "zrevrange", NOT_ZSET }, { "zrangebyscore", NOT_ZSET },
    { "zrevrangebyscore", NOT_ZSET }, { "zrangebylex", NOT_ZSET },
    { "zrevrangebylex", NOT_ZSET }, { "zlexcount", NOT_ZSET },
    { "zremrangebyrank", NOT_ZSET }, { "zremrangebyscore", NOT_ZSET },
    { "zremrangebylex", NOT_ZSET }, { "zpopmin", NOT_ZSET },
    { "zpopmax", NOT_ZSET }, { "bzpopmin", NOT_ZSET },
    { "bzpopmax", NOT_ZSET }, { "zmpop", NOT_ZSET }, { "bzmpop", NOT_ZSET },
    { "zrandmember", NOT_ZSET }, { "zunion", NOT_ZSET },
    { "zunionstore", NOT_ZSET }, { "zinter", NOT_ZSET },
    { "zinterstore", NOT_ZSET }, { "zintercard", NOT_ZSET },
    { "zdiff", NOT_ZSET }, { "zdiffstore", NOT_ZSET }, { "zscan", NOT_ZSET },
    { "pfadd", NOT_HLL }, { "pfcount", NOT_HLL }, { "pfmerge", NOT_HLL },
    { "pfdebug", NOT_HLL }, { "pfselftest", NOT_HLL },
    { "xadd", NOT_STREAM }, { "xrange", NOT_STREAM },
    { "xrevrange", NOT_STREAM }, { "xlen", NOT_STREAM },
    { "xread", NOT_STREAM }, { "xreadgroup", NOT_STREAM },
    { "xdel", NOT_STREAM }, { "xtrim", NOT_STREAM }, { "xack", NOT_STREAM },
    { "xpending", NOT_STREAM }, { "xclaim", NOT_STREAM },
    { "xautoclaim", NOT_STREAM }, { "xgroup", NOT_STREAM },
    { "xinfo", NOT_STREAM }, { "xsetid", NOT_STREAM },
    { "geoadd", NOT_GEO }, { "geodist", NOT_GEO }, { "geohash", NOT_GEO },
    { "geopos", NOT_GEO }, { "georadius", NOT_GEO },
    { "georadius_ro", NOT_GEO }, { "georadiusbymember", NOT_GEO },
    { "georadiusbymember_ro", NOT_GEO }, { "geosearch", NOT_GEO },
    { "geosearchstore", NOT_GEO },
};

/* Why dkv refuses the command named s[0..len), or NULL if it is not one
 * of those (a linear scan, on the unknown-command path only). */
static const char *
command_not_offered(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof(not_offered) / sizeof(not_offered[0]); i++)
        if (strlen(not_offered[i].name) == len &&
            strncasecmp(not_offered[i].name, s, len) == 0)
            return not_offered[i].why;
    return NULL;
}

/* Redis 7's text: the name, then up to 128 bytes of arguments, each
 * quoted and followed by a space. A command dkv deliberately lacks gets
 * dkv's reason instead. */
static void
reply_unknown_command(struct client *c)
{
    const char *why = command_not_offered(c->argv[0], c->argvlen[0]);
    struct buf b;

    if (why != NULL) {
        reply_errorf(c, "ERR %s: '%.64s' is not supported", why, c->argv[0]);
        return;
    }

    buf_init(&b);
    for (int i = 1; i < c->argc && b.len < 128; i++) {
        size_t room = 128 - b.len;
        size_t n = c->argvlen[i] < room ? c->argvlen[i] : room;
        buf_append(&b, "'", 1);
        buf_append(&b, c->argv[i], n);
        buf_append(&b, "' ", 2);
    }
    buf_put_u8(&b, 0);
    reply_errorf(c, "ERR unknown command '%.128s', with args beginning "
                 "with: %s", c->argv[0], b.p);
    buf_free(&b);
}

int
command_last_key(const struct command *cmd, int argc)
{
    int last = cmd->last_key < 0 ? argc + cmd->last_key : cmd->last_key;
    return last < argc ? last : argc - 1;
}

void
command_keys_to_db(struct client *c, const struct command *cmd)
{
    int last, any = 0;
    char **argv;
    size_t *argvlen;

    if (cmd->first_key == 0 || (c->flags & CLIENT_PEER) ||
        c->user_argv != NULL)
        return;
    last = command_last_key(cmd, c->argc);
    for (int i = cmd->first_key; i <= last && !any; i += cmd->key_step)
        any = keyspace_needs_prefix(c->db, c->argv[i], c->argvlen[i]);
    if (!any) return;  /* db 0's ordinary keys: stored as they are */
    argv = xmalloc(sizeof(char *) * c->argc);
    argvlen = xmalloc(sizeof(size_t) * c->argc);
    memcpy(argv, c->argv, sizeof(char *) * c->argc);
    memcpy(argvlen, c->argvlen, sizeof(size_t) * c->argc);
    for (int i = cmd->first_key; i <= last; i += cmd->key_step) {
        struct buf b;
        buf_init(&b);
        keyspace_encode(c->db, c->argv[i], c->argvlen[i], &b);
        buf_put_u8(&b, 0);  /* argv strings are NUL-terminated */
        argv[i] = b.p;
        argvlen[i] = b.len - 1;
    }
    c->user_argv = c->argv;
    c->user_argvlen = c->argvlen;
    c->argv = argv;
    c->argvlen = argvlen;
}

void
command_keys_restore(struct client *c)
{
    if (c->user_argv == NULL) return;
    for (int i = 0; i < c->argc; i++)
        if (c->argv[i] != c->user_argv[i]) free(c->argv[i]);
    free(c->argv);
    free(c->argvlen);
    c->argv = c->user_argv;
    c->argvlen = c->user_argvlen;
    c->user_argv = NULL;
    c->user_argvlen = NULL;
}

/* Accounts for one finished command: INFO commandstats, latencystats,
 * the slow log. Called when its answer is ready: right after the handler,
 * or by the coordinator when a coordinated request answers (so a
 * cluster command's time includes its replicas' round trips). c may be
 * NULL when the client left meanwhile. */
void
command_record(struct client *c, const struct command *cmd, int argc,
               char **argv, const size_t *argvlen, long long usec,
               int failed)
{
    struct command *m = command_stat_row(cmd, argc, argv);

    m->calls++;
    m->usec += usec;
    if (failed) m->failed_calls++;
    latency_record(m, usec);
    slowlog_push(c, argc, argv, argvlen, usec);
    server.stat_numcommands++;
}

void
command_run(struct client *c, const struct command *cmd)
{
    long long errors = server.stat_total_error_replies;
    int64_t start;

    c->cmd = cmd;
    start = ustime();
    c->cmd_start_us = start;
    server.now_ms = start / 1000;
    command_keys_to_db(c, cmd);
    c->flags &= ~(CLIENT_SUB_REJECTED | CLIENT_SUB_UNKNOWN);
    cmd->proc(c);
    /* Statistics and the slow log see the client's own arguments. */
    command_keys_restore(c);
    /* As Redis: a subcommand's arity error is a rejected call, an unknown
     * subcommand no call at all. */
    if (c->flags & CLIENT_SUB_REJECTED)
        command_stat_row(cmd, c->argc, c->argv)->rejected_calls++;
    else if (!(c->flags & CLIENT_SUB_UNKNOWN))
        command_record(c, cmd, c->argc, c->argv, c->argvlen,
                       ustime() - start,
                       server.stat_total_error_replies != errors);
    c->lastcmd = cmd;
    c->cmd = NULL;
}

/* A command refused before it ran: counted, and a transaction being
 * queued fails (EXECABORT). */
static void
rejected(struct client *c, const struct command *cmd)
{
    if (cmd) command_stat_row(cmd, c->argc, c->argv)->rejected_calls++;
    multi_refused(c);
}

int
command_call(struct client *c)
{
    const struct command *cmd = command_lookup(c->argv[0], c->argvlen[0]);

    /* Replies leave in request order: while coordinated requests are in
     * flight, only another one that cannot interfere may start. */
    if (c->ninflight > 0 && !coord_may_start(c, cmd)) return CALL_HELD;
    if (cmd == NULL || ((cmd->flags & CMD_PEER) &&
                        !(c->flags & CLIENT_PEER))) {
        rejected(c, NULL);
        reply_unknown_command(c);
        return CALL_DONE;
    }
    if ((cmd->arity > 0 && c->argc != cmd->arity) ||
        (c->argc < -cmd->arity)) {
        rejected(c, cmd);
        if (cmd->proc == exec_command && multi_queuing(c)) {
            /* Redis 7: a refused EXEC ends the transaction, saying why. */
            multi_free(c);
            reply_error(c, "EXECABORT Transaction discarded because of: "
                        "wrong number of arguments for 'exec' command");
            return CALL_DONE;
        }
        reply_errorf(c, "ERR wrong number of arguments for '%s' command",
                     cmd->name);
        return CALL_DONE;
    }
    if (!(c->flags & CLIENT_AUTHENTICATED) && !(cmd->flags & CMD_NOAUTH)) {
        rejected(c, cmd);
        reply_error(c, "NOAUTH Authentication required.");
        return CALL_DONE;
    }
    if ((c->flags & CLIENT_MONITOR) && (cmd->flags & (CMD_WRITE |
                                                      CMD_READONLY))) {
        /* Redis's text: a monitor is a replica-like client. */
        rejected(c, cmd);
        reply_error(c, "ERR Replica can't interact with the keyspace");
        return CALL_DONE;
    }
    /* Between MULTI and EXEC: queued, not run (and not paused: EXEC is). */
    if (multi_queuing(c) && !(cmd->flags & CMD_TX)) {
        multi_queue(c, cmd);
        return CALL_DONE;
    }
    if (client_paused(c, cmd) ||
        (cmd->proc == exec_command && multi_exec_paused(c)) ||
        (cmd->proc == wait_command && wait_must_block(c)))
        return CALL_HELD;
    /* CLIENT REPLY SKIP silences the command after it. */
    c->flags &= ~CLIENT_REPLY_SKIP;
    if (c->flags & CLIENT_REPLY_SKIP_NEXT) {
        c->flags &= ~CLIENT_REPLY_SKIP_NEXT;
        c->flags |= CLIENT_REPLY_SKIP;
    }
    /* MONITOR sees the arguments as the client sent them. */
    if (cmd->proc != exec_command) monitor_feed(c, cmd);
    c->cmd = cmd;
    c->cmd_start_us = ustime();
    server.now_ms = c->cmd_start_us / 1000;
    command_keys_to_db(c, cmd);
    if (coord_dispatch(c, cmd)) {
        /* Answered later, by the coordinator (which copied argv;
         * command_record then). */
        command_keys_restore(c);
        if (c->flags & CLIENT_REPLY_SKIP) coord_silence_last(c);
        c->flags &= ~CLIENT_REPLY_SKIP;
        c->lastcmd = cmd;
        c->cmd = NULL;
        return CALL_DONE;
    }
    command_run(c, cmd);
    c->flags &= ~CLIENT_REPLY_SKIP;
    return CALL_DONE;
}

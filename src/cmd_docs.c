/* Command documentation served by COMMAND DOCS. redis-cli 7 builds its
 * interactive hints ("set foo value [NX|XX] [GET] ...") from this reply
 * when the server has it, so every command dkv serves is described here
 * with Redis 7's argument shapes; dkv's own commands are in group "dkv".
 * Pure data: behaviour lives in commands.c and the handlers. */
#include <string.h>

#include "cmd_docs.h"

#define OPT ARG_FLAG_OPTIONAL
#define MUL ARG_FLAG_MULTIPLE
#define END { 0 }

/* ---- Shared argument lists --------------------------------------------- */

static const struct cmd_arg key_only[] = {
    { .name = "key", .type = ARG_KEY }, END
};
static const struct cmd_arg wait_args[] = {
    { .name = "numreplicas", .type = ARG_INTEGER },
    { .name = "timeout", .type = ARG_INTEGER }, END
};
static const struct cmd_arg keys_multi[] = {
    { .name = "key", .type = ARG_KEY, .flags = MUL }, END
};
static const struct cmd_arg key_value[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "value", .type = ARG_STRING }, END
};
static const struct cmd_arg key_increment[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "increment", .type = ARG_INTEGER }, END
};
static const struct cmd_arg key_decrement[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "decrement", .type = ARG_INTEGER }, END
};
static const struct cmd_arg flush_mode_choices[] = {
    { .name = "async", .type = ARG_PURE_TOKEN, .token = "ASYNC" },
    { .name = "sync", .type = ARG_PURE_TOKEN, .token = "SYNC" }, END
};
static const struct cmd_arg flush_args[] = {
    { .name = "flush-type", .type = ARG_ONEOF, .flags = OPT,
      .subargs = flush_mode_choices }, END
};
static const struct cmd_arg expire_conditions[] = {
    { .name = "nx", .type = ARG_PURE_TOKEN, .token = "NX" },
    { .name = "xx", .type = ARG_PURE_TOKEN, .token = "XX" },
    { .name = "gt", .type = ARG_PURE_TOKEN, .token = "GT" },
    { .name = "lt", .type = ARG_PURE_TOKEN, .token = "LT" }, END
};
static const struct cmd_arg expire_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "seconds", .type = ARG_INTEGER },
    { .name = "condition", .type = ARG_ONEOF, .flags = OPT,
      .subargs = expire_conditions }, END
};
static const struct cmd_arg pexpire_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "milliseconds", .type = ARG_INTEGER },
    { .name = "condition", .type = ARG_ONEOF, .flags = OPT,
      .subargs = expire_conditions }, END
};
static const struct cmd_arg expireat_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "unix-time-seconds", .type = ARG_UNIX_TIME },
    { .name = "condition", .type = ARG_ONEOF, .flags = OPT,
      .subargs = expire_conditions }, END
};
static const struct cmd_arg pexpireat_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "unix-time-milliseconds", .type = ARG_UNIX_TIME },
    { .name = "condition", .type = ARG_ONEOF, .flags = OPT,
      .subargs = expire_conditions }, END
};

/* ---- SET and GETEX ----------------------------------------------------- */

static const struct cmd_arg set_conditions[] = {
    { .name = "nx", .type = ARG_PURE_TOKEN, .token = "NX" },
    { .name = "xx", .type = ARG_PURE_TOKEN, .token = "XX" }, END
};
static const struct cmd_arg set_expirations[] = {
    { .name = "seconds", .type = ARG_INTEGER, .token = "EX" },
    { .name = "milliseconds", .type = ARG_INTEGER, .token = "PX" },
    { .name = "unix-time-seconds", .type = ARG_UNIX_TIME, .token = "EXAT" },
    { .name = "unix-time-milliseconds", .type = ARG_UNIX_TIME,
      .token = "PXAT" },
    { .name = "keepttl", .type = ARG_PURE_TOKEN, .token = "KEEPTTL" }, END
};
static const struct cmd_arg set_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "value", .type = ARG_STRING },
    { .name = "condition", .type = ARG_ONEOF, .flags = OPT,
      .subargs = set_conditions },
    { .name = "get", .type = ARG_PURE_TOKEN, .token = "GET", .flags = OPT },
    { .name = "expiration", .type = ARG_ONEOF, .flags = OPT,
      .subargs = set_expirations },
    { .name = "context", .type = ARG_STRING, .token = "CONTEXT",
      .flags = OPT }, END
};
static const struct cmd_arg getex_expirations[] = {
    { .name = "seconds", .type = ARG_INTEGER, .token = "EX" },
    { .name = "milliseconds", .type = ARG_INTEGER, .token = "PX" },
    { .name = "unix-time-seconds", .type = ARG_UNIX_TIME, .token = "EXAT" },
    { .name = "unix-time-milliseconds", .type = ARG_UNIX_TIME,
      .token = "PXAT" },
    { .name = "persist", .type = ARG_PURE_TOKEN, .token = "PERSIST" }, END
};
static const struct cmd_arg getex_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "expiration", .type = ARG_ONEOF, .flags = OPT,
      .subargs = getex_expirations }, END
};
static const struct cmd_arg setex_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "seconds", .type = ARG_INTEGER },
    { .name = "value", .type = ARG_STRING }, END
};
static const struct cmd_arg psetex_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "milliseconds", .type = ARG_INTEGER },
    { .name = "value", .type = ARG_STRING }, END
};
static const struct cmd_arg mset_pair[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "value", .type = ARG_STRING }, END
};
static const struct cmd_arg mset_args[] = {
    { .name = "data", .type = ARG_BLOCK, .flags = MUL, .subargs = mset_pair },
    END
};
static const struct cmd_arg getrange_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "start", .type = ARG_INTEGER },
    { .name = "end", .type = ARG_INTEGER }, END
};
static const struct cmd_arg setrange_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "offset", .type = ARG_INTEGER },
    { .name = "value", .type = ARG_STRING }, END
};
static const struct cmd_arg incrbyfloat_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "increment", .type = ARG_DOUBLE }, END
};

/* ---- Bitmaps and LCS ----------------------------------------------------- */

static const struct cmd_arg setbit_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "offset", .type = ARG_INTEGER },
    { .name = "value", .type = ARG_INTEGER }, END
};
static const struct cmd_arg getbit_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "offset", .type = ARG_INTEGER }, END
};
static const struct cmd_arg bit_unit[] = {
    { .name = "byte", .type = ARG_PURE_TOKEN, .token = "BYTE" },
    { .name = "bit", .type = ARG_PURE_TOKEN, .token = "BIT" }, END
};
static const struct cmd_arg bitcount_range[] = {
    { .name = "start", .type = ARG_INTEGER },
    { .name = "end", .type = ARG_INTEGER },
    { .name = "unit", .type = ARG_ONEOF, .flags = OPT, .subargs = bit_unit },
    END
};
static const struct cmd_arg bitcount_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "range", .type = ARG_BLOCK, .flags = OPT,
      .subargs = bitcount_range }, END
};
static const struct cmd_arg bitpos_end_unit[] = {
    { .name = "end", .type = ARG_INTEGER },
    { .name = "unit", .type = ARG_ONEOF, .flags = OPT, .subargs = bit_unit },
    END
};
static const struct cmd_arg bitpos_range[] = {
    { .name = "start", .type = ARG_INTEGER },
    { .name = "end-unit-block", .type = ARG_BLOCK, .flags = OPT,
      .subargs = bitpos_end_unit }, END
};
static const struct cmd_arg bitpos_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "bit", .type = ARG_INTEGER },
    { .name = "range", .type = ARG_BLOCK, .flags = OPT,
      .subargs = bitpos_range }, END
};
static const struct cmd_arg bitop_ops[] = {
    { .name = "and", .type = ARG_PURE_TOKEN, .token = "AND" },
    { .name = "or", .type = ARG_PURE_TOKEN, .token = "OR" },
    { .name = "xor", .type = ARG_PURE_TOKEN, .token = "XOR" },
    { .name = "not", .type = ARG_PURE_TOKEN, .token = "NOT" }, END
};
static const struct cmd_arg bitop_args[] = {
    { .name = "operation", .type = ARG_ONEOF, .subargs = bitop_ops },
    { .name = "destkey", .type = ARG_KEY },
    { .name = "key", .type = ARG_KEY, .flags = MUL }, END
};
static const struct cmd_arg bitfield_encoding_offset[] = {
    { .name = "encoding", .type = ARG_STRING },
    { .name = "offset", .type = ARG_INTEGER }, END
};
static const struct cmd_arg bitfield_overflow_choices[] = {
    { .name = "wrap", .type = ARG_PURE_TOKEN, .token = "WRAP" },
    { .name = "sat", .type = ARG_PURE_TOKEN, .token = "SAT" },
    { .name = "fail", .type = ARG_PURE_TOKEN, .token = "FAIL" }, END
};
static const struct cmd_arg bitfield_set_args[] = {
    { .name = "encoding", .type = ARG_STRING },
    { .name = "offset", .type = ARG_INTEGER },
    { .name = "value", .type = ARG_INTEGER }, END
};
static const struct cmd_arg bitfield_incrby_args[] = {
    { .name = "encoding", .type = ARG_STRING },
    { .name = "offset", .type = ARG_INTEGER },
    { .name = "increment", .type = ARG_INTEGER }, END
};
static const struct cmd_arg bitfield_write_op[] = {
    { .name = "set-block", .type = ARG_BLOCK, .token = "SET",
      .subargs = bitfield_set_args },
    { .name = "incrby-block", .type = ARG_BLOCK, .token = "INCRBY",
      .subargs = bitfield_incrby_args }, END
};
static const struct cmd_arg bitfield_write[] = {
    { .name = "overflow-block", .type = ARG_ONEOF, .token = "OVERFLOW",
      .flags = OPT, .subargs = bitfield_overflow_choices },
    { .name = "write-operation", .type = ARG_ONEOF,
      .subargs = bitfield_write_op }, END
};
static const struct cmd_arg bitfield_operation[] = {
    { .name = "get-block", .type = ARG_BLOCK, .token = "GET",
      .subargs = bitfield_encoding_offset },
    { .name = "write", .type = ARG_BLOCK, .subargs = bitfield_write }, END
};
static const struct cmd_arg bitfield_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "operation", .type = ARG_ONEOF, .flags = OPT | MUL,
      .subargs = bitfield_operation }, END
};
static const struct cmd_arg bitfield_ro_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "get-block", .type = ARG_BLOCK, .token = "GET",
      .flags = OPT | ARG_FLAG_MULTIPLE_TOKEN | MUL,
      .subargs = bitfield_encoding_offset }, END
};
static const struct cmd_arg lcs_args[] = {
    { .name = "key1", .type = ARG_KEY },
    { .name = "key2", .type = ARG_KEY },
    { .name = "len", .type = ARG_PURE_TOKEN, .token = "LEN", .flags = OPT },
    { .name = "idx", .type = ARG_PURE_TOKEN, .token = "IDX", .flags = OPT },
    { .name = "min-match-len", .type = ARG_INTEGER, .token = "MINMATCHLEN",
      .flags = OPT },
    { .name = "withmatchlen", .type = ARG_PURE_TOKEN,
      .token = "WITHMATCHLEN", .flags = OPT }, END
};

/* ---- Keyspace ------------------------------------------------------------ */

static const struct cmd_arg scan_args[] = {
    { .name = "cursor", .type = ARG_INTEGER },
    { .name = "pattern", .type = ARG_PATTERN, .token = "MATCH", .flags = OPT },
    { .name = "count", .type = ARG_INTEGER, .token = "COUNT", .flags = OPT },
    { .name = "type", .type = ARG_STRING, .token = "TYPE", .flags = OPT },
    END
};
static const struct cmd_arg keys_args[] = {
    { .name = "pattern", .type = ARG_PATTERN }, END
};

/* ---- Connection and server --------------------------------------------- */

static const struct cmd_arg message_opt[] = {
    { .name = "message", .type = ARG_STRING, .flags = OPT }, END
};
static const struct cmd_arg message_arg[] = {
    { .name = "message", .type = ARG_STRING }, END
};
static const struct cmd_arg rename_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "newkey", .type = ARG_KEY }, END
};
static const struct cmd_arg copy_args[] = {
    { .name = "source", .type = ARG_KEY },
    { .name = "destination", .type = ARG_KEY },
    { .name = "destination-db", .type = ARG_INTEGER, .token = "DB",
      .flags = OPT },
    { .name = "replace", .type = ARG_PURE_TOKEN, .token = "REPLACE",
      .flags = OPT }, END
};
static const struct cmd_arg move_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "db", .type = ARG_INTEGER }, END
};
static const struct cmd_arg swapdb_args[] = {
    { .name = "index1", .type = ARG_INTEGER },
    { .name = "index2", .type = ARG_INTEGER }, END
};
static const struct cmd_arg select_args[] = {
    { .name = "index", .type = ARG_INTEGER }, END
};
static const struct cmd_arg auth_args[] = {
    { .name = "username", .type = ARG_STRING, .flags = OPT },
    { .name = "password", .type = ARG_STRING }, END
};
static const struct cmd_arg hello_auth[] = {
    { .name = "username", .type = ARG_STRING },
    { .name = "password", .type = ARG_STRING }, END
};
static const struct cmd_arg hello_proto[] = {
    { .name = "protover", .type = ARG_INTEGER },
    { .name = "username-password", .type = ARG_BLOCK, .token = "AUTH",
      .flags = OPT, .subargs = hello_auth },
    { .name = "clientname", .type = ARG_STRING, .token = "SETNAME",
      .flags = OPT }, END
};
static const struct cmd_arg hello_args[] = {
    { .name = "arguments", .type = ARG_BLOCK, .flags = OPT,
      .subargs = hello_proto }, END
};
static const struct cmd_arg section_args[] = {
    { .name = "section", .type = ARG_STRING, .flags = OPT | MUL }, END
};
static const struct cmd_arg config_get_args[] = {
    { .name = "parameter", .type = ARG_STRING, .flags = MUL }, END
};
static const struct cmd_arg config_pair[] = {
    { .name = "parameter", .type = ARG_STRING },
    { .name = "value", .type = ARG_STRING }, END
};
static const struct cmd_arg config_set_args[] = {
    { .name = "data", .type = ARG_BLOCK, .flags = MUL,
      .subargs = config_pair }, END
};
static const struct cmd_arg clientname_args[] = {
    { .name = "connection-name", .type = ARG_STRING }, END
};
static const struct cmd_arg command_names[] = {
    { .name = "command-name", .type = ARG_STRING, .flags = OPT | MUL }, END
};
static const struct cmd_arg getkeys_args[] = {
    { .name = "command", .type = ARG_STRING },
    { .name = "arg", .type = ARG_STRING, .flags = OPT | MUL }, END
};
static const struct cmd_arg shutdown_save[] = {
    { .name = "nosave", .type = ARG_PURE_TOKEN, .token = "NOSAVE" },
    { .name = "save", .type = ARG_PURE_TOKEN, .token = "SAVE" }, END
};
static const struct cmd_arg shutdown_args[] = {
    { .name = "save-selector", .type = ARG_ONEOF, .flags = OPT,
      .subargs = shutdown_save },
    { .name = "now", .type = ARG_PURE_TOKEN, .token = "NOW", .flags = OPT },
    { .name = "force", .type = ARG_PURE_TOKEN, .token = "FORCE",
      .flags = OPT },
    { .name = "abort", .type = ARG_PURE_TOKEN, .token = "ABORT",
      .flags = OPT }, END
};

/* ---- Observability and the connection's own commands ------------------ */

static const struct cmd_arg client_kill_filters[] = {
    { .name = "client-id", .type = ARG_INTEGER, .token = "ID",
      .flags = OPT },
    { .name = "normal-master-replica-pubsub", .type = ARG_STRING,
      .token = "TYPE", .flags = OPT },
    { .name = "username", .type = ARG_STRING, .token = "USER",
      .flags = OPT },
    { .name = "ip:port", .type = ARG_STRING, .token = "ADDR", .flags = OPT },
    { .name = "ip:port", .type = ARG_STRING, .token = "LADDR",
      .flags = OPT },
    { .name = "yes/no", .type = ARG_STRING, .token = "SKIPME",
      .flags = OPT }, END
};
static const struct cmd_arg client_kill_choice[] = {
    { .name = "ip:port", .type = ARG_STRING },
    { .name = "filters", .type = ARG_BLOCK, .flags = MUL,
      .subargs = client_kill_filters }, END
};
static const struct cmd_arg client_kill_args[] = {
    { .name = "filter", .type = ARG_ONEOF, .subargs = client_kill_choice },
    END
};
static const struct cmd_arg pause_modes[] = {
    { .name = "write", .type = ARG_PURE_TOKEN, .token = "WRITE" },
    { .name = "all", .type = ARG_PURE_TOKEN, .token = "ALL" }, END
};
static const struct cmd_arg client_pause_args[] = {
    { .name = "timeout", .type = ARG_INTEGER },
    { .name = "mode", .type = ARG_ONEOF, .flags = OPT,
      .subargs = pause_modes }, END
};
static const struct cmd_arg on_off[] = {
    { .name = "on", .type = ARG_PURE_TOKEN, .token = "ON" },
    { .name = "off", .type = ARG_PURE_TOKEN, .token = "OFF" }, END
};
static const struct cmd_arg on_off_args[] = {
    { .name = "enabled", .type = ARG_ONEOF, .subargs = on_off }, END
};
static const struct cmd_arg reply_modes[] = {
    { .name = "on", .type = ARG_PURE_TOKEN, .token = "ON" },
    { .name = "off", .type = ARG_PURE_TOKEN, .token = "OFF" },
    { .name = "skip", .type = ARG_PURE_TOKEN, .token = "SKIP" }, END
};
static const struct cmd_arg client_reply_args[] = {
    { .name = "action", .type = ARG_ONEOF, .subargs = reply_modes }, END
};
static const struct cmd_arg unblock_modes[] = {
    { .name = "timeout", .type = ARG_PURE_TOKEN, .token = "TIMEOUT" },
    { .name = "error", .type = ARG_PURE_TOKEN, .token = "ERROR" }, END
};
static const struct cmd_arg client_unblock_args[] = {
    { .name = "client-id", .type = ARG_INTEGER },
    { .name = "unblock-type", .type = ARG_ONEOF, .flags = OPT,
      .subargs = unblock_modes }, END
};
static const struct cmd_arg count_opt[] = {
    { .name = "count", .type = ARG_INTEGER, .flags = OPT }, END
};
static const struct cmd_arg event_arg[] = {
    { .name = "event", .type = ARG_STRING }, END
};
static const struct cmd_arg events_opt[] = {
    { .name = "event", .type = ARG_STRING, .flags = OPT | MUL }, END
};
static const struct cmd_arg memory_usage_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "count", .type = ARG_INTEGER, .token = "SAMPLES",
      .flags = OPT }, END
};
static const struct cmd_arg sha1_args[] = {
    { .name = "sha1", .type = ARG_STRING, .flags = MUL }, END
};

/* ---- dkv ------------------------------------------------------------------ */

static const struct cmd_arg dkv_join_args[] = {
    { .name = "host:port", .type = ARG_STRING }, END
};

static const struct cmd_arg dkv_forget_args[] = {
    { .name = "node-id", .type = ARG_STRING }, END
};

static const struct cmd_arg dkv_del_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "context", .type = ARG_STRING, .token = "CONTEXT",
      .flags = OPT }, END
};
static const struct cmd_arg consistency_rw[] = {
    { .name = "r", .type = ARG_INTEGER },
    { .name = "w", .type = ARG_INTEGER }, END
};
static const struct cmd_arg consistency_choice[] = {
    { .name = "quorums", .type = ARG_BLOCK, .subargs = consistency_rw },
    { .name = "default", .type = ARG_PURE_TOKEN, .token = "DEFAULT" }, END
};
static const struct cmd_arg consistency_args[] = {
    { .name = "setting", .type = ARG_ONEOF, .flags = OPT,
      .subargs = consistency_choice }, END
};

/* RESTORE's arguments; IDLETIME and FREQ are listed because Redis's
 * clients send them (dkv refuses them with a clear error). */
static const struct cmd_arg restore_args[] = {
    { .name = "key", .type = ARG_KEY },
    { .name = "ttl", .type = ARG_INTEGER },
    { .name = "serialized-value", .type = ARG_STRING },
    { .name = "replace", .type = ARG_PURE_TOKEN, .token = "REPLACE",
      .flags = OPT },
    { .name = "absttl", .type = ARG_PURE_TOKEN, .token = "ABSTTL",
      .flags = OPT },
    { .name = "seconds", .type = ARG_INTEGER, .token = "IDLETIME",
      .flags = OPT },
    { .name = "frequency", .type = ARG_INTEGER, .token = "FREQ",
      .flags = OPT }, END
};

#define DOC(n, grp, sum, ver, cx, a) \
    { .name = n, .summary = sum, .since = ver, .group = grp, \
      .complexity = cx, .args = a }

/* Subcommands follow their container ("config", then "config|get", ...);
 * COMMAND DOCS nests them under it. */
const struct cmd_doc cmd_docs_table[] = {
    /* connection */
    DOC("ping", "connection", "Returns the server's liveliness response.",
        "1.0.0", "O(1)", message_opt),
    DOC("echo", "connection", "Returns the given string.", "1.0.0", "O(1)",
        message_arg),
    DOC("quit", "connection", "Closes the connection.", "1.0.0", "O(1)",
        NULL),
    DOC("select", "connection", "Changes the selected database.", "1.0.0",
        "O(1)", select_args),
    DOC("auth", "connection", "Authenticates the connection.", "1.0.0",
        "O(N) where N is the number of passwords defined for the user",
        auth_args),
    DOC("hello", "connection", "Handshakes with the server: protocol "
        "version, authentication, client name.", "6.0.0", "O(1)",
        hello_args),
    DOC("client", "connection", "A container for client connection "
        "commands.", "2.4.0", "Depends on subcommand.", NULL),
    DOC("client|getname", "connection", "Returns the name of the "
        "connection.", "2.6.9", "O(1)", NULL),
    DOC("client|id", "connection", "Returns the unique client ID of the "
        "connection.", "5.0.0", "O(1)", NULL),
    DOC("client|info", "connection", "Returns information about the "
        "connection.", "6.2.0", "O(1)", NULL),
    DOC("client|list", "connection", "Lists open connections.", "2.4.0",
        "O(N) where N is the number of client connections", NULL),
    DOC("client|setname", "connection", "Sets the connection name.",
        "2.6.9", "O(1)", clientname_args),
    DOC("client|kill", "connection", "Terminates open connections (old "
        "form: one ip:port; new form: ID, ADDR, LADDR, USER, TYPE, SKIPME "
        "filters).", "2.4.0", "O(N) where N is the number of client "
        "connections", client_kill_args),
    DOC("client|pause", "connection", "Suspends commands processing (all, "
        "or writes only) without blocking the node.", "2.9.50", "O(1)",
        client_pause_args),
    DOC("client|unpause", "connection", "Resumes processing of clients "
        "that were paused.", "6.2.0", "O(N) where N is the number of "
        "paused clients", NULL),
    DOC("client|no-evict", "connection", "Sets the client eviction mode "
        "(dkv never evicts clients).", "7.0.0", "O(1)", on_off_args),
    DOC("client|reply", "connection", "Instructs the server whether to "
        "reply to commands.", "3.2.0", "O(1)", client_reply_args),
    DOC("client|unblock", "connection", "Unblocks a client blocked by a "
        "blocking command (none block in dkv).", "5.0.0", "O(log N) where "
        "N is the number of client connections", client_unblock_args),
    DOC("monitor", "server", "Listens for all requests received by the "
        "node in real time.", "1.0.0", "O(1)", NULL),
    DOC("reset", "connection", "Resets the connection.", "6.2.0", "O(1)",
        NULL),
    DOC("multi", "transactions", "Starts a transaction.", "1.2.0", "O(1)",
        NULL),
    DOC("exec", "transactions", "Executes all commands in a transaction "
        "(on a cluster: against the keys read at quorum, then written "
        "with their contexts).", "1.2.0", "Depends on commands in the "
        "transaction", NULL),
    DOC("discard", "transactions", "Discards a transaction.", "2.0.0",
        "O(N), when N is the number of queued commands", NULL),
    DOC("watch", "transactions", "Monitors changes to keys to determine "
        "the execution of a transaction.", "2.2.0", "O(1) for every key.",
        keys_multi),
    DOC("wait", "generic", "Blocks until the latest write command of the "
        "connection is acknowledged by numreplicas other nodes, or the "
        "timeout passes (without blocking the node).", "3.0.0", "O(1)",
        wait_args),
    DOC("unwatch", "transactions", "Forgets about watched keys of a "
        "transaction.", "2.2.0", "O(1)", NULL),
    DOC("slowlog", "server", "A container for slow log commands.", "2.2.12",
        "Depends on subcommand.", NULL),
    DOC("slowlog|get", "server", "Returns the slow log's entries.",
        "2.2.12", "O(N) where N is the number of entries returned",
        count_opt),
    DOC("slowlog|help", "server", "Returns helpful text about the "
        "different subcommands.", "6.2.0", "O(1)", NULL),
    DOC("slowlog|len", "server", "Returns the number of entries in the "
        "slow log.", "2.2.12", "O(1)", NULL),
    DOC("slowlog|reset", "server", "Clears all entries from the slow log.",
        "2.2.12", "O(N) where N is the number of entries in the slowlog",
        NULL),
    DOC("latency", "server", "A container for latency diagnostics "
        "commands.", "2.8.13", "Depends on subcommand.", NULL),
    DOC("latency|doctor", "server", "Returns a human-readable latency "
        "analysis report.", "2.8.13", "O(1)", NULL),
    DOC("latency|graph", "server", "Returns a latency graph for an event.",
        "2.8.13", "O(1)", event_arg),
    DOC("latency|help", "server", "Returns helpful text about the "
        "different subcommands.", "2.8.13", "O(1)", NULL),
    DOC("latency|histogram", "server", "Returns the cumulative distribution "
        "of latencies of a subset or all commands.", "7.0.0", "O(N) where N "
        "is the number of commands with latency information being "
        "retrieved.", command_names),
    DOC("latency|history", "server", "Returns timestamp-latency samples for "
        "an event (dkv records no latency events).", "2.8.13", "O(1)",
        event_arg),
    DOC("latency|latest", "server", "Returns the latest latency samples for "
        "all events (dkv records no latency events).", "2.8.13", "O(1)",
        NULL),
    DOC("latency|reset", "server", "Resets the latency data for one or "
        "more events.", "2.8.13", "O(1)", events_opt),
    /* server */
    DOC("command", "server", "Returns detailed information about all "
        "commands.", "2.8.13", "O(N) where N is the total number of "
        "commands", NULL),
    DOC("command|count", "server", "Returns a count of commands.", "2.8.13",
        "O(1)", NULL),
    DOC("command|docs", "server", "Returns documentary information about "
        "commands.", "7.0.0", "O(N) where N is the number of commands to "
        "look up", command_names),
    DOC("command|getkeys", "server", "Extracts the key names from an "
        "arbitrary command.", "2.8.13", "O(N) where N is the number of "
        "arguments to the command", getkeys_args),
    DOC("command|info", "server", "Returns information about one, multiple "
        "or all commands.", "2.8.13", "O(N) where N is the number of "
        "commands to look up", command_names),
    DOC("info", "server", "Returns information and statistics about the "
        "node.", "1.0.0", "O(1)", section_args),
    DOC("config", "server", "A container for server configuration "
        "commands.", "2.0.0", "Depends on subcommand.", NULL),
    DOC("config|get", "server", "Returns the effective values of "
        "configuration parameters.", "2.0.0", "O(N) when N is the number of "
        "configuration parameters provided", config_get_args),
    DOC("config|resetstat", "server", "Resets the node's statistics.",
        "2.0.0", "O(1)", NULL),
    DOC("config|rewrite", "server", "Persists the effective configuration "
        "to the config file.", "2.8.0", "O(1)", NULL),
    DOC("config|set", "server", "Sets configuration parameters at run "
        "time.", "2.0.0", "O(N) when N is the number of configuration "
        "parameters provided", config_set_args),
    DOC("dbsize", "server", "Returns the number of keys in the current "
        "database.", "1.0.0", "O(1)", NULL),
    DOC("swapdb", "server", "Refused by dkv: a key's database is part of "
        "its identity on the ring.", "4.0.0", "O(N)", swapdb_args),
    DOC("flushall", "server", "Removes all keys.", "1.0.0",
        "O(N) where N is the total number of keys", flush_args),
    DOC("flushdb", "server", "Remove all keys from the current database.",
        "1.0.0", "O(N) where N is the number of keys stored", flush_args),
    DOC("shutdown", "server", "Stops the node; every write is already "
        "stored.", "1.0.0", "O(1)", shutdown_args),
    DOC("time", "server", "Returns the server time.", "2.6.0", "O(1)",
        NULL),
    DOC("debug", "server", "Test and diagnostic subcommands (SLEEP, "
        "SET-ACTIVE-EXPIRE, VERSIONS); off unless enable-debug-command.",
        "1.0.0", "Depends on subcommand.", NULL),
    /* string */
    DOC("get", "string", "Returns the string value of a key.", "1.0.0",
        "O(1)", key_only),
    DOC("set", "string", "Sets the string value of a key, optionally "
        "superseding exactly the versions a CONTEXT names.", "1.0.0",
        "O(1)", set_args),
    DOC("setnx", "string", "Sets the value of a key only when it does not "
        "exist.", "1.0.0", "O(1)", key_value),
    DOC("setex", "string", "Sets the value and expiration time (seconds) "
        "of a key.", "2.0.0", "O(1)", setex_args),
    DOC("psetex", "string", "Sets the value and expiration time "
        "(milliseconds) of a key.", "2.6.0", "O(1)", psetex_args),
    DOC("getset", "string", "Returns the previous value of a key after "
        "setting it to a new value.", "1.0.0", "O(1)", key_value),
    DOC("getdel", "string", "Returns the value of a key and deletes the "
        "key.", "6.2.0", "O(1)", key_only),
    DOC("getex", "string", "Returns the value of a key and optionally "
        "changes its expiration.", "6.2.0", "O(1)", getex_args),
    DOC("mget", "string", "Returns the values of several keys.", "1.0.0",
        "O(N) where N is the number of keys to retrieve.", keys_multi),
    DOC("mset", "string", "Sets the values of several keys.", "1.0.1",
        "O(N) where N is the number of keys to set.", mset_args),
    DOC("msetnx", "string", "Sets several keys only when none of them "
        "exists.", "1.0.1", "O(N) where N is the number of keys to set.",
        mset_args),
    DOC("append", "string", "Appends a string to the value of a key; "
        "creates the key if needed.", "2.0.0", "O(1)", key_value),
    DOC("strlen", "string", "Returns the length of a string value.",
        "2.2.0", "O(1)", key_only),
    DOC("getrange", "string", "Returns a substring of a string value.",
        "2.4.0", "O(N) where N is the length of the returned string.",
        getrange_args),
    DOC("substr", "string", "Returns a substring of a string value.",
        "1.0.0", "O(N) where N is the length of the returned string.",
        getrange_args),
    DOC("setrange", "string", "Overwrites part of a string value from an "
        "offset, padding with zero bytes.", "2.2.0", "O(1)", setrange_args),
    DOC("incr", "string", "Increments the integer value of a key by one; "
        "concurrent increments are never lost.", "1.0.0", "O(1)", key_only),
    DOC("decr", "string", "Decrements the integer value of a key by one.",
        "1.0.0", "O(1)", key_only),
    DOC("incrby", "string", "Increments the integer value of a key by a "
        "number.", "1.0.0", "O(1)", key_increment),
    DOC("decrby", "string", "Decrements the integer value of a key by a "
        "number.", "1.0.0", "O(1)", key_decrement),
    DOC("incrbyfloat", "string", "Increments the floating point value of a "
        "key by a number.", "2.6.0", "O(1)", incrbyfloat_args),
    /* bitmap */
    DOC("setbit", "bitmap", "Sets or clears the bit at offset of the "
        "string value; creates the key if needed.", "2.2.0", "O(1)",
        setbit_args),
    DOC("getbit", "bitmap", "Returns a bit value by offset.", "2.2.0",
        "O(1)", getbit_args),
    DOC("bitcount", "bitmap", "Counts the number of set bits (population "
        "counting) in a string.", "2.6.0", "O(N)", bitcount_args),
    DOC("bitpos", "bitmap", "Finds the first set (1) or clear (0) bit in a "
        "string.", "2.8.7", "O(N)", bitpos_args),
    DOC("bitop", "bitmap", "Performs bitwise operations on multiple strings, "
        "and stores the result.", "2.6.0", "O(N)", bitop_args),
    DOC("bitfield", "bitmap", "Performs arbitrary bitfield integer "
        "operations on strings.", "3.2.0", "O(1) for each subcommand "
        "specified", bitfield_args),
    DOC("bitfield_ro", "bitmap", "Performs arbitrary read-only bitfield "
        "integer operations on strings.", "6.0.0", "O(1) for each "
        "subcommand specified", bitfield_ro_args),
    DOC("lcs", "string", "Finds the longest common substring.", "7.0.0",
        "O(N*M) where N and M are the lengths of s1 and s2, respectively",
        lcs_args),
    /* generic */
    DOC("del", "generic", "Deletes keys (writes tombstones that replicate "
        "and win over older writes).", "1.0.0", "O(N) where N is the number "
        "of keys that will be removed.", keys_multi),
    DOC("unlink", "generic", "Deletes keys.", "4.0.0", "O(1) for each key "
        "removed.", keys_multi),
    DOC("exists", "generic", "Determines whether keys exist.", "1.0.0",
        "O(N) where N is the number of keys to check.", keys_multi),
    DOC("type", "generic", "Returns the type of the value of a key.",
        "1.0.0", "O(1)", key_only),
    DOC("expire", "generic", "Sets the expiration time of a key in "
        "seconds.", "1.0.0", "O(1)", expire_args),
    DOC("pexpire", "generic", "Sets the expiration time of a key in "
        "milliseconds.", "2.6.0", "O(1)", pexpire_args),
    DOC("expireat", "generic", "Sets the expiration time of a key to a Unix "
        "timestamp.", "1.2.0", "O(1)", expireat_args),
    DOC("pexpireat", "generic", "Sets the expiration time of a key to a "
        "Unix milliseconds timestamp.", "2.6.0", "O(1)", pexpireat_args),
    DOC("ttl", "generic", "Returns the expiration time in seconds of a "
        "key.", "1.0.0", "O(1)", key_only),
    DOC("pttl", "generic", "Returns the expiration time in milliseconds of "
        "a key.", "2.6.0", "O(1)", key_only),
    DOC("persist", "generic", "Removes the expiration time of a key.",
        "2.2.0", "O(1)", key_only),
    DOC("scan", "generic", "Iterates over the keys; the cursor is a "
        "position on the hash ring and stays valid as the data changes.",
        "2.8.0", "O(1) for every call. O(N) for a complete iteration.",
        scan_args),
    DOC("keys", "generic", "Returns all key names that match a pattern.",
        "1.0.0", "O(N) with N being the number of keys", keys_args),
    DOC("randomkey", "generic", "Returns a random key name.", "1.0.0",
        "O(1)", NULL),
    /* DUMP / RESTORE */
    DOC("dump", "generic", "Returns a serialized representation of the "
        "value stored at a key (Redis's format; strings only).", "2.6.0",
        "O(1) to access the key and additional O(N*M) to serialize it, "
        "where N is the number of Redis objects composing the value and M "
        "their average size. For small string values the time complexity "
        "is thus O(1)+O(1*M) where M is small, so simply O(1).", key_only),
    DOC("restore", "generic", "Creates a key from the serialized "
        "representation of a value (a string DUMP payload).", "2.6.0",
        "O(1) to create the new key and additional O(N*M) to reconstruct "
        "the serialized value, where N is the number of Redis objects "
        "composing the value and M their average size. For small string "
        "values the time complexity is thus O(1)+O(1*M) where M is small, "
        "so simply O(1).", restore_args),
    DOC("rename", "generic", "Renames a key and overwrites the destination "
        "(a write of it and a delete of the source: not atomic across a "
        "failure).", "1.0.0", "O(1)", rename_args),
    DOC("renamenx", "generic", "Renames a key only when the target key name "
        "doesn't exist.", "1.0.0", "O(1)", rename_args),
    DOC("copy", "generic", "Copies the value of a key to a new key.",
        "6.2.0", "O(N) worst case for collections, where N is the number "
        "of nested items. O(1) for string values.", copy_args),
    DOC("move", "generic", "Moves a key to another database.", "1.0.0",
        "O(1)", move_args),
    DOC("object", "generic", "A container for object introspection "
        "commands.", "2.2.3", "Depends on subcommand.", NULL),
    DOC("object|encoding", "generic", "Returns the internal encoding Redis "
        "would use for the value.", "2.2.3", "O(1)", key_only),
    DOC("object|freq", "generic", "Returns the logarithmic access frequency "
        "counter (refused: no LFU policy in dkv).", "4.0.0", "O(1)",
        key_only),
    DOC("object|idletime", "generic", "Refused: dkv does not track access "
        "times.", "2.2.3", "O(1)", key_only),
    DOC("object|refcount", "generic", "Returns the reference count of a "
        "value (always 1 in dkv).", "2.2.3", "O(1)", key_only),
    DOC("memory", "server", "A container for memory diagnostics commands.",
        "4.0.0", "Depends on subcommand.", NULL),
    DOC("memory|doctor", "server", "Outputs a memory problems report.",
        "4.0.0", "O(1)", NULL),
    DOC("memory|usage", "server", "Estimates the memory a key costs (its "
        "record in the store).", "4.0.0", "O(1)", memory_usage_args),
    DOC("touch", "generic", "Returns the number of existing keys out of "
        "those specified.", "3.2.1", "O(N) where N is the number of keys "
        "that will be touched.", keys_multi),
    DOC("expiretime", "generic", "Returns the expiration time of a key as "
        "a Unix timestamp.", "7.0.0", "O(1)", key_only),
    DOC("pexpiretime", "generic", "Returns the expiration time of a key as "
        "a Unix milliseconds timestamp.", "7.0.0", "O(1)", key_only),
    /* scripting: refused (dkv runs no scripts) */
    DOC("eval", "scripting", "Refused: dkv does not run scripts.", "2.6.0",
        "O(1)", NULL),
    DOC("evalsha", "scripting", "Refused: dkv does not run scripts.",
        "2.6.0", "O(1)", NULL),
    DOC("eval_ro", "scripting", "Refused: dkv does not run scripts.",
        "7.0.0", "O(1)", NULL),
    DOC("evalsha_ro", "scripting", "Refused: dkv does not run scripts.",
        "7.0.0", "O(1)", NULL),
    DOC("fcall", "scripting", "Refused: dkv does not run functions.",
        "7.0.0", "O(1)", NULL),
    DOC("fcall_ro", "scripting", "Refused: dkv does not run functions.",
        "7.0.0", "O(1)", NULL),
    DOC("function", "scripting", "A container for function commands "
        "(nothing is ever loaded in dkv).", "7.0.0", "Depends on "
        "subcommand.", NULL),
    DOC("function|dump", "scripting", "Dumps all libraries (none).",
        "7.0.0", "O(1)", NULL),
    DOC("function|flush", "scripting", "Deletes all libraries (none).",
        "7.0.0", "O(1)", flush_args),
    DOC("function|list", "scripting", "Returns information about all "
        "libraries (none).", "7.0.0", "O(1)", NULL),
    DOC("function|load", "scripting", "Refused: dkv does not run "
        "functions.", "7.0.0", "O(1)", NULL),
    DOC("function|restore", "scripting", "Refused: dkv does not run "
        "functions.", "7.0.0", "O(1)", NULL),
    DOC("function|stats", "scripting", "Returns information about the "
        "function engines (nothing loaded).", "7.0.0", "O(1)", NULL),
    DOC("script", "scripting", "A container for Lua scripts management "
        "commands (nothing is ever loaded in dkv).", "2.6.0", "Depends on "
        "subcommand.", NULL),
    DOC("script|exists", "scripting", "Determines whether scripts exist in "
        "the script cache (never, in dkv).", "2.6.0", "O(N) with N being "
        "the number of scripts to check", sha1_args),
    DOC("script|flush", "scripting", "Removes all scripts from the script "
        "cache (none).", "2.6.0", "O(1)", flush_args),
    DOC("script|load", "scripting", "Refused: dkv does not run scripts.",
        "2.6.0", "O(1)", NULL),
    /* dkv */
    DOC("dkv.context", "dkv", "Returns the causal context of a key and "
        "every live sibling value.", "0.1.0", "O(siblings)", key_only),
    DOC("dkv.del", "dkv", "Deletes exactly the versions a context names.",
        "0.1.0", "O(siblings)", dkv_del_args),
    DOC("dkv.consistency", "dkv", "Shows or sets this connection's read and "
        "write quorums (R, W).", "0.1.0", "O(1)", consistency_args),
    DOC("dkv.members", "dkv", "Lists the cluster's members: id, address, "
        "status, partitions owned and replicated.", "0.1.0",
        "O(members)", NULL),
    DOC("dkv.ring", "dkv", "Lists the ring's partitions with their first "
        "position and preference list (owner first).", "0.1.0",
        "O(partitions)", NULL),
    DOC("dkv.merkle", "dkv", "Lists the Merkle root of every partition this "
        "node replicates (replicas that agree have equal roots).", "0.1.0",
        "O(partitions)", NULL),
    DOC("dkv.join", "dkv", "Joins the ring of the node at host:port (a node "
        "serving alone brings its keys along).", "0.1.0", "O(N)",
        dkv_join_args),
    DOC("dkv.leave", "dkv", "Hands everything this node holds to the ring "
        "without it, then stops the node.", "0.1.0", "O(N)", NULL),
    DOC("dkv.forget", "dkv", "Removes a dead member from the ring for good; "
        "anti-entropy re-creates the copies it held.", "0.1.0",
        "O(members)", dkv_forget_args),
    { 0 }
};

const struct cmd_doc *
cmd_docs_lookup(const char *name)
{
    for (const struct cmd_doc *d = cmd_docs_table; d->name; d++)
        if (!strcmp(d->name, name)) return d;
    return NULL;
}

/* Scripting, refused honestly: dkv runs no Lua and no functions (a script
 * would have to run against several replicas' merged state at once, which
 * the coordinator does not offer). EVAL, EVALSHA, FCALL and their _RO
 * forms, SCRIPT LOAD and FUNCTION LOAD/RESTORE say so with an error that
 * names dkv; what a Redis with nothing loaded answers (FUNCTION LIST,
 * STATS, DUMP, FLUSH, SCRIPT EXISTS, FLUSH, KILL) is answered the same,
 * because tools probe these on connect. */
#include <string.h>
#include <strings.h>

#include "client.h"
#include "commands.h"

#define SCRIPTS_REFUSED "ERR dkv does not run scripts (EVAL, EVALSHA, " \
    "FCALL, SCRIPT LOAD and FUNCTION LOAD are not offered)"

/* FUNCTION DUMP of an empty library set, byte for byte as Redis 7.0
 * writes it: RDB version 10 and the CRC64 of those two bytes. */
static const char empty_function_dump[] =
    "\x0a\x00\x5d\x9b\x5c\x40\x0f\x7f\xa2\xda";

void
eval_refused_command(struct client *c)
{
    reply_error(c, SCRIPTS_REFUSED);
}

/* [ASYNC|SYNC], as FLUSHALL takes it. */
static int
flush_mode_ok(struct client *c)
{
    if (c->argc > 3 || (c->argc == 3 && strcasecmp(c->argv[2], "async") &&
                        strcasecmp(c->argv[2], "sync"))) {
        reply_error(c, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        return 0;
    }
    return 1;
}

void
function_command(struct client *c)
{
    const char *sub = c->argv[1];

    if (!strcasecmp(sub, "list")) {
        reply_array_len(c, 0);
    } else if (!strcasecmp(sub, "stats")) {
        if (!subcommand_arity_ok(c, 2)) return;
        reply_map_len(c, 2);
        reply_bulk_cstr(c, "running_script");
        reply_null(c);
        reply_bulk_cstr(c, "engines");
        reply_map_len(c, 1);
        reply_bulk_cstr(c, "LUA");
        reply_map_len(c, 2);
        reply_bulk_cstr(c, "libraries_count");
        reply_ll(c, 0);
        reply_bulk_cstr(c, "functions_count");
        reply_ll(c, 0);
    } else if (!strcasecmp(sub, "dump")) {
        if (subcommand_arity_ok(c, 2))
            reply_bulk(c, empty_function_dump,
                       sizeof(empty_function_dump) - 1);
    } else if (!strcasecmp(sub, "flush")) {
        if (subcommand_arity_ok(c, -2) && flush_mode_ok(c)) reply_ok(c);
    } else if (!strcasecmp(sub, "kill")) {
        if (subcommand_arity_ok(c, 2))
            reply_error(c, "NOTBUSY No scripts in execution right now.");
    } else if (!strcasecmp(sub, "load")) {
        if (subcommand_arity_ok(c, -3)) reply_error(c, SCRIPTS_REFUSED);
    } else if (!strcasecmp(sub, "restore")) {
        if (subcommand_arity_ok(c, -3)) reply_error(c, SCRIPTS_REFUSED);
    } else if (!strcasecmp(sub, "delete")) {
        if (subcommand_arity_ok(c, 3))
            reply_error(c, "ERR Library not found");
    } else if (!strcasecmp(sub, "help")) {
        static const char *const help[] = {
            "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands "
            "are:",
            "LIST", "    dkv runs no functions: always empty.",
            "STATS", "    Engine statistics (nothing loaded).",
            "DUMP", "    The serialized (empty) library set.",
            "FLUSH [ASYNC|SYNC]", "    Nothing to flush; OK.",
            "KILL", "    No function runs; NOTBUSY.",
            "LOAD, RESTORE", "    Refused: dkv does not run scripts.",
            "HELP", "    Prints this help.",
        };
        if (subcommand_arity_ok(c, 2))
            reply_help(c, help, sizeof(help) / sizeof(help[0]));
    } else {
        reply_subcommand_unknown(c);
    }
}

void
script_command(struct client *c)
{
    const char *sub = c->argv[1];

    if (!strcasecmp(sub, "exists")) {
        if (!subcommand_arity_ok(c, -3)) return;
        reply_array_len(c, c->argc - 2);
        for (int i = 2; i < c->argc; i++) reply_ll(c, 0);
    } else if (!strcasecmp(sub, "flush")) {
        if (!subcommand_arity_ok(c, -2)) return;
        if (c->argc > 3 || (c->argc == 3 && strcasecmp(c->argv[2], "async")
                            && strcasecmp(c->argv[2], "sync")))
            reply_error(c, "ERR SCRIPT FLUSH only support SYNC|ASYNC "
                        "option");
        else
            reply_ok(c);
    } else if (!strcasecmp(sub, "kill")) {
        if (subcommand_arity_ok(c, 2))
            reply_error(c, "NOTBUSY No scripts in execution right now.");
    } else if (!strcasecmp(sub, "load")) {
        if (subcommand_arity_ok(c, 3)) reply_error(c, SCRIPTS_REFUSED);
    } else if (!strcasecmp(sub, "debug")) {
        if (subcommand_arity_ok(c, 3)) reply_error(c, SCRIPTS_REFUSED);
    } else if (!strcasecmp(sub, "help")) {
        static const char *const help[] = {
            "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "EXISTS <sha1> [<sha1> ...]",
            "    dkv runs no scripts: 0 for every SHA1.",
            "FLUSH [ASYNC|SYNC]", "    Nothing to flush; OK.",
            "KILL", "    No script runs; NOTBUSY.",
            "LOAD <script>", "    Refused: dkv does not run scripts.",
            "HELP", "    Prints this help.",
        };
        if (subcommand_arity_ok(c, 2))
            reply_help(c, help, sizeof(help) / sizeof(help[0]));
    } else {
        reply_subcommand_unknown(c);
    }
}

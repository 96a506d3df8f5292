/* Command documentation served by COMMAND DOCS (redis-cli builds its
 * interactive hints from it) and the key-spec/ACL-category facts COMMAND
 * INFO needs. Pure data: commands.c owns behaviour, this owns description.
 * Argument trees follow Redis 7's COMMAND DOCS reply shape. */
#ifndef DKV_CMD_DOCS_H
#define DKV_CMD_DOCS_H

enum cmd_arg_type {
    ARG_STRING = 0,
    ARG_INTEGER,
    ARG_DOUBLE,
    ARG_KEY,
    ARG_PATTERN,
    ARG_UNIX_TIME,
    ARG_PURE_TOKEN,
    ARG_ONEOF,
    ARG_BLOCK
};

#define ARG_FLAG_OPTIONAL      (1 << 0)
#define ARG_FLAG_MULTIPLE      (1 << 1)
#define ARG_FLAG_MULTIPLE_TOKEN (1 << 2)

/* One argument of a command (possibly a oneof/block with children). */
struct cmd_arg {
    const char *name;                /* "key", "condition", ... */
    enum cmd_arg_type type;
    const char *token;               /* literal keyword, e.g. "EX", or NULL */
    int flags;                       /* ARG_FLAG_* */
    const struct cmd_arg *subargs;   /* for ONEOF/BLOCK; ends with name NULL */
};

/* Documentation of one command or subcommand. */
struct cmd_doc {
    const char *name;                /* lower case; "config|get" for subcmds */
    const char *summary;
    const char *since;               /* "1.0.0" */
    const char *group;               /* "string", "generic", "server", ... */
    const char *complexity;          /* "O(1)" */
    const struct cmd_arg *args;      /* ends with name NULL; NULL = none */
};

/* Looks up by lower-case name ("get", "config|get"); NULL if undocumented. */
const struct cmd_doc *cmd_docs_lookup(const char *name);
/* All docs, terminated by an entry with name NULL. */
extern const struct cmd_doc cmd_docs_table[];

#endif

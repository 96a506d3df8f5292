/* The command table and dispatch: what a command is (name, arity, flags,
 * keys) lives in one table in commands.c, and call() is the one place that
 * checks arity, authentication and flags before a handler runs, so
 * handlers never re-check them (Redis's processCommand). */
#ifndef DKV_COMMANDS_H
#define DKV_COMMANDS_H

#include <stddef.h>

struct client;
struct latency_hist;

typedef void (*command_proc)(struct client *c);

#define CMD_WRITE     (1 << 0)   /* may modify the keyspace */
#define CMD_READONLY  (1 << 1)   /* reads the keyspace only */
#define CMD_FAST      (1 << 2)   /* O(1) or O(log N) */
#define CMD_NOAUTH    (1 << 3)   /* allowed before AUTH (AUTH, HELLO, ...) */
#define CMD_ADMIN     (1 << 4)   /* CONFIG, SHUTDOWN, DEBUG, ... */
#define CMD_PEER      (1 << 5)   /* internal: only peer connections */
#define CMD_CONTAINER (1 << 6)   /* has subcommands (CONFIG, CLIENT, ...) */
#define CMD_MULTIKEY  (1 << 7)   /* reads/writes several keys: coordinated as a multi-key request */
#define CMD_TX        (1 << 8)   /* runs at once between MULTI and EXEC */

struct buf;
/* Keys a command names outside its key positions (COPY ... DB n, MOVE's
 * target), in their stored form: appends each (u32 length + bytes) to
 * keys. Arguments as the handler sees them (keys already in stored
 * form); appends nothing when they do not parse (the handler reports). */
typedef void (*command_keys_fn)(int argc, char **argv, const size_t *argvlen,
                                struct buf *keys);

/* One command. Arity counts the command name: N means exactly N
 * arguments, -N means at least N. */
struct command {
    const char *name;       /* lower case */
    command_proc proc;      /* handler */
    int arity;
    int flags;              /* CMD_* */
    int first_key;          /* argv index of the first key, 0 = none */
    int last_key;           /* argv index of the last key, -1 = the end */
    int key_step;           /* distance between keys */
    command_keys_fn more_keys; /* CMD_MULTIKEY: keys in options, or NULL */
    const char *acl;        /* ACL categories for COMMAND INFO, "@string ..." */
    long long calls;        /* INFO commandstats */
    long long usec;         /* time spent, INFO commandstats */
    long long rejected_calls;  /* refused before running (arity, auth) */
    long long failed_calls;    /* ran and answered an error */
    struct latency_hist *hist; /* INFO latencystats, LATENCY HISTOGRAM */
    struct command *subs;      /* a container's subcommands, for their
                                  stats ("config|get"), from cmd_docs.c */
    int nsubs;
};

/* Finds a command by (case-insensitive) name; NULL if unknown. */
const struct command *command_lookup(const char *name, size_t len);
/* Runs the client's current argv: CALL_DONE (answered or handed to the
 * coordinator), or CALL_HELD when it must wait for the client's requests
 * in flight (run it again later with the same argv). */
#define CALL_DONE 0
#define CALL_HELD 1
int command_call(struct client *c);
/* Runs c's current argv as cmd locally, every check passed: keys to
 * their stored form, the handler, statistics (EXEC runs its queue so). */
void command_run(struct client *c, const struct command *cmd);
/* Rewrites c's key arguments (the table's key positions for cmd) to
 * their stored form in c's database (keyspace.h), right before the
 * command runs: everything below (coordinator, peers, store, hashing)
 * then sees one key space. Works on c->argv as it is at execution time
 * (a queued command included); command_keys_restore puts the client's
 * own argv back (what MONITOR/SLOWLOG show) and frees the rewrite. */
void command_keys_to_db(struct client *c, const struct command *cmd);
/* The argv index of cmd's last key in an argc-argument request (Redis's
 * first/last/step, last -1 = the last argument), capped at argc - 1. */
int command_last_key(const struct command *cmd, int argc);
void command_keys_restore(struct client *c);
/* Every command, for COMMAND / COMMAND COUNT / INFO commandstats. */
/* A command finished (its answer is ready): commandstats, latency,
 * slow log. c may be NULL (a coordinated request's client left). */
void command_record(struct client *c, const struct command *cmd, int argc,
                    char **argv, const size_t *argvlen, long long usec,
                    int failed);
/* Every command, for COMMAND / COMMAND COUNT. */
struct command *command_table_get(int *count);
/* Every row statistics are kept in, as Redis 7 keeps them: plain
 * commands and each container's subcommands ("config|get"; a container's
 * own row holds what no documented subcommand took, e.g. HELP). */
struct command **command_stat_rows(int *count);
/* The row a call of cmd with these arguments is counted in. */
struct command *command_stat_row(const struct command *cmd, int argc,
                                 char **argv);
void commands_init(void);

/* Handlers, by file. */
/* t_string.c */
void get_command(struct client *c);
void set_command(struct client *c);
void setnx_command(struct client *c);
void setex_command(struct client *c);
void psetex_command(struct client *c);
void getset_command(struct client *c);
void getdel_command(struct client *c);
void getex_command(struct client *c);
void mget_command(struct client *c);
void mset_command(struct client *c);
void msetnx_command(struct client *c);
void append_command(struct client *c);
void strlen_command(struct client *c);
void getrange_command(struct client *c);
void setrange_command(struct client *c);
void incr_command(struct client *c);
void decr_command(struct client *c);
void incrby_command(struct client *c);
void decrby_command(struct client *c);
void incrbyfloat_command(struct client *c);
void dkv_context_command(struct client *c);
void dkv_del_command(struct client *c);
/* t_keys.c */
void del_command(struct client *c);
void exists_command(struct client *c);
void type_command(struct client *c);
void expire_command(struct client *c);
void pexpire_command(struct client *c);
void expireat_command(struct client *c);
void pexpireat_command(struct client *c);
void ttl_command(struct client *c);
void pttl_command(struct client *c);
void persist_command(struct client *c);
void scan_command(struct client *c);
void keys_command(struct client *c);
void randomkey_command(struct client *c);
void dbsize_command(struct client *c);
void flushall_command(struct client *c);
/* t_dump.c */
void dump_command(struct client *c);
void restore_command(struct client *c);
/* t_bitmap.c, t_lcs.c */
void setbit_command(struct client *c);
void getbit_command(struct client *c);
void bitcount_command(struct client *c);
void bitpos_command(struct client *c);
void bitop_command(struct client *c);
void bitfield_command(struct client *c);
void bitfield_ro_command(struct client *c);
void lcs_command(struct client *c);
void flushdb_command(struct client *c);
/* t_keys.c: databases, RENAME/COPY/MOVE */
void swapdb_command(struct client *c);
void rename_command(struct client *c);
void renamenx_command(struct client *c);
void copy_command(struct client *c);
void move_command(struct client *c);
void copy_keys(int argc, char **argv, const size_t *argvlen,
               struct buf *keys);
void move_keys(int argc, char **argv, const size_t *argvlen,
               struct buf *keys);
/* cmd_admin.c */
void ping_command(struct client *c);
void echo_command(struct client *c);
void quit_command(struct client *c);
void select_command(struct client *c);
void auth_command(struct client *c);
void hello_command(struct client *c);
void client_command(struct client *c);
void command_command(struct client *c);
void info_command(struct client *c);
void config_command(struct client *c);
void time_command(struct client *c);
void shutdown_command(struct client *c);
void debug_command(struct client *c);
void dkv_consistency_command(struct client *c);
/* Observability and connection surface (issue 9): cmd_client.c,
 * slowlog.c, latency.c, cmd_script.c */
void monitor_command(struct client *c);
void reset_command(struct client *c);
void slowlog_command(struct client *c);
void latency_command(struct client *c);
void function_command(struct client *c);
void script_command(struct client *c);
void eval_refused_command(struct client *c);
void object_command(struct client *c);
void memory_command(struct client *c);
void expiretime_command(struct client *c);
void pexpiretime_command(struct client *c);

#endif

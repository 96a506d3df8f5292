/* The one global `struct server`: configuration (filled by config.c from
 * the directive table) and the node's runtime state and statistics. Each
 * module keeps its own private state in its own file; what lives here is
 * what several modules read (settings, counters INFO prints). */
#ifndef DKV_SERVER_H
#define DKV_SERVER_H

#include <stdint.h>
#include <stddef.h>
#include "vclock.h"

struct event_base;
struct event;

#define DKV_VERSION "0.1.0"
#define DKV_REDIS_VERSION "7.0.0"   /* what we answer as redis_version */

enum sibling_policy {
    SIBLING_LWW = 0,    /* GET returns the newest (timestamp, then actor) */
    SIBLING_ERROR       /* GET with siblings errors; DKV.CONTEXT resolves */
};

/* Node state and settings. Fields under "config" are set only through
 * config.c (file, command line, CONFIG SET); see conf/dkv.conf for what
 * each one means. */
struct server {
    /* ---- config: general ---- */
    char *config_file;          /* absolute path, NULL if none (REWRITE) */
    char *dir;                  /* data directory (BDB environment) */
    char *logfile;              /* "" = stdout */
    int loglevel;               /* enum log_level */
    int daemonize;              /* yes/no */
    char *pidfile;              /* "" = none */
    int hz;                     /* server_cron frequency */
    int enable_debug_command;   /* DEBUG allowed */
    long long clock_offset_ms;  /* debug: skew this node's wall clock */

    /* ---- config: network ---- */
    int port;                   /* TCP port, 0 = none */
    char *bind;                 /* space-separated addresses */
    int tcp_backlog;            /* listen() backlog */
    int maxclients;             /* past it: "ERR max number of clients reached" */
    int timeout;                /* idle client timeout, seconds, 0 = never */
    char *requirepass;          /* "" = no AUTH needed */
    long long proto_max_bulk_len;        /* largest bulk string */
    long long client_query_buffer_limit; /* largest unparsed input */

    /* ---- config: storage ---- */
    int fsync;                  /* enum fsync_mode */
    long long cache_size;       /* BDB cache bytes */

    /* ---- config: data model ---- */
    int sibling_policy;         /* enum sibling_policy */
    int max_siblings;           /* collapse beyond this many siblings */
    long long tombstone_grace;  /* seconds a tombstone is kept */
    int active_expire;          /* background expiry sweep on/off */
    int databases;              /* SELECT 0 .. databases-1 */

    /* ---- config: cluster (issue 3+) ---- */
    char *seeds;                /* host:port list */
    int replicas;               /* N */
    int read_quorum;            /* R */
    int write_quorum;           /* W */
    int ring_size;              /* Q partitions, power of two */
    long long request_timeout;  /* ms */
    int hinted_handoff;         /* yes/no */
    int anti_entropy_interval;  /* seconds */
    char *cluster_secret;       /* peers authenticate with it */

    /* ---- config: observability ---- */
    long long slowlog_log_slower_than;  /* us; -1 = off, 0 = everything */
    long long slowlog_max_len;          /* entries kept */
    int latency_tracking;               /* per-command histograms */
    char *latency_tracking_info_percentiles;  /* "50 99 99.9" */

    /* ---- config: TLS ---- */
    int tls_port;
    char *tls_cert_file;
    char *tls_key_file;
    char *tls_ca_cert_file;
    int tls_peer;

    /* ---- runtime ---- */
    struct event_base *base;    /* the one event loop */
    struct actor me;            /* this node's actor (id + epoch) */
    char node_id[17];           /* hex of me.node */
    int64_t start_ms;           /* for uptime */
    int64_t now_ms;             /* wall clock at the start of the current
                                   command (or cron tick): one clock read
                                   per command, and one instant for all
                                   of a command's expiry decisions */
    int64_t cron_loops;         /* server_cron invocations */
    int shutdown_asap;          /* set by signals / SHUTDOWN */
    int pid;
    char executable[1024];      /* absolute path of the binary */
    int listen_port;            /* actual port bound (port 0 tests) */

    /* ---- keyspace counters (kept exact by db.c) ---- */
    long long keys;             /* live keys */
    long long expires;          /* live keys with a TTL */

    /* ---- stats (CONFIG RESETSTAT clears) ---- */
    long long stat_numcommands;
    long long stat_numconnections;
    long long stat_rejected_conn;
    long long stat_expiredkeys;
    long long stat_keyspace_hits;
    long long stat_keyspace_misses;
    long long stat_net_input_bytes;
    long long stat_net_output_bytes;
    long long stat_sibling_collapses;
    long long stat_total_writes;      /* writes committed to the store */
    long long stat_tombstones_reaped;
    long long stat_total_error_replies;  /* every error reply (errorstats) */
};

extern struct server server;

/* The life of a node: start (configuration, store, listeners, cluster;
 * exits on a fatal error), one loop iteration at a time (block: wait for
 * an event), stop (commit, close). main() is these three; the peer
 * fuzzer drives them itself. */
void server_start(int argc, char **argv);
void server_tick(int block);
int server_stop(void);
/* Asks the loop to stop after this iteration (SHUTDOWN, SIGTERM). */
void server_request_shutdown(void);
/* Commands per second over the last samples (INFO). */
long long server_ops_per_sec(void);

#endif

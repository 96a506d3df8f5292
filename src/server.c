/* dkv-server: main(), start-up order, the event loop with its before-sleep
 * hook, the server cron and shutdown.
 *
 * DESIGN
 * ------
 * One thread, one libevent event_base. The loop is driven one iteration at
 * a time (EVLOOP_ONCE) so that after every iteration before_sleep() can
 * commit the store's batch of that iteration's writes and only then flush
 * replies: group commit, as DESIGN.md §1 asks, with one log write (and for
 * `fsync always` one fsync) per iteration however many clients wrote.
 *
 * server_cron runs `hz` times a second and owns every periodic duty:
 *   - active expiry and tombstone reaping (db_cron), each tick;
 *   - fsync everysec: flush the log to disk once a second;
 *   - checkpoints and log-file removal (store_cron), once a second;
 *   - idle client timeouts (net_cron), once a second;
 *   - peer reconnects, probes, gossip and hint delivery (peer_cron,
 *     cluster_cron), every tick, each on its own period;
 *   - the ops/sec sample for INFO, each tick. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <event2/event.h>
#include <openssl/rand.h>

#include "server.h"
#include "config.h"
#include "commands.h"
#include "db.h"
#include "log.h"
#include "net.h"
#include "cluster.h"
#include "coord.h"
#include "peer.h"
#include "handoff.h"
#include "store.h"

#define OPS_SAMPLES 16

struct server server;

static struct event *cron_ev;
static struct event *sigterm_ev;
static struct event *sigint_ev;
static long long ops_samples[OPS_SAMPLES];
static int ops_idx;
static long long ops_last_count;
static int64_t ops_last_ms;
static int64_t last_everysec_ms;

void
server_request_shutdown(void)
{
    server.shutdown_asap = 1;
    event_base_loopbreak(server.base);
}

long long
server_ops_per_sec(void)
{
    long long sum = 0;
    for (int i = 0; i < OPS_SAMPLES; i++) sum += ops_samples[i];
    return sum / OPS_SAMPLES;
}

/* ---- Identity ------------------------------------------------------------ */

/* The node's actor: a random id kept in the store's meta database, so it
 * lives and dies with the data. A wiped dir gets a fresh id, hence a fresh
 * actor whose counters cannot collide with the ones the old data had. */
static int
load_identity(void)
{
    struct buf b;
    unsigned char raw[12];
    struct reader r;
    uint64_t node;
    uint32_t epoch;

    buf_init(&b);
    if (store_meta_get("actor", &b) == DKV_OK && b.len == 12) {
        reader_init(&r, b.p, b.len);
        reader_u64(&r, &node);
        reader_u32(&r, &epoch);
    } else {
        if (RAND_bytes(raw, 8) != 1) {
            buf_free(&b);
            return DKV_ERR;
        }
        node = 0;
        for (int i = 0; i < 8; i++) node = (node << 8) | raw[i];
        epoch = 1;
        buf_reset(&b);
        buf_put_u64(&b, node);
        buf_put_u32(&b, epoch);
        if (store_meta_put("actor", b.p, b.len) != DKV_OK ||
            store_commit(FSYNC_ALWAYS) < 0) {
            buf_free(&b);
            return DKV_ERR;
        }
        log_notice("New node id %016llx (empty data directory)",
                   (unsigned long long)node);
    }
    buf_free(&b);
    server.me.node = node;
    server.me.epoch = epoch;
    snprintf(server.node_id, sizeof(server.node_id), "%016llx",
             (unsigned long long)node);
    return DKV_OK;
}

/* ---- Loop ---------------------------------------------------------------- */

static void
before_sleep(void)
{
    /* Run what became runnable, then commit, and only then let anything
     * out: a reply may only leave once its write is stored with the
     * durability `fsync` promises, and a version may only reach a peer
     * once it is stored here. Sent first, a version could outlive a
     * crash of this node that lost it here together with the record of
     * its dot, and the restarted node would issue that dot again for a
     * different write (found by utils/dkv-torture, kill nemesis). */
    coord_run_ready();
    net_process_unblocked();
    store_commit(server.fsync);
    peer_flush_all();
    net_flush();
}

static void
server_cron(evutil_socket_t fd, short what, void *arg)
{
    int64_t now = mstime();

    (void)fd;
    (void)what;
    (void)arg;
    server.cron_loops++;
    server.now_ms = now;
    db_cron();

    if (now - ops_last_ms >= 100) {
        long long ops = server.stat_numcommands - ops_last_count;
        ops_samples[ops_idx++ % OPS_SAMPLES] =
            ops * 1000 / (now - ops_last_ms);
        ops_last_ms = now;
        ops_last_count = server.stat_numcommands;
    }
    if (now - last_everysec_ms >= 1000) {
        last_everysec_ms = now;
        if (server.fsync == FSYNC_EVERYSEC) {
            store_commit(FSYNC_EVERYSEC);
            store_sync();
        }
        store_cron();
        net_cron();
    }
    /* Cluster duties keep their own clocks (probes, gossip, handoff). */
    peer_cron();
    cluster_cron();
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    (void)arg;
    log_warn("Received %s scheduling shutdown...",
             sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_request_shutdown();
}

static void
daemonize(void)
{
    int fd;

    if (fork() != 0) exit(0);
    setsid();
    if ((fd = open("/dev/null", O_RDWR, 0)) != -1) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) close(fd);
    }
}

static void
write_pidfile(void)
{
    FILE *f;

    if (!server.pidfile || !server.pidfile[0]) return;
    if ((f = fopen(server.pidfile, "w")) == NULL) {
        log_warn("Can't write pidfile %s: %s", server.pidfile,
                 strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

/* maxclients connections need as many descriptors, plus the store's,
 * the peer links' and the listeners': raise the soft limit as far as the
 * hard one allows (Redis does the same) and say so when that falls short. */
#define RESERVED_FDS 128
static void
raise_fd_limit(void)
{
    struct rlimit rl;
    rlim_t want = (rlim_t)server.maxclients + RESERVED_FDS;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want) return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want
                      ? want : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < want)
        log_warn("Open files limit %llu is below maxclients %d + %d: "
                 "raise ulimit -n", (unsigned long long)rl.rlim_cur,
                 server.maxclients, RESERVED_FDS);
}

void
server_start(int argc, char **argv)
{
    char err[512];
    struct timeval tv;

    config_load(argc, argv);
    if (server.daemonize) daemonize();
    log_set_file(server.logfile);
    server.pid = getpid();
    server.start_ms = mstime();
    srandom((unsigned)(ustime() ^ server.pid));
    if (realpath(argv[0], server.executable) == NULL)
        snprintf(server.executable, sizeof(server.executable), "%s", argv[0]);
    signal(SIGPIPE, SIG_IGN);
    write_pidfile();

    log_notice("dkv %s starting, pid=%d", DKV_VERSION, server.pid);
    raise_fd_limit();
    server.base = event_base_new();
    if (server.base == NULL) dkv_panic("cannot create the event loop");
    commands_init();

    if (store_open(server.dir, server.cache_size, err, sizeof(err)) !=
        DKV_OK) {
        log_warn("Fatal: cannot open the store: %s", err);
        exit(1);
    }
    if (load_identity() != DKV_OK) {
        log_warn("Fatal: cannot load or create the node identity");
        exit(1);
    }
    if (db_count() != DKV_OK) {
        log_warn("Fatal: cannot read the store");
        exit(1);
    }
    log_notice("Store ready in %s: %lld keys, %lld with a TTL (node %s)",
               server.dir, server.keys, server.expires, server.node_id);
    if (net_listen() != DKV_OK) exit(1);
    cluster_init();
    handoff_init();

    cron_ev = event_new(server.base, -1, EV_PERSIST, server_cron, NULL);
    tv.tv_sec = 0;
    tv.tv_usec = 1000000 / server.hz;
    event_add(cron_ev, &tv);
    sigterm_ev = evsignal_new(server.base, SIGTERM, signal_cb, NULL);
    sigint_ev = evsignal_new(server.base, SIGINT, signal_cb, NULL);
    event_add(sigterm_ev, NULL);
    event_add(sigint_ev, NULL);
    ops_last_ms = last_everysec_ms = mstime();
    log_notice("Ready to accept connections tcp on port %d", server.port);
}

void
server_tick(int block)
{
    event_base_loop(server.base, block ? EVLOOP_ONCE : EVLOOP_NONBLOCK);
    before_sleep();
}

int
server_stop(void)
{
    log_warn("Shutting down: committing and closing the store");
    net_close_listeners();
    peer_close_all();
    net_free_all_clients();
    store_close();
    if (server.pidfile && server.pidfile[0]) unlink(server.pidfile);
    event_free(cron_ev);
    event_free(sigterm_ev);
    event_free(sigint_ev);
    event_base_free(server.base);
    log_warn("dkv is now ready to exit, bye bye...");
    return 0;
}

#ifndef DKV_NO_MAIN  /* fuzz/fuzz_peer.c drives the loop itself */
int
main(int argc, char **argv)
{
    server_start(argc, argv);
    while (!server.shutdown_asap) server_tick(1);
    return server_stop();
}
#endif

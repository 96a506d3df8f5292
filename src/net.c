/* Client networking (see net.h).
 *
 * DESIGN
 * ------
 * Each client has a read event whose callback read()s straight into the
 * request parser and runs every complete request, and a socket
 * bufferevent used only for output the kernel did not take; replies collect
 * in the client's own output buffer (resp.c). Once per loop iteration,
 * after the store committed that iteration's writes, net_flush() writes
 * each pending buffer straight to the socket and hands only what the
 * kernel did not take to the bufferevent, which then drains it as the
 * socket allows. That keeps the common case at one write() per client per
 * iteration, as Redis's beforeSleep does.
 *
 * A client whose unsent output passes OUTPUT_PAUSE_BYTES stops being read
 * (and its already-buffered requests stop being run) until the output
 * drains below OUTPUT_RESUME_BYTES: a client that pipelines without
 * reading replies costs bounded memory instead of growing without end. */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "net.h"
#include "client.h"
#include "commands.h"
#include "coord.h"
#include "server.h"
#include "t_multi.h"
#include "wait.h"
#include "log.h"

#define OUTPUT_PAUSE_BYTES  (4 * 1024 * 1024)
#define OUTPUT_RESUME_BYTES (1024 * 1024)
#define READ_CHUNK (64 * 1024)           /* bytes per read() */
#define OUT_KEEP_BYTES      (64 * 1024)  /* shrink idle output buffers */
#define MAX_LISTENERS 16

static struct evconnlistener *listeners[MAX_LISTENERS];
static int nlisteners;
static struct client *clients;          /* all clients */
static long nclients;
static struct client *pending_writes;   /* clients with output to flush */
static struct client *resume;           /* clients to resume */
static uint64_t next_client_id = 1;

static void process_input(struct client *c);

struct client *
client_list_head(void)
{
    return clients;
}

long
client_count(void)
{
    return nclients;
}

/* ---- Client lifecycle ---------------------------------------------------- */

static void
addr_string(const struct sockaddr_storage *ss, char *out, size_t len)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;

    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
        port = ntohs(s->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
        port = ntohs(s->sin6_port);
    }
    snprintf(out, len, "%s:%d", ip, port);
}

static void
client_free(struct client *c)
{
    if (c->ninflight) coord_client_gone(c);
    client_gone_monitor(c);
    multi_free(c);
    wait_client_gone(c);
    if (c->flags & CLIENT_RESUME)
        for (struct client **pp = &resume; *pp; pp = &(*pp)->resume_next)
            if (*pp == c) {
                *pp = c->resume_next;
                break;
            }
    if (c->prev) c->prev->next = c->next;
    else clients = c->next;
    if (c->next) c->next->prev = c->prev;
    nclients--;
    event_free(c->rev);
    bufferevent_free(c->bev);  /* closes fd (BEV_OPT_CLOSE_ON_FREE) */
    reqp_free(&c->parser);
    buf_free(&c->out);
    free(c->name);
    free(c);
}

void
client_close(struct client *c, int after_reply)
{
    if (after_reply) {
        c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    } else {
        c->flags |= CLIENT_CLOSE_ASAP;
    }
    /* Both are acted on in net_flush(): never free under a caller. */
    if (!(c->flags & CLIENT_PENDING_WRITE)) client_pending_write(c);
}

void
client_pending_write(struct client *c)
{
    c->flags |= CLIENT_PENDING_WRITE;
    c->pw_next = pending_writes;
    pending_writes = c;
}

/* ---- Reading ------------------------------------------------------------- */

static void
pause_reading(struct client *c)
{
    c->flags |= CLIENT_READ_PAUSED;
    event_del(c->rev);
}

static void
process_input(struct client *c)
{
    while (!(c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY |
                         CLIENT_READ_PAUSED))) {
        /* A held request is still in argv (the parser keeps it until the
         * next reqp_next): try it again before parsing more. */
        if (!c->held) {
            enum req_status st;

            /* Limits as they are now: CONFIG SET and AUTH apply to the
             * connection's very next request. */
            c->parser.max_bulk = server.proto_max_bulk_len;
            c->parser.unauth = !(c->flags & CLIENT_AUTHENTICATED);
            st = reqp_next(&c->parser);

            if (st == REQ_MORE) break;
            if (st == REQ_ERR) {
                reply_errorf(c, "ERR %s", c->parser.err);
                log_verbose("Protocol error (%s) from client id=%llu "
                            "addr=%s", c->parser.err,
                            (unsigned long long)c->id, c->addr);
                client_close(c, 1);
                break;
            }
            if (c->parser.argc == 0) continue;
        }
        c->argc = c->parser.argc;
        c->argv = c->parser.argv;
        c->argvlen = c->parser.argvlen;
        c->held = command_call(c) == CALL_HELD;
        if (c->held) break;
        c->argc = 0;
        if (c->out.len + evbuffer_get_length(bufferevent_get_output(c->bev))
            > OUTPUT_PAUSE_BYTES)
            pause_reading(c);
    }
}

void
client_resume(struct client *c)
{
    if (!(c->flags & CLIENT_PENDING_WRITE)) client_pending_write(c);
    if (c->flags & CLIENT_RESUME) return;
    c->flags |= CLIENT_RESUME;
    c->resume_next = resume;
    resume = c;
}

void
net_process_unblocked(void)
{
    while (resume) {
        struct client *c = resume;
        resume = c->resume_next;
        c->resume_next = NULL;
        c->flags &= ~CLIENT_RESUME;
        if (c->held) process_input(c);
    }
}

/* Reading bypasses the bufferevent (which asks the kernel how much is
 * readable before every read: one more syscall per request): a plain
 * read event feeds the parser directly. The bufferevent keeps only the
 * output that a direct write could not hand over at once. */
static void
read_cb(evutil_socket_t fd, short what, void *arg)
{
    static char chunk[READ_CHUNK];
    struct client *c = arg;
    ssize_t n;

    (void)what;
    n = read(fd, chunk, sizeof(chunk));
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        /* The peer is gone: pending replies have nowhere to go. */
        c->out.len = 0;
        event_del(c->rev);
        client_close(c, 0);
        return;
    }
    if (n < 0) return;
    if (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY)) return;
    reqp_feed(&c->parser, chunk, (size_t)n);
    server.stat_net_input_bytes += n;
    c->last_interaction_ms = mstime();

    if ((long long)reqp_pending(&c->parser) >
        server.client_query_buffer_limit) {
        log_warn("Closing client that reached max query buffer length: "
                 "id=%llu addr=%s (qbuf initial bytes dropped)",
                 (unsigned long long)c->id, c->addr);
        client_close(c, 0);
        return;
    }
    process_input(c);
}

/* Output drained below the low watermark: resume a paused reader, finish
 * a close-after-reply. */
static void
write_cb(struct bufferevent *bev, void *arg)
{
    struct client *c = arg;
    size_t pending = evbuffer_get_length(bufferevent_get_output(bev));

    if ((c->flags & CLIENT_CLOSE_AFTER_REPLY) && pending == 0 &&
        c->out.len == 0) {
        client_close(c, 0);
        return;
    }
    if ((c->flags & CLIENT_READ_PAUSED) && pending <= OUTPUT_RESUME_BYTES) {
        c->flags &= ~CLIENT_READ_PAUSED;
        event_add(c->rev, NULL);
        process_input(c);
    }
}

static void
event_cb(struct bufferevent *bev, short what, void *arg)
{
    struct client *c = arg;

    (void)bev;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        /* The peer is gone: pending replies have nowhere to go. */
        c->out.len = 0;
        client_close(c, 0);
    }
}

/* ---- Accepting ----------------------------------------------------------- */

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
          int salen, void *arg)
{
    struct client *c;
    struct sockaddr_storage local;
    socklen_t llen = sizeof(local);
    int one = 1;

    (void)l;
    (void)arg;
    (void)salen;
    if (nclients >= server.maxclients) {
        static const char err[] = "-ERR max number of clients reached\r\n";
        /* Best effort, as Redis: the socket is fresh, the write fits. */
        if (write(fd, err, sizeof(err) - 1) < 0) { /* nothing to do */ }
        close(fd);
        server.stat_rejected_conn++;
        return;
    }
    evutil_make_socket_nonblocking(fd);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

    c = xcalloc(1, sizeof(*c));
    c->id = next_client_id++;
    c->fd = fd;
    c->resp = 2;
    c->ctime_ms = c->last_interaction_ms = mstime();
    if (server.requirepass == NULL || server.requirepass[0] == '\0')
        c->flags |= CLIENT_AUTHENTICATED;
    addr_string((struct sockaddr_storage *)sa, c->addr, sizeof(c->addr));
    if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
        addr_string(&local, c->laddr, sizeof(c->laddr));
    reqp_init(&c->parser, server.proto_max_bulk_len);
    buf_init(&c->out);
    c->bev = bufferevent_socket_new(server.base, fd, BEV_OPT_CLOSE_ON_FREE);
    if (c->bev == NULL) {
        log_warn("Could not create a bufferevent for a client");
        reqp_free(&c->parser);
        free(c);
        close(fd);
        return;
    }
    bufferevent_setcb(c->bev, NULL, write_cb, event_cb, c);
    bufferevent_setwatermark(c->bev, EV_WRITE, OUTPUT_RESUME_BYTES, 0);
    c->rev = event_new(server.base, fd, EV_READ | EV_PERSIST, read_cb, c);
    event_add(c->rev, NULL);

    c->next = clients;
    if (clients) clients->prev = c;
    clients = c;
    nclients++;
    server.stat_numconnections++;
}

static void
accept_error_cb(struct evconnlistener *l, void *arg)
{
    (void)l;
    (void)arg;
    /* EMFILE and friends: log and keep listening; the loop stays up. */
    log_warn("Accepting client connection: %s", strerror(errno));
}

int
net_listen(void)
{
    char *addrs = xstrdup(server.bind && server.bind[0] ? server.bind
                                                        : "127.0.0.1");
    char *save = NULL;

    for (char *a = strtok_r(addrs, " ", &save); a != NULL;
         a = strtok_r(NULL, " ", &save)) {
        struct sockaddr_storage ss;
        int sslen = sizeof(ss);
        char spec[128];
        int optional = (a[0] == '-');
        struct evconnlistener *l;

        if (optional) a++;
        if (strchr(a, ':')) snprintf(spec, sizeof(spec), "[%s]:%d", a, server.port);
        else snprintf(spec, sizeof(spec), "%s:%d", a, server.port);
        if (evutil_parse_sockaddr_port(spec, (struct sockaddr *)&ss, &sslen)) {
            log_warn("Invalid bind address '%s'", a);
            free(addrs);
            return DKV_ERR;
        }
        if (nlisteners == MAX_LISTENERS) break;
        l = evconnlistener_new_bind(server.base, accept_cb, NULL,
                                    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
                                    LEV_OPT_CLOSE_ON_EXEC,
                                    server.tcp_backlog,
                                    (struct sockaddr *)&ss, sslen);
        if (l == NULL) {
            if (optional) continue;
            log_warn("Could not create server TCP listening socket %s: %s",
                     spec, strerror(errno));
            free(addrs);
            return DKV_ERR;
        }
        evconnlistener_set_error_cb(l, accept_error_cb);
        listeners[nlisteners++] = l;
    }
    free(addrs);
    if (nlisteners == 0) {
        log_warn("No address to listen on");
        return DKV_ERR;
    }
    return DKV_OK;
}

void
net_close_listeners(void)
{
    for (int i = 0; i < nlisteners; i++) evconnlistener_free(listeners[i]);
    nlisteners = 0;
}

/* ---- Flushing ------------------------------------------------------------ */

static void
flush_client(struct client *c)
{
    struct evbuffer *output = bufferevent_get_output(c->bev);
    size_t off = 0;

    if (c->out.len == 0) return;
    server.stat_net_output_bytes += c->out.len;
    if (evbuffer_get_length(output) == 0) {
        ssize_t n = write(c->fd, c->out.p, c->out.len);
        if (n > 0) off = (size_t)n;
        else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            /* Reset by peer and the like: the event callback will see it. */
            c->out.len = 0;
            c->flags |= CLIENT_CLOSE_ASAP;  /* already off the list */
            return;
        }
    }
    if (off < c->out.len) bufferevent_write(c->bev, c->out.p + off,
                                            c->out.len - off);
    c->out.len = 0;
    if (c->out.cap > OUT_KEEP_BYTES) buf_free(&c->out);
}

void
net_flush(void)
{
    while (pending_writes) {
        struct client *c = pending_writes;
        pending_writes = c->pw_next;
        c->flags &= ~CLIENT_PENDING_WRITE;

        if (!(c->flags & CLIENT_CLOSE_ASAP)) flush_client(c);
        if ((c->flags & CLIENT_CLOSE_AFTER_REPLY) &&
            evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
            c->flags |= CLIENT_CLOSE_ASAP;
        if (c->flags & CLIENT_CLOSE_ASAP) {
            client_free(c);
        } else if (c->flags & CLIENT_CLOSE_AFTER_REPLY) {
            /* write_cb closes it once the output drained */
            bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
        }
    }
}

void
net_cron(void)
{
    int64_t now;

    if (server.timeout <= 0) return;
    now = mstime();
    for (struct client *c = clients; c; c = c->next) {
        if (now - c->last_interaction_ms > (int64_t)server.timeout * 1000 &&
            !(c->flags & CLIENT_PEER)) {
            log_verbose("Closing idle client id=%llu",
                        (unsigned long long)c->id);
            client_close(c, 0);
        }
    }
}

void
net_free_all_clients(void)
{
    net_flush();
    while (clients) client_free(clients);
    pending_writes = NULL;
}

/* CLIENT LIST format (Redis 7 fields that mean something here). */
void
client_info_line(struct client *c, struct buf *b)
{
    char line[1024], flags[4];
    int64_t now = mstime();
    int n = 0;

    if (c->flags & CLIENT_MONITOR) flags[n++] = 'O';
    if (c->flags & CLIENT_NO_EVICT) flags[n++] = 'e';
    if (n == 0) flags[n++] = 'N';
    flags[n] = '\0';

    n = snprintf(line, sizeof(line),
                 "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld "
                 "flags=%s db=%d sub=0 psub=0 ssub=0 multi=-1 qbuf=%zu "
                 "qbuf-free=0 argv-mem=0 multi-mem=0 obl=%zu oll=0 omem=%zu "
                 "tot-mem=%zu events=r cmd=%s user=default redir=-1 resp=%d",
                 (unsigned long long)c->id, c->addr, c->laddr, c->fd,
                 c->name ? c->name : "",
                 (long long)((now - c->ctime_ms) / 1000),
                 (long long)((now - c->last_interaction_ms) / 1000),
                 flags, c->db,
                 reqp_pending(&c->parser), c->out.len,
                 evbuffer_get_length(bufferevent_get_output(c->bev)),
                 sizeof(*c) + c->out.cap,
                 c->cmd ? c->cmd->name : (c->lastcmd ? c->lastcmd->name
                                                     : "NULL"),
                 c->resp);
    if (n > (int)sizeof(line) - 1) n = sizeof(line) - 1;
    buf_append(b, line, n);
}

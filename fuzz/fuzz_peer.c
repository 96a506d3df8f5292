/* libFuzzer target: every internal peer command, as another node would
 * send it, through a real peer connection to a real node (Berkeley DB
 * store in a temporary directory, the server's own event loop). Covers
 * the argument decoding of DKV.GOSSIP, GETV, PUTV, FWD, SCANP, COUNTP,
 * FLUSHP, MROOTS, MTREE, MLEAVES, MKEYS and XFER, and what the node does
 * with what they carry. State (keys, members) accumulates over inputs, as
 * it would on a node.
 *
 * Input: arguments separated by NUL bytes; the first byte picks the
 * command, so mutations go into the arguments. The node must answer each
 * command (an error is fine) and keep answering PING. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <hiredis/hiredis.h>

#include "server.h"
#include "util.h"

static const char *commands[] = {
    "DKV.GOSSIP", "DKV.GETV", "DKV.PUTV", "DKV.FWD", "DKV.SCANP",
    "DKV.COUNTP", "DKV.FLUSHP", "DKV.MROOTS", "DKV.MTREE", "DKV.MLEAVES",
    "DKV.MKEYS", "DKV.XFER",
};
#define NCOMMANDS ((int)(sizeof(commands) / sizeof(commands[0])))
#define MAX_ARGS 16

/* Berkeley DB keeps its handles' memory where LeakSanitizer does not
 * look (its own regions), so what it allocates reads as leaked. */
const char *
__lsan_default_suppressions(void)
{
    return "leak:libdb-5.3.so\n";
}

static int fd = -1;
static int port;
static redisReader *reader;

static int
free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int s = socket(AF_INET, SOCK_STREAM, 0), p;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0)
        abort();
    p = ntohs(a.sin_port);
    close(s);
    return p;
}

static void
send_all(const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0) abort();  /* the node closed a peer link: a bug */
        p += n;
        len -= (size_t)n;
    }
}

/* Runs the node until `want` replies came back; a node that stops
 * answering (10 s: members gossiped in that do not exist make requests
 * wait for request-timeout) is a bug too. */
static void
await_replies(int want)
{
    char buf[65536];
    int64_t deadline = mstime() + 10000;

    while (want > 0) {
        void *reply;
        ssize_t n;
        if (mstime() > deadline) abort();
        server_tick(0);
        n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (n == 0) abort();
        if (n > 0) redisReaderFeed(reader, buf, (size_t)n);
        while (want > 0 && redisReaderGetReply(reader, &reply) == REDIS_OK &&
               reply != NULL) {
            freeReplyObject(reply);
            want--;
        }
    }
}

static void
send_command(int argc, const char **argv, const size_t *argvlen)
{
    struct buf b;
    char hdr[32];

    buf_init(&b);
    buf_append(&b, hdr, snprintf(hdr, sizeof(hdr), "*%d\r\n", argc));
    for (int i = 0; i < argc; i++) {
        buf_append(&b, hdr, snprintf(hdr, sizeof(hdr), "$%zu\r\n", argvlen[i]));
        buf_append(&b, argv[i], argvlen[i]);
        buf_append(&b, "\r\n", 2);
    }
    send_all(b.p, b.len);
    buf_free(&b);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char dir[] = "/tmp/dkv-fuzz-peer-XXXXXX";
    char portstr[16];
    char *args[] = { "dkv-server", "--dir", dir, "--port", portstr,
                     "--bind", "127.0.0.1", "--loglevel", "warning",
                     "--logfile", "/dev/null", "--request-timeout", "100",
                     NULL };
    struct sockaddr_in a;
    const char *hello[2] = { "DKV.PEER", "" };
    size_t hellolen[2] = { 8, 0 };

    (void)argc;
    (void)argv;
    if (mkdtemp(dir) == NULL) abort();
    port = free_port();
    snprintf(portstr, sizeof(portstr), "%d", port);
    server_start((int)(sizeof(args) / sizeof(args[0])) - 1, args);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) abort();
    reader = redisReaderCreate();
    send_command(2, hello, hellolen);
    await_replies(1);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *argv[MAX_ARGS];
    size_t argvlen[MAX_ARGS];
    const char *ping[1] = { "PING" };
    size_t pinglen[1] = { 4 };
    int argc = 1;
    const char *p, *end;

    if (size < 1) return 0;
    argv[0] = commands[data[0] % NCOMMANDS];
    argvlen[0] = strlen(argv[0]);
    /* One byte: the command alone; after it, NUL-separated arguments. */
    for (p = (const char *)data + 1, end = (const char *)data + size;
         size > 1 && p <= end && argc < MAX_ARGS;) {
        const char *z = memchr(p, '\0', end - p);
        if (z == NULL) z = end;
        argv[argc] = p;
        argvlen[argc] = (size_t)(z - p);
        argc++;
        p = z + 1;
    }
    send_command(argc, argv, argvlen);
    send_command(1, ping, pinglen);
    await_replies(2);
    return 0;
}

/* Unit tests of the request parser (resp_parse.c): multibulk and inline
 * requests, pipelining, requests split at every byte, and the protocol
 * errors Redis sends for malformed input, with its exact texts. */
#include <string.h>
#include <stdlib.h>

#include "testhelp.h"
#include "../resp_parse.h"

/* Feeds s (all at once, or one byte at a time) and parses one request. */
static enum req_status
parse_one(struct req_parser *p, const char *s, size_t len, int bytewise)
{
    enum req_status st = REQ_MORE;

    if (!bytewise) {
        reqp_feed(p, s, len);
        return reqp_next(p);
    }
    for (size_t i = 0; i < len; i++) {
        reqp_feed(p, s + i, 1);
        st = reqp_next(p);
        if (st != REQ_MORE) return st;
    }
    return st;
}

static int
args_are(struct req_parser *p, int argc, const char **want)
{
    if (p->argc != argc) return 0;
    for (int i = 0; i < argc; i++)
        if (p->argvlen[i] != strlen(want[i]) ||
            memcmp(p->argv[i], want[i], p->argvlen[i]))
            return 0;
    return 1;
}

static const char *set_abc[] = {"SET", "a", "bc"};

static void
test_multibulk(void)
{
    static const char req[] = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$2\r\nbc\r\n";

    for (int bytewise = 0; bytewise < 2; bytewise++) {
        struct req_parser p;
        reqp_init(&p, 512 * 1024 * 1024LL);
        test_cond(bytewise ? "multibulk fed a byte at a time"
                           : "multibulk in one piece",
                  parse_one(&p, req, sizeof(req) - 1, bytewise) == REQ_OK &&
                  args_are(&p, 3, set_abc));
        test_cond("nothing left after one request",
                  reqp_next(&p) == REQ_MORE && reqp_pending(&p) == 0);
        reqp_free(&p);
    }
}

static void
test_binary_and_pipeline(void)
{
    struct req_parser p;
    static const char req[] = "*2\r\n$4\r\nECHO\r\n$3\r\na\0b\r\n"
                              "*1\r\n$4\r\nPING\r\nPING\r\n";
    int ok;

    reqp_init(&p, 1024);
    reqp_feed(&p, req, sizeof(req) - 1);
    ok = reqp_next(&p) == REQ_OK && p.argc == 2 && p.argvlen[1] == 3 &&
         memcmp(p.argv[1], "a\0b", 3) == 0;
    test_cond("binary-safe argument with a NUL byte", ok);
    ok = reqp_next(&p) == REQ_OK && p.argc == 1 && !strcmp(p.argv[0], "PING");
    test_cond("second pipelined multibulk request", ok);
    ok = reqp_next(&p) == REQ_OK && p.argc == 1 && !strcmp(p.argv[0], "PING");
    test_cond("inline request after multibulk ones", ok);
    test_cond("then nothing", reqp_next(&p) == REQ_MORE);
    reqp_free(&p);
}

static void
test_inline(void)
{
    struct req_parser p;
    static const char req[] = "set \"a b\" 'c\\'d' \"\\x41\\n\"\r\n\r\nget k\n";
    int ok;

    reqp_init(&p, 1024);
    reqp_feed(&p, req, sizeof(req) - 1);
    ok = reqp_next(&p) == REQ_OK && p.argc == 4 &&
         !strcmp(p.argv[1], "a b") && !strcmp(p.argv[2], "c'd") &&
         !strcmp(p.argv[3], "A\n");
    test_cond("inline request with quotes and escapes", ok);
    test_cond("empty inline line is an empty request",
              reqp_next(&p) == REQ_OK && p.argc == 0);
    ok = reqp_next(&p) == REQ_OK && p.argc == 2 && !strcmp(p.argv[1], "k");
    test_cond("inline request ended by a bare newline", ok);
    reqp_free(&p);

    reqp_init(&p, 1024);
    reqp_feed(&p, "set \"abc\r\n", 10);
    test_cond("unbalanced quotes are refused",
              reqp_next(&p) == REQ_ERR &&
              !strcmp(p.err, "Protocol error: unbalanced quotes in request"));
    reqp_free(&p);
}

static void
expect_error(const char *descr, const char *input, size_t len,
             long long max_bulk, const char *err)
{
    struct req_parser p;
    enum req_status st;

    reqp_init(&p, max_bulk);
    reqp_feed(&p, input, len);
    st = reqp_next(&p);
    test_cond(descr, st == REQ_ERR && p.err && !strcmp(p.err, err));
    reqp_free(&p);
}

/* Limits on a request that arrived whole, before reqp_next saw its
 * header: the reader callbacks check them. */
static void
test_whole_request_limits(void)
{
    static const char big[] = "*2\r\n$4\r\nECHO\r\n$20\r\n"
                              "01234567890123456789\r\n";
    char unauth[16500];
    struct req_parser p;
    int n;

    reqp_init(&p, 1024);
    reqp_feed(&p, big, sizeof(big) - 1);
    p.max_bulk = 10;
    test_cond("a whole bulk past a lowered proto-max-bulk-len is refused",
              reqp_next(&p) == REQ_ERR &&
              !strcmp(p.err, "Protocol error: invalid bulk length"));
    reqp_free(&p);

    n = snprintf(unauth, sizeof(unauth), "*2\r\n$4\r\nECHO\r\n$16385\r\n");
    memset(unauth + n, 'x', 16385);
    memcpy(unauth + n + 16385, "\r\n", 2);
    reqp_init(&p, 1024 * 1024);
    p.unauth = 1;
    reqp_feed(&p, unauth, n + 16387);
    test_cond("a whole 16385-byte bulk before AUTH is refused",
              reqp_next(&p) == REQ_ERR &&
              !strcmp(p.err, "Protocol error: unauthenticated bulk length"));
    reqp_free(&p);
}

/* A count of two billion allocates slots only as arguments arrive, and
 * the arguments parsed count as held input. */
static void
test_large_count(void)
{
    struct req_parser p;
    const char *req = "*2000000000\r\n$1\r\na\r\n$2\r\nbc\r\n";

    reqp_init(&p, 1024 * 1024);
    reqp_feed(&p, req, strlen(req));
    test_cond("a count of 2e9: waits for more, a few slots allocated",
              reqp_next(&p) == REQ_MORE && p.argc == 2 && p.argv_cap <= 1024);
    test_cond("parsed arguments count as pending input",
              reqp_pending(&p) >= 3 + 2 * (sizeof(char *) + sizeof(size_t)));
    reqp_free(&p);
}

static void
test_errors(void)
{
    test_whole_request_limits();
    test_large_count();
    expect_error("multibulk count that is not a number", "*abc\r\n", 6,
                 1024, "Protocol error: invalid multibulk length");
    expect_error("multibulk count past INT_MAX", "*2147483648\r\n", 13, 1024,
                 "Protocol error: invalid multibulk length");
    expect_error("bulk longer than proto-max-bulk-len",
                 "*1\r\n$2048\r\nab", 14, 1024,
                 "Protocol error: invalid bulk length");
    expect_error("integer inside a request", "*1\r\n:1\r\n", 8, 1024,
                 "Protocol error: expected '$', got ':'");
    expect_error("nested array inside a request", "*1\r\n*1\r\n", 8, 1024,
                 "Protocol error: expected '$', got '*'");
    expect_error("negative bulk length", "*1\r\n$-1\r\n", 9, 1024,
                 "Protocol error: invalid bulk length");
    /* Found by fuzz/fuzz_request.c: hiredis drops its buffer on a bad
     * length, and the error path read through the NULL it left. */
    expect_error("bulk length with a non-digit inside",
                 "*1\r\n$9\xb9" "999999999\r\n", 18, 1024 * 1024,
                 "Protocol error: invalid bulk length");
    {
        /* Found by the fuzzer: bytes fed after a protocol error. */
        struct req_parser p;
        reqp_init(&p, 1024);
        reqp_feed(&p, "*1\r\n$9\xb9" "99\r\n", 12);
        test_cond("after a protocol error, more input is ignored",
                  reqp_next(&p) == REQ_ERR &&
                  (reqp_feed(&p, "*1\r\n$4\r\nPING\r\n", 14), 1));
        reqp_free(&p);
    }
    expect_error("multibulk length with a non-digit inside",
                 "*9\xb9\r\n", 6, 1024 * 1024,
                 "Protocol error: invalid multibulk length");
    {
        char big[REQ_MAX_INLINE + 10];
        memset(big, 'a', sizeof(big));
        expect_error("inline request past 64k without a newline", big,
                     sizeof(big), 1024,
                     "Protocol error: too big inline request");
    }
}

static void
test_garbage_never_crashes(void)
{
    unsigned seed = 12345;
    int survived = 1;

    /* Random bytes, biased to protocol characters, in random chunks: the
     * parser must end each stream in OK/MORE/ERR without faults (ASan
     * watches memory), and never produce argc beyond what it allocated. */
    for (int round = 0; round < 2000 && survived; round++) {
        static const char alphabet[] = "*$:+-\r\n0123456789abc\"' \\x";
        struct req_parser p;
        char buf[256];
        int len = (int)(rand_r(&seed) % sizeof(buf));

        for (int i = 0; i < len; i++)
            buf[i] = (rand_r(&seed) % 4)
                         ? alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)]
                         : (char)rand_r(&seed);
        reqp_init(&p, 64);
        for (int off = 0; off < len;) {
            int n = 1 + (int)(rand_r(&seed) % 16);
            enum req_status st = REQ_OK;
            if (off + n > len) n = len - off;
            reqp_feed(&p, buf + off, n);
            off += n;
            while (st == REQ_OK) {
                st = reqp_next(&p);
                if (st == REQ_OK && p.argc > p.argv_cap && p.argv_cap)
                    survived = 0;
            }
            if (st == REQ_ERR) break;
        }
        reqp_free(&p);
    }
    test_cond("2000 random byte streams parsed without a fault", survived);
}

int
test_resp(void)
{
    test_multibulk();
    test_binary_and_pipeline();
    test_inline();
    test_errors();
    test_garbage_never_crashes();
    return 0;
}

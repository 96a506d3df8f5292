#!/usr/bin/python3
"""python3-redis's transactions, as applications use them.

  transactions.py pipeline PORT
      pipeline() (transaction=True, the default) and pipeline(False):
      prints one line per check, "ok NAME" or "bad NAME: detail".
  transactions.py incr PORT KEY COUNT
      COUNT read-modify-write increments of KEY with transaction(fn, KEY)
      (WATCH, GET, MULTI, SET, EXEC, run again on WatchError); prints
      "done=N retries=R".
  transactions.py plainincr PORT KEY COUNT
      COUNT plain INCRs of KEY; prints "done=N"."""
import sys

import redis


def check(name, got, want):
    if got == want:
        print("ok", name)
    else:
        print("bad %s: got %r, want %r" % (name, got, want))


def pipelines(port):
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    r.delete("p:a", "p:b", "p:n")
    with r.pipeline() as p:
        p.set("p:a", "1").incr("p:n").incr("p:n").get("p:a").mget("p:a", "p:b")
        check("pipeline", p.execute(), [True, 1, 2, b"1", [b"1", None]])
    with r.pipeline(transaction=False) as p:
        p.set("p:b", "2").get("p:b")
        check("pipeline-no-tx", p.execute(), [True, b"2"])
    # A command that fails while running: the others still ran.
    r.set("p:s", "text")
    with r.pipeline() as p:
        p.set("p:a", "x").incr("p:s").get("p:a")
        res = p.execute(raise_on_error=False)
        check("runtime-error", [res[0], isinstance(res[1], redis.ResponseError),
                                res[2]], [True, True, b"x"])
    # A command refused while queued: nothing ran.
    with r.pipeline() as p:
        p.set("p:a", "never").execute_command("NOSUCHCOMMAND")
        try:
            p.execute()
            check("execabort", "no error", "ResponseError")
        except redis.ResponseError as e:
            check("execabort", "EXECABORT" in str(e) or "unknown command" in str(e), True)
    check("execabort-nothing-ran", r.get("p:a"), b"x")
    # WATCH through the pipeline API, the key changed meanwhile.
    other = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    with r.pipeline() as p:
        p.watch("p:a")
        other.set("p:a", "changed")
        p.multi()
        p.set("p:a", "mine")
        try:
            p.execute()
            check("watch-error", "executed", "WatchError")
        except redis.WatchError:
            check("watch-error", r.get("p:a"), b"changed")


def incr(port, key, count):
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    calls = [0]

    def bump(p):
        calls[0] += 1  # transaction() retries on WatchError by itself
        v = int(p.get(key) or 0)
        p.multi()
        p.set(key, v + 1)

    for _ in range(count):
        r.transaction(bump, key)
    print("done=%d retries=%d" % (count, calls[0] - count))


def plainincr(port, key, count):
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    for _ in range(count):
        r.incr(key)
    print("done=%d" % count)


if __name__ == "__main__":
    if sys.argv[1] == "pipeline":
        pipelines(int(sys.argv[2]))
    elif sys.argv[1] == "plainincr":
        plainincr(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        incr(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))

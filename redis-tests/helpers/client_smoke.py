#!/usr/bin/python3
"""Drives a server with python3-redis the way an application would and
prints one line per check ("ok name" or "FAIL name: detail").
Usage: client_smoke.py PORT"""
import sys

import redis

r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), decode_responses=True)


def check(name, got, want):
    print(("ok %s" % name) if got == want else
          ("FAIL %s: got %r want %r" % (name, got, want)))


check("set/get", (r.set("py:a", "1"), r.get("py:a")), (True, "1"))
check("missing is None", r.get("py:none"), None)
check("incr", (r.incr("py:n"), r.incrby("py:n", 10), r.decr("py:n")), (1, 11, 10))
check("incrbyfloat", r.incrbyfloat("py:f", 2.5), 2.5)
r.set("py:t", "v", ex=100)
check("ttl", 90 < r.ttl("py:t") <= 100, True)
check("expire/persist", (r.expire("py:a", 50), r.persist("py:a")), (True, True))
r.mset({"py:m1": "x", "py:m2": "y"})
check("mget", r.mget("py:m1", "py:m2", "py:none"), ["x", "y", None])
p = r.pipeline(transaction=False)
for i in range(100):
    p.set("py:p:%d" % i, i)
for i in range(100):
    p.get("py:p:%d" % i)
res = p.execute()
check("pipeline", res[100:], [str(i) for i in range(100)])
check("scan_iter", len(list(r.scan_iter(match="py:p:*", count=30))), 100)
check("exists/delete", (r.exists("py:m1", "py:m2"), r.delete("py:m1", "py:m2")), (2, 2))
check("getset/getdel", (r.getset("py:g", "1"), r.getdel("py:g")), (None, "1"))
check("append/strlen", (r.append("py:s", "ab"), r.strlen("py:s")), (2, 2))
check("info", "redis_version" in r.info("server"), True)
check("dbsize", r.dbsize() > 100, True)
try:
    r.execute_command("NOSUCHCMD")
    print("FAIL unknown command: no error")
except redis.ResponseError as e:
    check("unknown command", str(e).startswith("unknown command"), True)

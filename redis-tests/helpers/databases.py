#!/usr/bin/python3
"""python3-redis with a database other than 0 (redis://host/3 style), as an
application would use it; prints one line per check ("ok name" or
"FAIL name: detail"). Usage: databases.py PORT"""
import sys

import redis

port = int(sys.argv[1])
r3 = redis.Redis(host="127.0.0.1", port=port, db=3, decode_responses=True)
r0 = redis.Redis(host="127.0.0.1", port=port, db=0, decode_responses=True)
url = redis.Redis.from_url("redis://127.0.0.1:%d/5" % port,
                           decode_responses=True)


def check(name, got, want):
    print(("ok %s" % name) if got == want else
          ("FAIL %s: got %r want %r" % (name, got, want)))


r3.flushdb()
r0.delete("py:db")
check("set/get in db 3", (r3.set("py:db", "three"), r3.get("py:db")),
      (True, "three"))
check("db 0 does not see it", r0.get("py:db"), None)
check("url db 5 does not see it", url.get("py:db"), None)
for i in range(50):
    r3.set("py:s:%d" % i, i)
check("scan_iter in db 3", sorted(r3.scan_iter("py:s:*", count=7)),
      sorted("py:s:%d" % i for i in range(50)))
check("dbsize of db 3", r3.dbsize(), 51)
check("pipeline in db 3", r3.pipeline(transaction=False).incr("py:n")
      .incr("py:n").execute(), [1, 2])
check("flushdb empties db 3 only",
      (r0.set("py:keep", "1"), r3.flushdb(), r3.dbsize(), r0.get("py:keep")),
      (True, True, 0, "1"))
r0.delete("py:keep")

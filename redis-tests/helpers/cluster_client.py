#!/usr/bin/python3
"""A python3-redis application on a cluster: writes and reads COUNT keys,
each written through one node and read back through another, spread over
the nodes given. Prints "errors=N worst_ms=M ops=K".
Usage: cluster_client.py PREFIX COUNT PORT [PORT ...]"""
import sys
import time

import redis

prefix, count = sys.argv[1], int(sys.argv[2])
nodes = [redis.Redis(host="127.0.0.1", port=int(p), socket_timeout=10)
         for p in sys.argv[3:]]
errors = 0
worst = 0.0
ops = 0
for i in range(count):
    key, val = "%s:%d" % (prefix, i), str(i).encode()
    for op in ("set", "get"):
        start = time.monotonic()
        try:
            if op == "set":
                ok = nodes[i % len(nodes)].set(key, val) is True
            else:
                ok = nodes[(i + 1) % len(nodes)].get(key) == val
        except redis.RedisError as e:
            print("error:", op, key, e)
            ok = False
        worst = max(worst, time.monotonic() - start)
        ops += 1
        errors += 0 if ok else 1
print("errors=%d worst_ms=%d ops=%d" % (errors, worst * 1000, ops))

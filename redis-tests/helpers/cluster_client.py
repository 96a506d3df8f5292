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
            node = nodes[i % len(nodes)] if op == "set" else \
                nodes[(i + 1) % len(nodes)]
            got = node.set(key, val) if op == "set" else node.get(key)
            ok = got is True if op == "set" else got == val
            if not ok:
                # What a failure looks like helps find its cause.
                print("error: %s %s through port %s: got %r, wrote %r "
                      "through port %s at %.3f" %
                      (op, key, node.connection_pool.connection_kwargs["port"],
                       got, val,
                       nodes[i % len(nodes)].connection_pool
                       .connection_kwargs["port"], time.time()))
        except redis.RedisError as e:
            print("error:", op, key, e)
            ok = False
        worst = max(worst, time.monotonic() - start)
        ops += 1
        errors += 0 if ok else 1
print("errors=%d worst_ms=%d ops=%d" % (errors, worst * 1000, ops))

#!/usr/bin/python3
"""DUMP/RESTORE between a real redis-server and dkv through redis-py's
dump() and restore(), one value per RDB string encoding, both ways.
Prints one line per check ("ok name" or "FAIL name: detail").
Usage: dump_interop.py REDIS_PORT DKV_PORT"""
import os
import sys

import redis

rs = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
dk = redis.Redis(host="127.0.0.1", port=int(sys.argv[2]))

VALUES = {
    "empty": b"",
    "short": b"hello",
    "int8": b"-12",
    "int16": b"3000",
    "int32": b"2147483647",
    "int64-digits": b"12345678901234",
    "leading-zero": b"007",
    "compressible": b"abc" * 1000,
    "random": os.urandom(5000),
    "binary": bytes(range(256)) * 4,
    "big-random": os.urandom(200000),
}


def check(name, got, want):
    print(("ok %s" % name) if got == want else
          ("FAIL %s: got %r want %r" % (name, got[:60] if got else got,
                                        want[:60] if want else want)))


def copy(src, dst, key, value, ttl=0):
    src.set(key, value)
    dst.delete(key)
    dst.restore(key, ttl, src.dump(key))
    return dst.get(key)


for name, value in VALUES.items():
    check("redis->dkv %s" % name, copy(rs, dk, "io:" + name, value), value)
    check("dkv->redis %s" % name, copy(dk, rs, "io:" + name, value), value)

# A counter made by INCR on either side dumps as its decimal value.
rs.delete("io:ctr")
dk.delete("io:ctr")
rs.incrby("io:ctr", 41)
dk.incrby("io:ctr", 41)
check("incr payloads are the same bytes", dk.dump("io:ctr"), rs.dump("io:ctr"))
dk.restore("io:ctr2", 0, rs.dump("io:ctr"), replace=True)
check("restored counter increments", dk.incr("io:ctr2"), 42)

# TTL: DUMP carries none; RESTORE sets it.
rs.set("io:ttl", "v", ex=100)
dk.restore("io:ttl", 50000, rs.dump("io:ttl"), replace=True)
check("restore ttl", 45 <= dk.ttl("io:ttl") <= 50, True)
dk.set("io:ttl2", "v", ex=100)
rs.restore("io:ttl2", 0, dk.dump("io:ttl2"), replace=True)
check("dump carries no ttl", rs.ttl("io:ttl2"), -1)

# Errors come through redis-py as Redis's.
try:
    dk.restore("io:short", 0, rs.dump("io:ttl"))
    check("busykey", "no error", "BUSYKEY")
except redis.exceptions.ResponseError as e:
    check("busykey", str(e), "BUSYKEY Target key name already exists.")

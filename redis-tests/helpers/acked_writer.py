#!/usr/bin/python3
"""Writes keys ack:0, ack:1, ... one at a time until killed or the server
goes away, appending the index of each write the server acknowledged to a
file (flushed per line), so a test can check that every acknowledged write
survived a crash. Usage: acked_writer.py PORT LOGFILE [MAX]"""
import sys

import redis

port, logfile = int(sys.argv[1]), sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
with open(logfile, "a", buffering=1) as log:
    for i in range(limit):
        try:
            if r.set("ack:%d" % i, "value-%d" % i) is not True:
                break
        except Exception:
            break
        log.write("%d\n" % i)

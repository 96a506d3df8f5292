# The ring in use: a 5-node cluster with N=3 behaves, through any node,
# like one Redis holding every key, while each key lives on exactly three
# nodes.

tags {cluster} {
start_cluster 5 {replicas 3 read-quorum 2 write-quorum 2 cluster-secret s3cret} {
    test {DKV.MEMBERS and DKV.RING agree on every node} {
        set ring0 [rn 0 dkv.ring]
        set members0 {}
        foreach m [rn 0 dkv.members] { lappend members0 [lrange $m 0 4] }
        assert_equal 256 [llength $ring0]
        for {set i 1} {$i < 5} {incr i} {
            assert_equal $ring0 [rn $i dkv.ring] "(node $i's ring)"
            set mi {}
            foreach m [rn $i dkv.members] { lappend mi [lrange $m 0 4] }
            assert_equal $members0 $mi "(node $i's members)"
        }
        # Balanced: 256/5 = 51.2, so 51 or 52 each; every list has 3
        # distinct nodes.
        set owned 0
        foreach m $members0 {
            assert_range [lindex $m 3] 51 52
            incr owned [lindex $m 3]
        }
        assert_equal 256 $owned
        foreach p $ring0 {
            assert_equal 3 [llength [lsort -unique [lindex $p 2]]]
        }
    }

    test {Keys written through any node are read through every node} {
        for {set k 0} {$k < 200} {incr k} {
            rn [expr {$k % 5}] set key:$k val:$k
        }
        set bad 0
        for {set k 0} {$k < 200} {incr k} {
            for {set i 0} {$i < 5} {incr i} {
                if {[rn $i get key:$k] ne "val:$k"} { incr bad }
            }
        }
        assert_equal 0 $bad
        assert_equal {} [rn 3 get nosuchkey]
    }

    test {Every key is stored on exactly N=3 nodes} {
        wait_for_condition 50 50 {[cluster_keys_total] == 600} else {
            fail "sum of db0:keys is [cluster_keys_total], want 600"
        }
    }

    test {DBSIZE counts each key once, on every node} {
        for {set i 0} {$i < 5} {incr i} {
            assert_equal 200 [rn $i dbsize]
        }
    }

    test {SCAN across the cluster returns every key exactly once} {
        set seen {}
        set cursor 0
        set calls 0
        while {1} {
            lassign [rn 2 scan $cursor count 7] cursor keys
            lappend seen {*}$keys
            if {$cursor eq "0" || [incr calls] > 2000} break
        }
        assert_equal 200 [llength $seen]
        assert_equal 200 [llength [lsort -unique $seen]]
        # MATCH filters on the way.
        set cursor 0
        set matched {}
        for {set c 0} {$c < 2000} {incr c} {
            lassign [rn 4 scan $cursor match key:1?] cursor keys
            lappend matched {*}$keys
            if {$cursor eq "0"} break
        }
        assert_equal [lsort {key:10 key:11 key:12 key:13 key:14 key:15 key:16 key:17 key:18 key:19}] [lsort $matched]
    }

    test {KEYS across the cluster} {
        assert_equal 200 [llength [rn 1 keys *]]
        assert_equal [lsort {key:5 key:50 key:51 key:52 key:53 key:54 key:55 key:56 key:57 key:58 key:59}] \
            [lsort [rn 3 keys key:5*]]
    }

    test {MSET, MGET, EXISTS, DEL fan out over the keys' replicas} {
        assert_equal OK [rn 0 mset m:a 1 m:b 2 m:c 3 m:d 4]
        assert_equal {1 2 {} 3 4} [rn 3 mget m:a m:b m:none m:c m:d]
        assert_equal 4 [rn 2 exists m:a m:b m:c m:d m:none]
        assert_equal 3 [rn 4 del m:a m:b m:c m:none]
        assert_equal {{} {} {} 4} [rn 1 mget m:a m:b m:c m:d]
        assert_equal 0 [rn 1 msetnx m:d 9 m:e 9]
        assert_equal 1 [rn 2 msetnx m:e 5 m:f 6]
        assert_equal {4 5 6} [rn 0 mget m:d m:e m:f]
    }

    test {Commands with options, TTLs and counters through the coordinator} {
        assert_equal OK [rn 0 set opt:a v1 ex 100]
        assert_range [rn 3 ttl opt:a] 95 100
        assert_equal {} [rn 2 set opt:a v2 nx]
        assert_equal v1 [rn 4 set opt:a v3 xx get]
        assert_equal v3 [rn 1 get opt:a]
        assert_equal 4 [rn 2 append opt:a "45"]
        assert_equal v345 [rn 0 getdel opt:a]
        assert_equal {} [rn 3 get opt:a]
        assert_equal 10 [rn 1 incrby ctr 10]
        assert_equal 7 [rn 2 decrby ctr 3]
        assert_equal 1 [rn 4 expire ctr 50]
        assert_equal string [rn 0 type ctr]
        assert_error {ERR value is not an integer*} {rn 3 incr key:1}
        assert_error {ERR syntax error*} {rn 3 set a b nx xx}
        assert_error {ERR wrong number of arguments*} {rn 3 mset a}
    }

    test {A pipeline through one node keeps its order} {
        set fd [node_client 1]
        for {set j 0} {$j < 50} {incr j} {
            resp_send $fd set pipe:$j $j
            resp_send $fd incr pipe:$j
            resp_send $fd get pipe:$j
        }
        set bad 0
        for {set j 0} {$j < 50} {incr j} {
            if {[resp_read $fd] ne "OK"} { incr bad }
            if {[resp_read $fd] != $j + 1} { incr bad }
            if {[resp_read $fd] != $j + 1} { incr bad }
        }
        resp_close $fd
        assert_equal 0 $bad
    }

    test {A pipeline of independent keys overlaps, replies stay in order} {
        # Keys with different replica sets finish in a different order
        # than they were sent; the replies must not.
        set fd [node_client 0]
        for {set j 0} {$j < 300} {incr j} {
            resp_send $fd set ov:$j v$j
            resp_send $fd get ov:[expr {$j / 2}]
            resp_send $fd ping
        }
        set bad 0
        for {set j 0} {$j < 300} {incr j} {
            if {[resp_read $fd] ne "OK"} { incr bad }
            if {[resp_read $fd] ne "v[expr {$j / 2}]"} { incr bad }
            if {[resp_read $fd] ne "PONG"} { incr bad }
        }
        resp_close $fd
        assert_equal 0 $bad
        assert_equal v299 [rn 3 get ov:299]
    }

    test {python3-redis with one of five nodes SIGSTOPped: no error, no slow request} {
        stop_node 4
        set out [exec /usr/bin/python3 [file join $::repo redis-tests helpers cluster_client.py] \
                     py 300 [node_port 0] [node_port 1] [node_port 2] [node_port 3]]
        cont_node 4
        regexp {errors=(\d+) worst_ms=(\d+) ops=(\d+)} $out -> errors worst ops
        assert_equal 0 $errors
        assert_equal 600 $ops
        # request-timeout is 1000 ms: nothing may wait for the stopped node.
        assert {$worst < 500} "(slowest request $worst ms)"
        # After SIGCONT, a read of each key leaves node 4 with its share:
        # every key is again on exactly three nodes.
        for {set k 0} {$k < 300} {incr k} { rn 0 get py:$k }
        wait_copies 3 100
    }

    test {INFO shows the Cluster section and the local key count} {
        set info [rn 0 info cluster]
        assert_match "*cluster_members:5*" $info
        assert_match "*cluster_members_up:5*" $info
        assert_match "*cluster_replicas:3*" $info
        assert_match "*coord_writes:*" $info
        assert_match "*read_repairs:*" $info
    }

    test {FLUSHALL reaches every node} {
        assert_equal OK [rn 3 flushall]
        for {set i 0} {$i < 5} {incr i} {
            assert_equal 0 [rn $i dbsize]
            assert_equal 0 [node_keys $i]
        }
    }

    test {Internal commands are refused on client connections} {
        assert_error {ERR unknown command*} {rn 0 dkv.getv foo}
        assert_error {ERR unknown command*} {rn 0 dkv.putv foo bar}
        assert_error {ERR invalid cluster secret*} {rn 0 dkv.peer wrong}
    }
}
}

# Membership changes (issue 4): a node joins under a running client and
# takes its share; a node leaves; a dead node is forgotten; nodes seeded
# separately end up in one ring.

proc members_word {i} {
    set out {}
    foreach m [rn $i dkv.members] { lappend out [lindex $m 2] }
    return $out
}

tags {cluster membership} {
start_cluster 5 {replicas 3 read-quorum 2 write-quorum 2 anti-entropy-interval 2} {
    test {A sixth node joins under a running client: no error, balanced, 3 copies} {
        for {set k 0} {$k < 2000} {incr k} { rn [expr {$k % 5}] set j:$k $k }
        # A client keeps writing and reading through the first four nodes
        # while the sixth joins.
        set client [open "|/usr/bin/python3 [file join $::repo redis-tests helpers cluster_client.py] live 800 [node_port 0] [node_port 1] [node_port 2] [node_port 3]" r]
        set new [add_node]
        set t0 [clock milliseconds]
        wait_for_condition 400 50 {[lsearch -all [members_word 0] up] ne "" &&
                                   [llength [lsearch -all [members_word 0] up]] == 6} else {
            fail "the sixth node did not finish joining: [members_word 0]"
        }
        set join_ms [expr {[clock milliseconds] - $t0}]
        set out [read $client]
        close $client
        regexp {errors=(\d+) worst_ms=(\d+) ops=(\d+)} $out -> errors worst ops
        assert_equal 0 $errors "(client: $out)"
        assert_equal 1600 $ops
        # Balanced: 256/6 = 42.7 partitions each.
        foreach m [rn $new dkv.members] { assert_range [lindex $m 3] 42 43 }
        # Every key readable through the new node, and 3 copies of all
        # (old owners dropped what they no longer replicate).
        set bad 0
        for {set k 0} {$k < 2000} {incr k 7} {
            if {[rn $new get j:$k] ne $k} { incr bad }
        }
        assert_equal 0 $bad
        wait_copies 3 400
        assert {[node_keys $new] > 0}
        regexp {join_keys_pulled:(\d+)} [rn $new info cluster] -> pulled
        puts "      (a sixth node joined a ring of 2000+ keys in $join_ms ms, pulling $pulled keys)"
    }

    test {DKV.LEAVE hands everything off, then the node exits} {
        set pid [node_pid 5]
        assert_equal OK [rn 5 dkv.leave]
        wait_for_condition 400 50 {![process_alive $pid]} else {
            fail "the leaving node did not exit"
        }
        set ::cluster [lrange $::cluster 0 4]
        wait_for_condition 100 50 {[llength [rn 0 dkv.members]] == 5} else {
            fail "still listed: [rn 0 dkv.members]"
        }
        wait_copies 3 400
        assert_equal 2800 [rn 1 dbsize]
    }

    test {DKV.FORGET removes a dead member; its copies are re-created} {
        set id [lindex [lindex [lsearch -inline -index 1 [rn 0 dkv.members] "127.0.0.1:[node_port 4]"] 0] 0]
        assert_error {ERR that member is up*} {rn 0 dkv.forget $id}
        kill_node 4
        wait_for_condition 200 50 {[lsearch [members_word 0] down] >= 0} else {
            fail "not down: [members_word 0]"
        }
        assert_equal OK [rn 0 dkv.forget $id]
        set ::cluster [lrange $::cluster 0 3]
        wait_for_condition 100 50 {[llength [rn 3 dkv.members]] == 4} else {
            fail "forgotten member still listed on node 3"
        }
        # Anti-entropy and hand-over bring every key back to 3 copies.
        wait_copies 3 600
        assert_equal 2800 [rn 2 dbsize]
        assert_error {ERR unknown node id*} {rn 0 dkv.forget $id}
    }
}
}

tags {cluster membership} {
    test {Nodes seeded through different seeds form one ring} {
        # a <- b <- c <- d: each knows only the one before it.
        set ::cluster {}
        set ports {}
        set pids {}
        set dirs {}
        set seed ""
        for {set i 0} {$i < 4} {incr i} {
            set port [find_free_port]
            set dir [file join $::tmproot "membership-chain-[pid]-[incr ::server_seq]"]
            file delete -force $dir
            set ov {}
            if {$seed ne ""} { set ov [list seeds $seed] }
            lappend pids [spawn_server $dir $port $ov]
            lappend ports $port
            lappend dirs $dir
            wait_server_ready $port [lindex $pids end]
            set seed 127.0.0.1:$port
        }
        set ok 0
        for {set t 0} {$t < 200 && !$ok} {incr t} {
            set ok 1
            foreach port $ports {
                set fd [resp_connect 127.0.0.1 $port]
                set n [llength [resp_call $fd dkv.members]]
                resp_close $fd
                if {$n != 4} { set ok 0 }
            }
            if {!$ok} { after 50 }
        }
        foreach pid $pids { catch {exec kill -TERM $pid} }
        foreach pid $pids {
            for {set w 0} {$w < 200 && [process_alive $pid]} {incr w} { after 25 }
            if {[process_alive $pid]} { catch {exec kill -9 $pid} }
        }
        foreach dir $dirs {
            check_sanitizer_log [file join $dir stderr.txt]
            if {!$::keep_dirs} { catch {file delete -force $dir} }
        }
        set ok
    } 1
}

proc bad_reads {} {
    set bad 0
    for {set k 0} {$k < 100} {incr k} {
        if {[rn 1 get alone:$k] ne $k} { incr bad }
        if {[rn 3 get ring:$k] ne $k} { incr bad }
    }
    return $bad
}

tags {cluster membership} {
start_cluster 3 {replicas 3 read-quorum 2 write-quorum 2} {
    test {DKV.JOIN brings a node serving alone, and its keys, into a ring} {
        for {set k 0} {$k < 100} {incr k} { rn 0 set ring:$k $k }
        # A node that has served alone, with keys of its own.
        set port [find_free_port]
        set dir [file join $::tmproot "membership-alone-[pid]-[incr ::server_seq]"]
        file delete -force $dir
        set pid [spawn_server $dir $port {replicas 3 read-quorum 2 write-quorum 2}]
        wait_server_ready $port $pid
        lappend ::cluster [dict create port $port pid $pid dir $dir overrides {} \
                               client [resp_connect 127.0.0.1 $port]]
        for {set k 0} {$k < 100} {incr k} { rn 3 set alone:$k $k }
        assert_equal 1 [llength [rn 3 dkv.members]]
        assert_error {ERR expected host:port*} {rn 3 dkv.join nonsense}
        assert_equal OK [rn 3 dkv.join 127.0.0.1:[node_port 0]]
        wait_cluster_converged
        assert_equal 4 [llength [rn 0 dkv.members]]
        # The keys it brought reach their replicas (three copies of each),
        # then both sets of keys read through any node.
        wait_copies 3
        wait_for_condition 100 50 {[bad_reads] == 0} else {
            fail "[bad_reads] keys not readable"
        }
        assert_equal 200 [rn 2 dbsize]
    }
}
}

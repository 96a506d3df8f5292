# The keyspace across a ring: databases (a key's database is part of its
# identity on the ring), SCAN cursors below 2^53 through every node,
# RENAME/COPY/MOVE through different nodes, and listings that never show
# a key whose DEL a replica missed.

# A full SCAN through `call` (a command prefix: {rn 2} or {resp_call $fd})
# with COUNT count: {keys-seen cursors-at-or-above-2^53}.
proc scan_through {call count} {
    set cursor 0
    set seen {}
    set big {}
    set rounds 0
    while 1 {
        lassign [{*}$call scan $cursor count $count] cursor keys
        lappend seen {*}$keys
        if {$cursor >= 9007199254740992} { lappend big $cursor }
        if {$cursor eq "0" || [incr rounds] > 3000} break
    }
    list $seen $big
}

tags {cluster dkv-only} {
start_cluster 4 {replicas 3 read-quorum 2 write-quorum 2 cluster-secret s3cret} {
    test {Cluster: databases are separate keyspaces through every node} {
        set c [node_client 1]
        resp_call $c select 3
        for {set k 0} {$k < 40} {incr k} { resp_call $c set k:$k three:$k }
        resp_call $c set shared three
        resp_close $c
        rn 0 set shared zero
        set bad 0
        for {set i 0} {$i < 4} {incr i} {
            set ci [node_client $i]
            resp_call $ci select 3
            for {set k 0} {$k < 40} {incr k} {
                if {[resp_call $ci get k:$k] ne "three:$k"} { incr bad }
            }
            lappend got [resp_call $ci get shared] [resp_call $ci dbsize] \
                [llength [resp_call $ci keys k:*]]
            resp_close $ci
            lappend got [rn $i get shared] [rn $i get k:1]
        }
        list $bad $got
    } {0 {three 41 40 zero {} three 41 40 zero {} three 41 40 zero {} three 41 40 zero {}}}

    test {Cluster: DBSIZE per database, SCAN of one database} {
        set c [node_client 2]
        resp_call $c select 3
        lassign [scan_through [list resp_call $c] 5] seen big
        resp_close $c
        list [rn 2 dbsize] [llength $seen] [llength [lsort -unique $seen]] $big
    } {1 41 41 {}}

    test {Cluster: RANDOMKEY returns keys of the current database only} {
        set c [node_client 3]
        resp_call $c select 3
        set rk {}
        for {set i 0} {$i < 30} {incr i} { lappend rk [resp_call $c randomkey] }
        resp_call $c select 11
        set empty [resp_call $c randomkey]
        resp_close $c
        set bad 0
        foreach k $rk { if {![string match k:* $k] && $k ne "shared"} { incr bad } }
        list $bad [expr {[llength [lsort -unique $rk]] > 5}] $empty
    } {0 1 {}}

    test {Cluster: FLUSHDB empties the current database on every node} {
        set c [node_client 0]
        resp_call $c select 3
        set f [resp_call $c flushdb]
        resp_close $c
        set got {}
        for {set i 0} {$i < 4} {incr i} {
            set ci [node_client $i]
            resp_call $ci select 3
            lappend got [resp_call $ci dbsize] [resp_call $ci get k:1]
            resp_close $ci
            lappend got [rn $i get shared]
        }
        list $f $got
    } {OK {0 {} zero 0 {} zero 0 {} zero 0 {} zero}}

    test {Cluster: INFO keyspace counts a database's copies per node} {
        set c [node_client 3]
        resp_call $c select 5
        for {set k 0} {$k < 30} {incr k} { resp_call $c set f:$k v }
        resp_close $c
        # Each key on N=3 nodes: the nodes' db5 lines add up to 90.
        wait_for_condition 100 50 {[db_keys_total 5] == 90} else {
            fail "db5 copies: [db_keys_total 5], want 90"
        }
    }

    test {Cluster: SCAN cursors stay below 2^53 and see every key once} {
        rn 0 flushall
        for {set k 0} {$k < 300} {incr k} { rn [expr {$k % 4}] set s:$k $k }
        set all {}
        for {set i 0} {$i < 4} {incr i} {
            lassign [scan_through [list rn $i] 7] seen big
            lappend all [llength $seen] [llength [lsort -unique $seen]] $big
        }
        set all
    } {300 300 {} 300 300 {} 300 300 {} 300 300 {}}

    test {Cluster: RENAME through every node, read through every other} {
        rn 0 flushall
        set bad {}
        for {set k 0} {$k < 40} {incr k} {
            set via [expr {$k % 4}]
            rn $via set r:$k v:$k px 500000
            set rep [rn $via rename r:$k renamed:$k]
            if {$rep ne "OK"} { lappend bad "rename $k: $rep" }
        }
        for {set k 0} {$k < 40} {incr k} {
            set at [expr {($k + 1) % 4}]
            if {[rn $at get renamed:$k] ne "v:$k"} { lappend bad "get $k" }
            if {[rn $at exists r:$k] != 0} { lappend bad "source $k" }
            set ttl [rn $at pttl renamed:$k]
            if {$ttl < 400000 || $ttl > 500000} { lappend bad "ttl $k $ttl" }
        }
        list $bad [rn 2 dbsize]
    } {{} 40}

    test {Cluster: RENAME errors and RENAMENX} {
        rn 0 set nx:a 1
        rn 1 set nx:b 2
        assert_error "ERR no such key" {rn 2 rename nx:nosuch x}
        list [rn 3 renamenx nx:a nx:b] [rn 0 renamenx nx:a nx:c] \
             [rn 1 get nx:c] [rn 2 exists nx:a] [rn 3 get nx:b]
    } {0 1 1 0 2}

    test {Cluster: a counter renamed keeps counting} {
        rn 0 incrby ctr 10
        rn 1 incr ctr
        rn 2 rename ctr ctr2
        list [rn 3 incr ctr2] [rn 0 get ctr2] [rn 1 exists ctr]
    } {12 12 0}

    test {Cluster: COPY with DB and REPLACE, MOVE, through different nodes} {
        rn 0 set cp:src hello
        set c1 [rn 1 copy cp:src cp:dst]
        set c2 [rn 2 copy cp:src cp:dst]
        rn 3 set cp:src world
        set c3 [rn 0 copy cp:src cp:dst replace]
        set c4 [rn 1 copy cp:src cp:src db 6]
        set m1 [rn 2 move cp:dst 6]
        set m2 [rn 3 move cp:src 6]
        set c [node_client 0]
        resp_call $c select 6
        set in6 [list [resp_call $c get cp:src] [resp_call $c get cp:dst] \
                     [resp_call $c dbsize]]
        resp_close $c
        list $c1 $c2 $c3 $c4 $m1 $m2 {*}$in6 [rn 0 get cp:src] [rn 1 exists cp:dst]
    } {1 0 1 1 1 0 world world 2 world 0}

    test {Cluster: COPY and MOVE errors as on one node} {
        rn 0 set er:a v
        assert_error "ERR value is not an integer or out of range" {rn 1 move er:a x}
        assert_error "ERR DB index is out of range" {rn 2 move er:a 16}
        assert_error "ERR source and destination objects are the same" {rn 3 move er:a 0}
        assert_error "ERR syntax error*" {rn 0 copy er:a er:b foo}
        assert_error "ERR source and destination objects are the same" {rn 1 copy er:a er:a}
        rn 0 set "" empty
        set moved [list [rn 1 copy "" "" db 2] [rn 2 rename "" er:e] [rn 3 get er:e]]
        list [rn 2 move er:nosuch 1] [rn 3 copy er:nosuch er:b] [rn 0 del er:a er:e] {*}$moved
    } {0 0 2 1 OK empty}

    test {Cluster: every key renamed is on N=3 nodes and nowhere else} {
        # 40 renamed + nx:b nx:c ctr2 cp:src in db 0: each key 3 copies.
        wait_for_condition 100 50 {[db_keys_total 0] == 3 * [rn 0 dbsize]} else {
            fail "db0 copies [db_keys_total 0] for [rn 0 dbsize] keys"
        }
        rn 0 dbsize
    } {44}

    test {Cluster: MSET, MGET, EXISTS and DEL of 50,000 keys in one request} {
        # All children at once overran the peer links' 20,000 pending
        # calls: NOQUORUM. A fan-out keeps a bounded window in flight.
        set kv {}
        set keys {}
        for {set i 0} {$i < 50000} {incr i} {
            lappend kv big:$i $i
            lappend keys big:$i
        }
        set ok [rn 0 mset {*}$kv]
        set got [rn 1 mget {*}$keys]
        set bad 0
        for {set i 0} {$i < 50000} {incr i 997} {
            if {[lindex $got $i] ne $i} { incr bad }
        }
        list $ok [llength $got] $bad [rn 2 exists {*}$keys] [rn 3 del {*}$keys] \
            [rn 0 exists {*}$keys]
    } {OK 50000 0 50000 50000 0}

    test {Cluster: the slow log shows a selected database's keys as sent} {
        set c [node_client 1]
        resp_call $c config set slowlog-log-slower-than 0
        resp_call $c slowlog reset
        resp_call $c select 5
        resp_call $c set sl:key v
        resp_call $c mget sl:a sl:b
        set got [lmap e [lrange [resp_call $c slowlog get 3] 0 1] {lindex $e 3}]
        resp_call $c config set slowlog-log-slower-than 10000
        resp_close $c
        set got
    } {{mget sl:a sl:b} {set sl:key v}}

    test {Cluster: python3-redis Redis(db=3)} {
        set out [exec /usr/bin/python3 [file join $::repo redis-tests helpers databases.py] [node_port 1]]
        set fails [lsearch -all -inline [split $out \n] FAIL*]
        list [llength [lsearch -all [split $out \n] ok*]] $fails
    } {7 {}}
}
}

# A replica that missed DELs (down while they were acknowledged by the
# others, no hints, no anti-entropy yet) must not bring the keys back in
# KEYS, SCAN or DBSIZE, read through it right after it returns.
tags {cluster dkv-only} {
start_cluster 3 {replicas 3 read-quorum 2 write-quorum 2 hinted-handoff no
                 anti-entropy-interval 3600 cluster-secret s3cret} {
    test {Cluster: listings never show a key whose DEL a replica missed} {
        for {set k 0} {$k < 30} {incr k} { rn 0 set gone:$k v }
        rn 0 set kept v
        wait_for_condition 100 50 {[db_keys_total 0] == 93} else {
            fail "copies: [db_keys_total 0], want 93"
        }
        kill_node 2
        for {set k 0} {$k < 30} {incr k} { assert_equal 1 [rn 0 del gone:$k] }
        restart_node 2
        wait_cluster_converged
        # Node 2 still holds the keys live: it missed every DEL.
        set stale [node_db_keys 2 0]
        lassign [scan_through {rn 2} 10] seen big
        set rk {}
        for {set i 0} {$i < 10} {incr i} { lappend rk [rn 2 randomkey] }
        list $stale [rn 2 keys *] [lsort -unique $seen] [rn 2 dbsize] \
             [lsort -unique $rk] [rn 2 keys gone:*] [rn 2 get gone:1]
    } {31 kept kept 1 kept {} {}}
}
}

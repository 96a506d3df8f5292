# Starting a real multi-node cluster for a test: start_cluster spawns n
# dkv-server processes on free loopback ports, each seeded with the first,
# waits until every node sees all n members up and connected, runs the
# body, and kills every node by pid at the end (also when the body fails).
#
# In the body: `rn i cmd args` runs a command on node i (0-based) through
# its own connection, `node_port i`, `node_pid i`, `node_keys i` (INFO's
# local db0:keys), `stop_node i` / `cont_node i` (SIGSTOP / SIGCONT),
# `kill_node i` (kill -9) and `restart_node i` (same port and data).

set ::cluster {}

proc cluster_node {i} { return [lindex $::cluster $i] }
proc node_port {i} { return [dict get [cluster_node $i] port] }
proc node_pid {i} { return [dict get [cluster_node $i] pid] }
proc node_count {} { return [llength $::cluster] }

proc rn {i args} {
    return [resp_call [dict get [cluster_node $i] client] {*}$args]
}

# A fresh connection to node i (caller closes it).
proc node_client {i} {
    return [resp_connect 127.0.0.1 [node_port $i]]
}

proc node_keys {i} {
    set info [rn $i info keyspace]
    if {[regexp {db0:keys=(\d+)} $info -> n]} { return $n }
    return 0
}

proc cluster_keys_total {} {
    set sum 0
    for {set i 0} {$i < [node_count]} {incr i} { incr sum [node_keys $i] }
    return $sum
}

# Waits (bounded) until every key is stored on exactly n nodes.
proc wait_copies {n {tries 400}} {
    wait_for_condition $tries 50 {[cluster_keys_total] == $n * [rn 0 dbsize]} else {
        fail "copies: [cluster_keys_total] for [rn 0 dbsize] keys, want $n each"
    }
}

# Members node i sees up and (for others) connected.
proc node_sees_up {i} {
    set n 0
    foreach m [rn $i dkv.members] {
        if {[lindex $m 2] eq "up" && [lindex $m 5] ne "disconnected"} { incr n }
    }
    return $n
}

# Every node sees every member up and connected, and no member is
# joining or leaving (nor just did) on any node.
proc wait_cluster_converged {{tries 300}} {
    set n [node_count]
    for {set t 0} {$t < $tries} {incr t} {
        set ok 1
        for {set i 0} {$i < $n} {incr i} {
            if {[catch {node_sees_up $i} up] || $up != $n} { set ok 0; break }
            if {![regexp {cluster_changing:0} [rn $i info cluster]]} { set ok 0; break }
        }
        if {$ok} return
        after 50
    }
    error "cluster of $n nodes did not converge"
}

proc start_cluster {n overrides code} {
    # A cluster inside `tags {dkv-only}` is not started for --server redis.
    if {[tags_skipped]} return
    set ::cluster {}
    set ports {}
    for {set i 0} {$i < $n} {incr i} {
        set p [find_free_port]
        while {$p in $ports} { set p [find_free_port] }
        lappend ports $p
    }
    set seed "127.0.0.1:[lindex $ports 0]"
    set rc 0
    set err ""
    set opts2 {}
    for {set i 0} {$i < $n} {incr i} {
        set port [lindex $ports $i]
        set dir [file join $::tmproot "[file rootname [file tail $::current_file]]-[pid]-[incr ::server_seq]"]
        file delete -force $dir
        set ov [concat [list seeds $seed] $overrides]
        set pid [spawn_server $dir $port $ov]
        lappend ::cluster [dict create port $port pid $pid dir $dir overrides $ov client {}]
    }
    set rc [catch {
        for {set i 0} {$i < $n} {incr i} {
            set node [cluster_node $i]
            if {![wait_server_ready [dict get $node port] [dict get $node pid]]} {
                error "node $i did not start (see [dict get $node dir])"
            }
            dict set node client [resp_connect 127.0.0.1 [dict get $node port]]
            lset ::cluster $i $node
        }
        wait_cluster_converged
        uplevel 1 $code
    } err opts2]
    foreach node $::cluster {
        catch {resp_close [dict get $node client]}
        set pid [dict get $node pid]
        catch {exec kill -CONT $pid}
        catch {exec kill -TERM $pid}
    }
    foreach node $::cluster {
        set pid [dict get $node pid]
        for {set t 0} {$t < 200 && [process_alive $pid]} {incr t} { after 25 }
        if {[process_alive $pid]} { catch {exec kill -9 $pid} }
        check_sanitizer_log [file join [dict get $node dir] stderr.txt]
        if {!$::keep_dirs} { catch {file delete -force [dict get $node dir]} }
    }
    set ::cluster {}
    if {$rc == 1} {
        incr ::failed
        puts "\[err\] start_cluster body in $::current_file: $err"
        puts "      [string range [dict get $opts2 -errorinfo] 0 800]"
    }
}

proc stop_node {i} { exec kill -STOP [node_pid $i] }
proc cont_node {i} { exec kill -CONT [node_pid $i] }

proc kill_node {i} {
    set node [cluster_node $i]
    catch {resp_close [dict get $node client]}
    catch {exec kill -9 [dict get $node pid]}
    for {set t 0} {$t < 200 && [process_alive [dict get $node pid]]} {incr t} { after 25 }
}

proc restart_node {i} {
    set node [cluster_node $i]
    set pid [spawn_server [dict get $node dir] [dict get $node port] [dict get $node overrides]]
    if {![wait_server_ready [dict get $node port] $pid]} {
        error "node $i did not restart"
    }
    dict set node pid $pid
    dict set node client [resp_connect 127.0.0.1 [dict get $node port]]
    lset ::cluster $i $node
}

# Starts one more node seeded with the first; returns its index. It is
# stopped with the rest at the end of start_cluster.
proc add_node {{overrides {}}} {
    set port [find_free_port]
    set dir [file join $::tmproot "[file rootname [file tail $::current_file]]-[pid]-[incr ::server_seq]"]
    file delete -force $dir
    set ov [concat [list seeds "127.0.0.1:[node_port 0]"] \
                [dict remove [dict get [cluster_node 0] overrides] seeds] $overrides]
    set pid [spawn_server $dir $port $ov]
    if {![wait_server_ready $port $pid]} { error "new node did not start" }
    lappend ::cluster [dict create port $port pid $pid dir $dir overrides $ov \
                           client [resp_connect 127.0.0.1 $port]]
    return [expr {[llength $::cluster] - 1}]
}

# WAIT numreplicas timeout: Redis 7.0's errors; on one node (as a Redis
# without replicas) 0, after the timeout when more were asked for; the
# wait never holds the loop. On a cluster: the other nodes that
# acknowledged the client's latest write command.

start_server {tags {"wait"}} {
    test {WAIT: errors in Redis's order} {
        set e {}
        foreach args {{x 0} {x -1} {1 x} {1 -1}} {
            catch {r wait {*}$args} m
            lappend e $m
        }
        set e
    } {{ERR value is not an integer or out of range} {ERR value is not an integer or out of range} {ERR timeout is not an integer or out of range} {ERR timeout is negative}}

    test {WAIT 0 answers at once; WAIT for more than there are answers after its timeout} {
        r set k v
        set t0 [clock milliseconds]
        set zero [r wait 0 0]
        set none [r wait 1 150]
        set ms [expr {[clock milliseconds] - $t0}]
        list $zero $none [expr {$ms >= 140}]
    } {0 0 1}

    test {A client waiting in WAIT does not hold up another client} {
        set w [new_client]
        resp_send $w wait 1 400
        set t0 [clock milliseconds]
        set pong [r ping]
        set ping_ms [expr {[clock milliseconds] - $t0}]
        set res [resp_read $w]
        resp_close $w
        list $pong [expr {$ping_ms < 200}] $res
    } {PONG 1 0}

    test {WAIT inside MULTI answers at once} {
        r multi
        r wait 5 5000
        set t0 [clock milliseconds]
        set res [r exec]
        list $res [expr {[clock milliseconds] - $t0 < 2000}]
    } {0 1}

    test {A client that leaves while it waits is simply gone} {
        set w [new_client]
        resp_send $w wait 1 0
        after 50
        resp_close $w
        after 50
        r ping
    } {PONG}
}

tags {cluster dkv-only} {
start_cluster 3 {replicas 3 read-quorum 2 write-quorum 2} {
    test {Cluster: WAIT counts the other replicas that have the last write} {
        set c [node_client 0]
        resp_call $c set w:a 1
        set two [resp_call $c wait 2 2000]
        set t0 [clock milliseconds]
        set three [resp_call $c wait 3 200]
        set ms [expr {[clock milliseconds] - $t0}]
        resp_call $c mset w:b 1 w:c 2 w:d 3
        set mset [resp_call $c wait 2 2000]
        resp_close $c
        list $two $three [expr {$ms >= 190}] $mset
    } {2 2 1 2}

    test {Cluster: an acknowledgement arriving after the answer wakes WAIT} {
        stop_node 2
        set c [node_client 0]
        resp_call $c set w:late 1
        set t0 [clock milliseconds]
        resp_send $c wait 2 5000
        after 300
        cont_node 2
        set n [resp_read $c]
        set ms [expr {[clock milliseconds] - $t0}]
        resp_close $c
        list $n [expr {$ms < 3000}]
    } {2 1}

    test {Cluster: with a replica stopped, WAIT shows one other copy} {
        stop_node 2
        set c [node_client 0]
        set r [resp_call $c set w:s 1]
        set one [resp_call $c wait 2 300]
        resp_close $c
        cont_node 2
        list $r $one
    } {OK 1}
}
}

# Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH with Redis 7.0's
# replies and errors (checked with --server redis too), python3-redis's
# pipeline() and transaction(), and the same through a 3-node cluster.

proc tx_py {args} {
    exec /usr/bin/python3 [file join $::repo redis-tests helpers transactions.py] {*}$args
}

start_server {tags {"multi"}} {
    test {MULTI queues, EXEC answers every reply in order} {
        r flushall
        set q [list [r multi] [r set a 1] [r incr a] [r get a] [r mget a nosuch]]
        list $q [r exec] [r get a]
    } {{OK QUEUED QUEUED QUEUED QUEUED} {OK 2 2 {2 {}}} 2}

    test {Queued commands do not run before EXEC} {
        r flushall
        set other [new_client]
        r multi
        r set seen yes
        set before [resp_call $other get seen]
        r exec
        set after [resp_call $other get seen]
        resp_close $other
        list $before $after
    } {{} yes}

    test {An empty transaction answers an empty array} {
        r multi
        r exec
    } {}

    test {DISCARD drops the queue; EXEC and DISCARD without MULTI} {
        r flushall
        r multi
        r set d 1
        set d [r discard]
        list $d [r exists d] \
            [catch {r exec} e1] $e1 [catch {r discard} e2] $e2
    } {OK 0 1 {ERR EXEC without MULTI} 1 {ERR DISCARD without MULTI}}

    test {MULTI nested and WATCH inside MULTI are errors that keep the transaction} {
        r flushall
        r multi
        assert_error {ERR MULTI calls can not be nested} {r multi}
        assert_error {ERR WATCH inside MULTI is not allowed} {r watch a}
        r set a 1
        list [r exec] [r get a]
    } {OK 1}

    test {An unknown command or a wrong arity while queuing: EXECABORT, nothing runs} {
        r flushall
        r multi
        r set a 1
        assert_error {ERR unknown command 'nosuch'*} {r nosuch x}
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
        r multi
        r set a 1
        assert_error {ERR wrong number of arguments for 'get' command} {r get}
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
        # The failed EXEC ended the transaction.
        list [r exists a] [catch {r exec} e] $e
    } {0 1 {ERR EXEC without MULTI}}

    test {A command failing while EXEC runs does not stop the others} {
        r flushall
        r set s text
        r multi
        r set a 1
        r incr s
        r incr a
        set res [r exec]
        list [lindex $res 0] [string match {ERR value is not an integer*} [lindex $res 1]] \
            [lindex $res 2] [r get a]
    } {OK 1 2 2}

    test {EXEC with a wrong arity ends the transaction, saying why} {
        r flushall
        r multi
        r set a 1
        assert_error {EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command} {r exec x}
        list [catch {r exec} e] $e [r exists a]
    } {1 {ERR EXEC without MULTI} 0}

    test {WATCH: an unchanged key lets EXEC run} {
        r flushall
        r set w 1
        r watch w
        r multi
        r incr w
        list [r exec] [r get w]
    } {2 2}

    test {WATCH: a write by another client makes EXEC answer nil} {
        r flushall
        r set w 1
        set other [new_client]
        r watch w
        resp_call $other set w 5
        resp_close $other
        r multi
        r incr w
        list [r exec] [r get w]
    } {{} 5}

    test {WATCH: the client's own write before MULTI counts too} {
        r flushall
        r set w 1
        r watch w
        r set w 1
        r multi
        r get w
        r exec
    } {}

    test {WATCH: deleting or creating the key counts; a key that stays missing does not} {
        r flushall
        r set w 1
        r watch w
        r del w
        r multi
        r ping
        set del [r exec]
        r watch missing
        r set missing now
        r multi
        r ping
        set created [r exec]
        r watch never
        r multi
        r ping
        list $del $created [r exec]
    } {{} {} PONG}

    test {WATCH: a watched key that expires before EXEC aborts it; one already expired does not} {
        r flushall
        r set e 1 px 100
        r watch e
        after 250
        r multi
        r ping
        set expired [r exec]
        r set gone 1 px 10
        after 100
        r watch gone
        r multi
        r ping
        list $expired [r exec]
    } {{} PONG}

    test {WATCH: FLUSHALL aborts for a key that existed, not for one that did not} {
        r flushall
        r set f 1
        r watch f
        r flushall
        r multi
        r ping
        set existed [r exec]
        r watch nosuch
        r flushall
        r multi
        r ping
        list $existed [r exec]
    } {{} PONG}

    test {UNWATCH forgets the keys; EXEC and DISCARD forget them too} {
        r flushall
        r set w 1
        r watch w
        r set w 2
        set u [r unwatch]
        r multi
        r ping
        set after_unwatch [r exec]
        r watch w
        r multi
        r ping
        r exec
        r set w 3
        r multi
        r ping
        set after_exec [r exec]
        r watch w
        r multi
        r discard
        r set w 4
        r multi
        r ping
        list $u $after_unwatch $after_exec [r exec]
    } {OK PONG PONG PONG}

    test {WATCH arity, and several keys at once} {
        r flushall
        assert_error {ERR wrong number of arguments for 'watch' command} {r watch}
        r watch a b c
        r set c 1
        r multi
        r ping
        r exec
    } {}

    test {SELECT inside MULTI keeps its effect after EXEC} {
        r flushall
        r multi
        r select 3
        r set k three
        r exec
        set in3 [r get k]
        r select 0
        list $in3 [r exists k]
    } {three 0}

    test {RESET inside MULTI discards the transaction} {
        r flushall
        r multi
        r set a 1
        list [r reset] [catch {r exec} e] $e [r exists a]
    } {RESET 1 {ERR EXEC without MULTI} 0}

    test {commandstats count queued commands when EXEC runs them} {
        r config resetstat
        r multi
        r set a 1
        r get a
        r exec
        r multi
        catch {r set a}
        catch {r exec}
        set info [r info commandstats]
        list [regexp {cmdstat_set:calls=1,[^\r]*rejected_calls=1,} $info] \
             [regexp {cmdstat_get:calls=1,} $info] \
             [regexp {cmdstat_exec:calls=2,[^\r]*failed_calls=1} $info] \
             [regexp {cmdstat_multi:calls=2,} $info]
    } {1 1 1 1}

    test {MONITOR shows the queued commands when EXEC runs them, then EXEC} {
        set m [new_client]
        resp_call $m monitor
        r multi
        r set a 1
        r get a
        r exec
        set lines {}
        for {set i 0} {$i < 4} {incr i} { lappend lines [resp_read $m] }
        resp_close $m
        lmap l $lines { regsub {^\S+ \[[^]]*\] } $l "" }
    } {{"multi"} {"set" "a" "1"} {"get" "a"} {"exec"}}

    test {COMMAND INFO of the transaction commands} {
        lmap c {multi exec discard watch unwatch} {
            lrange [lindex [r command info $c] 0] 0 1
        }
    } {{multi 1} {exec 1} {discard 1} {watch -2} {unwatch 1}}

    test {python3-redis: pipeline() (a transaction by default) and pipeline(False)} {
        set out [tx_py pipeline [srv port]]
        assert {![string match *bad* $out]} $out
        llength [regexp -all -inline {ok } $out]
    } {6}

    test {python3-redis: transaction() with a concurrent writer loses no increment} {
        r del cnt
        set a [open "|/usr/bin/python3 [file join $::repo redis-tests helpers transactions.py] incr [srv port] cnt 400" r]
        set b [open "|/usr/bin/python3 [file join $::repo redis-tests helpers transactions.py] incr [srv port] cnt 400" r]
        set outa [read $a]
        set outb [read $b]
        close $a
        close $b
        list [r get cnt] [string match done=400* $outa] [string match done=400* $outb]
    } {800 1 1}
}

tags {"dkv-only"} {
start_server {tags {"multi"}} {
    test {The queue is bounded by client-query-buffer-limit} {
        r config set client-query-buffer-limit 1mb
        r flushall
        r multi
        set big [string repeat x 100000]
        set err ""
        for {set i 0} {$i < 20 && $err eq ""} {incr i} {
            catch {r set k$i $big} err
            if {$err eq "QUEUED"} { set err "" }
        }
        set abort [catch {r exec} e]
        r config set client-query-buffer-limit 1gb
        list [string match {ERR dkv: the transaction's queued commands exceed client-query-buffer-limit} $err] \
            $abort [string match EXECABORT* $e] [r dbsize]
    } {1 1 1 0}

    test {Watched keys are bounded by client-query-buffer-limit} {
        r config set client-query-buffer-limit 1mb
        set big [string repeat w 300000]
        set err ""
        for {set i 0} {$i < 5 && $err eq ""} {incr i} {
            catch {r watch $big$i} err
            if {$err eq "OK"} { set err "" }
        }
        r unwatch
        r config set client-query-buffer-limit 1gb
        string match {ERR dkv: the watched keys exceed*} $err
    } {1}

    test {A PING from another client is answered while a client queues} {
        r multi
        set other [new_client]
        set pong [resp_call $other ping]
        resp_close $other
        r discard
        set pong
    } {PONG}
}
}

tags {cluster dkv-only} {
start_cluster 3 {replicas 3 read-quorum 2 write-quorum 2} {
    test {Cluster: EXEC's writes are on every replica, readable through every node} {
        set c [node_client 0]
        resp_call $c multi
        resp_call $c set tx:a 1
        resp_call $c incr tx:a
        resp_call $c incr tx:n
        resp_call $c mset tx:b 2 tx:c 3
        resp_call $c del tx:c
        set res [resp_call $c exec]
        resp_close $c
        list $res [rn 1 get tx:a] [rn 2 mget tx:b tx:c tx:n] [rn 2 incr tx:a]
    } {{OK 2 1 OK 1} 2 {2 {} 1} 3}

    test {Cluster: WATCH sees a write made through another node} {
        rn 0 set tx:w 1
        set c [node_client 0]
        resp_call $c watch tx:w
        rn 2 set tx:w 7
        resp_call $c multi
        resp_call $c set tx:w mine
        set res [resp_call $c exec]
        resp_call $c watch tx:w
        resp_call $c multi
        resp_call $c set tx:w mine
        set res2 [resp_call $c exec]
        resp_close $c
        list $res $res2 [rn 1 get tx:w]
    } {{} OK mine}

    test {Cluster: SELECT inside MULTI, keys in that database} {
        set c [node_client 1]
        resp_call $c multi
        resp_call $c select 4
        resp_call $c set tx:db four
        resp_call $c exec
        resp_close $c
        set d [node_client 2]
        resp_call $d select 4
        set v [resp_call $d get tx:db]
        resp_close $d
        list $v [rn 2 exists tx:db]
    } {four 0}

    test {Cluster: a command that reads the whole keyspace cannot be queued} {
        set c [node_client 0]
        resp_call $c multi
        set e1 [catch {resp_call $c keys *} m1]
        set e2 [catch {resp_call $c exec} m2]
        resp_close $c
        list $e1 [string match {ERR dkv: 'keys' cannot be queued in a transaction on a cluster*} $m1] $e2 [string match EXECABORT* $m2]
    } {1 1 1 1}

    test {Cluster: a transaction of 30,000 keys} {
        # Its reads and writes started all at once overran the peer links
        # (20,000 pending calls): NOQUORUM.
        set c [node_client 2]
        set keys {}
        resp_call $c multi
        for {set i 0} {$i < 30000} {incr i} {
            resp_call $c set txbig:$i $i
            lappend keys txbig:$i
        }
        set res [resp_call $c exec]
        resp_close $c
        list [llength $res] [lsort -unique $res] [rn 0 get txbig:29999] \
            [rn 1 del {*}$keys]
    } {30000 OK 29999 30000}

    test {Cluster: python3-redis pipeline() through a node} {
        set out [tx_py pipeline [node_port 1]]
        assert {![string match *bad* $out]} $out
        llength [regexp -all -inline {ok } $out]
    } {6}

    test {Cluster: transaction() by two clients of one node loses no increment} {
        rn 0 del tx:cnt
        set h [file join $::repo redis-tests helpers transactions.py]
        set a [open "|/usr/bin/python3 $h incr [node_port 0] tx:cnt 200" r]
        set b [open "|/usr/bin/python3 $h incr [node_port 0] tx:cnt 200" r]
        set outa [read $a]
        set outb [read $b]
        close $a
        close $b
        list [rn 1 get tx:cnt] [string match done=200* $outa] [string match done=200* $outb]
    } {400 1 1}

    test {Cluster: plain INCRs through the node never land inside a transaction} {
        # Without the node's key locks an INCR between EXEC's read and its
        # write became a sibling of the transaction's SET, and GET showed
        # one of the two: increments went missing.
        rn 0 del tx:mix
        set h [file join $::repo redis-tests helpers transactions.py]
        set a [open "|/usr/bin/python3 $h incr [node_port 0] tx:mix 300" r]
        set b [open "|/usr/bin/python3 $h plainincr [node_port 0] tx:mix 300" r]
        set outa [read $a]
        set outb [read $b]
        close $a
        close $b
        list [rn 2 get tx:mix] [string match done=300* $outa] [string match done=300* $outb]
    } {600 1 1}
}
}

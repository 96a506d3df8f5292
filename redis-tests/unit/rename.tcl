# RENAME, RENAMENX, COPY (DB, REPLACE) and MOVE: replies and errors as
# Redis 7.0, value, TTL and counters carried to the destination.

start_server {tags {"rename"}} {
    test {RENAME moves the value; the source is gone} {
        r flushall
        r set a hello
        list [r rename a b] [r get a] [r get b] [r exists a] [r dbsize]
    } {OK {} hello 0 1}

    test {RENAME over an existing key replaces it} {
        r set a one
        r set b two
        list [r rename a b] [r get b] [r exists a]
    } {OK one 0}

    test {RENAME errors: no such key, wrong arity} {
        r flushall
        assert_error "ERR no such key" {r rename nosuch b}
        assert_error "ERR wrong number of arguments for 'rename' command" {r rename a}
        assert_error "ERR no such key" {r rename same same}
    }

    test {RENAME of a key to itself} {
        r set k v
        list [r rename k k] [r get k] [r renamenx k k]
    } {OK v 0}

    test {RENAMENX only when the destination is absent} {
        r flushall
        r set a 1
        r set b 2
        set r1 [r renamenx a b]
        set r2 [r get a]
        set r3 [r renamenx a c]
        list $r1 $r2 $r3 [r get c] [r exists a]
    } {0 1 1 1 0}

    test {RENAME keeps the TTL (absolute expiry)} {
        r flushall
        r set a v px 100000
        r rename a b
        set ttl [r pttl b]
        list [expr {$ttl > 90000 && $ttl <= 100000}] [r ttl a]
    } {1 -2}

    test {RENAME of a key without TTL leaves the destination without one} {
        r set a v
        r set b old ex 100
        r rename a b
        r ttl b
    } {-1}

    test {RENAME of a counter keeps its value; INCR goes on from it} {
        r flushall
        r incrby n 41
        r rename n m
        list [r get m] [r incr m] [r exists n]
    } {41 42 0}

    test {RENAME of an expired key is "no such key"} {
        r flushall
        r set a v px 1
        wait_for_condition 50 10 {[r exists a] == 0} else { fail "a did not expire" }
        assert_error "ERR no such key" {r rename a b}
    }

    test {COPY: 1 when copied, 0 when the source is missing or the destination exists} {
        r flushall
        r set a v
        set c1 [r copy a b]
        set c2 [r copy a b]
        set c3 [r copy nosuch x]
        list $c1 $c2 $c3 [r get a] [r get b] [r exists x]
    } {1 0 0 v v 0}

    test {COPY REPLACE overwrites the destination, keeps the TTL} {
        r flushall
        r set a new ex 1000
        r set b old
        list [r copy a b replace] [r get b] [expr {[r ttl b] > 900}] [r get a]
    } {1 new 1 new}

    test {COPY to another database} {
        r flushall
        r set a v
        set c1 [r copy a a db 1]
        set c2 [r copy a a db 1]
        set c3 [r copy a b db 1 replace]
        r select 1
        set in1 [list [r get a] [r get b] [r dbsize]]
        r select 0
        list $c1 $c2 $c3 {*}$in1 [r dbsize]
    } {1 0 1 v v 2 1}

    test {COPY errors} {
        r set a v
        assert_error "ERR source and destination objects are the same" {r copy a a}
        assert_error "ERR source and destination objects are the same" {r copy a a db 0}
        assert_error "ERR DB index is out of range" {r copy a b db 16}
        assert_error "ERR DB index is out of range" {r copy a b db -1}
        assert_error "ERR value is not an integer or out of range" {r copy a b db x}
        assert_error "ERR syntax error*" {r copy a b foo}
        assert_error "ERR syntax error*" {r copy a b db}
        assert_error "ERR wrong number of arguments for 'copy' command" {r copy a}
    }

    test {COPY of a counter copies its value} {
        r flushall
        r incrby n 7
        r copy n m
        list [r incr m] [r get n]
    } {8 7}

    test {MOVE to another database} {
        r flushall
        r set a v ex 1000
        set m [r move a 2]
        set here [r exists a]
        r select 2
        set there [list [r get a] [expr {[r ttl a] > 900}]]
        r select 0
        list $m $here {*}$there
    } {1 0 v 1}

    test {MOVE: 0 when missing here or present there} {
        r flushall
        r set a here
        r select 3
        r set a there
        r select 0
        list [r move a 3] [r move nosuch 3] [r get a]
    } {0 0 here}

    test {MOVE errors} {
        r set a v
        assert_error "ERR source and destination objects are the same" {r move a 0}
        assert_error "ERR DB index is out of range" {r move a 16}
        assert_error "ERR value is not an integer or out of range" {r move a x}
        assert_error "ERR value is out of range, value must between -2147483648 and 2147483647" {r move a 4294967296}
    }

    test {MOVE back from another database} {
        r flushall
        r select 4
        r set k four
        set m [r move k 0]
        set left [r exists k]
        r select 0
        list $m $left [r get k]
    } {1 0 four}

    test {RENAME within a selected database stays in it} {
        r flushall
        r select 5
        r set a v
        r rename a b
        set in5 [list [r get b] [r exists a]]
        r select 0
        list {*}$in5 [r exists a b]
    } {v 0 0}

    test {COMMAND INFO of the new commands (key positions)} {
        set out {}
        foreach c {rename renamenx copy move} {
            set info [lindex [r command info $c] 0]
            lappend out [lindex $info 1] [lindex $info 3] [lindex $info 4] [lindex $info 5]
        }
        set out
    } {3 1 2 1 3 1 2 1 -3 1 2 1 3 1 1 1}
}

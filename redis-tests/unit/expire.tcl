# Expiry: the EXPIRE family with NX/XX/GT/LT, TTL/PTTL/PERSIST, lazy
# expiry on access and the active sweep that removes keys nobody reads.

start_server {tags {"expire"}} {
    test {EXPIRE sets a TTL, TTL and PTTL read it} {
        r set k v
        set a [r expire k 100]
        list $a [r ttl k] [expr {[r pttl k] > 99000}]
    } {1 100 1}

    test {TTL of a key without expiry is -1, of a missing key -2} {
        r set k v
        list [r ttl k] [r pttl k] [r ttl missing] [r pttl missing]
    } {-1 -1 -2 -2}

    test {EXPIRE on a missing key returns 0} {
        r expire missing 100
    } {0}

    test {PEXPIRE, EXPIREAT, PEXPIREAT} {
        r set k v
        r pexpire k 100000
        set a [r ttl k]
        r expireat k [expr {[clock seconds] + 200}]
        set b [r ttl k]
        r pexpireat k [expr {[clock milliseconds] + 300000}]
        set c [r ttl k]
        assert_range $a 99 100
        assert_range $b 198 200
        assert_range $c 298 300
    }

    test {EXPIRE with a time in the past deletes the key} {
        r set k v
        list [r expire k -1] [r exists k]
    } {1 0}

    test {EXPIRE NX / XX} {
        r set k v
        set a [r expire k 100 xx]
        set b [r expire k 100 nx]
        set c [r expire k 200 nx]
        set d [r expire k 300 xx]
        list $a $b $c $d [expr {[r ttl k] > 290}]
    } {0 1 0 1 1}

    test {EXPIRE GT / LT} {
        r set k v
        set a [r expire k 100 gt]
        set b [r expire k 100 lt]
        set c [r expire k 50 gt]
        set d [r expire k 200 gt]
        set e [r expire k 300 lt]
        set f [r expire k 10 lt]
        list $a $b $c $d $e $f [r ttl k]
    } {0 1 0 1 0 1 10}

    test {EXPIRE option errors} {
        r set k v
        assert_error "ERR NX and XX, GT or LT options at the same time are not compatible" {r expire k 10 nx xx}
        assert_error "ERR GT and LT options at the same time are not compatible" {r expire k 10 gt lt}
        assert_error "ERR Unsupported option foo" {r expire k 10 foo}
        assert_error "ERR value is not an integer or out of range" {r expire k abc}
        assert_error "ERR invalid expire time in 'expire' command" {r expire k 9223372036854775807}
    }

    test {PERSIST} {
        r set k v ex 100
        list [r persist k] [r ttl k] [r persist k] [r persist missing]
    } {1 -1 0 0}

    test {A key expires and reads as missing} {
        r set k v px 100
        after 200
        list [r get k] [r exists k] [r ttl k]
    } {{} 0 -2}

    test {Expired keys are removed by the active sweep without being read} {
        r flushall
        for {set i 0} {$i < 100} {incr i} { r set exp:$i v px 100 }
        r set keeper v
        wait_for_condition 50 100 {[r dbsize] == 1} else {
            fail "expired keys were not swept: dbsize [r dbsize]"
        }
        r get keeper
    } {v}

    test {INFO keyspace counts keys and keys with a TTL} {
        r flushall
        r set a 1
        r set b 2 ex 100
        r set c 3 ex 100
        set info [r info keyspace]
        regexp {db0:keys=(\d+),expires=(\d+)} $info -> keys expires
        list $keys $expires
    } {3 2}

    test {INFO keyspace is empty with no keys} {
        r flushall
        string match "*db0:*" [r info keyspace]
    } {0}

    test {A write after expiry starts a fresh key} {
        r set k old px 50
        after 100
        r incr k
    } {1}
}

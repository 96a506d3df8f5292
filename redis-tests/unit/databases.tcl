# Databases: SELECT n, a key's database part of its identity (the same
# name in two databases is two keys), DBSIZE/KEYS/SCAN/RANDOMKEY/FLUSHDB
# and INFO keyspace per database, MOVE, SWAPDB's refusal.

start_server {tags {"databases"}} {
    test {SELECT: range and errors as Redis} {
        assert_error "ERR DB index is out of range" {r select 16}
        assert_error "ERR DB index is out of range" {r select -1}
        assert_error "ERR value is not an integer or out of range" {r select x}
        assert_error "ERR value is out of range, value must between -2147483648 and 2147483647" {r select 2147483648}
        assert_error "ERR value is not an integer or out of range" {r select 1.5}
        list [r select 15] [r select 0]
    } {OK OK}

    test {The same name in two databases is two keys} {
        r flushall
        r set k zero
        r select 1
        set a [list [r get k] [r exists k] [r set k one] [r get k]]
        r select 0
        list {*}$a [r get k]
    } {{} 0 OK one zero}

    test {Every kind of command works in a selected database} {
        r flushall
        r select 7
        r mset a 1 b 2
        r incr n
        r incrby n 4
        r append a x
        r expire b 100
        set got [list [r mget a b n nosuch] [r exists a b n] [r ttl b] \
                     [r del a nosuch] [r getdel n] [r type b]]
        r select 0
        list {*}$got [r exists a b n]
    } {{1x 2 5 {}} 3 100 1 5 string 0}

    test {DBSIZE, KEYS, SCAN and RANDOMKEY see the current database only} {
        r flushall
        r mset x 1 y 2 z 3
        r select 2
        r mset x 1 only2 2
        set cursor 0
        set seen {}
        while 1 {
            lassign [r scan $cursor count 1] cursor keys
            lappend seen {*}$keys
            if {$cursor eq "0"} break
        }
        set in2 [list [r dbsize] [lsort [r keys *]] [lsort $seen] \
                     [lsort [r keys only*]]]
        # RANDOMKEY samples hash positions: not uniform, so draw until
        # both keys came up (bounded) rather than a fixed 20 times.
        set rk {}
        for {set i 0} {$i < 500 && [llength [lsort -unique $rk]] < 2} {incr i} {
            lappend rk [r randomkey]
        }
        r select 3
        set in3 [list [r dbsize] [r keys *] [r randomkey] [r scan 0]]
        r select 0
        list {*}$in2 [lsort -unique $rk] {*}$in3 [r dbsize]
    } {2 {only2 x} {only2 x} only2 {only2 x} 0 {} {} {0 {}} 3}

    test {FLUSHDB empties the current database only} {
        r flushall
        r set a 0
        r select 4
        r mset a 4 b 4
        set f [r flushdb]
        set after [list [r dbsize] [r get a]]
        r select 0
        list $f {*}$after [r get a] [r dbsize]
    } {OK 0 {} 0 1}

    test {FLUSHALL empties every database} {
        r select 5
        r set a 5
        r select 0
        r set a 0
        r flushall
        r select 5
        set n [r dbsize]
        r select 0
        list $n [r dbsize]
    } {0 0}

    test {INFO keyspace: one line per database that has keys} {
        r flushall
        r mset a 1 b 2
        r select 9
        r set c 3
        r set d 4 ex 1000
        r select 0
        set lines {}
        foreach l [split [r info keyspace] "\r\n"] {
            if {[string match db* $l]} { lappend lines [lindex [split $l ,] 0] [lindex [split $l ,] 1] }
        }
        set lines
    } {db0:keys=2 expires=0 db9:keys=2 expires=1}

    test {A key beginning with NUL in db 0 is not a key of another database} {
        r flushall
        r set "\x00\x01k" zero
        r select 1
        set in1 [list [r get k] [r dbsize] [r keys *]]
        r select 0
        list {*}$in1 [r get "\x00\x01k"] [r keys *] [r dbsize]
    } [list {} 0 {} zero [list "\x00\x01k"] 1]

    test {SELECT is per connection} {
        set c2 [new_client]
        resp_call $c2 select 6
        resp_call $c2 set k six
        set got [list [r get k] [resp_call $c2 get k]]
        resp_close $c2
        set got
    } {{} six}

    test {CONFIG GET databases} {
        r config get databases
    } {databases 16}

    test {python3-redis: Redis(db=3) and redis://host/5} {
        set out [exec /usr/bin/python3 [file join $::repo redis-tests helpers databases.py] [srv port]]
        set fails [lsearch -all -inline [split $out \n] FAIL*]
        list [llength [lsearch -all [split $out \n] ok*]] $fails
    } {7 {}}

    tags {dkv-only} {
        test {databases cannot change at runtime} {
            assert_error "*immutable*" {r config set databases 4}
        }

        test {SWAPDB is refused, saying why} {
            assert_error "*dkv*database is part of every key's identity*" {r swapdb 0 1}
        }

        test {Keys of every database survive a restart} {
            r flushall
            r select 8
            r set k eight
            r select 0
            r set k zero
            restart_server
            set a [r get k]
            r select 8
            set b [list [r get k] [r dbsize]]
            r select 0
            list $a {*}$b
        } {zero eight 1}
    }
}

start_server {tags {"databases" "dkv-only"} overrides {databases 4}} {
    test {databases 4: SELECT 3 works, SELECT 4 is out of range} {
        r select 3
        set a [r set k v]
        assert_error "ERR DB index is out of range" {r select 4}
        r select 0
        list $a [r config get databases]
    } {OK {databases 4}}
}

# Keyspace commands: DEL/UNLINK/EXISTS/TYPE, KEYS, SCAN (every key exactly
# once, MATCH, COUNT, TYPE), RANDOMKEY, DBSIZE, FLUSHALL/FLUSHDB, SELECT 0 (databases.tcl has
# the rest).

start_server {tags {"keyspace"}} {
    test {DEL and UNLINK count what they removed} {
        r mset a 1 b 2 c 3
        list [r del a b nosuch] [r unlink c] [r del a] [r exists a b c]
    } {2 1 0 0}

    test {EXISTS counts repeated keys} {
        r set a 1
        r exists a a nosuch a
    } {3}

    test {TYPE} {
        r set a 1
        list [r type a] [r type nosuch]
    } {string none}

    test {DBSIZE follows writes, deletes and overwrites} {
        r flushall
        r mset a 1 b 2 c 3
        r set a 10
        r del b
        r dbsize
    } {2}

    test {KEYS with patterns} {
        r flushall
        r mset foo 1 foobar 2 bar 3 fxo 4
        list [lsort [r keys f*]] [lsort [r keys *bar]] [lsort [r keys f?o]] \
             [lsort [r keys {f[ox]o}]] [llength [r keys *]] [r keys nomatch*]
    } {{foo foobar fxo} {bar foobar} {foo fxo} {foo fxo} 4 {}}

    test {SCAN returns every key exactly once} {
        r flushall
        for {set i 0} {$i < 1000} {incr i} { r set key:$i $i }
        set cursor 0
        set seen {}
        set rounds 0
        while 1 {
            lassign [r scan $cursor] cursor keys
            lappend seen {*}$keys
            incr rounds
            if {$cursor eq "0" || $rounds > 2000} break
        }
        list [llength $seen] [llength [lsort -unique $seen]] [expr {$rounds > 1}]
    } {1000 1000 1}

    test {SCAN cursors stay below 2^53 (JavaScript clients keep them exact)} {
        set cursor 0
        set seen {}
        set big {}
        set rounds 0
        while 1 {
            lassign [r scan $cursor count 3] cursor keys
            lappend seen {*}$keys
            if {$cursor >= 9007199254740992} { lappend big $cursor }
            if {$cursor eq "0" || [incr rounds] > 2000} break
        }
        list $big [llength $seen] [llength [lsort -unique $seen]]
    } {{} 1000 1000}

    test {SCAN with COUNT and MATCH} {
        set cursor 0
        set seen {}
        while 1 {
            lassign [r scan $cursor match key:1* count 100] cursor keys
            lappend seen {*}$keys
            if {$cursor eq "0"} break
        }
        llength [lsort -unique $seen]
    } {111}

    test {SCAN with TYPE} {
        lassign [r scan 0 count 5000 type string] c1 k1
        lassign [r scan 0 count 5000 type hash] c2 k2
        list [llength $k1] [llength $k2]
    } {1000 0}

    test {SCAN keeps returning keys that exist throughout, while others change} {
        r flushall
        for {set i 0} {$i < 300} {incr i} { r set stable:$i 1 }
        set cursor 0
        set seen {}
        set n 0
        while 1 {
            lassign [r scan $cursor count 20] cursor keys
            lappend seen {*}$keys
            r set churn:$n x
            r del churn:[expr {$n - 1}]
            incr n
            if {$cursor eq "0" || $n > 1000} break
        }
        set stable [lsearch -all -inline $seen stable:*]
        llength [lsort -unique $stable]
    } {300}

    test {SCAN errors} {
        assert_error "ERR invalid cursor" {r scan abc}
        assert_error "ERR syntax error*" {r scan 0 count 0}
        assert_error "ERR value is not an integer or out of range" {r scan 0 count x}
        assert_error "ERR syntax error*" {r scan 0 foo bar}
    }

    test {RANDOMKEY} {
        r flushall
        set a [r randomkey]
        r mset x 1 y 2 z 3
        set got {}
        for {set i 0} {$i < 50} {incr i} { lappend got [r randomkey] }
        list $a [lsort -unique $got]
    } {{} {x y z}}

    test {FLUSHALL and FLUSHDB empty the keyspace} {
        r mset a 1 b 2
        set a [r flushall]
        r set c 3
        set b [r flushdb async]
        list $a $b [r dbsize] [r get c]
    } {OK OK 0 {}}

    test {FLUSHALL syntax} {
        assert_error "ERR syntax error*" {r flushall now}
    }

    test {SELECT 0 works} {
        r select 0
        assert_error "ERR value is not an integer or out of range" {r select x}
    }
}

# String commands: GET/SET and every SET option, the SET*/GET* variants,
# MGET/MSET/MSETNX, APPEND/STRLEN/GETRANGE/SETRANGE, binary safety.

start_server {tags {"string"}} {
    test {SET and GET a simple key} {
        r set foo bar
        r get foo
    } {bar}

    test {GET of a missing key is nil} {
        r get nosuchkey
    } {}

    test {SET overwrites} {
        r set foo one
        r set foo two
        r get foo
    } {two}

    test {Binary-safe values, with NUL and CR LF inside} {
        set v "a\x00b\r\nc\xff"
        r set bin $v
        assert_equal $v [r get bin]
        r strlen bin
    } {7}

    test {Empty value} {
        r set empty ""
        list [r get empty] [r strlen empty] [r exists empty]
    } {{} 0 1}

    test {Large value (1 MB) round trip} {
        set v [string repeat "x" 1048576]
        r set big $v
        expr {[r get big] eq $v}
    } {1}

    test {SET NX / XX} {
        r del k
        set a [r set k v1 nx]
        set b [r set k v2 nx]
        set c [r set k v3 xx]
        set d [r set missing v xx]
        list $a $b $c $d [r get k] [r exists missing]
    } {OK {} OK {} v3 0}

    test {SET NX and XX together is a syntax error} {
        assert_error "ERR syntax error*" {r set k v nx xx}
    }

    test {SET GET returns the old value} {
        r set k old
        list [r set k new get] [r get k] [r set fresh v get]
    } {old new {}}

    test {SET NX GET on an existing key returns it and does not set} {
        r set k keep
        list [r set k other nx get] [r get k]
    } {keep keep}

    test {SET EX / PX set a TTL} {
        r set k v ex 100
        set t [r ttl k]
        r set k v px 100000
        set pt [r pttl k]
        assert_range $t 99 100
        assert_range $pt 99000 100000
    }

    test {SET EXAT / PXAT} {
        set at [expr {[clock seconds] + 200}]
        r set k v exat $at
        assert_range [r ttl k] 198 200
        r set k v pxat [expr {$at * 1000}]
        assert_range [r ttl k] 198 200
    }

    test {SET KEEPTTL keeps the expiry, plain SET clears it} {
        r set k v ex 100
        r set k v2 keepttl
        set a [r ttl k]
        r set k v3
        list [expr {$a > 90}] [r ttl k] [r get k]
    } {1 -1 v3}

    test {SET with a bad expire time} {
        assert_error "ERR invalid expire time in 'set' command" {r set k v ex 0}
        assert_error "ERR invalid expire time in 'set' command" {r set k v px -5}
        assert_error "ERR value is not an integer or out of range" {r set k v ex abc}
        assert_error "ERR syntax error*" {r set k v ex 10 px 100}
        assert_error "ERR syntax error*" {r set k v keepttl ex 10}
        assert_error "ERR syntax error*" {r set k v ex}
        assert_error "ERR syntax error*" {r set k v foo}
    }

    test {SET with an expire time in the past makes the key vanish} {
        r set gone v pxat 1
        list [r get gone] [r exists gone]
    } {{} 0}

    test {SETNX} {
        r del k
        list [r setnx k a] [r setnx k b] [r get k]
    } {1 0 a}

    test {SETEX / PSETEX} {
        r setex k 100 v
        set a [r ttl k]
        r psetex k2 100000 v2
        set b [r pttl k2]
        assert_range $a 99 100
        assert_range $b 99000 100000
        assert_error "ERR invalid expire time in 'setex' command" {r setex k 0 v}
        assert_error "ERR invalid expire time in 'psetex' command" {r psetex k -1 v}
        r get k
    } {v}

    test {GETSET} {
        r del k
        list [r getset k a] [r getset k b] [r get k]
    } {{} a b}

    test {GETSET clears the TTL} {
        r set k v ex 100
        r getset k w
        r ttl k
    } {-1}

    test {GETDEL} {
        r set k v
        list [r getdel k] [r exists k] [r getdel k]
    } {v 0 {}}

    test {GETEX with and without options} {
        r set k v
        set a [r getex k]
        set b [r ttl k]
        set c [r getex k ex 100]
        set d [r ttl k]
        set e [r getex k persist]
        list $a $b $c [expr {$d > 90}] $e [r ttl k] [r getex missing]
    } {v -1 v 1 v -1 {}}

    test {GETEX errors} {
        r set k v
        assert_error "ERR syntax error*" {r getex k ex}
        assert_error "ERR syntax error*" {r getex k foo}
        assert_error "ERR invalid expire time in 'getex' command" {r getex k px 0}
    }

    test {MSET / MGET} {
        r mset a 1 b 2 c 3
        r mget a b c nosuch
    } {1 2 3 {}}

    test {MSET with an odd argument count} {
        assert_error "ERR wrong number of arguments for 'mset' command" {r mset a 1 b}
    }

    test {MSETNX sets all or nothing} {
        r del x y z
        set a [r msetnx x 1 y 2]
        set b [r msetnx y 3 z 4]
        list $a $b [r mget x y z]
    } {1 0 {1 2 {}}}

    test {APPEND creates and extends} {
        r del k
        list [r append k hello] [r append k " world"] [r get k]
    } {5 11 {hello world}}

    test {APPEND keeps the TTL} {
        r set k v ex 100
        r append k w
        expr {[r ttl k] > 90}
    } {1}

    test {STRLEN} {
        r set k abcde
        list [r strlen k] [r strlen missing]
    } {5 0}

    test {GETRANGE with positive and negative indexes} {
        r set k "Hello World"
        list [r getrange k 0 4] [r getrange k -5 -1] [r getrange k 0 -1] \
             [r getrange k 5 2] [r getrange k 0 100] [r getrange k -100 2] \
             [r getrange missing 0 -1] [r getrange k -1 -5]
    } {Hello World {Hello World} {} {Hello World} Hel {} {}}

    test {GETRANGE with non-integer indexes} {
        assert_error "ERR value is not an integer or out of range" {r getrange k a 1}
    }

    test {SETRANGE overwrites and pads with zeros} {
        r set k "Hello World"
        set a [r setrange k 6 Redis]
        set b [r get k]
        r del p
        set c [r setrange p 3 ab]
        list $a $b $c [expr {[r get p] eq "\x00\x00\x00ab"}]
    } {11 {Hello Redis} 5 1}

    test {SETRANGE with an empty value} {
        r del e
        r set k abc
        list [r setrange e 10 ""] [r exists e] [r setrange k 10 ""]
    } {0 0 3}

    test {SETRANGE errors} {
        assert_error "ERR offset is out of range" {r setrange k -1 x}
        assert_error "ERR value is not an integer or out of range" {r setrange k x x}
        assert_error "ERR string exceeds maximum allowed size*" {r setrange k 536870911 xx}
    }

    test {Wrong arity errors name the command} {
        assert_error "ERR wrong number of arguments for 'get' command" {r get}
        assert_error "ERR wrong number of arguments for 'set' command" {r set k}
        assert_error "ERR wrong number of arguments for 'getrange' command" {r getrange k 1}
    }
}

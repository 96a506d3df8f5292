# Bitmap commands and LCS: SETBIT/GETBIT, BITCOUNT/BITPOS with BYTE|BIT
# ranges, BITOP, BITFIELD/BITFIELD_RO, LCS; their error texts and the
# proto-max-bulk-len bounds. A 3-node cluster test at the end (dkv-only).

start_server {tags {"bitmap"}} {
    test {SETBIT returns the old bit, GETBIT reads it, MSB first} {
        r del k
        set a [r setbit k 7 1]
        set b [r setbit k 7 1]
        set c [r setbit k 0 1]
        list $a $b $c [r getbit k 7] [r getbit k 6] [r get k] [r strlen k]
    } [list 0 1 0 1 0 "\x81" 1]

    test {SETBIT clears, grows with zero bytes, GETBIT past the end is 0} {
        r del k
        r setbit k 20 1
        set a [r get k]
        r setbit k 20 0
        list $a [r get k] [r getbit k 100000] [r getbit nokey 3]
    } [list "\x00\x00\x08" "\x00\x00\x00" 0 0]

    test {SETBIT and GETBIT errors} {
        assert_error "ERR bit offset is not an integer or out of range" \
            {r setbit k -1 1}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r setbit k abc 1}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r setbit k 4294967296 1}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r getbit k -1}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r getbit k 4294967296}
        assert_error "ERR bit is not an integer or out of range" \
            {r setbit k 1 2}
        assert_error "ERR bit is not an integer or out of range" \
            {r setbit k 1 -1}
        assert_error "ERR bit is not an integer or out of range" \
            {r setbit k 1 abc}
        # The offset is checked first.
        assert_error "ERR bit offset*" {r setbit k abc 2}
        assert_error "ERR wrong number of arguments for 'setbit' command" \
            {r setbit k 1}
        assert_error "ERR wrong number of arguments for 'getbit' command" \
            {r getbit k}
    }

    test {SETBIT keeps the key's TTL} {
        r set k x ex 100
        r setbit k 0 1
        assert_range [r ttl k] 90 100
        r get k
    } "\xf8"

    test {Bits of a counter are those of its decimal string; SETBIT makes it a string} {
        r del c
        r incrby c 5
        set a [list [r getbit c 2] [r getbit c 7] [r bitcount c] [r bitpos c 1]]
        # '5' is 0x35; setting bit 6 gives 0x37, '7'.
        r setbit c 6 1
        list $a [r get c] [r incr c]
    } {{1 1 4 2} 7 8}

    test {BITCOUNT whole string and byte ranges, negative indexes} {
        r set s foobar
        list [r bitcount s] [r bitcount s 0 0] [r bitcount s 1 1] \
            [r bitcount s 1 1 byte] [r bitcount s -1 -1] [r bitcount s -2 -1] \
            [r bitcount s -1 -2] [r bitcount s 0 -100] [r bitcount s 3 100] \
            [r bitcount s 5 1] [r bitcount nokey]
    } {26 4 6 6 4 7 0 4 10 0 0}

    test {BITCOUNT with BIT ranges} {
        r set s foobar
        list [r bitcount s 5 30 bit] [r bitcount s 0 -1 BIT] \
            [r bitcount s 1 1 bit] [r bitcount s 0 0 bit] \
            [r bitcount s -3 -1 bit] [r bitcount s 7 8 bit]
    } {17 26 1 0 1 0}

    test {BITCOUNT errors; a missing key is 0 whatever the arguments (7.0)} {
        r set s foobar
        assert_error "ERR syntax error" {r bitcount s 0}
        assert_error "ERR syntax error" {r bitcount s 0 1 foo}
        assert_error "ERR syntax error" {r bitcount s 0 1 bit extra}
        assert_error "ERR value is not an integer or out of range" \
            {r bitcount s a 1}
        assert_error "ERR value is not an integer or out of range" \
            {r bitcount s 0 b}
        list [r bitcount nokey 0] [r bitcount nokey 0 a]
    } {0 0}

    test {BITCOUNT over a random string matches a count in Tcl} {
        set v ""
        for {set i 0} {$i < 1000} {incr i} {
            append v [format %c [expr {int(rand() * 256)}]]
        }
        r set rnd $v
        binary scan $v B* bits
        set ones [string length [string map {0 ""} $bits]]
        set sub [string range $bits 13 7001]
        set subones [string length [string map {0 ""} $sub]]
        list [expr {[r bitcount rnd] == $ones}] \
            [expr {[r bitcount rnd 13 7001 bit] == $subones}]
    } {1 1}

    test {BITPOS finds set and clear bits, BYTE and BIT ranges} {
        r set b "\x00\xff\xf0"
        list [r bitpos b 1] [r bitpos b 0] [r bitpos b 1 0] [r bitpos b 1 2] \
            [r bitpos b 1 2 -1 byte] [r bitpos b 1 7 15 bit] \
            [r bitpos b 1 7 -3 bit] [r bitpos b 0 1 2] [r bitpos b 0 9 -1 bit] \
            [r bitpos b 1 -1000 1000 bit] [r bitpos b 0 2 1]
    } {8 0 8 16 16 8 8 20 20 8 -1}

    test {BITPOS all-ones: without an end the string is zero-padded, with one it is not} {
        r set b "\xff\xff\xff"
        list [r bitpos b 0] [r bitpos b 0 0] [r bitpos b 0 1] \
            [r bitpos b 0 0 -1] [r bitpos b 0 0 -1 bit] [r bitpos b 0 3] \
            [r bitpos b 0 0 23 bit] [r bitpos b 0 10 12 bit] \
            [r bitpos b 1 10 5]
    } {24 24 24 -1 -1 -1 -1 -1 -1}

    test {BITPOS all-zeros and missing keys} {
        r set z "\x00\x00\x00"
        list [r bitpos z 1] [r bitpos z 0] [r bitpos z 1 1 2] \
            [r bitpos nokey 1] [r bitpos nokey 0] [r bitpos nokey 0 5 10]
    } {-1 0 -1 -1 0 0}

    test {BITPOS errors} {
        r set s foobar
        assert_error "ERR The bit argument must be 1 or 0." {r bitpos s 2}
        assert_error "ERR The bit argument must be 1 or 0." {r bitpos nokey 2}
        assert_error "ERR value is not an integer or out of range" \
            {r bitpos s x}
        assert_error "ERR value is not an integer or out of range" \
            {r bitpos s 1 x}
        assert_error "ERR value is not an integer or out of range" \
            {r bitpos s 1 0 x}
        assert_error "ERR syntax error" {r bitpos s 1 0 1 foo}
        assert_error "ERR syntax error" {r bitpos s 1 0 1 bit x}
        assert_error "ERR wrong number of arguments for 'bitpos' command" \
            {r bitpos s}
    }

    test {BITOP AND OR XOR NOT, shorter sources zero-padded} {
        r set a "\x55\xff"
        r set b "\x0f"
        set out {}
        foreach op {and or xor} {
            lappend out [r bitop $op d a b] [r get d]
        }
        lappend out [r bitop not d a] [r get d]
        lappend out [r bitop and d a nokey] [r get d]
        lappend out [r bitop or d nokey a] [r get d]
        set out
    } [list 2 "\x05\x00" 2 "\x5f\xff" 2 "\x5a\xff" 2 "\xaa\x00" \
           2 "\x00\x00" 2 "\x55\xff"]

    test {BITOP over many sources, folded one by one} {
        r set x1 "\x01\x02\x03"
        r set x2 "\x10"
        r set x3 "\xff\x00\x00\x00"
        list [r bitop xor d x1 x2 x3 x1] [r get d] \
            [r bitop or d x1 x2 x3] [r get d] \
            [r bitop and d x3 x3 x3] [r get d]
    } [list 4 "\xef\x00\x00\x00" 4 "\xff\x02\x03\x00" 4 "\xff\x00\x00\x00"]

    test {BITOP with a source named more than once} {
        r set a "\x55\xff"
        r set b "\x0f"
        list [r bitop xor d a a] [r get d] [r bitop xor d b a b] [r get d] \
            [r bitop xor d a b a] [r get d] [r bitop and d a b a] [r get d] \
            [r bitop or d b a b nokey b] [r get d]
    } [list 2 "\x00\x00" 2 "\x55\xff" 2 "\x0f\x00" 2 "\x05\x00" \
           2 "\x5f\xff"]

    test {BITOP empty result deletes the destination; the result drops its TTL} {
        r set d x
        set a [r bitop and d nokey1 nokey2]
        set e [r exists d]
        r set a "\x01"
        r setex d 100 x
        r bitop or d a
        list $a $e [r ttl d] [r get d]
    } [list 0 0 -1 "\x01"]

    test {BITOP errors} {
        assert_error "ERR syntax error" {r bitop foo d a}
        assert_error "ERR BITOP NOT must be called with a single source key." \
            {r bitop not d a b}
        assert_error "ERR wrong number of arguments for 'bitop' command" \
            {r bitop and d}
    }

    test {BITFIELD SET, GET, INCRBY, signed and unsigned} {
        r del bf
        list [r bitfield bf set u8 0 255] [r bitfield bf get u8 0] \
            [r bitfield bf get i8 0] [r bitfield bf incrby u8 0 10] \
            [r bitfield bf set i64 64 -1 get u63 64 get i64 64] \
            [r bitfield bf set u4 0 -1 get u4 0 get u8 0] [r strlen bf]
    } {0 255 -1 9 {0 9223372036854775807 -1} {0 15 249} 16}

    test {BITFIELD #N offsets count in units of the type's width} {
        r del bf
        list [r bitfield bf set u8 #2 7 get u8 16 get u8 #2] [r get bf] \
            [r bitfield bf set i5 #1 -3 get i5 5 get u5 #1]
    } [list {0 7 7} "\x00\x00\x07" {0 -3 29}]

    test {BITFIELD OVERFLOW WRAP, SAT and FAIL} {
        r del bf
        r bitfield bf set u8 0 250
        list [r bitfield bf incrby u8 0 10] \
            [r bitfield bf overflow sat incrby u8 0 1000] \
            [r bitfield bf overflow fail incrby u8 0 1] \
            [r bitfield bf overflow sat incrby u8 0 -1000] \
            [r bitfield bf overflow wrap incrby i8 8 200] \
            [r bitfield bf incrby i4 16 -100] \
            [r bitfield bf overflow sat incrby i4 16 -100] \
            [r bitfield bf overflow sat set i4 16 100] \
            [r bitfield bf overflow fail set u4 16 100 get u4 16] \
            [r bitfield bf overflow sat set u4 16 -1 get u4 16] \
            [r bitfield bf overflow fail incrby u2 0 1 incrby u2 0 1 overflow wrap incrby u2 0 3]
    } {4 255 {{}} 0 -56 -4 -8 -8 {{} 7} {7 15} {1 2 1}}

    test {BITFIELD at the 64-bit edges} {
        r del bf
        list [r bitfield bf overflow sat incrby i64 0 9223372036854775807 incrby i64 0 9223372036854775807] \
            [r bitfield bf overflow wrap set i64 0 9223372036854775807 incrby i64 0 1] \
            [r bitfield bf overflow sat set i64 0 -9223372036854775808 incrby i64 0 -1] \
            [r bitfield bf overflow wrap incrby i64 0 -1] \
            [r bitfield bf overflow sat set u63 0 0 incrby u63 0 -1] \
            [r bitfield bf overflow wrap incrby u63 0 -1] \
            [r bitfield bf overflow sat incrby u63 0 9223372036854775807]
    } {{9223372036854775807 9223372036854775807} {9223372036854775807 -9223372036854775808} {-9223372036854775808 -9223372036854775808} 9223372036854775807 {4611686018427387903 0} 9223372036854775807 9223372036854775807}

    test {BITFIELD with only GETs on a missing key creates nothing; FAIL still creates it} {
        r del nk nk2
        set a [r bitfield nk get u8 0 get i16 100]
        set e [r exists nk]
        set b [r bitfield nk2 overflow fail incrby u2 100 10]
        list $a $e $b [r exists nk2] [r get nk2] [r bitfield nk]
    } [list {0 0} 0 {{}} 1 "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" {}]

    test {BITFIELD keeps the TTL} {
        r set bf x ex 100
        r bitfield bf set u8 8 65
        list [r get bf] [expr {[r ttl bf] > 90}]
    } {xA 1}

    test {BITFIELD errors, nothing written when one argument is bad} {
        r set bf "\x01"
        foreach t {u64 i65 u0 x8 I8 u i8x} {
            assert_error "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is." \
                [list r bitfield bf set $t 0 1]
        }
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield bf get u8 -1}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield bf get u8 #-1}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield bf get u8 x}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield bf get u8 4294967296}
        assert_error "ERR Invalid OVERFLOW type specified" \
            {r bitfield bf overflow foo get u8 0}
        assert_error "ERR syntax error" {r bitfield bf foo}
        assert_error "ERR syntax error" {r bitfield bf get u8}
        assert_error "ERR syntax error" {r bitfield bf set u8 0}
        assert_error "ERR syntax error" {r bitfield bf overflow}
        assert_error "ERR value is not an integer or out of range" \
            {r bitfield bf set u8 8 1 set u8 0 abc}
        assert_error "ERR wrong number of arguments for 'bitfield' command" \
            {r bitfield}
        r get bf
    } "\x01"

    test {BITFIELD_RO reads, refuses writes} {
        r set bf "\xf0"
        list [r bitfield_ro bf get u4 0 get i4 0 get u8 4] \
            [r bitfield_ro bf overflow sat get u2 0] [r bitfield_ro nokey get u8 0] \
            [catch {r bitfield_ro bf set u8 0 1} e] $e \
            [catch {r bitfield_ro bf get u8 0 incrby u8 0 1} e] $e
    } {{15 -1 0} 3 0 1 {ERR BITFIELD_RO only supports the GET subcommand} 1 {ERR BITFIELD_RO only supports the GET subcommand}}

    test {LCS string, LEN and IDX} {
        r set l1 ohmytext
        r set l2 mynewtext
        list [r lcs l1 l2] [r lcs l1 l2 len] [r lcs l1 l2 idx] \
            [r lcs l1 l2 IDX MINMATCHLEN 4] \
            [r lcs l1 l2 idx minmatchlen 4 withmatchlen] \
            [r lcs l1 l2 idx withmatchlen] [r lcs l1 l2 idx minmatchlen -5]
    } {mytext 6 {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6} {matches {{{4 7} {5 8}}} len 6} {matches {{{4 7} {5 8} 4}} len 6} {matches {{{4 7} {5 8} 4} {{2 3} {0 1} 2}} len 6} {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6}}

    test {LCS with missing keys and counters} {
        r del c1
        r incrby c1 1234
        r set c2 1x3y4
        list [r lcs nokey l2] [r lcs nokey l2 idx] [r lcs nokey nokey2 len] \
            [r lcs c1 c2]
    } {{} {matches {} len 0} 0 134}

    test {LCS errors} {
        assert_error "ERR syntax error" {r lcs l1 l2 foo}
        assert_error "ERR syntax error" {r lcs l1 l2 minmatchlen}
        assert_error "ERR value is not an integer or out of range" \
            {r lcs l1 l2 minmatchlen x}
        assert_error "ERR If you want both the length and indexes, please just use IDX." \
            {r lcs l1 l2 len idx}
        assert_error "ERR wrong number of arguments for 'lcs' command" \
            {r lcs l1}
    }

    test {COMMAND DOCS and COMMAND INFO describe the new commands} {
        foreach c {setbit getbit bitcount bitpos bitop bitfield bitfield_ro lcs} {
            assert_equal $c [lindex [r command docs $c] 0]
        }
        set info [lindex [r command info bitop] 0]
        lrange $info 0 5
    } {bitop -4 {write denyoom} 2 -1 1}

    # The bounds: proto-max-bulk-len at its 1 MB minimum keeps them cheap.
    test {SETBIT grows a string up to proto-max-bulk-len, not past it} {
        r config set proto-max-bulk-len 1mb
        r del big
        set a [r setbit big 8388607 1]
        assert_error "ERR bit offset is not an integer or out of range" \
            {r setbit big 8388608 1}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r setbit big 9223372036854775807 1}
        list $a [r strlen big] [r bitcount big] [r bitpos big 1] [r ping]
    } {0 1048576 1 8388607 PONG}

    test {BITFIELD offsets bounded the same way, #N without overflow} {
        r del big
        set a [r bitfield big set i64 8388607 -1]
        set n [r strlen big]
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield big set i64 8388608 -1}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield big set i64 #131072 -1}
        list $a $n [r bitfield big get u8 #131071] [r ping]
    } {0 1048584 0 PONG}

    test {LCS refuses a table past proto-max-bulk-len} {
        r set la [string repeat a 1000]
        r set lb [string repeat b 1000]
        assert_error "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len" \
            {r lcs la lb}
        r set la [string repeat a 400]
        r set lb [string repeat a 400]
        set n [r lcs la lb len]
        r config set proto-max-bulk-len 512mb
        list $n [r ping]
    } {400 PONG}
}

tags {"dkv-only"} {
start_server {tags {"bitmap"}} {
    test {BITFIELD #N offset whose product overflows is refused (Redis: undefined)} {
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield bf get u8 #9223372036854775807}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield bf get i64 #-9223372036854775808}
        assert_error "ERR bit offset is not an integer or out of range" \
            {r bitfield bf get i64 #1152921504606846976}
        r ping
    } {PONG}

    test {BITOP naming one 1 MB key 100,001 times loads it once} {
        r set big [string repeat "\xa5" 1048576]
        set args {}
        for {set i 0} {$i < 100001} {incr i} { lappend args big }
        set t0 [clock milliseconds]
        set n [r bitop xor d {*}$args]
        set ms [expr {[clock milliseconds] - $t0}]
        # One pass per mention would be ~100 GB of work: minutes.
        assert {$ms < 10000}
        list $n [expr {[r get d] eq [r get big]}] [r ping]
    } {1048576 1 PONG}

    test {A bit past 4 GB is refused before allocating, whatever proto-max-bulk-len} {
        r config set proto-max-bulk-len 8gb
        assert_error "ERR string exceeds dkv's largest storable value (4 GB)" \
            {r setbit huge 34359738367 1}
        assert_error "ERR string exceeds dkv's largest storable value (4 GB)" \
            {r bitfield huge set u8 34359738360 1}
        r config set proto-max-bulk-len 512mb
        list [r exists huge] [r ping]
    } {0 PONG}
}

tags {cluster} {
if {![tags_skipped]} {
start_cluster 3 {replicas 3 read-quorum 2 write-quorum 2 cluster-secret s3cret} {
    test {Bits written through one node are read through the others} {
        for {set k 0} {$k < 20} {incr k} {
            rn [expr {$k % 3}] setbit bits:$k [expr {$k * 9}] 1
            rn [expr {$k % 3}] bitfield bf:$k set u16 #1 [expr {$k * 1000}]
        }
        rn 0 setbit bits:0 100 1
        set bad 0
        for {set k 0} {$k < 20} {incr k} {
            for {set i 0} {$i < 3} {incr i} {
                set j [expr {($k + $i + 1) % 3}]
                if {[rn $j getbit bits:$k [expr {$k * 9}]] != 1} { incr bad }
                set want [expr {$k == 0 ? 2 : 1}]
                if {[rn $j bitcount bits:$k] != $want} { incr bad }
                if {[rn $j bitfield_ro bf:$k get u16 16] != $k * 1000} {
                    incr bad
                }
            }
        }
        list $bad [rn 1 bitfield bf:3 incrby u16 #1 5] \
            [rn 2 bitfield bf:3 get u16 #1] [rn 2 bitpos bits:2 1]
    } {0 3005 3005 18}
}
}
}
}

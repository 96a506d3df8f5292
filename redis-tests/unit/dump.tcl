# DUMP and RESTORE: Redis's serialization format byte for byte (the
# payloads below are what redis-server 7.0 produced), RESTORE's options
# and its errors in Redis's order, and (dkv-only) what dkv refuses, plus
# a real redis-server and dkv side by side exchanging payloads.

# Redis's crc64 (Jones, reflected), to build payloads with a valid footer.
proc crc64 {data} {
    if {![info exists ::crc64_table]} {
        set ::crc64_table {}
        for {set i 0} {$i < 256} {incr i} {
            set c $i
            for {set b 0} {$b < 8} {incr b} {
                set c [expr {$c & 1 ? ($c >> 1) ^ 0x95ac9329ac4bc9b5 : $c >> 1}]
            }
            lappend ::crc64_table $c
        }
    }
    set crc 0
    binary scan $data cu* bytes
    foreach byte $bytes {
        set crc [expr {[lindex $::crc64_table [expr {($crc ^ $byte) & 0xff}]] ^ ($crc >> 8)}]
    }
    return $crc
}

# body (binary) + RDB version + CRC64: a payload RESTORE verifies.
proc rdb_payload {body {version 10}} {
    set p $body[binary format s $version]
    set crc [crc64 $p]
    return $p[binary format ii [expr {$crc & 0xffffffff}] [expr {$crc >> 32}]]
}

proc unhex {h} { binary format H* $h }

start_server {tags {"dump"}} {
    test {crc64 of the test helper is Redis's} {
        format %llx [crc64 123456789]
    } {e9c6d914c4b8d9ca}

    test {DUMP / RESTORE round trip of a simple key} {
        r set foo bar
        set encoded [r dump foo]
        r del foo
        list [r exists foo] [r restore foo 0 $encoded] [r ttl foo] [r get foo]
    } {0 OK -1 bar}

    test {DUMP of a missing key is nil} {
        r dump nosuchkey
    } {}

    test {DUMP payloads are Redis's bytes: raw, empty, binary} {
        r set k a
        assert_equal [unhex 0001610a00bffeef9b8f367db4] [r dump k]
        r set k ""
        assert_equal [unhex 00000a005d9b5c400f7fa2da] [r dump k]
        r set k 0012
        assert_equal [unhex 0004303031320a00cb37f60bcb11085d] [r dump k]
        set bin ""
        for {set i 0} {$i < 256} {incr i} { append bin [format %c $i] }
        r set k $bin
        set d [r dump k]
        list [string range $d 0 2] [string length $d]
    } [list [unhex 004100] 269]

    test {DUMP payloads are Redis's bytes: integer encodings} {
        set got {}
        foreach v {12 -5 300 70000 2147483647 2147483648 12345678901234} {
            r set k $v
            binary scan [r dump k] H* h
            lappend got $h
        }
        set got
    } {00c00c0a003c2af8515c04bcd5 00c0fb0a0049c4c6f4d7263f68 00c12c010a00954261f265825c10 00c2701101000a0001a408fe953095a5 00c2ffffff7f0a002c74e59ee02eada1 000a323134373438333634380a00e7b129a34c1d76ee 000e31323334353637383930313233340a00afcb8c7b76a08b6a}

    test {DUMP payloads are Redis's bytes: LZF for long compressible strings} {
        r set k [string repeat x 21]
        binary scan [r dump k] H* a
        r set k [string repeat ab 30]
        binary scan [r dump k] H* b
        list $a $b
    } {00c30615017878e00a000a00941a83676017192f 00c30a3c02616261e02e010161620a00bb16d3ebae6fc574}

    test {A counter dumps as its decimal value} {
        r del ctr
        r incr ctr
        binary scan [r dump ctr] H* h
        set h
    } {00c0010a002678e7b6d10111fc}

    test {RESTORE of every encoding gives back the value} {
        set vals [list "" a -12 3000 2147483647 -2147483648 12345678901234 007 \
                      [string repeat abc 1000] [randstring 3000] \
                      "bin\x00\r\n\xff"]
        set bad {}
        foreach v $vals {
            r set src $v
            set d [r dump src]
            r restore dst 0 $d replace
            if {[r get dst] ne $v} { lappend bad [string range $v 0 20] }
        }
        set bad
    } {}

    test {Redis's payloads (integer, LZF, RDB version 9) restore} {
        r restore i 0 [unhex 00c12c010a00954261f265825c10] replace
        r restore z 0 [unhex 00c30a3c02616261e02e010161620a00bb16d3ebae6fc574] replace
        r restore v9 0 [rdb_payload [unhex 0003616263] 9] replace
        list [r get i] [r get z] [r get v9]
    } [list 300 [string repeat ab 30] abc]

    test {DUMP carries no TTL; RESTORE sets one} {
        r set t v ex 100
        set d [r dump t]
        r restore t2 0 $d replace
        set a [r ttl t2]
        r restore t3 5000 $d replace
        list $a [expr {[r pttl t3] > 3000 && [r pttl t3] <= 5000}] [r get t3]
    } {-1 1 v}

    test {RESTORE can set an expire that overflows a 32 bit integer} {
        r restore t4 2569591501 [r dump t] replace
        assert_range [r pttl t4] [expr {2569591501 - 3000}] 2569591501
    }

    test {RESTORE ABSTTL sets an absolute expiry} {
        set at [expr {[clock milliseconds] + 100000}]
        r restore a1 $at [r dump t] replace absttl
        assert_range [r pttl a1] 90000 100000
    }

    test {RESTORE with an ABSTTL in the past creates nothing, REPLACE deletes} {
        r set gone old
        set a [r restore gone 1 [r dump t] replace absttl]
        set b [r restore never 1 [r dump t] absttl]
        list $a [r exists gone] $b [r exists never]
    } {OK 0 OK 0}

    test {RESTORE with a relative TTL past the end of time creates nothing} {
        r del huge
        list [r restore huge 9223372036854775807 [r dump t]] [r exists huge]
    } {OK 0}

    test {RESTORE on an existing key is BUSYKEY, REPLACE overwrites} {
        r set busy old
        set d [r dump t]
        assert_error "BUSYKEY Target key name already exists." {r restore busy 0 $d}
        list [r get busy] [r restore busy 0 $d REPLACE] [r get busy]
    } {old OK v}

    test {RESTORE replaces a counter} {
        r set busy x
        r del ctr
        r incrby ctr 5
        r restore ctr 0 [r dump busy] replace
        list [r get ctr] [catch {r incr ctr} e] $e
    } {x 1 {ERR value is not an integer or out of range}}

    test {RESTORE errors in Redis's order: options, BUSYKEY, TTL, payload} {
        r set busy x
        set e {}
        catch {r restore busy abc junk foo} err; lappend e $err
        catch {r restore busy abc junk} err; lappend e $err
        catch {r restore free abc junk} err; lappend e $err
        catch {r restore free -1 junk} err; lappend e $err
        catch {r restore free 0 junk} err; lappend e $err
        set e
    } {{ERR syntax error} {BUSYKEY Target key name already exists.} {ERR value is not an integer or out of range} {ERR Invalid TTL value, must be >= 0} {ERR DUMP payload version or checksum are wrong}}

    test {RESTORE refuses a wrong checksum, a newer RDB version, a short payload} {
        set d [r dump t]
        set bad [string range $d 0 end-1][format %c [expr {([scan [string index $d end] %c] + 1) % 256}]]
        set e {}
        catch {r restore free 0 $bad} err; lappend e $err
        catch {r restore free 0 [rdb_payload [unhex 0003616263] 11]} err; lappend e $err
        catch {r restore free 0 [string repeat "\x00" 9]} err; lappend e $err
        set e
    } [lrepeat 3 {ERR DUMP payload version or checksum are wrong}]

    test {RESTORE refuses malformed objects with a valid checksum} {
        set e {}
        foreach body {0015 00c4 0082 08 14 {} 00c30003 00c30616017878e00a00} {
            set err OK
            catch {r restore free 0 [rdb_payload [unhex $body]] replace} err
            lappend e $err
        }
        lsort -unique $e
    } {{ERR Bad data format}}

    test {RESTORE option errors as Redis's} {
        set e {}
        catch {r restore free 0 junk idletime -1} err; lappend e $err
        catch {r restore free 0 junk idletime x} err; lappend e $err
        catch {r restore free 0 junk freq 256} err; lappend e $err
        catch {r restore free 0 junk freq -1} err; lappend e $err
        catch {r restore free 0 junk idletime 1 freq 1} err; lappend e $err
        catch {r restore free 0 junk freq 1 idletime 1} err; lappend e $err
        catch {r restore free 0 junk idletime} err; lappend e $err
        set e
    } {{ERR Invalid IDLETIME value, must be >= 0} {ERR value is not an integer or out of range} {ERR Invalid FREQ value, must be >= 0 and <= 255} {ERR Invalid FREQ value, must be >= 0 and <= 255} {ERR syntax error} {ERR syntax error} {ERR syntax error}}

    test {RESTORE options repeat and mix case} {
        r restore rep 0 [r dump t] Replace REPLACE absTTL
        r get rep
    } {v}

    test {DUMP / RESTORE arity} {
        assert_error "*wrong number of arguments for 'dump' command*" {r dump}
        assert_error "*wrong number of arguments for 'restore' command*" {r restore k 0}
    }

    test {COMMAND INFO of DUMP and RESTORE} {
        set i [r command info dump restore]
        list [lrange [lindex $i 0] 0 1] [lrange [lindex $i 1] 0 1] \
            [lindex $i 0 2] [lindex $i 1 2]
    } {{dump 2} {restore -4} readonly {write denyoom}}
}

start_server {tags {"dump" "dkv-only"}} {
    test {RESTORE of a list, hash, set, zset or stream payload names dkv} {
        set e {}
        # Payloads redis-server 7.0 produced: list, hash, set, zset.
        foreach h {1201020a0a0000000100816102ff0a0009b9edf594ded995
                   100d0d0000000200816102816202ff0a00d93c7f0728f0edcc
                   020101610a006296e97e44d21a6d
                   110c0c00000002008161020101ff0a00a805ceb8d7a93302} {
            catch {r restore other 0 [unhex $h]} err
            lappend e $err
        }
        list $e [r exists other]
    } {{{ERR dkv cannot restore a list: it stores only strings (the payload is of RDB type 18)} {ERR dkv cannot restore a hash: it stores only strings (the payload is of RDB type 16)} {ERR dkv cannot restore a set: it stores only strings (the payload is of RDB type 2)} {ERR dkv cannot restore a zset: it stores only strings (the payload is of RDB type 17)}} 0}

    test {RESTORE IDLETIME / FREQ are refused: dkv keeps neither} {
        set e {}
        catch {r restore free 0 [r dump nosuch] idletime 10} err; lappend e $err
        catch {r restore free 0 junk freq 5} err; lappend e $err
        list $e [r exists free]
    } {{{ERR dkv keeps no access time or frequency per key: RESTORE's IDLETIME and FREQ options are not supported} {ERR dkv keeps no access time or frequency per key: RESTORE's IDLETIME and FREQ options are not supported}} 0}

    test {RESTORE: a length past the object is bad data, never the footer} {
        # Redis would read its own footer as the string's last bytes.
        assert_error "ERR Bad data format" {r restore free 0 [rdb_payload [unhex 0005616263]]}
        assert_error "ERR Bad data format" {r restore free 0 [rdb_payload [unhex 00c101]]}
    }

    test {RESTORE: an LZF string declared past proto-max-bulk-len, nothing allocated} {
        # 1 compressed byte claiming 2^40 bytes uncompressed.
        set body [unhex 00c30181000001000000000000]
        assert_error "ERR string exceeds maximum allowed size (proto-max-bulk-len)" \
            {r restore free 0 [rdb_payload $body]}
        # A real 3 MB value whose payload is small, past a lowered limit.
        r set k [string repeat ab 1500000]
        set d [r dump k]
        r config set proto-max-bulk-len 1mb
        set rc [catch {r restore k2 0 $d} err]
        r config set proto-max-bulk-len 512mb
        list $rc $err [r exists k2] [expr {[string length $d] < 100000}]
    } {1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} 0 1}
}

# A real redis-server and dkv side by side: payloads of every string
# encoding go from one to the other and back, through redis-py as well.
start_server {tags {"dump" "dkv-only"}} {
    start_server {tags {"dump"} kind redis} {
        test {Side by side: Redis's DUMP restores into dkv and dkv's into Redis} {
            set bin ""
            for {set i 0} {$i < 256} {incr i} { append bin [format %c $i] }
            set vals [list "" short -12 3000 2147483647 12345678901234 007 \
                          [string repeat abc 2000] [randstring 4000] $bin]
            set bad {}
            foreach v $vals {
                r set k $v
                r -1 restore k 0 [r dump k] replace
                if {[r -1 get k] ne $v} { lappend bad "to dkv: [string range $v 0 20]" }
                r -1 set k2 $v
                r restore k2 0 [r -1 dump k2] replace
                if {[r get k2] ne $v} { lappend bad "to redis: [string range $v 0 20]" }
                if {[r dump k] ne [r -1 dump k]} { lappend bad "dump differs: [string range $v 0 20]" }
            }
            set bad
        } {}

        test {Side by side through python3-redis dump() / restore()} {
            set out [exec /usr/bin/python3 [file join $::repo redis-tests helpers dump_interop.py] \
                         [srv port] [srv -1 port]]
            set lines [split $out \n]
            list [llength [lsearch -all $lines ok*]] [lsearch -all -inline $lines FAIL*]
        } {27 {}}
    }
}

# In a ring, RESTORE is a coordinated write and DUMP a coordinated read:
# through any node they see the key as the replicas hold it.
tags {"dump" "cluster" "dkv-only"} {
start_cluster 3 {replicas 3 read-quorum 2 write-quorum 2 cluster-secret s3cret} {
    test {Cluster: RESTORE through one node, BUSYKEY and GET through the others} {
        rn 0 set src [string repeat "dkv " 100]
        set d [rn 0 dump src]
        set a [rn 1 restore dst 0 $d]
        set b [catch {rn 2 restore dst 0 $d} err]
        list $a $b $err [expr {[rn 2 get dst] eq [string repeat "dkv " 100]}] \
            [expr {[rn 2 dump dst] eq $d}]
    } {OK 1 {BUSYKEY Target key name already exists.} 1 1}

    test {Cluster: RESTORE REPLACE with a TTL through another node} {
        rn 0 set src2 other
        rn 2 restore dst 5000 [rn 0 dump src2] replace
        list [rn 1 get dst] [expr {[rn 0 pttl dst] > 0}]
    } {other 1}
}
}

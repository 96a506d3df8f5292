# The wire protocol: inline and multibulk requests, pipelining, RESP3 via
# HELLO, and every malformed input getting Redis's error and a closed
# connection while the server keeps serving everyone else.

# Sends raw bytes on a fresh connection and returns what came back, with
# "<closed>" appended if the server closed the connection. Stops once
# nothing new arrived for `quiet` ms (or at 3 s).
proc raw_exchange {bytes {quiet 200}} {
    set fd [new_client]
    fconfigure $fd -blocking 0
    puts -nonewline $fd $bytes
    flush $fd
    set out ""
    set start [clock milliseconds]
    set last $start
    while {[clock milliseconds] - $start < 3000} {
        set chunk [read $fd]
        if {$chunk ne ""} {
            append out $chunk
            set last [clock milliseconds]
        }
        if {[eof $fd]} { append out "<closed>"; break }
        if {[clock milliseconds] - $last > $quiet} break
        after 5
    }
    catch {close $fd}
    return $out
}

start_server {tags {"protocol"}} {
    test {Inline PING} {
        raw_exchange "PING\r\n"
    } "+PONG\r\n"

    test {Inline command with quoted arguments} {
        raw_exchange "SET \"a key\" 'a value'\r\nGET \"a key\"\r\n"
    } "+OK\r\n\$7\r\na value\r\n"

    test {Inline with unbalanced quotes} {
        raw_exchange "SET \"a b\r\n"
    } "-ERR Protocol error: unbalanced quotes in request\r\n<closed>"

    test {Empty inline lines are ignored} {
        raw_exchange "\r\n\r\nPING\r\n"
    } "+PONG\r\n"

    test {Pipelining 1000 commands} {
        set fd [new_client]
        set buf ""
        for {set i 0} {$i < 1000} {incr i} { append buf [resp_encode set pk:$i $i] }
        resp_send_raw $fd $buf
        for {set i 0} {$i < 1000} {incr i} { resp_read $fd }
        set buf ""
        for {set i 0} {$i < 1000} {incr i} { append buf [resp_encode get pk:$i] }
        resp_send_raw $fd $buf
        set ok 1
        for {set i 0} {$i < 1000} {incr i} {
            if {[resp_read $fd] ne $i} { set ok 0 }
        }
        resp_close $fd
        set ok
    } {1}

    test {A request split into single bytes} {
        set fd [new_client]
        foreach c [split [resp_encode set split value] ""] {
            puts -nonewline $fd $c
            flush $fd
        }
        set a [resp_read $fd]
        set b [resp_call $fd get split]
        resp_close $fd
        list $a $b
    } {OK value}

    test {Unknown command} {
        assert_error "ERR unknown command 'nosuchcmd', with args beginning with: 'a' 'b' " {r nosuchcmd a b}
    }

    test {Empty multibulk is ignored} {
        raw_exchange "*0\r\n*1\r\n\$4\r\nPING\r\n"
    } "+PONG\r\n"

    test {Invalid multibulk length} {
        raw_exchange "*abc\r\n"
    } "-ERR Protocol error: invalid multibulk length\r\n<closed>"

    test {Multibulk length past INT_MAX} {
        raw_exchange "*3000000000\r\n"
    } "-ERR Protocol error: invalid multibulk length\r\n<closed>"

    test {A count of two billion arguments waits for them, as Redis 7 does} {
        # Nothing is allocated for what is only announced: the next
        # client is served, and the announcing one gets no error.
        set fd [resp_connect 127.0.0.1 [srv port]]
        resp_send_raw $fd "*2000000000\r\n\$1\r\na\r\n"
        set pong [r ping]
        fconfigure $fd -blocking 0
        after 100
        set got [read $fd]
        close $fd
        list $pong $got
    } {PONG {}}

    tags {dkv-only} {
        # Redis 7 bounds this by maxmemory-clients; dkv counts the parsed
        # arguments of an unfinished request as query buffer.
        test {An unfinished request's parsed arguments count toward client-query-buffer-limit} {
            r config set client-query-buffer-limit 1mb
            set fd [resp_connect 127.0.0.1 [srv port]]
            fconfigure $fd -blocking 1
            set closed 0
            if {[catch {
                resp_send_raw $fd "*2000000000\r\n"
                set chunk [string repeat "\$1\r\na\r\n" 10000]
                for {set i 0} {$i < 40} {incr i} { resp_send_raw $fd $chunk }
                after 100
                resp_send_raw $fd "\$1\r\na\r\n"
                after 100
                resp_send_raw $fd "\$1\r\na\r\n"
                fconfigure $fd -blocking 0
                if {[read $fd] eq "" && [eof $fd]} { set closed 1 }
            }]} { set closed 1 }
            catch {close $fd}
            r config set client-query-buffer-limit 1gb
            list $closed [r ping]
        } {1 PONG}
    }

    test {A RESP3 type or a negative length inside a request: Redis's texts} {
        list [raw_exchange "*2\r\n\$3\r\nGET\r\n%1\r\n"] \
             [raw_exchange "*1\r\n\$-5\r\n"]
    } [list "-ERR Protocol error: expected '\$', got '%'\r\n<closed>" \
            "-ERR Protocol error: invalid bulk length\r\n<closed>"]

    test {Bulk length past proto-max-bulk-len} {
        raw_exchange "*1\r\n\$999999999999\r\n"
    } "-ERR Protocol error: invalid bulk length\r\n<closed>"

    # Found by the request fuzzer: the error path read through a NULL.
    test {Bulk length with a non-digit inside (regression)} {
        list [raw_exchange "*1\r\n\$9\xb9999999999\r\n"] [r ping]
    } [list "-ERR Protocol error: invalid bulk length\r\n<closed>" PONG]

    test {Non-bulk argument inside a multibulk} {
        raw_exchange "*1\r\n:1\r\n"
    } "-ERR Protocol error: expected '\$', got ':'\r\n<closed>"

    test {The server survives binary garbage and truncated frames} {
        for {set i 0} {$i < 20} {incr i} {
            set junk ""
            for {set j 0} {$j < 500} {incr j} {
                append junk [format %c [expr {int(rand() * 256)}]]
            }
            raw_exchange $junk 50
            raw_exchange "*3\r\n\$3\r\nSET\r\n\$1\r\nk\r\n\$10\r\nabc" 50
        }
        r ping
    } {PONG}

    test {A client vanishing mid-request loses nothing of others} {
        r set safe value
        set fd [new_client]
        puts -nonewline $fd "*3\r\n\$3\r\nSET\r\n\$4\r\nsafe\r\n\$100\r\nxx"
        flush $fd
        close $fd
        after 100
        r get safe
    } {value}

    test {HELLO 3 switches to RESP3 and back} {
        set fd [new_client]
        set hello [resp_call $fd hello 3]
        set t1 $::resp_last_type
        set null [resp_call $fd get nosuchkey]
        set t2 $::resp_last_type
        resp_call $fd hello 2
        resp_call $fd get nosuchkey
        set t3 $::resp_last_type
        resp_close $fd
        list $t1 [dict get $hello proto] $t2 $t3
    } [list % 3 _ \$]

    test {HELLO with an unsupported version} {
        assert_error "NOPROTO*" {r hello 4}
    }

    test {RESP3 map reply for CONFIG GET} {
        set fd [new_client]
        resp_call $fd hello 3
        set v [resp_call $fd config get maxclients]
        set t $::resp_last_type
        resp_close $fd
        list $t $v
    } {% {maxclients 10000}}

    test {QUIT replies OK and closes} {
        raw_exchange [resp_encode quit]
    } "+OK\r\n<closed>"
}

# Peer input is network input too. Found by fuzz/fuzz_peer.c: a member
# gossiped with a host name made the node resolve it (DNS, blocking its
# event loop for seconds) every time its link retried.
start_server {tags {"protocol" "cluster" "dkv-only"}} {
    test {A gossiped member must have an IP address; a name is refused} {
        set fd [new_client]
        resp_call $fd dkv.peer x
        resp_call $fd dkv.gossip "00000000000000aa no-such-host.invalid 7000 5 7 0 100\n"
        resp_close $fd
        after 300
        set t0 [clock milliseconds]
        r ping
        list [llength [r dkv.members]] [expr {[clock milliseconds] - $t0 < 100}]
    } {1 1}

    test {DKV.JOIN of a name that does not resolve is refused, and the node keeps serving} {
        assert_error {ERR cannot resolve*} {r dkv.join no-such-host.invalid:7000}
        r set still serving
        r get still
    } {serving}
}

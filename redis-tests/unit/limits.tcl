# Limits: maxclients, client-query-buffer-limit, proto-max-bulk-len, and a
# client that pipelines without reading replies. Past a limit the offender
# gets Redis's error or is disconnected; everyone else is served.

start_server {tags {"limits"} overrides {maxclients 10}} {
    test {The client past maxclients gets an error; the others keep working} {
        set fds {}
        # r is one client already; the start-up check's connection may
        # still be closing (slowly, under a sanitizer): wait it out.
        wait_for_condition 100 20 {[regexp {connected_clients:1\r} [r info clients]]} else {
            fail "stray clients: [r info clients]"
        }
        for {set i 0} {$i < 9} {incr i} { lappend fds [new_client] }
        foreach fd $fds { resp_call $fd ping }
        set extra [new_client]
        set err ""
        catch {resp_call $extra ping} err
        catch {resp_close $extra}
        set ok [resp_call [lindex $fds 0] ping]
        foreach fd $fds { resp_close $fd }
        list $err $ok
    } {{ERR max number of clients reached} PONG}

    test {A slot frees up when a client leaves} {
        wait_for_condition 50 20 {![catch {set fd [new_client]; resp_call $fd ping; resp_close $fd}]} else {
            fail "no client could connect after others left"
        }
        r ping
    } {PONG}
}

# Redis 7 lets one big argument in progress exceed the limit; dkv counts
# every unparsed byte, so the limit is a hard bound on a client's memory.
start_server {tags {"limits" "dkv-only"} overrides {client-query-buffer-limit 1mb}} {
    test {A query past client-query-buffer-limit closes that client only} {
        set fd [new_client]
        # A 2 MB inline-less bulk announced and sent: more than 1 MB unparsed.
        # Closed shows as a failed write (reset, broken pipe) or as EOF on
        # the read; a reply instead would mean the limit did not apply.
        set closed [catch {
            puts -nonewline $fd "*3\r\n\$3\r\nSET\r\n\$1\r\nk\r\n\$3000000\r\n"
            puts -nonewline $fd [string repeat x 2000000]
            flush $fd
            resp_read $fd
        } err]
        catch {resp_close $fd}
        list $closed [r ping]
    } {1 PONG}
}

start_server {tags {"limits"}} {
    test {proto-max-bulk-len set at run time} {
        r config set proto-max-bulk-len 1mb
        set fd [new_client]
        set err ""
        catch {
            puts -nonewline $fd "*3\r\n\$3\r\nSET\r\n\$1\r\nk\r\n\$2000000\r\n"
            flush $fd
            resp_read $fd
        } err
        catch {resp_close $fd}
        r config set proto-max-bulk-len 512mb
        list $err [r ping]
    } {{ERR Protocol error: invalid bulk length} PONG}

    test {A client pipelining without reading does not stop others} {
        set fd [new_client]
        set cmd [resp_encode get k]
        # About 20 MB of requests whose replies are never read.
        set chunk [string repeat $cmd 10000]
        fconfigure $fd -blocking 0
        for {set i 0} {$i < 150} {incr i} {
            catch {puts -nonewline $fd $chunk; flush $fd}
        }
        set t0 [clock milliseconds]
        set pong [r ping]
        set ms [expr {[clock milliseconds] - $t0}]
        catch {close $fd}
        list $pong [expr {$ms < 2000}]
    } {PONG 1}

    test {The server is fine after the flood} {
        r set after flood
        r get after
    } {flood}
}

# Memory under hostile clients, measured as the node's RSS (the bounds are
# in README "Limits"): 10,000 connections; a 1 GB bulk; a pipeline whose
# replies are never read. Each time another client is still served.
start_server {tags {"limits" "dkv-only"}} {
    foreach {what name} {
        conns    {10,000 connections cost under 16 KB each, and others are served}
        bulk     {A 1 GB bulk is cut off at client-query-buffer-limit, memory bounded by it}
        pipeline {A client that never reads its replies costs a bounded few MB}
    } {
        test $name {
            set out [exec /usr/bin/python3 [file join $::repo redis-tests helpers resource_bounds.py] \
                         [srv port] [srv pid] $what]
            puts "      ($out)"
            assert_match {ok *} $out
        }
    }
}

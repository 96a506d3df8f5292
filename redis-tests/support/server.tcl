# Starting real server processes for a test: start_server spawns
# src/dkv-server (or redis-server with --server redis, to check that an
# expectation is Redis's behaviour) on a free loopback port with its own
# directory, runs the body with `r` talking to it, and kills it by pid at
# the end, also when the body fails. Servers nest; `srv` and `r` address
# the innermost, `srv -1 port` the one outside it. `kind redis` starts a
# redis-server whatever --server says (side-by-side tests).

set ::servers {}
set ::server_seq 0
set ::tmproot [file normalize [file join [file dirname [info script]] .. tmp]]
set ::repo [file normalize [file join [file dirname [info script]] .. ..]]
set ::server_kind dkv

proc server_binary {{kind ""}} {
    if {$kind eq ""} { set kind $::server_kind }
    if {$kind eq "redis"} { return redis-server }
    return [file join $::repo src dkv-server]
}

# Sanitizer reports in a server's stderr fail the test that ran it.
proc check_sanitizer_log {errfile} {
    if {![file exists $errfile]} return
    set f [open $errfile r]
    set text [read $f]
    close $f
    if {[regexp {(AddressSanitizer|LeakSanitizer|runtime error:|ASSERTION FAILED)} $text]} {
        incr ::failed
        puts "\[err\] sanitizer/assertion report from server ($errfile)"
        puts [string range $text 0 3000]
    }
}

# spawn_server dir port overrides ?kind? -> pid. Does not wait.
proc spawn_server {dir port overrides {kind ""}} {
    if {$kind eq ""} { set kind $::server_kind }
    file mkdir $dir
    set out [file join $dir stdout.txt]
    set err [file join $dir stderr.txt]
    if {$kind eq "redis"} {
        set cmd [list redis-server --port $port --bind 127.0.0.1 --dir $dir \
                     --save "" --appendonly no --logfile [file join $dir log.txt] \
                     --enable-debug-command yes]
        foreach {k v} $overrides {
            if {$k in {fsync cache-size sibling-policy max-siblings replicas
                      read-quorum write-quorum tombstone-grace}} continue
            lappend cmd --$k $v
        }
    } else {
        set cmd [list [server_binary] [file join $::repo redis-tests assets default.conf] \
                     --port $port --dir [file join $dir data] \
                     --logfile [file join $dir log.txt]]
        foreach {k v} $overrides { lappend cmd --$k $v }
    }
    set pid [exec {*}$cmd >> $out 2>> $err &]
    # The runner kills whatever is listed here if this file hangs.
    if {[info exists ::pidfile]} {
        set f [open $::pidfile a]
        puts $f $pid
        close $f
    }
    return $pid
}

proc wait_server_ready {port pid} {
    for {set i 0} {$i < 200} {incr i} {
        if {![process_alive $pid]} { return 0 }
        set reply ""
        if {[catch {
            set fd [resp_connect 127.0.0.1 $port]
            set reply [resp_call $fd ping]
        } err]} { set reply $err }
        catch {resp_close $fd}
        # Up and answering, even if it wants a password first.
        if {$reply eq "PONG" || [string match "NOAUTH*" $reply]} { return 1 }
        after 50
    }
    return 0
}

proc start_server {opts code} {
    set tags {}
    set overrides {}
    set kind $::server_kind
    foreach {k v} $opts {
        switch -- $k {
            tags { set tags $v }
            overrides { set overrides $v }
            kind { set kind $v }
            default { error "start_server: unknown option $k" }
        }
    }
    lappend ::tags_stack {*}$tags
    if {[tags_skipped]} {
        set ::tags_stack [lrange $::tags_stack 0 end-[llength $tags]]
        return
    }
    set port [find_free_port]
    set dir [file join $::tmproot "[file rootname [file tail $::current_file]]-[pid]-[incr ::server_seq]"]
    file delete -force $dir
    set pid [spawn_server $dir $port $overrides $kind]
    if {![wait_server_ready $port $pid]} {
        catch {exec kill -9 $pid}
        set ::tags_stack [lrange $::tags_stack 0 end-[llength $tags]]
        error "server did not start on port $port (see $dir)"
    }
    set client [resp_connect 127.0.0.1 $port]
    if {[dict exists $overrides requirepass]} {
        resp_call $client auth [dict get $overrides requirepass]
    }
    lappend ::servers [dict create port $port pid $pid dir $dir client $client \
                           overrides $overrides kind $kind]
    set rc [catch {uplevel 1 $code} err opts2]
    set srv [lindex $::servers end]
    set ::servers [lrange $::servers 0 end-1]
    stop_server_process $srv
    set ::tags_stack [lrange $::tags_stack 0 end-[llength $tags]]
    if {$rc == 1} {
        # The failure belongs to the test in progress; report it as one.
        incr ::failed
        puts "\[err\] start_server body in $::current_file: $err"
        puts "      [string range [dict get $opts2 -errorinfo] 0 800]"
    }
}

proc stop_server_process {srv} {
    catch {resp_close [dict get $srv client]}
    set pid [dict get $srv pid]
    catch {exec kill -TERM $pid}
    for {set i 0} {$i < 200 && [process_alive $pid]} {incr i} { after 25 }
    if {[process_alive $pid]} {
        catch {exec kill -9 $pid}
    }
    check_sanitizer_log [file join [dict get $srv dir] stderr.txt]
    if {!$::keep_dirs} { catch {file delete -force [dict get $srv dir]} }
}

# srv ?level? field: port, pid, dir, client of the innermost server
# (level 0) or an outer one (-1, -2...).
proc srv {args} {
    set level 0
    if {[llength $args] == 2} { lassign $args level field } else { set field [lindex $args 0] }
    return [dict get [lindex $::servers end+$level] $field]
}

proc srv_set {field value} {
    set s [lindex $::servers end]
    dict set s $field $value
    lset ::servers end $s
}

# r ?-level? cmd args: a command on the innermost server's client.
proc r {args} {
    set level 0
    if {[string match {-[0-9]*} [lindex $args 0]]} {
        set level [lindex $args 0]
        set args [lrange $args 1 end]
    }
    return [resp_call [dict get [lindex $::servers end+$level] client] {*}$args]
}

# A fresh connection to the current server (caller closes it).
proc new_client {} {
    return [resp_connect 127.0.0.1 [srv port]]
}

# Restarts the current server in the same directory and port. With
# kill9, the process is killed without warning, as a crash would.
proc restart_server {{kill9 0}} {
    set srv [lindex $::servers end]
    catch {resp_close [dict get $srv client]}
    set pid [dict get $srv pid]
    if {$kill9} { catch {exec kill -9 $pid} } else { catch {exec kill -TERM $pid} }
    for {set i 0} {$i < 400 && [process_alive $pid]} {incr i} { after 25 }
    if {[process_alive $pid]} { error "server $pid did not stop" }
    set port [dict get $srv port]
    set newpid [spawn_server [dict get $srv dir] $port [dict get $srv overrides] \
                    [dict get $srv kind]]
    if {![wait_server_ready $port $newpid]} {
        error "server did not restart on port $port"
    }
    dict set srv pid $newpid
    dict set srv client [resp_connect 127.0.0.1 $port]
    if {[dict exists [dict get $srv overrides] requirepass]} {
        resp_call [dict get $srv client] auth [dict get [dict get $srv overrides] requirepass]
    }
    lset ::servers end $srv
}

# The server's log so far.
proc server_log {} {
    set f [open [file join [srv dir] log.txt] r]
    set text [read $f]
    close $f
    return $text
}

# Indexes of the writes helpers/acked_writer.py logged as acknowledged.
proc read_acked {file} {
    if {![file exists $file]} { return {} }
    set f [open $file r]
    set l [split [string trim [read $f]] \n]
    close $f
    return $l
}

# kill -9 of the current server under write load, `rounds` times: each
# round a writer runs until it has min_acked acknowledgements, goes on
# for up to max_delay ms, the server is killed and restarted, and every
# acknowledged write is read back. Returns {lost acknowledged}.
proc crash_under_writes {rounds min_acked max_delay} {
    set lost 0
    set acked_total 0
    for {set round 0} {$round < $rounds} {incr round} {
        set log [file join [srv dir] acked-$round.txt]
        set wpid [exec /usr/bin/python3 [file join $::repo redis-tests helpers acked_writer.py] \
                      [srv port] $log &]
        wait_for_condition 200 10 {[llength [read_acked $log]] > $min_acked} else {
            fail "the writer made no progress in round $round"
        }
        after [expr {int(rand() * $max_delay)}]
        restart_server 1
        wait_for_condition 100 20 {![process_alive $wpid]} else {
            catch {exec kill -9 $wpid}
        }
        set acked [read_acked $log]
        incr acked_total [llength $acked]
        if {[llength $acked]} {
            set keys {}
            foreach i $acked { lappend keys ack:$i }
            foreach i $acked v [r mget {*}$keys] {
                if {$v ne "value-$i"} { incr lost }
            }
        }
        r flushall
    }
    return [list $lost $acked_total]
}

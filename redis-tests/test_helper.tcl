# dkv's test runner, in the spirit of Redis's tests/test_helper.tcl.
#
#   tclsh redis-tests/test_helper.tcl [--single unit/name]... [--server redis]
#         [--workers N] [--timeout S] [--keep] [--skip-tags t1,t2]
#
# Runs the C unit tests (src/dkv-unit) and then every file in ::all_tests,
# each in its own tclsh process, N at a time (2 by default: this is a
# 2-core machine). Every file has a watchdog: past --timeout seconds it is
# killed with every server it started, and counted as failed. Prints each
# "[ok]"/"[err]" line and ends with exactly "N passed, N failed"; the exit
# status is 1 if anything failed.
#
# --server redis starts redis-server instead of dkv-server, to check that a
# test's expectation is what Redis itself does; tests tagged dkv-only are
# skipped then.

set ::all_tests {
    unit/protocol
    unit/string
    unit/bitmap
    unit/incr
    unit/expire
    unit/keyspace
    unit/dump
    unit/databases
    unit/rename
    unit/multi
    unit/wait
    unit/server
    unit/introspection
    unit/slowlog
    unit/latency
    unit/context
    unit/limits
    unit/hostile
    unit/persistence
    unit/config-errors
    unit/deps
    unit/clients
    unit/not-offered
    unit/cluster
    unit/cluster-faults
    unit/cluster-keyspace
    unit/failures
    unit/membership
    unit/crash
    unit/torture
}

set ::here [file normalize [file dirname [info script]]]
set ::repo [file normalize [file join $::here ..]]
source [file join $::here support util.tcl]
source [file join $::here support resp.tcl]
source [file join $::here support server.tcl]
source [file join $::here support cluster.tcl]

set ::keep_dirs 0
set workers 2
set timeout 300
set singles {}
set run_file ""
set skip {}
for {set i 0} {$i < $argc} {incr i} {
    set a [lindex $argv $i]
    set v [lindex $argv [expr {$i + 1}]]
    switch -- $a {
        --single { lappend singles $v; incr i }
        --server { set ::server_kind $v; incr i }
        --workers { set workers $v; incr i }
        --timeout { set timeout $v; incr i }
        --keep { set ::keep_dirs 1 }
        --skip-tags { set skip [split $v ,]; incr i }
        --run-file { set run_file $v; incr i }
        --pidfile { set ::pidfile $v; incr i }
        default { puts stderr "unknown option $a"; exit 2 }
    }
}
if {$::server_kind eq "redis"} { lappend skip dkv-only }
set ::skip_tags $skip

# ---- Child mode: run one file -----------------------------------------------

if {$run_file ne ""} {
    set ::current_file $run_file
    expr {srand([pid])}
    if {[catch {source [file join $::here $run_file.tcl]} err]} {
        incr ::failed
        puts "\[err\] $run_file aborted: $err"
        puts "      [string range $::errorInfo 0 1500]"
        # Servers still running belong to the aborted file.
        foreach s [lreverse $::servers] { catch {stop_server_process $s} }
    }
    puts "FILE-RESULT $::passed $::failed"
    exit 0
}

# ---- Parent mode ----------------------------------------------------------------

file mkdir $::tmproot
set total_passed 0
set total_failed 0
set start [clock seconds]

# C unit tests of the pure modules.
set unit [file join $::repo src dkv-unit]
if {$::server_kind eq "dkv" && [llength $singles] == 0} {
    if {![file executable $unit]} {
        puts "\[err\] src/dkv-unit is missing (run make)"
        incr total_failed
    } else {
        catch {exec $unit 2>@1} out
        foreach line [split $out \n] {
            if {[regexp {^unit: (\d+) passed, (\d+) failed} $line -> p f]} {
                incr total_passed $p
                incr total_failed $f
            } elseif {[string match {\[err\]*} $line]} {
                puts $line
            }
        }
        puts "\[ok\] C unit tests: [regexp -inline {\d+ passed, \d+ failed} $out]"
    }
}

# A short run of each fuzz target (make fuzz runs them longer): its seed
# corpus, regressions included, and FUZZ_SECS of new inputs.
set fuzzdir [file join $::repo fuzz]
if {$::server_kind eq "dkv" && [llength $singles] == 0} {
    foreach bin [lsort [glob -nocomplain [file join $fuzzdir bin fuzz_*]]] {
        set t [string range [file tail $bin] 5 end]
        set work [file join $::tmproot fuzz-$t]
        file mkdir $work
        set rc [catch {exec $bin -max_total_time=3 -artifact_prefix=$work/ \
                           $work [file join $fuzzdir corpus $t] 2>@1} out]
        if {$rc == 0} {
            regexp {#(\d+)\s+DONE} $out -> runs
            puts "\[ok\] fuzz $t: 3 s, no crash"
            incr total_passed
        } else {
            puts "\[err\] fuzz $t found a crash (input kept in $work)"
            puts [string range $out end-2000 end]
            incr total_failed
        }
    }
}

set queue [expr {[llength $singles] ? $singles : $::all_tests}]
set running [dict create]
set ::done 0

proc launch {file} {
    global running timeout
    set pidfile [file join $::tmproot "pids-[pid]-[string map {/ _} $file]"]
    file delete $pidfile
    set cmd [list [info nameofexecutable] [file join $::here test_helper.tcl] \
                 --run-file $file --pidfile $pidfile --server $::server_kind \
                 --skip-tags [join $::skip_tags ,]]
    if {$::keep_dirs} { lappend cmd --keep }
    set ch [open |[concat $cmd [list 2>@1]] r]
    fconfigure $ch -blocking 0 -buffering line
    set timer [after [expr {$timeout * 1000}] [list file_timeout $ch]]
    dict set running $ch [dict create file $file timer $timer pidfile $pidfile \
                              result "" start [clock milliseconds]]
    fileevent $ch readable [list file_output $ch]
}

proc kill_file_servers {pidfile} {
    if {![file exists $pidfile]} return
    set f [open $pidfile r]
    foreach p [split [read $f] \n] {
        if {$p ne ""} { catch {exec kill -9 $p} }
    }
    close $f
    file delete $pidfile
}

proc file_timeout {ch} {
    global running
    set info [dict get $running $ch]
    puts "\[err\] [dict get $info file] timed out after $::timeout s: killed"
    catch {exec kill -9 {*}[pid $ch]}
    kill_file_servers [dict get $info pidfile]
    dict set running $ch result "FILE-RESULT 0 1"
    finish_file $ch
}

proc file_output {ch} {
    global running
    if {![dict exists $running $ch]} return
    while {[gets $ch line] >= 0} {
        if {[string match "FILE-RESULT *" $line]} {
            dict set running $ch result $line
        } else {
            puts $line
        }
    }
    if {[eof $ch]} { finish_file $ch }
}

proc finish_file {ch} {
    global running total_passed total_failed
    set info [dict get $running $ch]
    after cancel [dict get $info timer]
    fconfigure $ch -blocking 1
    catch {close $ch}
    kill_file_servers [dict get $info pidfile]
    set res [dict get $info result]
    if {$res eq ""} {
        puts "\[err\] [dict get $info file] ended without a result (crashed)"
        incr total_failed
    } else {
        incr total_passed [lindex $res 1]
        incr total_failed [lindex $res 2]
    }
    set secs [expr {([clock milliseconds] - [dict get $info start]) / 1000.0}]
    puts "--- [dict get $info file] done in ${secs}s"
    dict unset running $ch
    incr ::done
}

set pending $queue
while {[llength $pending] || [dict size $running]} {
    while {[llength $pending] && [dict size $running] < $workers} {
        launch [lindex $pending 0]
        set pending [lrange $pending 1 end]
    }
    vwait ::done
}

puts "Suite finished in [expr {[clock seconds] - $start}] s"
puts "$total_passed passed, $total_failed failed"
exit [expr {$total_failed > 0 ? 1 : 0}]

# Test primitives: `test name body ?expected?`, assertions, and
# wait_for_condition for anything eventually true. Each test prints one
# "[ok] name (Nms)" or "[err] name" line; the runner counts them.

set ::passed 0
set ::failed 0
set ::current_file ""
set ::tags_stack {}
set ::skip_tags {}

proc fail {msg} {
    error "assertion: $msg"
}

proc assert_equal {expected value {detail ""}} {
    if {$expected ne $value} {
        fail "Expected '$value' to equal '$expected' $detail"
    }
}

proc assert_match {pattern value} {
    if {![string match $pattern $value]} {
        fail "Expected '$value' to match '$pattern'"
    }
}

proc assert {cond {msg ""}} {
    if {![uplevel 1 [list expr $cond]]} {
        fail "Expected \[$cond\] to be true $msg"
    }
}

proc assert_range {value min max} {
    if {!($value >= $min && $value <= $max)} {
        fail "Expected '$value' to be between $min and $max"
    }
}

# assert_error pattern body: body must raise an error matching pattern.
proc assert_error {pattern code} {
    if {[catch {uplevel 1 $code} err]} {
        if {![string match $pattern $err]} {
            fail "Expected error matching '$pattern' but got '$err'"
        }
    } else {
        fail "Expected an error matching '$pattern' but got '$err'"
    }
}

# wait_for_condition maxtries delay_ms cond else elsebody
proc wait_for_condition {maxtries delay cond elsekw elsebody} {
    for {set i 0} {$i < $maxtries} {incr i} {
        if {[uplevel 1 [list expr $cond]]} return
        after $delay
    }
    uplevel 1 $elsebody
}

proc tags {tags code} {
    lappend ::tags_stack {*}$tags
    set rc [catch {uplevel 1 $code} err opts]
    set ::tags_stack [lrange $::tags_stack 0 end-[llength $tags]]
    if {$rc} { return -options $opts $err }
}

proc tags_skipped {} {
    foreach t $::tags_stack {
        if {[lsearch -exact $::skip_tags $t] >= 0} { return 1 }
    }
    return 0
}

proc test {name code {expected __none__}} {
    if {[tags_skipped]} return
    set start [clock milliseconds]
    set rc [catch {uplevel 1 $code} result opts]
    set ms [expr {[clock milliseconds] - $start}]
    if {$rc == 1} {
        incr ::failed
        puts "\[err\] $name in $::current_file"
        puts "      $result"
        if {![string match "assertion:*" $result]} {
            puts "      [string range [dict get $opts -errorinfo] 0 600]"
        }
    } elseif {$expected ne "__none__" && $result ne $expected} {
        incr ::failed
        puts "\[err\] $name in $::current_file"
        puts "      Expected '$expected', got '$result'"
    } else {
        incr ::passed
        puts "\[ok\] $name ($ms ms)"
    }
    flush stdout
}

proc randstring {len} {
    set s ""
    for {set i 0} {$i < $len} {incr i} {
        append s [format %c [expr {97 + int(rand() * 26)}]]
    }
    return $s
}

# A loopback port nobody listens on (tried, not guessed), below Linux's
# ephemeral range (32768 up): a node restarted on its port must not find
# it taken as the source port of some outgoing connection meanwhile.
proc find_free_port {} {
    for {set i 0} {$i < 200} {incr i} {
        set port [expr {20000 + int(rand() * 12000)}]
        if {[catch {set s [socket -server {apply {{args} {}}} -myaddr 127.0.0.1 $port]}]} continue
        close $s
        if {[catch {set s2 [socket -server {apply {{args} {}}} -myaddr 127.0.0.1 [expr {$port + 1}]]}]} continue
        close $s2
        return $port
    }
    error "no free port found"
}

# Alive and not a zombie (exec'd children are reaped lazily by Tcl).
proc process_alive {pid} {
    if {[catch {set f [open /proc/$pid/stat r]}]} { return 0 }
    set stat [read $f]
    close $f
    set state [lindex [split [string range $stat [expr {[string last ")" $stat] + 2}] end]] 0]
    return [expr {$state ne "Z" && $state ne "X"}]
}

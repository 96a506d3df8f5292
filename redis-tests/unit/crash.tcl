# Crash recovery (issue 5): kill -9 at random points under write load, 20
# times in a row for each fsync mode. The node must restart every time
# (Berkeley DB recovery) and every acknowledged write must be there. A
# process crash loses nothing in any mode (commits reach the OS before a
# reply leaves); only an OS crash or power loss could cost `everysec` its
# last second and `no` what the OS had not written.

proc read_acked {file} {
    if {![file exists $file]} { return {} }
    set f [open $file r]
    set l [split [string trim [read $f]] \n]
    close $f
    return $l
}

foreach mode {always everysec no} {
    start_server [list tags {"crash" "dkv-only"} overrides [list fsync $mode]] {
        test "fsync $mode: 20 kill -9 under write load, every restart clean, no acknowledged write lost" {
            set lost 0
            set acked_total 0
            for {set round 0} {$round < 20} {incr round} {
                set log [file join [srv dir] acked-$round.txt]
                set wpid [exec /usr/bin/python3 [file join $::repo redis-tests helpers acked_writer.py] \
                              [srv port] $log &]
                wait_for_condition 200 10 {[llength [read_acked $log]] > 10} else {
                    fail "the writer made no progress in round $round"
                }
                after [expr {int(rand() * 150)}]
                restart_server 1
                wait_for_condition 100 20 {![process_alive $wpid]} else {
                    catch {exec kill -9 $wpid}
                }
                set acked [read_acked $log]
                incr acked_total [llength $acked]
                if {[llength $acked]} {
                    set keys {}
                    foreach i $acked { lappend keys ack:$i }
                    set values [r mget {*}$keys]
                    foreach i $acked v $values {
                        if {$v ne "value-$i"} { incr lost }
                    }
                }
                r flushall
            }
            assert_equal 0 $lost "($lost of $acked_total acknowledged writes lost)"
            assert {$acked_total > 200}
            assert {![string match "*recovery failed*" [server_log]]}
        }
    }
}

# Hostile requests (issue 9, item 4): each is a single request that used to
# crash, hang or stall a node. Each test fails on the code before its fix;
# the worst cases measured here are in README "Limits".

start_server {tags {"hostile"}} {
    test {SETRANGE past proto-max-bulk-len is refused, not allocated} {
        set e1 [catch {r setrange k 9223372036854775807 A} m1]
        set e2 [catch {r setrange k 536870912 A} m2]
        set e3 [catch {r setrange k -1 A} m3]
        r set k abc
        set e4 [catch {r setrange k 9223372036854775806 AB} m4]
        list $e1 $m1 $e2 $m2 $e3 $m3 $e4 $m4 [r ping] [r get k]
    } {1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} 1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} 1 {ERR offset is out of range} 1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} PONG abc}

    test {SETRANGE and APPEND to exactly a lowered proto-max-bulk-len} {
        r config set proto-max-bulk-len 1mb
        r del k
        set a [r setrange k 1048575 x]
        set e [catch {r append k y} m]
        set b [r strlen k]
        set e2 [catch {r setrange k 1048575 xy} m2]
        r config set proto-max-bulk-len 512mb
        r del k
        list $a $e $m $b $e2 $m2
    } {1048576 1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} 1048576 1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)}}
}

start_server {tags {"hostile"}} {
    # Backtracking took 30 s for 8 stars against this key and never ended
    # for 100; the other client's PING is sent while the KEYS is running
    # (or queued), and both must answer within the bound.
    test {Glob patterns with many stars match in polynomial time} {
        r set [string repeat a 4096] 1
        set fd [new_client]
        set fd2 [new_client]
        set t0 [clock milliseconds]
        resp_send $fd keys [string repeat a* 100]b
        resp_send $fd2 ping
        fconfigure $fd2 -blocking 0
        set pong ""
        wait_for_condition 200 10 {[gets $fd2 pong] > 0} else {
            fail "PING on another client not answered in 2 s"
        }
        set keys [resp_read $fd]
        set scan [resp_call $fd scan 0 match [string repeat a* 8]b count 100]
        set ms [expr {[clock milliseconds] - $t0}]
        resp_close $fd
        resp_close $fd2
        list [string trimright $pong \r] $keys [lindex $scan 1] [expr {$ms < 1000}]
    } {+PONG {} {} 1}
}

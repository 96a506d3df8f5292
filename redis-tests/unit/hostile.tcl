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

# Before AUTH a client is held to Redis 7's small limits (10 arguments,
# 16 KB bulks): it could send a 400 MB bulk before.
start_server {tags {"hostile"} overrides {requirepass s3cret}} {
    proc unauth_try {bytes} {
        set fd [new_client]
        set err ""
        catch {resp_send_raw $fd $bytes; resp_read $fd} err
        # Closed after the error: the next read sees EOF.
        set closed [catch {resp_read $fd}]
        resp_close $fd
        list $err $closed
    }
    test {Unauthenticated multibulk count over 10 is refused and closed} {
        unauth_try "*11\r\n"
    } {{ERR Protocol error: unauthenticated multibulk length} 1}

    test {Unauthenticated bulk over 16384 bytes is refused at its header} {
        unauth_try "*2\r\n\$4\r\nAUTH\r\n\$400000000\r\n"
    } {{ERR Protocol error: unauthenticated bulk length} 1}

    test {Within the limits before AUTH, and past them after it} {
        set fd [new_client]
        set e [catch {resp_call $fd echo [string repeat x 16384]} m]
        resp_call $fd auth s3cret
        set big [string length [resp_call $fd echo [string repeat x 100000]]]
        set many [resp_call $fd del a b c d e f g h i j k l]
        resp_close $fd
        list $e [string range $m 0 5] $big $many
    } {1 NOAUTH 100000 0}
}

# CONFIG SET of a limit holds connections that are already open.
start_server {tags {"hostile"}} {
    test {Lowered proto-max-bulk-len applies to an open connection} {
        set fd [new_client]
        resp_call $fd ping
        r config set proto-max-bulk-len 1mb
        set err ""
        catch {resp_send_raw $fd "*2\r\n\$4\r\nECHO\r\n\$2000000\r\n"; resp_read $fd} err
        resp_close $fd
        r config set proto-max-bulk-len 512mb
        set err
    } {ERR Protocol error: invalid bulk length}

    test {Lowered timeout closes an open idle connection} {
        set fd [new_client]
        resp_call $fd ping
        r config set timeout 1
        # The idle check runs on the server's cron; give it 4 s at most.
        # r's PINGs keep it from going idle; fd sees EOF once closed.
        fconfigure $fd -blocking 0
        wait_for_condition 80 50 {[r ping] eq "PONG" && [read $fd] eq "" && [eof $fd]} else {
            fail "idle connection still open"
        }
        r config set timeout 0
        resp_close $fd
        r ping
    } {PONG}

    test {Lowered maxclients refuses the next connection, keeps the open ones} {
        set fd [new_client]
        resp_call $fd ping
        r config set maxclients 2
        set extra [new_client]
        set err ""
        catch {resp_call $extra ping} err
        resp_close $extra
        set ok [resp_call $fd ping]
        resp_close $fd
        r config set maxclients 10000
        list $err $ok
    } {{ERR max number of clients reached} PONG}
}

# AUTH compares bytes: "s3cret\0x" is not "s3cret" (strcmp stopped at the
# NUL and let it in).
start_server {tags {"hostile"} overrides {requirepass s3cret}} {
    test {AUTH compares the password as bytes, NUL included} {
        set fd [new_client]
        set e1 [catch {resp_call $fd auth "s3cret\0x"} m1]
        set e2 [catch {resp_call $fd auth default "s3cret\0"} m2]
        set e3 [catch {resp_call $fd auth "default\0" s3cret} m3]
        set e4 [catch {resp_call $fd get k} m4]
        set ok [resp_call $fd auth s3cret]
        resp_close $fd
        list $e1 $m1 $e2 $e3 $e4 [string range $m4 0 5] $ok
    } {1 {WRONGPASS invalid username-password pair or user is disabled.} 1 1 1 NOAUTH OK}
}

# debug-clock-offset moves the node's clock (last-writer-wins picks by it):
# fault injection, so only with enable-debug-command.
start_server {tags {"hostile" "dkv-only"} overrides {enable-debug-command no}} {
    test {CONFIG SET debug-clock-offset is refused without enable-debug-command} {
        catch {r config set debug-clock-offset 60000} e
        list $e [r config get debug-clock-offset]
    } {{ERR CONFIG SET failed (possibly related to argument 'debug-clock-offset') - debug-clock-offset is dkv's clock-skew fault injection, allowed only with enable-debug-command yes} {debug-clock-offset 0}}

    test {debug-clock-offset on the command line needs enable-debug-command} {
        set rc [catch {exec [server_binary] --port 0 --enable-debug-command no \
                           --debug-clock-offset 5000 2>@1} out]
        list $rc [string match "*debug-clock-offset is dkv's clock-skew fault injection*" $out]
    } {1 1}
}

start_server {tags {"hostile" "dkv-only"}} {
    test {With enable-debug-command, debug-clock-offset can be set} {
        r config set debug-clock-offset 1000
        set v [r config get debug-clock-offset]
        r config set debug-clock-offset 0
        set v
    } {debug-clock-offset 1000}
}

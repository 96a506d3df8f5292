# The server's own surface as tools see it: INFO sections (several at once,
# all/everything/default), commandstats, errorstats, MONITOR, CLIENT
# KILL/PAUSE/REPLY/NO-EVICT, RESET, COMMAND GETKEYS, OBJECT/MEMORY, the
# scripting commands a Redis with nothing loaded answers, redis-cli's
# --memkeys/--hotkeys/monitor and redis_exporter. SLOWLOG and LATENCY have
# their own files (unit/slowlog, unit/latency).

proc info_sections {args} {
    set out {}
    foreach line [split [r info {*}$args] \n] {
        if {[regexp {^# (\S+)} $line -> name]} { lappend out [string tolower $name] }
    }
    return $out
}

proc info_field {section field} {
    foreach line [split [r info $section] \n] {
        set line [string trimright $line "\r"]
        if {[string match "$field:*" $line]} { return [string range $line [string length "$field:"] end] }
    }
    return ""
}

start_server {tags {"introspection"}} {
    test {INFO takes several sections in one call} {
        info_sections server clients
    } {server clients}

    test {INFO default leaves out commandstats and latencystats; all and everything have them} {
        set d [info_sections]
        set a [info_sections all]
        set e [info_sections everything]
        list [expr {"commandstats" in $d}] [expr {"latencystats" in $d}] \
             [expr {"errorstats" in $d}] [expr {"commandstats" in $a}] \
             [expr {"latencystats" in $a}] [expr {"commandstats" in $e}] \
             [expr {[info_sections default] eq $d}]
    } {0 0 1 1 1 1 1}

    test {INFO commandstats: calls, usec, rejected and failed calls} {
        r config resetstat
        r set k v
        r get k
        r get k
        catch {r get}
        catch {r incr k}
        set get [info_field commandstats cmdstat_get]
        set incr [info_field commandstats cmdstat_incr]
        list [regexp {^calls=2,usec=\d+,usec_per_call=[0-9.]+,rejected_calls=1,failed_calls=0$} $get] \
             [regexp {^calls=1,usec=\d+,usec_per_call=[0-9.]+,rejected_calls=0,failed_calls=1$} $incr]
    } {1 1}

    test {INFO commandstats counts subcommands as Redis 7 does (config|get, client|help)} {
        r config resetstat
        r config get port
        r client id
        catch {r client nosuchsub}
        catch {r client kill}
        r client help
        set out {}
        foreach line [split [r info commandstats] \n] {
            if {[regexp {^cmdstat_([^:]+):calls=(\d+),.*rejected_calls=(\d+)} $line -> n calls rej]} {
                lappend out [list $n $calls $rej]
            }
        }
        lsort $out
    } {{client|help 1 0} {client|id 1 0} {client|kill 0 1} {config|get 1 0} {config|resetstat 1 0}}


    test {INFO errorstats counts every error reply by its first word} {
        r config resetstat
        catch {r nosuchcommand}
        catch {r get}
        catch {r incr k}
        list [info_field errorstats errorstat_ERR] [info_field stats total_error_replies]
    } {count=3 3}

}

start_server {tags {"introspection command"}} {
    test {COMMAND GETKEYS} {
        set out [list [r command getkeys mset a b c d] [r command getkeys object encoding k] \
                     [r command getkeys memory usage k samples 5] [r command getkeys touch a b]]
        foreach cmd {{ping x} {nosuch x} {get a b} {object help}} {
            catch {r command getkeys {*}$cmd} e
            lappend out $e
        }
        set out
    } {{a c} k k {a b} {ERR The command has no key arguments} {ERR Invalid command specified} {ERR Invalid number of arguments specified for command} {ERR The command has no key arguments}}

    test {COMMAND INFO and COMMAND DOCS know the new commands} {
        set out {}
        foreach name {monitor reset slowlog latency function script eval fcall object memory touch expiretime pexpiretime} {
            set info [lindex [r command info $name] 0]
            lappend out [expr {[lindex $info 0] eq $name}] [expr {[llength [r command docs $name]] == 2}]
        }
        lsort -unique $out
    } {1}
}

start_server {tags {"introspection monitor"}} {
    test {MONITOR streams other clients' commands as Redis formats them} {
        set m [new_client]
        assert_equal OK [resp_call $m monitor]
        r set "a b" "x\"y\n"
        catch {r auth secret}
        r config get port
        catch {r get}
        r incr cnt
        set lines {}
        for {set i 0} {$i < 3} {incr i} { lappend lines [resp_read $m] }
        resp_close $m
        set ok 1
        foreach l $lines { if {![regexp {^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] } $l]} { set ok 0 } }
        list $ok [lmap l $lines { regsub {^\S+ \[[^]]*\] } $l "" }]
    } {1 {{"set" "a b" "x\"y\n"} {"auth" "(redacted)"} {"incr" "cnt"}}}

    test {A MONITOR client may not read or write keys} {
        set m [new_client]
        resp_call $m monitor
        catch {resp_call $m get x} e
        resp_close $m
        set e
    } {ERR Replica can't interact with the keyspace}

    test {redis-cli monitor} {
        set f [open "|redis-cli -p [srv port] monitor" r]
        fconfigure $f -blocking 0
        set got ""
        wait_for_condition 50 100 {
            [catch {r set cli:mon 1}] == 0 &&
            [string match "*\"set\" \"cli:mon\" \"1\"*" [append got [read $f]]]
        } else {
            catch {exec kill [pid $f]}
            catch {close $f}
            fail "redis-cli monitor showed nothing: $got"
        }
        catch {exec kill [pid $f]}
        catch {close $f}
        set ok 1
    } {1}
}

start_server {tags {"introspection client"}} {
    test {CLIENT KILL old form and filters} {
        set c1 [new_client]
        resp_call $c1 client setname victim
        set id [resp_call $c1 client id]
        set addr ""
        foreach line [split [r client list] \n] {
            if {[string match "*name=victim *" $line]} { regexp {addr=(\S+)} $line -> addr }
        }
        set a [r client kill $addr]
        set b [catch {r client kill $addr} e]
        set c2 [new_client]
        set id2 [resp_call $c2 client id]
        set n [r client kill id $id2]
        set n0 [r client kill id $id2]
        resp_close $c1
        resp_close $c2
        list $a $b $e $n $n0 [r client kill addr 1.2.3.4:5 skipme yes] \
             [catch {r client kill type foo} e2] $e2 [catch {r client kill id 0} e3] $e3
    } {OK 1 {ERR No such client} 1 0 0 1 {ERR Unknown client type 'foo'} 1 {ERR client-id should be greater than 0}}

    test {CLIENT PAUSE holds another client's writes without blocking reads} {
        set w [new_client]
        r client pause 300 write
        set t0 [clock milliseconds]
        assert_equal PONG [r ping]
        resp_send $w set paused:k v
        set read_ok [expr {[r get paused:k] eq ""}]
        assert_equal OK [resp_read $w]
        set waited [expr {[clock milliseconds] - $t0}]
        resp_close $w
        list $read_ok [expr {$waited >= 250}] [r get paused:k]
    } {1 1 v}

    test {CLIENT UNPAUSE resumes held clients at once} {
        set w [new_client]
        r client pause 20000 write
        resp_send $w set paused:k2 v
        set t0 [clock milliseconds]
        set u [new_client]
        resp_call $u client unpause
        assert_equal OK [resp_read $w]
        resp_close $w
        resp_close $u
        expr {[clock milliseconds] - $t0 < 5000}
    } {1}

    test {CLIENT PAUSE errors} {
        list [catch {r client pause abc} e1] $e1 [catch {r client pause 10 foo} e2] $e2
    } {1 {ERR timeout is not an integer or out of range} 1 {ERR CLIENT PAUSE mode must be WRITE or ALL}}

    test {CLIENT REPLY OFF / SKIP / ON} {
        set c [new_client]
        resp_send $c client reply off
        resp_send $c set r:1 a
        resp_send $c client reply skip
        resp_send $c client reply on
        set a [resp_read $c]
        resp_send $c client reply skip
        resp_send $c set r:2 b
        resp_send $c get r:2
        set b [resp_read $c]
        resp_close $c
        list $a $b [r get r:1]
    } {OK b a}

    test {CLIENT LIST TYPE and ID filters} {
        set id [r client id]
        set mine [regexp -all {id=} [r client list id $id 99999]]
        set normal [expr {[regexp -all {id=} [r client list type normal]] >= 1}]
        set out [list $mine $normal [r client list type pubsub] [r client list id 99999]]
        foreach args {{type foo} {id abc} {foo} {type} {type normal id 1}} {
            catch {r client list {*}$args} e
            lappend out $e
        }
        set out
    } {1 1 {} {} {ERR Unknown client type 'foo'} {ERR Invalid client ID} {ERR syntax error} {ERR syntax error} {ERR syntax error}}

    test {CLIENT NO-EVICT on|off} {
        list [r client no-evict on] [r client no-evict off] [catch {r client no-evict maybe} e] $e
    } {OK OK 1 {ERR syntax error}}

    test {CLIENT SETINFO is unknown as in Redis 7.0} {
        catch {r client setinfo lib-name x} e
        set e
    } {ERR unknown subcommand 'setinfo'. Try CLIENT HELP.}

    test {RESET: name, protocol back to a fresh connection's} {
        set c [new_client]
        resp_call $c client setname named
        resp_call $c hello 3
        set a [resp_call $c reset]
        set b [resp_call $c client getname]
        resp_send $c hello
        set h [resp_read $c]
        resp_close $c
        list $a $b [dict get $h proto]
    } {RESET {} 2}
}

start_server {tags {"introspection requirepass"} overrides {requirepass secret}} {
    test {RESET drops authentication when requirepass is set} {
        set c [new_client]
        resp_call $c auth secret
        resp_call $c reset
        set e ""
        catch {resp_call $c get k} e
        resp_close $c
        set e
    } {NOAUTH Authentication required.}
}

start_server {tags {"introspection scripting"}} {
    test {FUNCTION and SCRIPT answer as a Redis with nothing loaded} {
        list [r function list] [r function flush] [r script exists a b] \
             [r script flush] [string length [r function dump]] \
             [catch {r function kill} e] $e
    } {{} OK {0 0} OK 10 1 {NOTBUSY No scripts in execution right now.}}

    test {FUNCTION STATS with no engine running} {
        set s [r function stats]
        list [dict get $s running_script] [dict get [dict get [dict get $s engines] LUA] libraries_count]
    } {{} 0}

    tags {dkv-only} {
        test {EVAL, FCALL and SCRIPT LOAD are refused naming dkv} {
            set out {}
            foreach cmd {{eval "return 1" 0} {evalsha abc 0} {eval_ro x 0} {evalsha_ro x 0}
                         {fcall f 0} {fcall_ro f 0} {script load x} {function load x}} {
                catch {r {*}$cmd} e
                lappend out [string match "ERR dkv does not run scripts*" $e]
            }
            set out
        } {1 1 1 1 1 1 1 1}
    }
}

start_server {tags {"introspection keys"}} {
    test {OBJECT ENCODING: int, embstr, raw as Redis chooses them; nil when missing} {
        r set i 123
        r set s abc
        r set r [string repeat x 50]
        r set big 123456789012345678901
        r set z 0123
        r incr cnt
        lmap k {i s r big z cnt nosuch} { r object encoding $k }
    } {int embstr raw embstr embstr int {}}

    test {OBJECT FREQ is refused without an LFU policy, as Redis does; errors} {
        r set s abc
        list [catch {r object freq s} e] $e [r object freq nosuch] \
             [catch {r object encoding} e2] $e2 [catch {r object foo} e3] $e3
    } {1 {ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.} {} 1 {ERR wrong number of arguments for 'object|encoding' command} 1 {ERR unknown subcommand 'foo'. Try OBJECT HELP.}}

    test {MEMORY USAGE: a positive estimate that grows with the value; nil when missing; SAMPLES} {
        r set small a
        r set large [string repeat x 10000]
        set a [r memory usage small]
        set b [r memory usage large samples 5]
        list [expr {$a > 0}] [expr {$b > 10000 && $b < 11000}] [r memory usage nosuch] \
             [catch {r memory usage small samples x} e] $e [catch {r memory usage small foo} e2] $e2
    } {1 1 {} 1 {ERR value is not an integer or out of range} 1 {ERR syntax error}}

    test {TOUCH counts existing keys; EXPIRETIME and PEXPIRETIME} {
        r del e i
        r set i 1
        set at [expr {[clock milliseconds] + 100000}]
        r set e v pxat $at
        list [r touch i e nosuch] [expr {[r expiretime e] == ($at + 500) / 1000}] \
             [expr {[r pexpiretime e] == $at}] [r expiretime i] [r pexpiretime nosuch]
    } {2 1 1 -1 -2}

    test {redis-cli --memkeys sizes every key; --hotkeys refuses as Redis does} {
        r set mk [string repeat y 1000]
        set mem [exec redis-cli -p [srv port] --memkeys 2>@1]
        set rc [catch {exec redis-cli -p [srv port] --hotkeys} hot]
        list [regexp {Biggest string found '[^']+' has \d+ bytes} $mem] $rc \
             [string match "*An LFU maxmemory policy is not selected*" $hot]
    } {1 1 1}

    tags {dkv-only} {
        test {OBJECT REFCOUNT is 1 (values are not shared); IDLETIME is refused naming dkv} {
            r set s abc
            list [r object refcount s] [catch {r object idletime s} e] $e
        } {1 1 {ERR dkv does not track key access times (OBJECT IDLETIME)}}
    }
}

tags {cluster dkv-only} {
start_cluster 3 {replicas 2 read-quorum 1 write-quorum 2 cluster-secret s3cret} {
    test {Keyed introspection through every node, replica or not, sees the merged value} {
        rn 0 set ck 12345
        rn 0 set cs [string repeat z 60]
        rn 0 pexpire cs 100000
        set out {}
        for {set i 0} {$i < 3} {incr i} {
            lappend out [list [rn $i object encoding ck] [rn $i object encoding cs] \
                             [expr {[rn $i memory usage cs] > 60}] [rn $i touch ck cs nosuch] \
                             [expr {[rn $i pexpiretime cs] > 0}]]
        }
        lsort -unique $out
    } {{int raw 1 2 1}}

    test {A coordinated command is counted and timed where it was coordinated} {
        rn 1 config resetstat
        rn 1 config set slowlog-log-slower-than 0
        rn 1 slowlog reset
        rn 1 get ck
        set stat [lindex [regexp -inline {cmdstat_get:calls=(\d+)} [rn 1 info commandstats]] 1]
        set logged [lsearch -all -inline [lmap e [rn 1 slowlog get -1] {lindex $e 3}] {get ck}]
        rn 1 config set slowlog-log-slower-than 10000
        list $stat $logged [regexp {latency_percentiles_usec_get:p50=} [rn 1 info latencystats]]
    } {1 {{get ck}} 1}

    test {A coordinated command's error counts once in errorstats and failed_calls, on every node} {
        # Some nodes are replicas of cw and run INCR themselves, others
        # forward it: both count the error where the client sees it.
        rn 0 set cw notanumber
        set out {}
        for {set i 0} {$i < 3} {incr i} {
            rn $i config resetstat
            catch {rn $i incr cw} e
            lappend out [list $e [regexp {errorstat_ERR:count=1\r} [rn $i info errorstats]] \
                             [regexp {cmdstat_incr:calls=1,[^\r]*failed_calls=1} [rn $i info commandstats]]]
        }
        lsort -unique $out
    } {{{ERR value is not an integer or out of range} 1 1}}
}
}

tags {dkv-only} {
start_server {} {
    test {Every command COMMAND lists has COMMAND DOCS, subcommands included} {
        set missing {}
        set docs [r command docs]
        foreach info [r command] {
            if {![dict exists $docs [lindex $info 0]]} { lappend missing [lindex $info 0] }
        }
        foreach {name sub} {client kill client pause client unpause client reply client no-evict
                            slowlog get latency histogram function list script exists object encoding memory usage command getkeys} {
            if {![dict exists [dict get [dict get $docs $name] subcommands] "$name|$sub"]} { lappend missing "$name|$sub" }
        }
        set missing
    } {}
}
}

tags {dkv-only exporter} {
start_server {} {
    test {redis_exporter scrapes per-command counts and durations, no scrape error} {
        package require http
        r set ex:k v
        r get ex:k
        r get ex:k
        set port [find_free_port]
        set pid [exec prometheus-redis-exporter -redis.addr redis://127.0.0.1:[srv port] \
                     -web.listen-address 127.0.0.1:$port >/dev/null 2>@1 &]
        set body ""
        wait_for_condition 100 100 {
            [catch {
                set tok [http::geturl http://127.0.0.1:$port/metrics -timeout 2000]
                set body [http::data $tok]
                http::cleanup $tok
            }] == 0 && [string match "*redis_up 1*" $body]
        } else {
            catch {exec kill $pid}
            fail "no metrics from redis_exporter: [string range $body 0 300]"
        }
        exec kill $pid
        list [regexp {redis_commands_total\{cmd="get"\} ([0-9]+)} $body -> n] [expr {$n >= 2}] \
             [regexp {redis_commands_duration_seconds_total\{cmd="get"\} [0-9.e+-]+} $body] \
             [regexp {redis_exporter_last_scrape_error\{err=""\} 0} $body] \
             [regexp {redis_errors_total} $body]
    } {1 1 1 1 0}
}
}

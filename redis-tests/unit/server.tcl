# Server and connection commands: PING ECHO TIME, INFO sections, CONFIG
# GET/SET/RESETSTAT/REWRITE, CLIENT, COMMAND (what redis-cli asks on
# start), AUTH with requirepass, SHUTDOWN.

start_server {tags {"server"}} {
    test {PING and ECHO} {
        list [r ping] [r ping hello] [r echo "a b"]
    } {PONG hello {a b}}

    test {PING with too many arguments} {
        assert_error "ERR wrong number of arguments for 'ping' command" {r ping a b}
    }

    test {TIME} {
        lassign [r time] s us
        list [expr {abs($s - [clock seconds]) <= 2}] [expr {$us >= 0 && $us < 1000000}]
    } {1 1}

    test {INFO has the Redis sections} {
        set info [r info]
        foreach section {Server Clients Memory Persistence Stats Replication Keyspace} {
            assert_match "*# $section*" $info
        }
        foreach field {redis_version tcp_port uptime_in_seconds connected_clients
                       used_memory total_commands_processed keyspace_hits} {
            assert_match "*$field:*" $info
        }
    }

    test {INFO of one section} {
        set info [r info clients]
        list [string match "*# Clients*" $info] [string match "*# Server*" $info]
    } {1 0}

    test {INFO commandstats counts calls} {
        r config resetstat
        r set a 1
        r set a 2
        regexp {cmdstat_set:calls=(\d+)} [r info commandstats] -> n
        set n
    } {2}

    test {INFO stats hits and misses} {
        r config resetstat
        r set k v
        r get k
        r get nosuch
        set info [r info stats]
        regexp {keyspace_hits:(\d+)} $info -> h
        regexp {keyspace_misses:(\d+)} $info -> m
        list $h $m
    } {1 1}

    test {CONFIG GET with a glob} {
        set v [r config get max*]
        expr {[dict exists $v maxclients]}
    } {1}

    test {CONFIG SET and GET round trip} {
        r config set maxclients 500
        set v [dict get [r config get maxclients] maxclients]
        r config set maxclients 10000
        set v
    } {500}

    test {CONFIG SET errors} {
        assert_error "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'" {r config set nosuch 1}
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxclients')*" {r config set maxclients abc}
    }

    test {CONFIG with a bad subcommand} {
        assert_error "ERR unknown subcommand*" {r config foo}
    }

    test {CLIENT SETNAME / GETNAME / ID / INFO / LIST} {
        set fd [new_client]
        assert_equal {} [resp_call $fd client getname]
        resp_call $fd client setname myconn
        set name [resp_call $fd client getname]
        set id [resp_call $fd client id]
        set info [resp_call $fd client info]
        set list [r client list]
        resp_close $fd
        list $name [string is integer $id] [string match "*name=myconn*" $info] \
             [string match "*id=$id *name=myconn*" $list]
    } {myconn 1 1 1}

    test {CLIENT SETNAME refuses spaces} {
        assert_error "ERR Client names cannot contain spaces*" {r client setname "a b"}
    }

    test {COMMAND COUNT, INFO and DOCS} {
        set n [r command count]
        set info [r command info get set nosuchcmd]
        set docs [r command docs get]
        list [expr {$n > 40}] [lindex $info 0 0] [lindex $info 0 1] \
             [lindex $info 1 1] [lindex $info 2] [dict exists [dict get $docs get] summary]
    } {1 get 2 -3 {} 1}

    tags {dkv-only} {
        test {Every command has COMMAND DOCS (redis-cli's hints need them)} {
            set docs [r command docs]
            set missing {}
            foreach info [r command] {
                set name [lindex $info 0]
                if {![dict exists $docs $name]} { lappend missing $name }
            }
            set missing
        } {}
    }

    test {redis-cli works, including its start-up COMMAND DOCS} {
        set out [exec redis-cli -p [srv port] set clikey clival]
        set got [exec redis-cli -p [srv port] get clikey]
        list $out $got
    } {OK clival}
}

start_server {tags {"auth"} overrides {requirepass secret}} {
    test {Commands need AUTH when requirepass is set} {
        set fd [new_client]
        set err ""
        catch {resp_call $fd get foo} err
        set a [catch {resp_call $fd auth wrong} e2]
        set b [resp_call $fd auth secret]
        set c [resp_call $fd set foo bar]
        resp_close $fd
        list $err $e2 $b $c
    } {{NOAUTH Authentication required.} {WRONGPASS invalid username-password pair or user is disabled.} OK OK}

    test {AUTH default user with HELLO} {
        set fd [new_client]
        set h [resp_call $fd hello 2 auth default secret]
        set v [resp_call $fd get foo]
        resp_close $fd
        list [dict get $h proto] $v
    } {2 bar}
}

start_server {tags {"auth"}} {
    test {AUTH without a password configured} {
        assert_error "ERR AUTH <password> called without any password configured*" {r auth x}
    }
}

start_server {tags {"shutdown"}} {
    test {SHUTDOWN stops the server} {
        set pid [srv pid]
        catch {r shutdown}
        wait_for_condition 100 50 {![process_alive $pid]} else {
            fail "server still running after SHUTDOWN"
        }
    }
}

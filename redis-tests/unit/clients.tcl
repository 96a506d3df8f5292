# Real clients against a real server: python3-redis used as an application
# would, redis-cli, and redis-benchmark as a smoke test.

start_server {tags {"clients"}} {
    test {python3-redis: commands, pipelining, scan_iter, errors} {
        set out [exec /usr/bin/python3 [file join $::repo redis-tests helpers client_smoke.py] [srv port]]
        set fails [lsearch -all -inline [split $out \n] FAIL*]
        list [llength [lsearch -all [split $out \n] ok*]] $fails
    } {15 {}}

    test {redis-cli: commands and --raw output} {
        set p [srv port]
        exec redis-cli -p $p set cli:k "hello world"
        list [exec redis-cli -p $p --raw get cli:k] [exec redis-cli -p $p exists cli:k] \
             [exec redis-cli -p $p incr cli:n]
    } {{hello world} 1 1}

    test {redis-cli interactive mode shows hints from COMMAND DOCS} {
        set session "dkvcli[pid]"
        exec tmux new-session -d -s $session -x 200 -y 10 "redis-cli -p [srv port]"
        set screen ""
        wait_for_condition 50 100 {[string match "*>*" [exec tmux capture-pane -t $session -p]]} else {
            catch {exec tmux kill-session -t $session}
            fail "redis-cli prompt did not appear"
        }
        exec tmux send-keys -t $session "set foo "
        wait_for_condition 50 100 {[string match "*NX|XX*" [set screen [exec tmux capture-pane -t $session -p]]]} else {
            catch {exec tmux kill-session -t $session}
            fail "no hint shown: $screen"
        }
        exec tmux send-keys -t $session C-u "set interactive yes" Enter
        wait_for_condition 50 100 {[r get interactive] eq "yes"} else {
            catch {exec tmux kill-session -t $session}
            fail "command typed in redis-cli did not run"
        }
        exec tmux kill-session -t $session
        string match "*value \\\[NX|XX\\\] \\\[GET\\\]*" $screen
    } {1}

    test {redis-benchmark SET/GET smoke: no errors, sane throughput} {
        set out [exec redis-benchmark -p [srv port] -t set,get -n 20000 -c 20 -r 1000 -q 2>@1]
        set rates [regexp -all -inline {(SET|GET): ([0-9.]+) requests per second} $out]
        set ok [expr {[llength $rates] == 6}]
        foreach {all name rps} $rates { if {$rps < 1000} { set ok 0 } }
        list $ok [string match "*rror*" $out]
    } {1 0}
}

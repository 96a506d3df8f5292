# SLOWLOG GET/LEN/RESET/HELP with slowlog-log-slower-than and
# slowlog-max-len: what is logged, how arguments are trimmed, redaction.

start_server {tags {"slowlog"}} {
    test {SLOWLOG logs commands over slowlog-log-slower-than, newest first} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        r client setname slowpoke
        r set sk sv
        set e [lindex [r slowlog get 1] 0]
        lassign $e id ts dur args addr name
        list [llength $e] [string is integer $id] [expr {abs($ts - [clock seconds]) < 5}] \
             [string is integer $dur] $args [string match "127.0.0.1:*" $addr] $name
    } {6 1 1 1 {set sk sv} 1 slowpoke}

    test {SLOWLOG trims arguments like Redis: 32 args, 128 bytes} {
        r slowlog reset
        r set big [string repeat x 200]
        set a [lindex [lindex [r slowlog get 1] 0] 3]
        r del {*}[lrepeat 40 k]
        set b [lindex [lindex [r slowlog get 1] 0] 3]
        list [lindex $a 2] [llength $b] [lindex $b end]
    } [list "[string repeat x 128]... (72 more bytes)" 32 {... (10 more arguments)}]

    test {SLOWLOG LEN, GET count, GET -1, slowlog-max-len} {
        r slowlog reset
        r config set slowlog-max-len 3
        for {set i 0} {$i < 5} {incr i} { r set k$i v }
        set len [r slowlog len]
        set two [llength [r slowlog get 2]]
        set all [llength [r slowlog get -1]]
        r config set slowlog-max-len 128
        list $len $two $all [catch {r slowlog get -2} e] $e
    } {3 2 3 1 {ERR count should be greater than or equal to -1}}

    test {SLOWLOG off with -1; RESET empties it; AUTH arguments are redacted} {
        r slowlog reset
        catch {r auth secret}
        set redacted [lindex [lindex [r slowlog get 1] 0] 3]
        r config set slowlog-log-slower-than -1
        r slowlog reset
        r set k v
        set n [r slowlog len]
        r config set slowlog-log-slower-than 10000
        list $redacted $n
    } {{auth (redacted)} 0}

    test {SLOWLOG HELP and errors} {
        list [lindex [r slowlog help] 0] [catch {r slowlog len x} e] $e
    } {{SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:} 1 {ERR wrong number of arguments for 'slowlog|len' command}}
}


# A small RESP2/RESP3 client for the tests: `set r [resp_connect host port]`,
# then `resp_call $r set foo bar`. Errors come back as Tcl errors carrying the
# server's error text, so tests can `assert_error "ERR syntax*" {r set}`.
# Pipelining: resp_send writes without reading; resp_read reads one reply.

proc resp_connect {host port} {
    set fd [socket $host $port]
    fconfigure $fd -translation binary -buffering full -blocking 1
    return $fd
}

proc resp_close {fd} {
    catch {close $fd}
}

proc resp_encode {args} {
    set out "*[llength $args]\r\n"
    foreach a $args {
        append out "\$[string length $a]\r\n$a\r\n"
    }
    return $out
}

proc resp_send {fd args} {
    puts -nonewline $fd [resp_encode {*}$args]
    flush $fd
}

proc resp_send_raw {fd bytes} {
    puts -nonewline $fd $bytes
    flush $fd
}

proc resp_readline {fd} {
    set line [gets $fd]
    if {[eof $fd]} { error "I/O error reading reply: connection closed" }
    return [string trimright $line "\r"]
}

# Reads one reply; ::resp_last_type is its type byte. Maps: RESP3 maps become flat key/value lists; nulls
# become {} (as Redis's own test client does); errors are raised.
proc resp_read {fd} {
    set line [resp_readline $fd]
    set ::resp_last_type [string index $line 0]
    return [resp_parse $fd $line]
}

# An element of an aggregate: an error is its text (EXEC's replies hold
# the errors of the commands that failed), so the rest is still read.
proc resp_read_nested {fd} {
    set line [resp_readline $fd]
    if {[string index $line 0] eq "-"} { return [string range $line 1 end] }
    return [resp_parse $fd $line]
}

proc resp_parse {fd line} {
    set type [string index $line 0]
    set rest [string range $line 1 end]
    switch -exact -- $type {
        + { return $rest }
        - { error $rest }
        : { return $rest }
        , { return $rest }
        ( { return $rest }
        # { return [expr {$rest eq "t" ? 1 : 0}] }
        _ { return {} }
        $ - = {
            if {$rest == -1} { return {} }
            set data [read $fd [expr {$rest + 2}]]
            set data [string range $data 0 end-2]
            if {$type eq "="} { set data [string range $data 4 end] }
            return $data
        }
        * - ~ - > {
            if {$rest == -1} { return {} }
            set l {}
            for {set i 0} {$i < $rest} {incr i} { lappend l [resp_read_nested $fd] }
            return $l
        }
        % {
            set l {}
            for {set i 0} {$i < $rest} {incr i} {
                lappend l [resp_read_nested $fd] [resp_read_nested $fd]
            }
            return $l
        }
        default { error "protocol error from server: '$line'" }
    }
}

proc resp_call {fd args} {
    resp_send $fd {*}$args
    return [resp_read $fd]
}

# Start-up configuration errors: an unknown directive, a value out of
# range or a bad value stops dkv-server before it serves anything, with
# the file, line and reason, as redis-server does.

proc start_with_config {text args} {
    set dir [file join $::tmproot "cfg-[pid]-[incr ::server_seq]"]
    file mkdir $dir
    set conf [file join $dir bad.conf]
    set f [open $conf w]
    puts -nonewline $f $text
    close $f
    set rc [catch {exec [server_binary] $conf --dir [file join $dir data] {*}$args 2>@1} out]
    file delete -force $dir
    return [list $rc $out]
}

tags {"config" "dkv-only"} {
    test {An unknown directive stops start-up with its line} {
        lassign [start_with_config "port 7000\nnosuchdirective 1\n"] rc out
        list $rc [string match "*FATAL CONFIG FILE ERROR*" $out] \
             [string match "*at line 2*" $out] [string match "*nosuchdirective*" $out] \
             [string match "*Bad directive or wrong number of arguments*" $out]
    } {1 1 1 1 1}

    test {A port out of range} {
        lassign [start_with_config "port 70000\n"] rc out
        list $rc [string match "*at line 1*" $out] [string match "*between 0 and 65535*" $out]
    } {1 1 1}

    test {databases out of range} {
        lassign [start_with_config "databases 0\n"] rc1 out1
        lassign [start_with_config "port 7000\ndatabases 257\n"] rc2 out2
        list $rc1 [string match "*at line 1*" $out1] [string match "*between 1 and 256*" $out1] \
             $rc2 [string match "*at line 2*" $out2] [string match "*databases*" $out2]
    } {1 1 1 1 1 1}

    test {A bad enum value} {
        lassign [start_with_config "fsync sometimes\n"] rc out
        list $rc [string match "*fsync*" $out] [string match "*always*everysec*no*" $out]
    } {1 1 1}

    test {A bad yes/no} {
        lassign [start_with_config "hinted-handoff maybe\n"] rc out
        list $rc [string match "*yes*no*" $out]
    } {1 1}

    test {Quorums larger than the replica count} {
        lassign [start_with_config "replicas 2\nread-quorum 3\n"] rc out
        list $rc [string match "*FATAL CONFIG FILE ERROR*" $out]
    } {1 1}

    test {A bad value on the command line} {
        lassign [start_with_config "" --maxclients 0] rc out
        list $rc [string match "*maxclients*" $out]
    } {1 1}

    test {An unreadable config file} {
        set rc [catch {exec [server_binary] /nonexistent/dkv.conf 2>@1} out]
        list $rc [string match "*/nonexistent/dkv.conf*" $out]
    } {1 1}

    test {The shipped conf/dkv.conf loads} {
        set port [find_free_port]
        set dir [file join $::tmproot "cfgok-[pid]"]
        set pid [exec [server_binary] [file join $::repo conf dkv.conf] --port $port \
                     --dir $dir --logfile [file join $::tmproot cfgok-[pid].log] &]
        set ok [wait_server_ready $port $pid]
        catch {exec kill -TERM $pid}
        wait_for_condition 100 50 {![process_alive $pid]} else { catch {exec kill -9 $pid} }
        file delete -force $dir [file join $::tmproot cfgok-[pid].log]
        set ok
    } {1}
}

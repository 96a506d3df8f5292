# Bounded runs of utils/dkv-torture (issue 5): concurrent clients on a
# 5-node cluster while a nemesis kills, stops, skews the clock of and cuts
# off random nodes; then heal, converge and check that nothing
# acknowledged was lost (unique writes, context read-modify-writes,
# counters, deletes). `utils/dkv-torture --time 300` is the long form.

proc free_port_run {n} {
    for {set try 0} {$try < 50} {incr try} {
        # Below the ephemeral range: see find_free_port.
        set base [expr {20000 + int(rand() * 12000)}]
        set ok 1
        for {set i 0} {$i < $n} {incr i} {
            if {![catch {close [socket 127.0.0.1 [expr {$base + $i}]]}]} { set ok 0 }
        }
        if {$ok} { return $base }
    }
    error "no run of $n free ports"
}

tags {cluster torture dkv-only} {
    test {dkv-torture (kill, stop and skew nemeses, 12 s): nothing acknowledged is lost} {
        set base [free_port_run 5]
        set dir [file join $::tmproot "torture-[pid]"]
        set rc [catch {exec /usr/bin/python3 [file join $::repo utils dkv-torture] \
                           --time 12 --nemesis kill,stop,skew --port $base --dir $dir} out]
        if {$rc} { puts $out }
        list $rc [regexp {RESULT: PASS} $out]
    } {0 1}

    # Partitions need network namespaces with bridges and veth pairs:
    # root, iproute2, and a kernel that allows them here (tried, then
    # removed).
    set ns "dkvprobe[pid]"
    set netns_ok [expr {[exec id -u] == 0 && ![catch {
        exec ip netns add $ns
        exec ip -n $ns link add dkvprobe type bridge
        exec ip -n $ns link add dkvva type veth peer name dkvvb
    }]}]
    catch {exec ip netns del $ns}
    if {$netns_ok} {
        test {dkv-torture (partition nemesis, namespaces, 12 s): nothing acknowledged is lost} {
            set dir [file join $::tmproot "torture-net-[pid]"]
            set rc [catch {exec /usr/bin/python3 [file join $::repo utils dkv-torture] \
                               --time 12 --nemesis partition --dir $dir} out]
            if {$rc} { puts $out }
            list $rc [regexp {RESULT: PASS} $out] [regexp {split|isolate} $out]
        } {0 1 1}
    } else {
        puts "      (skipped the partition run: it needs root and network namespaces)"
    }
}

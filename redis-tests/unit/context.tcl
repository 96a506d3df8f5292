# dkv's causal contexts on one node: DKV.CONTEXT, SET ... CONTEXT and
# DKV.DEL ... CONTEXT. Two writers that start from the same context leave
# siblings (nothing is silently overwritten); a write with the context
# that names them all resolves them; a bad context is refused.

start_server {tags {"context" "dkv-only"}} {
    test {DKV.CONTEXT of a missing key: a context and no values} {
        lassign [r dkv.context nosuch] ctx values
        list [expr {[string length $ctx] > 0}] $values
    } {1 {}}

    test {DKV.CONTEXT of a key: its value} {
        r set cart apple
        lassign [r dkv.context cart] ctx values
        set values
    } {apple}

    test {Two writers from one context leave two siblings} {
        r set cart apple
        set ctx [lindex [r dkv.context cart] 0]
        r set cart apple,pear context $ctx
        r set cart apple,banana context $ctx
        lsort [lindex [r dkv.context cart] 1]
    } {apple,banana apple,pear}

    test {GET with siblings returns the newest (lww)} {
        r get cart
    } {apple,banana}

    test {A write with the context naming both resolves them} {
        set ctx [lindex [r dkv.context cart] 0]
        r set cart all context $ctx
        list [lindex [r dkv.context cart] 1] [r get cart]
    } {all all}

    test {A write without a context supersedes what the node has} {
        set ctx [lindex [r dkv.context cart] 0]
        r set cart a context $ctx
        r set cart b context $ctx
        r set cart plain
        lindex [r dkv.context cart] 1
    } {plain}

    test {A stale context never erases a value its writer did not see} {
        r del k
        set empty [lindex [r dkv.context k] 0]
        r set k first
        r set k blind context $empty
        lsort [lindex [r dkv.context k] 1]
    } {blind first}

    test {DEL wins over older writes and is itself a version} {
        r set k v1
        set ctx [lindex [r dkv.context k] 0]
        r del k
        list [r get k] [r exists k] [lindex [r dkv.context k] 1]
    } {{} 0 {}}

    test {DKV.DEL with a context deletes exactly what was seen} {
        r del k
        r set k seen
        set ctx [lindex [r dkv.context k] 0]
        r set k concurrent context [lindex [r dkv.context nosuch] 0]
        set n [r dkv.del k context $ctx]
        list $n [lindex [r dkv.context k] 1]
    } {1 concurrent}

    test {A malformed context is refused and changes nothing} {
        r set k keep
        set ctx [lindex [r dkv.context k] 0]
        set bad [string replace $ctx 5 5 [expr {[string index $ctx 5] eq "A" ? "B" : "A"}]]
        assert_error "ERR invalid context*" {r set k x context garbage}
        assert_error "ERR invalid context*" {r set k x context $bad}
        assert_error "ERR invalid context*" {r set k x context ""}
        assert_error "ERR invalid context*" {r dkv.del k context [string range $ctx 0 end-4]}
        r get k
    } {keep}

    test {Siblings survive a restart} {
        r set s base
        set ctx [lindex [r dkv.context s] 0]
        r set s one context $ctx
        r set s two context $ctx
        restart_server
        lsort [lindex [r dkv.context s] 1]
    } {one two}

    test {Concurrent increments from one context are both counted} {
        r del n
        r incrby n 10
        set ctx [lindex [r dkv.context n] 0]
        # Two clients write counters they derived from the same state.
        r set n 10 context $ctx
        r incr n
        r get n
    } {11}

    test {Siblings are bounded by max-siblings} {
        r config set max-siblings 3
        r del m
        set empty [lindex [r dkv.context nosuch] 0]
        for {set i 0} {$i < 10} {incr i} { r set m v$i context $empty }
        set n [llength [lindex [r dkv.context m] 1]]
        r config set max-siblings 16
        list [expr {$n <= 3}] [r get m]
    } {1 v9}
}

start_server {tags {"context" "dkv-only"} overrides {sibling-policy error}} {
    test {sibling-policy error makes GET refuse to pick} {
        r set k base
        set ctx [lindex [r dkv.context k] 0]
        r set k a context $ctx
        r set k b context $ctx
        assert_error "SIBLINGS*" {r get k}
    }
}

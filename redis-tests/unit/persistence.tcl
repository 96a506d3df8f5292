# Durability on Berkeley DB: data survives a clean restart and kill -9;
# with `fsync always` every acknowledged write is there after a crash, the
# node restarts cleanly each time, and TTLs and counters persist.

start_server {tags {"persistence" "dkv-only"}} {
    test {Data survives a clean restart} {
        r set a 1
        r set b 2 ex 1000
        r incrby c 5
        restart_server
        list [r get a] [r get b] [expr {[r ttl b] > 900}] [r get c] [r dbsize]
    } {1 2 1 5 3}

    test {Data survives kill -9 (fsync everysec, the process crash loses nothing)} {
        for {set i 0} {$i < 200} {incr i} { r set k9:$i $i }
        r incr c
        restart_server 1
        set missing 0
        for {set i 0} {$i < 200} {incr i} {
            if {[r get k9:$i] ne $i} { incr missing }
        }
        list $missing [r get c]
    } {0 6}

    test {Key counts are right after a restart} {
        regexp {db0:keys=(\d+),expires=(\d+)} [r info keyspace] -> keys expires
        list $keys $expires
    } {203 1}

    test {The node keeps its identity across restarts} {
        regexp {node_id:([0-9a-f]+)} [r info server] -> before
        restart_server
        regexp {node_id:([0-9a-f]+)} [r info server] -> after
        expr {$before eq $after}
    } {1}
}

start_server {tags {"persistence" "dkv-only"} overrides {fsync always}} {
    test {fsync always: kill -9 under write load loses no acknowledged write (5 rounds)} {
        lassign [crash_under_writes 5 50 300] lost acked_total
        list $lost [expr {$acked_total > 250}]
    } {0 1}

    test {INFO reports fsync always and syncs} {
        set info [r info persistence]
        regexp {store_syncs:(\d+)} $info -> syncs
        list [string match "*store_fsync:always*" $info] [expr {$syncs > 0}]
    } {1 1}
}

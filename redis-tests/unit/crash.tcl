# Crash recovery (issue 5): kill -9 at random points under write load, 20
# times in a row for each fsync mode. The node must restart every time
# (Berkeley DB recovery) and every acknowledged write must be there. A
# process crash loses nothing in any mode (commits reach the OS before a
# reply leaves); only an OS crash or power loss could cost `everysec` its
# last second and `no` what the OS had not written.

foreach mode {always everysec no} {
    start_server [list tags {"crash" "dkv-only"} overrides [list fsync $mode]] {
        test "fsync $mode: 20 kill -9 under write load, every restart clean, no acknowledged write lost" {
            lassign [crash_under_writes 20 10 150] lost acked_total
            assert_equal 0 $lost "($lost of $acked_total acknowledged writes lost)"
            assert {$acked_total > 200}
            assert {![string match "*recovery failed*" [server_log]]}
        }
    }
}

# Redis commands dkv deliberately does not offer (yet): lists, hashes,
# sets, sorted sets, HyperLogLogs, streams, geo. Each is refused with an
# error naming dkv and what it lacks (an unknown command keeps Redis's own
# text), and redis-benchmark's default list, which stops at the first
# error reply (redis-tools 7.0), reports its string tests before it.

start_server {tags {"not-offered" "dkv-only"}} {
    test {Commands of the types dkv lacks are refused naming dkv} {
        r set k v
        set e {}
        foreach cmd {{lpush k a} {LRANGE k 0 -1} {hset k f v} {sadd k m}
                     {zadd k 1 m} {pfadd k a} {xadd k * f v} {geoadd k 1 2 m}} {
            catch {r {*}$cmd} err
            lappend e $err
        }
        lappend e [r get k]
    } {{ERR dkv has no lists: 'lpush' is not supported} {ERR dkv has no lists: 'LRANGE' is not supported} {ERR dkv has no hashes yet: 'hset' is not supported} {ERR dkv has no sets yet: 'sadd' is not supported} {ERR dkv has no sorted sets yet: 'zadd' is not supported} {ERR dkv has no HyperLogLogs yet: 'pfadd' is not supported} {ERR dkv has no streams: 'xadd' is not supported} {ERR dkv has no geospatial indexes: 'geoadd' is not supported} v}

    test {An unknown command keeps Redis's text} {
        catch {r lpushy k a} err
        set err
    } {ERR unknown command 'lpushy', with args beginning with: 'k' 'a' }

    test {redis-benchmark's default list: the string tests before LPUSH report, then dkv's refusal ends it} {
        set rc [catch {exec timeout 120 redis-benchmark -p [srv port] -q -n 500 -c 10 2>@1} out]
        set out [string map {"\r" "\n"} $out]
        set reported {}
        foreach {all name} [regexp -all -inline -line {^(\S+): [0-9.]+ requests per second} $out] {
            lappend reported $name
        }
        list $rc $reported [regexp {Error from server: ERR dkv has no lists: 'LPUSH' is not supported} $out]
    } {1 {PING_INLINE PING_MBULK SET GET INCR} 1}

    test {redis-benchmark's string tests, MSET included, all report with -t} {
        set out [exec timeout 120 redis-benchmark -p [srv port] -q -n 500 -c 10 \
                     -t ping_inline,ping_mbulk,set,get,incr,mset 2>@1]
        set out [string map {"\r" "\n"} $out]
        set reported {}
        foreach {all name} [regexp -all -inline -line {^(\S+)(?: \(10 keys\))?: [0-9.]+ requests per second} $out] {
            lappend reported $name
        }
        list $reported [string match "*rror*" $out]
    } {{PING_INLINE PING_MBULK SET GET INCR MSET} 0}
}

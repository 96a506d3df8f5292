# Hostile requests (issue 9, item 4): each is a single request that used to
# crash, hang or stall a node. Each test fails on the code before its fix;
# the worst cases measured here are in README "Limits".

start_server {tags {"hostile"}} {
    test {SETRANGE past proto-max-bulk-len is refused, not allocated} {
        set e1 [catch {r setrange k 9223372036854775807 A} m1]
        set e2 [catch {r setrange k 536870912 A} m2]
        set e3 [catch {r setrange k -1 A} m3]
        r set k abc
        set e4 [catch {r setrange k 9223372036854775806 AB} m4]
        list $e1 $m1 $e2 $m2 $e3 $m3 $e4 $m4 [r ping] [r get k]
    } {1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} 1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} 1 {ERR offset is out of range} 1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} PONG abc}

    test {SETRANGE and APPEND to exactly a lowered proto-max-bulk-len} {
        r config set proto-max-bulk-len 1mb
        r del k
        set a [r setrange k 1048575 x]
        set e [catch {r append k y} m]
        set b [r strlen k]
        set e2 [catch {r setrange k 1048575 xy} m2]
        r config set proto-max-bulk-len 512mb
        r del k
        list $a $e $m $b $e2 $m2
    } {1048576 1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)} 1048576 1 {ERR string exceeds maximum allowed size (proto-max-bulk-len)}}
}

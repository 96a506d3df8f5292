# The INCR family: integer counters with Redis's overflow and parse
# errors, INCRBYFLOAT's formatting, and counters keeping their TTL.

start_server {tags {"incr"}} {
    test {INCR on a missing key starts at 1} {
        r del n
        list [r incr n] [r incr n] [r get n]
    } {1 2 2}

    test {DECR, INCRBY, DECRBY} {
        r set n 10
        list [r decr n] [r incrby n 100] [r decrby n 9] [r incrby n -1]
    } {9 109 100 99}

    test {INCR on a string holding an integer} {
        r set n 41
        r incr n
    } {42}

    test {INCR on a value that is not an integer} {
        r set s hello
        assert_error "ERR value is not an integer or out of range" {r incr s}
        r set s " 1"
        assert_error "ERR value is not an integer or out of range" {r incr s}
        r set s "1 "
        assert_error "ERR value is not an integer or out of range" {r incr s}
        r set s "01"
        assert_error "ERR value is not an integer or out of range" {r incr s}
        r set s "9223372036854775808"
        assert_error "ERR value is not an integer or out of range" {r incr s}
    }

    test {INCRBY with a non-integer increment} {
        assert_error "ERR value is not an integer or out of range" {r incrby n abc}
        assert_error "ERR value is not an integer or out of range" {r incrby n 1.5}
    }

    test {INCR overflow is refused and leaves the value} {
        r set n 9223372036854775807
        assert_error "ERR increment or decrement would overflow" {r incr n}
        r set m -9223372036854775808
        assert_error "ERR increment or decrement would overflow" {r decr m}
        list [r get n] [r get m]
    } {9223372036854775807 -9223372036854775808}

    test {DECRBY with the smallest integer} {
        r set n 0
        assert_error "ERR decrement would overflow" {r decrby n -9223372036854775808}
    }

    test {INCR keeps the TTL} {
        r set n 5 ex 100
        r incr n
        expr {[r ttl n] > 90}
    } {1}

    test {A counter can be overwritten by SET and read by GET} {
        r del n
        r incrby n 7
        r set n 100
        list [r incr n] [r get n] [r strlen n] [r append n 0] [r get n]
    } {101 101 3 4 1010}

    test {Many increments are all counted} {
        r del n
        for {set i 0} {$i < 500} {incr i} { r incr n }
        r get n
    } {500}

    test {INCRBYFLOAT} {
        r set f 10.50
        list [r incrbyfloat f 0.1] [r incrbyfloat f -5] [r incrbyfloat missingf 3] \
             [r incrbyfloat f 5.0e3]
    } {10.6 5.6 3 5005.60000000000000009}

    test {INCRBYFLOAT errors and very large results} {
        r set s hello
        assert_error "ERR value is not a valid float" {r incrbyfloat s 1}
        assert_error "ERR value is not a valid float" {r incrbyfloat f abc}
        assert_error "ERR value is not a valid float" {r incrbyfloat f " 1"}
        r set f 1e4932
        assert_error "ERR increment would produce NaN or Infinity" {r incrbyfloat f 1e4932}
        r set f 1
        string length [r incrbyfloat f 1e400]
    } {401}

    test {INCRBYFLOAT on an integer counter} {
        r del n
        r incr n
        r incrbyfloat n 1.5
    } {2.5}

    test {INCRBYFLOAT: infinity is refused as Redis refuses it; NaN and overflow are not floats} {
        r set f 1.5
        set e {}
        foreach inc {inf -inf nan 1e5000 1e-5000} {
            catch {r incrbyfloat f $inc} m
            lappend e $m
        }
        r set g inf
        catch {r incrbyfloat g 1} m
        lappend e $m [r get f]
    } {{ERR increment would produce NaN or Infinity} {ERR increment would produce NaN or Infinity} {ERR value is not a valid float} {ERR value is not a valid float} {ERR value is not a valid float} {ERR increment would produce NaN or Infinity} 1.5}

    test {INCRBYFLOAT past 1e308: a long double, whose 310-digit result parses again} {
        r set f 1e308
        set a [r incrbyfloat f 1e308]
        set b [r incrbyfloat f 1]
        list [string length $a] [string range $a 0 3] [expr {$a eq $b}]
    } {309 1999 1}
}

# Per-command latency: INFO latencystats with latency-tracking and
# latency-tracking-info-percentiles, LATENCY HISTOGRAM (Redis's buckets),
# LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR/HELP with no latency events.

proc info_field {section field} {
    foreach line [split [r info $section] \n] {
        set line [string trimright $line "\r"]
        if {[string match "$field:*" $line]} { return [string range $line [string length "$field:"] end] }
    }
    return ""
}

start_server {tags {"latency"}} {
    test {INFO latencystats: the configured percentiles per command} {
        r config resetstat
        r set k v
        set a [info_field latencystats latency_percentiles_usec_set]
        r config set latency-tracking-info-percentiles "50 99.9 100"
        set b [info_field latencystats latency_percentiles_usec_set]
        r config set latency-tracking-info-percentiles "50 99 99.9"
        list [regexp {^p50=[0-9]+\.[0-9]{3},p99=[0-9.]+,p99\.9=[0-9.]+$} $a] \
             [regexp {^p50=[0-9.]+,p99\.9=[0-9.]+,p100=[0-9.]+$} $b]
    } {1 1}

    test {latency-tracking-info-percentiles refuses what is not a percentile} {
        list [catch {r config set latency-tracking-info-percentiles "50 abc"} e1] \
             [string match "*Invalid latency-tracking-info-percentiles parameters" $e1] \
             [catch {r config set latency-tracking-info-percentiles "101"} e2] \
             [string match "*should sit between \\\[0.0,100.0\\\]" $e2]
    } {1 1 1 1}

    test {latency-tracking no stops the histograms} {
        r config resetstat
        r config set latency-tracking no
        r set k v
        set a [info_field latencystats latency_percentiles_usec_set]
        r config set latency-tracking yes
        r set k v
        list $a [expr {[info_field latencystats latency_percentiles_usec_set] ne ""}]
    } {{} 1}

    test {LATENCY HISTOGRAM: calls and cumulative buckets, unknown and idle commands left out} {
        r config resetstat
        r set k v
        r set k v
        set h [r latency histogram set nosuchcmd strlen]
        lassign $h name body
        set buckets [dict get $body histogram_usec]
        list [llength $h] $name [dict get $body calls] [lindex $buckets end]
    } {2 set 2 2}

    test {LATENCY LATEST/HISTORY/RESET with no latency events; arity errors} {
        list [r latency latest] [r latency history command] [r latency reset] \
             [catch {r latency history} e] $e
    } {{} {} 0 1 {ERR wrong number of arguments for 'latency|history' command}}

    test {LATENCY DOCTOR and HELP} {
        list [string match "*Latency monitoring is disabled*" [r latency doctor]] \
             [lindex [r latency help] 0]
    } {1 {LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}}

    test {LATENCY unknown subcommand} {
        catch {r latency foo} e
        set e
    } {ERR unknown subcommand 'foo'. Try LATENCY HELP.}
    test {LATENCY HISTOGRAM of a container lists its subcommands} {
        r config resetstat
        r config get port
        set h [r latency histogram config]
        lsort [dict keys $h]
    } {config|get config|resetstat}
}

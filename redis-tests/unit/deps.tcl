# deps/install.sh never stops or kills a process it did not start: during
# the install a policy-rc.d keeps packaged services from starting, placed
# only if there is none and removed afterwards. Run against a fake
# dpkg-query (everything "missing") and with DKV_DEPS_RUN pointing at a
# recorder instead of apt-get, so nothing is installed and the machine's
# own /usr/sbin/policy-rc.d is never touched.

tags {"deps" "dkv-only"} {
    set dir [file join $::tmproot deps-[pid]]
    file delete -force $dir
    file mkdir [file join $dir bin]
    set log [file join $dir log]
    set policy [file join $dir policy-rc.d]
    # A dpkg-query that knows no package.
    set f [open [file join $dir bin dpkg-query] w]
    puts $f "#!/bin/sh\nexit 1"
    close $f
    # The recorder: logs each command and, for apt-get install, what the
    # policy file answers at that moment (101 = services may not start).
    set f [open [file join $dir record] w]
    puts $f "#!/bin/sh
echo \"\$*\" >> $log
case \"\$*\" in *apt-get\\ install*)
    if \[ -x $policy \]; then $policy redis-server start; echo \"policy=\$?\" >> $log
    else echo policy=none >> $log; fi
    \[ -z \"\$FAIL_INSTALL\" \] || exit 1 ;;
esac"
    close $f
    file attributes [file join $dir bin dpkg-query] -permissions 0755
    file attributes [file join $dir record] -permissions 0755

    proc run_deps {pkgs {fail 0}} {
        upvar dir dir log log policy policy
        file delete $log
        set env [list env PATH=[file join $dir bin]:$::env(PATH) \
                     DKV_DEPS_PKGS=$pkgs DKV_DEPS_RUN=[file join $dir record] \
                     DKV_POLICY_RC_D=$policy]
        if {$fail} { lappend env FAIL_INSTALL=1 }
        set rc [catch {exec {*}$env sh [file join $::repo deps install.sh] 2>@1} out]
        set f [open $log r]
        set l [split [string trim [read $f]] \n]
        close $f
        return [list $rc $l]
    }

    test {deps: the install runs under a policy-rc.d that forbids starts, removed after} {
        lassign [run_deps "dkv-test-pkg redis-server"] rc l
        list $rc [lsearch -inline $l policy=*] [file exists $policy] \
            [llength [lsearch -all $l "*apt-get install*dkv-test-pkg redis-server"]] \
            [lsearch -all -inline $l "*stop*"]
    } {0 policy=101 0 1 {}}

    test {deps: a failed install still removes the policy-rc.d it placed} {
        lassign [run_deps dkv-test-pkg 1] rc l
        list $rc [lsearch -inline $l policy=*] [file exists $policy]
    } {1 policy=101 0}

    test {deps: a policy-rc.d that was already there is left as it was} {
        set f [open $policy w]
        puts $f "#!/bin/sh\nexit 0"
        close $f
        file attributes $policy -permissions 0755
        lassign [run_deps dkv-test-pkg] rc l
        set f [open $policy r]
        set content [read $f]
        close $f
        file delete $policy
        list $rc [lsearch -inline $l policy=*] $content
    } [list 0 policy=0 "#!/bin/sh\nexit 0\n"]

    test {deps: behind a policy-rc.d of the user's, only the redis-server service this run installed is stopped} {
        set f [open $policy w]
        puts $f "#!/bin/sh\nexit 0"
        close $f
        file attributes $policy -permissions 0755
        lassign [run_deps "dkv-test-pkg redis-server"] rc l
        file delete $policy
        # `service redis-server stop`, or under systemd `systemctl
        # disable --now redis-server`: that unit, nothing else.
        set stops [lsearch -all -inline -regexp $l {stop|--now}]
        list $rc [llength $stops] [regexp {(service|systemctl) .*redis-server} $stops]
    } {0 1 1}

    test {deps: the script kills nothing} {
        set f [open [file join $::repo deps install.sh] r]
        set text [read $f]
        close $f
        regexp -all {\m(pkill|killall|kill)\M} $text
    } {0}

    file delete -force $dir
}

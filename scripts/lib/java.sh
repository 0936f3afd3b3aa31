# shellcheck shell=bash
# Shared by demo.sh and the convolve tool: run a JVM that uses the Vector API without showing its
# startup notice. Source it; it defines a variable and a function and runs nothing.

# The one line the JDK prints on standard error at startup when an incubator module is added.
# No JVM option turns it off, so the launcher removes exactly this line.
# shellcheck disable=SC2034
EDGESTREAM_INCUBATOR_NOTICE='WARNING: Using incubator modules: jdk.incubator.vector'

# edgestream_run_vector_java JAVA_ARGS...: runs
#   java --add-modules jdk.incubator.vector JAVA_ARGS...
# with its standard error passed through a filter that drops that exact notice line; every other
# line (errors, stack traces) passes unchanged, line by line, as it comes. Returns when the JVM has
# exited and the filter has passed on all it printed, with the JVM's exit status. SIGTERM, SIGHUP
# and SIGINT sent to the shell are passed on to the JVM, so stopping the script stops the JVM.
edgestream_run_vector_java() {
  local filter jvm rc
  # The filter ignores SIGINT so that what the JVM prints while it stops after Ctrl-C still arrives;
  # it ends when the JVM, the last writer of fd 3, closes its standard error.
  exec 3> >(trap '' INT; exec grep --line-buffered -v -x -F -e "$EDGESTREAM_INCUBATOR_NOTICE" >&2)
  filter=$!
  # Without job control a background command reads /dev/null unless told otherwise: keep stdin.
  java --add-modules jdk.incubator.vector "$@" <&0 2>&3 &
  jvm=$!
  exec 3>&-
  trap 'kill -TERM "$jvm" 2>/dev/null' TERM HUP
  trap 'kill -INT "$jvm" 2>/dev/null' INT
  # wait returns early when a trapped signal arrives: wait again until the JVM is gone.
  while true; do
    rc=0
    wait "$jvm" || rc=$?
    kill -0 "$jvm" 2>/dev/null || break
  done
  trap - TERM HUP INT
  wait "$filter" 2>/dev/null || true
  return "$rc"
}

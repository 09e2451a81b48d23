#!/usr/bin/env bash
# The user-space scheduling path in Java (SchedulingPathBenchmark.userSpacePath, through JMH) and
# the same work done the seed's way in Rust (rust-seed-path: a BTreeSet of task structs), run one
# after the other, alternating, on this machine; prints ns per task for each backlog and batch,
# and the ratio Java / Rust (below 1: Java is faster).
#
#   benchmarks/compare-rust.sh [--rounds N] [--quick] [--held 16,256,4096] [--batch 1,8,64]
#                              [--jvm-args "-XX:TieredStopAtLevel=1"] [--java PATH] [--out DIR]
#
# --java: the java binary to run the Java side with (default: java on the PATH).
# --jvm-args: added to the benchmark's own JVM arguments (its fixed heap, -Xms256m -Xmx256m, kept).
# --quick: 1 warm-up and 2 measured iterations of 0.5 s (a look, not a figure to quote).
# Default: 3 rounds, each 3 warm-up and 5 measured iterations of 1 s per case, Java then Rust in
# odd rounds and Rust then Java in even ones. The medians over rounds are printed; every round's
# raw figures stay in DIR (default benchmarks/target/compare-rust).
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3 warmup=3 iterations=5 ms=1000 held=16,256,4096 batch=1,8,64 jvm_args="" java=java out=benchmarks/target/compare-rust
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --quick) warmup=1 iterations=2 ms=500; shift ;;
    --held) held=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --jvm-args) jvm_args=$2; shift 2 ;;
    --java) java=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "compare-rust.sh: unknown option $1 (see the comment at the top of this script)" >&2; exit 2 ;;
  esac
done

jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ]; then
  echo "compare-rust.sh: $jar is missing; build it first: mvn -B install -DskipTests -pl benchmarks -am" >&2
  exit 2
fi
command -v cargo >/dev/null || { echo "compare-rust.sh: cargo is not installed (the Rust side needs it)" >&2; exit 2; }
(cd benchmarks/rust-seed-path && cargo build --release --offline --quiet)
rust=benchmarks/rust-seed-path/target/release/seed-path

mkdir -p "$out"
rm -f "$out"/java-*.txt "$out"/rust-*.txt
java_run() {
  "$java" -cp "$jar" org.scxjavaland.benchmarks.PerTaskTable -f 1 -wi "$warmup" -i "$iterations" \
    -w "${ms}ms" -r "${ms}ms" -p held="$held" -p batch="$batch" \
    ${jvm_args:+-jvmArgsAppend "-Xms256m -Xmx256m $jvm_args"} > "$out/java-$1.log" 2>&1
  grep -E '^userSpacePath ' "$out/java-$1.log" | awk '{ print $3, $4, $5 }' > "$out/java-$1.txt"
}
rust_run() {
  "$rust" --held "$held" --batch "$batch" --warmup "$warmup" --iterations "$iterations" --ms "$ms" \
    | grep -v '^#' | awk '{ print $1, $2, $3 }' > "$out/rust-$1.txt"
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    echo "round $round/$rounds: Java, then Rust"; java_run "$round"; rust_run "$round"
  else
    echo "round $round/$rounds: Rust, then Java"; rust_run "$round"; java_run "$round"
  fi
done

{
  echo "# $(date -u +%FT%TZ) $(uname -srm); $("$java" -version 2>&1 | head -1); $(rustc --version)"
  echo "# JVM arguments added: ${jvm_args:-none}; warm-up $warmup, measured $iterations x ${ms} ms per case; $rounds rounds"
} > "$out/summary.txt"
/usr/bin/env python3 - "$out" "$rounds" >> "$out/summary.txt" <<'PY'
import statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def read(kind):
    runs = []
    for r in range(1, rounds + 1):
        with open(f"{out}/{kind}-{r}.txt") as f:
            runs.append({(int(h), int(b)): float(ns) for h, b, ns in (line.split() for line in f if line.strip())})
    return runs
java, rust = read("java"), read("rust")
print("| held | batch | Java ns/task | Rust ns/task | Java / Rust | per round |")
print("|---:|---:|---:|---:|---:|---|")
for case in sorted(java[0]):
    j = [run[case] for run in java]
    r = [run[case] for run in rust]
    ratios = [a / b for a, b in zip(j, r)]
    print(f"| {case[0]} | {case[1]} | {statistics.median(j):.1f} | {statistics.median(r):.1f} | "
          f"**{statistics.median(ratios):.2f}** | {', '.join(f'{x:.2f}' for x in ratios)} |")
PY
cat "$out/summary.txt"

#!/usr/bin/python3
"""The kernel benchmark suite's report: reads the rounds bench.sh left in OUT (roundN/results.txt,
key=value lines of the form scheduler.workload.figure=value) and writes into OUT:

  report.md          the figures: median of the rounds with their range, the ratio to EEVDF, and
                     javaland's own cost (start-up, scheduling-thread CPU, the JVM's CPU by thread)
  results.csv        every figure of every round, one row each (round, scheduler, workload, figure, value)
  cyclictest.png     the wake-up latency percentiles of the periodic sleeper under CPU hogs, per scheduler
  ratios.png         every workload's median as a ratio to EEVDF (1 = the same; above 1 = better)

Debian's python3 with python3-matplotlib (scripts/setup-debian.sh installs it).

  usage: report.py OUT
"""
import csv
import os
import re
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# figure -> (label, unit, True when a higher value is better)
FIGURES = {
    ("cyclictest", "p50_us"): ("cyclictest p50 (10 ms sleeper, 4 hogs)", "us", False),
    ("cyclictest", "p99_us"): ("cyclictest p99", "us", False),
    ("cyclictest", "p99.9_us"): ("cyclictest p99.9", "us", False),
    ("cyclictest", "wake_to_run_p50_us"): ("sleeper woken to running p50 (kernel trace)", "us", False),
    ("cyclictest", "wake_to_run_p90_us"): ("sleeper woken to running p90 (kernel trace)", "us", False),
    ("cyclictest", "wake_to_run_p99_us"): ("sleeper woken to running p99 (kernel trace)", "us", False),
    ("sysbench", "events_per_s"): ("sysbench threads (4, sched_yield)", "events/s", True),
    ("hackbench", "time_s"): ("hackbench -g 4", "s", False),
    ("stress_cpu", "bogo_ops_per_s"): ("stress-ng --cpu 4", "bogo ops/s", True),
    ("pipe", "us_per_op"): ("perf bench sched pipe", "us/op", False),
    ("sock", "bogo_ops_per_s"): ("stress-ng -c 2 --sock 2 (msgs under CPU load)", "bogo ops/s", True),
    ("schbench", "wakeup_p99_us"): ("schbench wake-up p99 (2 hogs)", "us", False),
    ("schbench", "rps_p50"): ("schbench requests/s p50", "req/s", True),
    ("build", "wall_s"): ("make -j2 (zlib)", "s", False),
}
PERCENTILES = ["p50_us", "p90_us", "p99_us", "p99.9_us"]
KEY = re.compile(r"^([a-z0-9_-]+)\.([a-z0-9_]+)\.(.+)=(.*)$")


def read_rounds(out):
    """[(round, scheduler, workload, figure, value)] of every round folder, values as strings."""
    rows = []
    for name in sorted(os.listdir(out)):
        path = os.path.join(out, name, "results.txt")
        m = re.fullmatch(r"round(\d+)", name)
        if not m or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                k = KEY.match(line.strip())
                if k:
                    rows.append((int(m.group(1)), k.group(1), k.group(2), k.group(3), k.group(4)))
    return rows


def number(v):
    try:
        return float(v)
    except ValueError:
        return None


def values(rows, scheduler, workload, figure):
    got = [number(v) for (_, s, w, f, v) in rows if (s, w, f) == (scheduler, workload, figure)]
    return [v for v in got if v is not None]


def spread(vs, unit):
    if not vs:
        return "—"
    med = statistics.median(vs)
    text = fmt(med)
    if len(vs) > 1:
        text += " (%s–%s)" % (fmt(min(vs)), fmt(max(vs)))
    return text


def fmt(v):
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def ratio_word(r, higher_better):
    """The ratio to EEVDF said as better or worse: r is scheduler / EEVDF."""
    if r is None:
        return "—"
    if abs(r - 1) <= 0.005:
        return "%.2f× (same)" % r
    better = r > 1 if higher_better else r < 1
    return "%.2f× (%s)" % (r, "better" if better else "worse")


def main(out):
    rows = read_rounds(out)
    if not rows:
        sys.exit("report.py: no roundN/results.txt in %s (did the rounds run?)" % out)
    schedulers = []
    for (_, s, _, _, _) in rows:
        if s not in schedulers and s not in ("state_at_boot", "kernel", "order", "mode", "javaland"):
            schedulers.append(s)
    schedulers.sort(key=lambda s: (s != "eevdf", s))
    rounds = sorted({r for (r, *_rest) in rows})

    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "scheduler", "workload", "figure", "value"])
        w.writerows(rows)

    about = ""
    about_path = os.path.join(out, "about.txt")
    if os.path.isfile(about_path):
        with open(about_path) as f:
            about = f.read()

    md = ["# Kernel benchmark: javaland against EEVDF", ""]
    md.append("Measured in the VM lab's guest under qemu's software emulation (TCG): every figure compares "
              "schedulers in the same guest and mode, never with hardware. Medians of %d round(s), range in "
              "brackets; the ratio is the scheduler's median over EEVDF's, said as better or worse." % len(rounds))
    md.append("")
    if about:
        md += ["```", about.strip(), "```", ""]
    others = [s for s in schedulers if s != "eevdf"]
    head = "| workload | unit | eevdf | " + " | ".join("%s | ratio" % s for s in others) + " |"
    md.append(head)
    md.append("|" + "---|" * (3 + 2 * len(others)))
    ratios = {}
    for (workload, figure), (label, unit, higher) in FIGURES.items():
        base = values(rows, "eevdf", workload, figure)
        if not base and not any(values(rows, s, workload, figure) for s in others):
            continue
        cells = [label, unit, spread(base, unit)]
        for s in others:
            vs = values(rows, s, workload, figure)
            cells.append(spread(vs, unit))
            r = statistics.median(vs) / statistics.median(base) if vs and base and statistics.median(base) else None
            cells.append(ratio_word(r, higher))
            if r is not None:
                ratios.setdefault(s, []).append((label, r if higher else (1 / r if r else 0)))
        md.append("| " + " | ".join(cells) + " |")
    md.append("")

    md.append("## Where the sleeper's wake-ups lose their time")
    md.append("")
    md.append("From the kernel's tracing (sched_waking to the sched_switch that runs cyclictest's measuring "
              "thread; cyclictest's own figures also hold the timer's lateness, large under emulation). "
              "*direct*: it was the next task on its CPU; *via the scheduling thread*: javaland's "
              "scheduling thread ran on that CPU first (a round trip through user space); *other*: another "
              "task ran there first. Shares of the wake-ups, with their p50/p90 in us. *Timer late*: "
              "from the time the sleeper's timer was set for to its interrupt (p50 / p90, us), the part of "
              "cyclictest's figure that comes before any scheduler sees the wake-up.")
    md.append("")
    md.append("| scheduler | timer late | direct | via the scheduling thread | other | woken to scheduling thread p50 | "
              "scheduling thread to running p50 | thread priority |")
    md.append("|---|---|---|---|---|---|---|---|")
    for s in schedulers:
        def share(kind):
            sh = values(rows, s, "cyclictest", kind + "_share")
            if not sh:
                return "—"
            p50 = values(rows, s, "cyclictest", kind + "_p50_us")
            p90 = values(rows, s, "cyclictest", kind + "_p90_us")
            text = "%.0f %%" % (100 * statistics.median(sh))
            if p50 and p90:
                text += " (%s / %s)" % (fmt(statistics.median(p50)), fmt(statistics.median(p90)))
            return text
        prio = values(rows, s, "cyclictest", "thread_prio")
        late50 = values(rows, s, "cyclictest", "timer_late_p50_us")
        late90 = values(rows, s, "cyclictest", "timer_late_p90_us")
        late = "%s / %s" % (fmt(statistics.median(late50)), fmt(statistics.median(late90))) if late50 and late90 else "—"
        md.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            s, late, share("direct"), share("via_sched"), share("other"),
            spread(values(rows, s, "cyclictest", "wake_to_sched_p50_us"), "us"),
            spread(values(rows, s, "cyclictest", "sched_to_run_p50_us"), "us"),
            ("%d%s" % (statistics.median(prio), "" if statistics.median(prio) >= 100 else " (real-time!)")) if prio else "—"))
    md.append("")

    md.append("## javaland's own cost")
    md.append("")
    md.append("| figure | " + " | ".join(others) + " |")
    md.append("|---|" + "---|" * len(others))
    cost = [("start.to_enabled_s", "start until attached (s)"),
            ("start.to_first_user_dispatch_s", "start until the policy's first dispatch (s)"),
            ("start.stall_guard_lines", "stall-guard lines at start")]
    workloads = sorted({w for (_, s, w, f, _) in rows if s in others and f == "sched_cpu_per_user_dispatch_us"})
    for w in workloads:
        cost.append(("%s.sched_thread_ms" % w, "%s: scheduling-thread CPU (ms)" % w))
        cost.append(("%s.sched_cpu_per_user_dispatch_us" % w, "%s: scheduling-thread CPU per user dispatch (us)" % w))
        cost.append(("%s.user_dispatches" % w, "%s: user dispatches" % w))
        cost.append(("%s.kernel_dispatches" % w, "%s: kernel dispatches" % w))
    for key, label in cost:
        workload, figure = key.split(".", 1)
        md.append("| %s | %s |" % (label, " | ".join(spread(values(rows, s, workload, figure), "") for s in others)))
    first = values(rows, "javaland", "first_start", "to_enabled_s")
    if first:
        md.append("")
        md.append("The starts above take up the class-data archive that the JVM wrote as a first start on the "
                  "fresh installation ended, as a user's later starts do; that first start took %s s to attach." % spread(first, "s"))
    md.append("")
    md.append("The JVM's CPU while nothing ran (the idle workload), by thread, in 10 ms ticks (median of the rounds):")
    md.append("")
    def ticks_by_thread(s, idle):
        """The JVM's CPU ticks of scheduler s by thread name, over the idle workload or the others."""
        ticks = {}
        for (_, sch, w, f, v) in rows:
            if sch == s and (w == "idle") == idle and f.startswith("jvm_ticks."):
                ticks.setdefault(f[len("jvm_ticks."):], []).append(number(v) or 0)
        return ticks

    for s in others:
        idle = ticks_by_thread(s, True)
        wall = values(rows, s, "idle", "wall_s")
        if idle:
            md.append("- %s, over %s s: %s" % (s, fmt(statistics.median(wall)) if wall else "?", ", ".join(
                "%s %s" % (n, fmt(statistics.median(v))) for n, v in sorted(idle.items(), key=lambda kv: -sum(kv[1])))))
    md.append("")
    md.append("The JVM's CPU by thread during each workload, in 10 ms ticks (median of the rounds):")
    md.append("")
    for s in others:
        threads = ticks_by_thread(s, False)
        if threads:
            top = sorted(threads.items(), key=lambda kv: -sum(kv[1]))[:8]
            md.append("- %s: %s" % (s, ", ".join("%s %s" % (n, fmt(statistics.median(v))) for n, v in top)))
    md.append("")
    md.append("![cyclictest percentiles](cyclictest.png)")
    md.append("")
    md.append("![ratios to EEVDF](ratios.png)")
    md.append("")
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(md))

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for s in schedulers:
        med = []
        for p in PERCENTILES:
            vs = values(rows, s, "cyclictest", p)
            med.append(statistics.median(vs) if vs else float("nan"))
        ax.plot(range(len(PERCENTILES)), med, marker="o", label=s)
    ax.set_xticks(range(len(PERCENTILES)))
    ax.set_xticklabels([p[:-3] for p in PERCENTILES])
    ax.set_yscale("log")
    ax.set_ylabel("wake-up latency (us, log)")
    ax.set_title("cyclictest: a 10 ms SCHED_OTHER sleeper under 4 CPU hogs (lower is better)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, "cyclictest.png"), dpi=110)
    plt.close(fig)

    if ratios:
        labels = [label for (label, _) in next(iter(ratios.values()))]
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(labels) * max(1, len(ratios)) / 1.5))
        height = 0.8 / len(ratios)
        for i, (s, pairs) in enumerate(ratios.items()):
            lookup = dict(pairs)
            ys = [j + i * height for j in range(len(labels))]
            ax.barh(ys, [lookup.get(l, 0) for l in labels], height=height, label=s)
        ax.axvline(1.0, color="black", linewidth=1)
        ax.set_xscale("log")
        ax.set_yticks([j + 0.4 - height / 2 for j in range(len(labels))])
        ax.set_yticklabels(labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("EEVDF = 1; above 1 is better than EEVDF (log)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, "ratios.png"), dpi=110)
        plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: report.py OUT (the folder bench.sh wrote)")
    main(sys.argv[1])

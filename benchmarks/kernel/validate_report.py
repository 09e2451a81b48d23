#!/usr/bin/python3
"""The simulator's validation report: reads what validate.sh left in OUT (roundN/results.txt from
the kernel, roundN/sim-POLICY/results.csv from the replays of the recording made under POLICY)
and writes into OUT:

  validation.md    per policy, the sleeper's wake-up latency p50 and p99 on the kernel (its own
                   trace, sched_waking to sched_switch) and on the simulated machine replaying the
                   recording made under that policy, their ratio, and whether the simulator ranks
                   the policies as the kernel does; then every recording replayed with every policy
  validation.csv   every figure, one row each (round, policy, source, figure, value)
  validation.png   kernel and simulator side by side, p50 and p99, per policy

Medians over the rounds (kernel) and over the rounds and seeds (simulator).

  usage: validate_report.py OUT POLICIES [GROUP]     (GROUP: the sleeper's task group, cyclictest)
"""
import csv
import os
import re
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

KEY = re.compile(r"^([a-z0-9_-]+)\.([a-z0-9_]+)\.(.+)=(.*)$")
FACTOR = 2.0


def rounds(out):
    found = []
    for name in sorted(os.listdir(out)):
        m = re.fullmatch(r"round(\d+)", name)
        if m and os.path.isdir(os.path.join(out, name)):
            found.append((int(m.group(1)), os.path.join(out, name)))
    return found


def kernel_figures(path):
    """{(policy, figure): value} of the sleeper from a guest's results.txt (numbers only)."""
    figures = {}
    if not os.path.isfile(path):
        return figures
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            k = KEY.match(line.strip())
            if k and k.group(2) == "cyclictest":
                try:
                    figures[(k.group(1), k.group(3))] = float(k.group(4))
                except ValueError:
                    pass
    return figures


def sim_figures(path, group):
    """{(policy, figure): [values over seeds]} of the group from a compare results.csv."""
    figures = {}
    if not os.path.isfile(path):
        return figures
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["group"] == group:
                figures.setdefault((row["policy"], row["figure"]), []).append(float(row["value"]))
    return figures


def median(values):
    return statistics.median(values) if values else None


def fmt(v):
    if v is None:
        return "n/a"
    return "%.0f" % v if v >= 100 else "%.1f" % v


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def order(values):
    """Policies from lowest to highest latency; None when a value is missing."""
    if any(v is None for v in values.values()):
        return None
    return sorted(values, key=lambda p: values[p])


def main():
    out, policies = sys.argv[1], sys.argv[2].split(",")
    group = sys.argv[3] if len(sys.argv) > 3 else "cyclictest"
    kernel = {}     # (policy, figure) -> [values over rounds]
    sim = {}        # (recorded under, replayed with, figure) -> [values over rounds and seeds]
    rows = []
    for number, folder in rounds(out):
        for (p, figure), v in kernel_figures(os.path.join(folder, "results.txt")).items():
            kernel.setdefault((p, figure), []).append(v)
            rows.append((number, p, "kernel", figure, v))
        for recorded in policies:
            for (p, figure), values in sim_figures(os.path.join(folder, "sim-" + recorded, "results.csv"), group).items():
                sim.setdefault((recorded, p, figure), []).extend(values)
                for v in values:
                    rows.append((number, p, "simulator replaying " + recorded, figure, v))

    def k(p, figure):
        return median(kernel.get((p, figure), []))

    def s(recorded, p, figure):
        return median(sim.get((recorded, p, figure), []))

    lines = ["# The simulator against the kernel", "",
             "The sleeper (cyclictest, 10 ms, SCHED_OTHER) among CPU hogs: its wake-up latency (runnable to",
             "running), in us. Kernel: the kernel's own trace (sched_waking to sched_switch) in the VM lab's",
             "guest; simulator: the recording made under the same policy, replayed with it (task group `%s`)." % group,
             "cyclictest's own figure adds the timer's lateness, which the simulator does not model. Medians",
             "over %d round(s); the simulator's over the rounds and seeds." % len(rounds(out)), "",
             "| policy | kernel p50 | sim p50 | sim/kernel | kernel p99 | sim p99 | sim/kernel | within %gx | cyclictest p50 / p99 |"
             % FACTOR, "|---|---:|---:|---:|---:|---:|---:|:---:|---:|"]
    within_all = True
    for p in policies:
        k50, k99 = k(p, "wake_to_run_p50_us"), k(p, "wake_to_run_p99_us")
        s50, s99 = s(p, p, "p50_us"), s(p, p, "p99_us")
        r50, r99 = ratio(s50, k50), ratio(s99, k99)
        within = r50 is not None and r99 is not None and all(1 / FACTOR <= r <= FACTOR for r in (r50, r99))
        within_all = within_all and within
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |" % (
            p, fmt(k50), fmt(s50), "n/a" if r50 is None else "%.2f" % r50, fmt(k99), fmt(s99),
            "n/a" if r99 is None else "%.2f" % r99, "yes" if within else "no",
            fmt(k(p, "p50_us")), fmt(k(p, "p99_us"))))
    eevdf50, eevdf99 = k("eevdf", "wake_to_run_p50_us"), k("eevdf", "wake_to_run_p99_us")
    lines.append("| eevdf (kernel only) | %s | | | %s | | | | %s / %s |" % (
        fmt(eevdf50), fmt(eevdf99), fmt(k("eevdf", "p50_us")), fmt(k("eevdf", "p99_us"))))
    lines.append("")
    for figure, label in (("p99", "p99"), ("p50", "p50")):
        kernel_order = order({p: k(p, "wake_to_run_%s_us" % figure) for p in policies})
        sim_order = order({p: s(p, p, figure + "_us") for p in policies})
        same = kernel_order is not None and kernel_order == sim_order
        lines.append("- ranking by %s, best first: kernel %s, simulator %s: **%s**" % (
            label, " < ".join(kernel_order or ["n/a"]), " < ".join(sim_order or ["n/a"]), "the same" if same else "different"))
    lines.append("- every policy within %gx of the kernel at p50 and p99: **%s**" % (FACTOR, "yes" if within_all else "no"))
    lines += ["", "## Every recording replayed with every policy (simulator, p50 / p99 us)", "",
              "| recorded under | " + " | ".join("replayed with " + p for p in policies) + " |",
              "|---|" + "---:|" * len(policies)]
    for recorded in policies:
        lines.append("| %s | %s |" % (recorded, " | ".join(
            "%s / %s" % (fmt(s(recorded, p, "p50_us")), fmt(s(recorded, p, "p99_us"))) for p in policies)))
    with open(os.path.join(out, "validation.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "validation.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "policy", "source", "figure", "value"])
        w.writerows(rows)

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, figure in zip(axes, ("p50", "p99")):
        xs = range(len(policies))
        kv = [k(p, "wake_to_run_%s_us" % figure) or 0 for p in policies]
        sv = [s(p, p, figure + "_us") or 0 for p in policies]
        ax.bar([x - 0.2 for x in xs], kv, 0.4, label="kernel (its trace)")
        ax.bar([x + 0.2 for x in xs], sv, 0.4, label="simulator (replay)")
        ax.set_xticks(list(xs))
        ax.set_xticklabels(policies)
        ax.set_title("sleeper wake-up latency %s" % figure)
        ax.set_ylabel("us (log scale; 0 at the bottom)")
        ax.set_yscale("symlog", linthresh=10)   # the policies differ by orders of magnitude
        ax.set_ylim(0, max(kv + sv + [10]) * 8)    # room above the highest bar for the legend
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "validation.png"), dpi=110)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Where the scheduling path's time goes, from async-profiler's collapsed stacks.

Keeps the samples whose stack passes through ROOT (a frame name part, e.g. 'userRound') and none
of EXCLUDE (e.g. the simulated kernel's half), and prints for each frame its inclusive and self
share of those samples and, given the path's measured ns per task, the ns per task that share
stands for. Usage: profile_summary.py FILE --root ROOT [--exclude PART ...] [--ns-per-task X] [--top N]
"""
import argparse
import collections


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--root", required=True)
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--ns-per-task", type=float)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    inclusive = collections.Counter()
    own = collections.Counter()
    kept = 0
    with open(args.file) as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            frames = stack.split(";")
            if not any(args.root in f for f in frames) or any(x in f for f in frames for x in args.exclude):
                continue
            samples = int(count)
            kept += samples
            below_root = frames[next(i for i, f in enumerate(frames) if args.root in f) + 1:]
            for frame in set(below_root):
                inclusive[frame] += samples
            own[frames[-1]] += samples
    if kept == 0:
        raise SystemExit(f"no samples pass through {args.root!r}")

    def ns(share):
        return f"{share * args.ns_per_task:7.1f}" if args.ns_per_task else "      -"

    print(f"{kept} samples in {args.root}" + (f", {args.ns_per_task:.1f} ns per task" if args.ns_per_task else ""))
    print("inclusive  ns/task | self  ns/task | frame")
    for frame, samples in inclusive.most_common(args.top):
        share, own_share = samples / kept, own[frame] / kept
        print(f"{100 * share:8.1f}% {ns(share)} | {100 * own_share:4.1f}% {ns(own_share)} | {frame.replace('/', '.')}")


if __name__ == "__main__":
    main()

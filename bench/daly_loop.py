#!/usr/bin/env python3
"""daly_loop.py - the Daly-style job of bench/daly-1024.yaml as a plain
Python loop (standard library only), the baseline of bench/bench_python.sh.

usage: daly_loop.py N [SEED]

The job computes WORK seconds in segments of TAU, writing a checkpoint of
DELTA after each (the last one too); failures arrive at rate LAMBDA = GPUS /
MTBF during compute, checkpoint and restart, and each costs RESTART seconds
of restart (which a failure may interrupt too) and the work since the last
checkpoint. Exponential lifetimes are memoryless, so the loop samples the
time to the next failure afresh at the start of each stage: a stage of
length L completes when the draw is at least L. Prints the mean makespan in
hours and its standard error over N replications, and the time the loop
took (CPU seconds of this process), one line each.
"""
import math
import random
import sys
import time

GPUS = 1024
MTBF_S = 79230.0 * 3600.0  # per GPU, as bench/daly-1024.yaml
TAU_S = 3600.0  # compute between checkpoints
DELTA_S = 300.0  # checkpoint write: 300 GB at 1 GB/s
RESTART_S = 300.0  # restart overhead (the checkpoint's read takes 0.3 ms)
WORK_S = 720.0 * 3600.0


def makespan(rng):
    """One replication: the wall-clock time to finish WORK_S."""
    rate = GPUS / MTBF_S
    segments = round(WORK_S / TAU_S)
    stage = TAU_S + DELTA_S
    t = 0.0
    done = 0
    while done < segments:
        x = rng.expovariate(rate)
        if x >= stage:
            t += stage
            done += 1
            continue
        t += x  # a failure: the segment is lost, then restart until one completes
        while True:
            y = rng.expovariate(rate)
            if y >= RESTART_S:
                t += RESTART_S
                break
            t += y
    return t


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    start = time.process_time()
    s = s2 = 0.0
    for _ in range(n):
        h = makespan(rng) / 3600.0
        s += h
        s2 += h * h
    cpu = time.process_time() - start
    mean = s / n
    se = math.sqrt(max(s2 / n - mean * mean, 0.0) / (n - 1)) if n > 1 else float("nan")
    print(f"mean_makespan_h {mean:.6f}")
    print(f"se_h {se:.6f}")
    print(f"loop_cpu_s {cpu:.6f}")


if __name__ == "__main__":
    main()

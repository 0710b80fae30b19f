#!/usr/bin/env python3
"""cputime.py OUT CMD [ARG...] - runs CMD and writes "cpu_s wall_s max_rss_kB"
to the file OUT: CPU is the child's user + system time from getrusage, to
the microsecond (GNU time rounds it to 10 ms, too coarse for a run of a few
milliseconds). Exits with CMD's status. Standard library only."""
import resource
import subprocess
import sys
import time

start = time.perf_counter()
status = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w", encoding="ascii") as f:
    f.write(f"{r.ru_utime + r.ru_stime:.6f} {wall:.6f} {r.ru_maxrss}\n")
sys.exit(status)

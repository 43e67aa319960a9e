#!/usr/bin/env python3
"""Edit-to-served latency of any live-preview server, for side-by-side runs with peers.

Starts the server command, waits until URL answers, then 10 times appends a marker line to FILE and
times how long until a GET of URL returns it (median, min, max). The file is restored at the end.

  benches/peer_serve_latency.py target/release/rapport serve --root SITE --port 1411 -- SITE/content/s1/p0001.md http://127.0.0.1:1411/s1/p0001/
  benches/peer_serve_latency.py hugo server --source HUGO_SITE --port 1313 --bind 127.0.0.1 -- HUGO_SITE/content/s1/p0001.md http://127.0.0.1:1313/s1/p0001/
"""

import statistics
import subprocess
import sys
import time
import urllib.request

args = sys.argv[1:]; i = args.index('--'); cmd = args[:i]; path, url = args[i+1], args[i+2]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def get():
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode()
    except Exception:
        return ""
deadline = time.time() + 120
while time.time() < deadline and not get():
    time.sleep(0.2)
time.sleep(2)
orig = open(path).read()
lat = []
try:
    for n in range(10):
        marker = f"edit marker {n} {time.time()}"
        t0 = time.perf_counter()
        with open(path, "w") as f:
            f.write(orig + f"\n\n{marker}\n")
        while marker not in get():
            if time.perf_counter() - t0 > 30:
                break
            time.sleep(0.005)
        lat.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.5)
finally:
    open(path, "w").write(orig)
    p.terminate(); p.wait()
print("median %.1f ms, min %.1f, max %.1f" % (statistics.median(lat), min(lat), max(lat)))

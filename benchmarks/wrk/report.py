"""Medians of the wrk rounds rounds.sh wrote: req/s, p50/p99, non-2xx, the proxy's CPU per request; then the
subject against each peer. Usage: report.py WORK ROUNDS SUBJECT "PEER ..." NAME ..."""
import re
import statistics
import sys

work, rounds, subject, peers, names = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split(), sys.argv[5:]


def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


results = {}
for name in names:
    rps, p50, p99, errors, cpu = [], [], [], 0, []
    for r in range(1, rounds + 1):
        out = open(f"{work}/{name}.{r}.txt").read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        u0, s0, u1, s1, hz = map(int, open(f"{work}/{name}.{r}.cpu").read().split())
        cpu.append(((u1 - u0) + (s1 - s0)) / hz * 1e6 / max(requests, 1))
        p50.append(ms(re.search(r"\s50%\s+(\S+)", out).group(1)))
        p99.append(ms(re.search(r"\s99%\s+(\S+)", out).group(1)))
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors += int(m.group(1)) if m else 0
        m = re.search(r"Socket errors: (.*)", out)
        if m:
            print(f"{name} round {r}: socket errors {m.group(1)}")
    results[name] = (statistics.median(rps), statistics.median(p50), statistics.median(p99), errors, statistics.median(cpu))
width = max(10, max(len(n) for n in names) + 1)
print(f"{'target':{width}} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7} {'proxy CPU us/req':>17}   medians of {rounds} rounds")
for name, (rps, p50, p99, errors, cpu) in results.items():
    print(f"{name:{width}} {rps:9.0f} {p50:7.2f} {p99:7.2f} {errors:7d} {cpu:17.1f}")
if subject in results:
    j = results[subject]
    for peer in (p for p in peers if p in results):
        p = results[peer]
        cpu = f", CPU per request {j[4] / p[4]:.2f}x" if p[4] > 0 else ""
        print(f"{subject} / {peer}: req/s {j[0] / p[0]:.2f}x, p50 {j[1] / p[1]:.2f}x, p99 {j[2] / p[2]:.2f}x{cpu}")

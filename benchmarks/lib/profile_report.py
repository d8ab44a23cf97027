#!/usr/bin/env python3
"""Summarises a JFR execution-sample dump (jfr print --json) of the balancer: CPU per request split into user and
kernel time (from /proc), the share of Java samples per code area, and the hottest methods by own time."""
import collections
import json
import sys

samples_file, result, utime, stime, hz, workload, conns, duration = sys.argv[1:9]
wrk = json.loads(result)
requests = max(wrk["requests"], 1)
user_us = int(utime) / int(hz) * 1e6 / requests
sys_us = int(stime) / int(hz) * 1e6 / requests
events = json.load(open(samples_file))["recording"]["events"]

AREAS = [("io.jvmroute.", "jvmroute (parsers, routing, handlers)"), ("io.netty.channel.uring", "Netty io_uring transport"),
         ("io.netty.channel.epoll", "Netty epoll transport"), ("io.netty.buffer", "Netty buffers and allocator"),
         ("io.netty.util", "Netty utilities (promises, reference counts, executors)"),
         ("io.netty.channel", "Netty channel pipeline"), ("io.netty", "Netty, other"), ("java.", "JDK"),
         ("jdk.", "JDK"), ("sun.", "JDK"), ("ch.qos.logback", "Logback"), ("org.slf4j", "SLF4J")]


def frame_name(frame):
    m = frame["method"]
    return f'{m["type"]["name"].replace("/", ".")}.{m["name"]}'


def area(name):
    for prefix, label in AREAS:
        if name.startswith(prefix):
            return label
    return "other"


own = collections.Counter()
inclusive = collections.Counter()
areas = collections.Counter()
total = 0
for e in events:
    frames = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    if not frames:
        continue
    total += 1
    top = frame_name(frames[0])
    own[top] += 1
    areas[area(top)] += 1
    for name in {frame_name(f) for f in frames}:
        if name.startswith("io.jvmroute.") or ".connect" in name or name.endswith(".close"):
            inclusive[name] += 1

print(f"Workload {workload}, {conns} connections, {duration} s through jvmroute with JFR on (profile settings): "
      f"{wrk['requests'] / (wrk['duration_us'] / 1e6):,.0f} req/s during the recording; the balancer's CPU per request "
      f"{user_us:.1f} µs user (the JVM) + {sys_us:.1f} µs kernel (TCP over loopback, io_uring/epoll), from /proc. "
      f"{total:,} Java execution samples.\n")
print("| code area (own time of the sampled frame) | share of Java samples |")
print("|---|---|")
for label, n in areas.most_common():
    print(f"| {label} | {100 * n / total:.1f} % |")
print("\n| hottest methods (own time) | share |")
print("|---|---|")
for name, n in own.most_common(15):
    print(f"| `{name}` | {100 * n / total:.1f} % |")
print("\n| jvmroute methods, connects and closes, with what they call (inclusive) | share |")
print("|---|---|")
for name, n in inclusive.most_common(15):
    print(f"| `{name}` | {100 * n / total:.1f} % |")

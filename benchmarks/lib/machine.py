#!/usr/bin/env python3
"""The machine and the versions a run measured, as Markdown (RESULTS.md's first section)."""
import os
import re
import subprocess
import sys


def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout + \
            subprocess.run(cmd, capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return ""


def first(text, pattern, default="?"):
    m = re.search(pattern, text, re.M)
    return m.group(1).strip() if m else default


results, started = sys.argv[1], sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
cpuinfo = open("/proc/cpuinfo").read()
meminfo = open("/proc/meminfo").read()
commit = run("git", "-C", root, "rev-parse", "--short", "HEAD").split()[0]
dirty = " (with uncommitted changes)" if run("git", "-C", root, "status", "--porcelain", "--untracked-files=no").strip() else ""
tomcat = sorted(d for d in os.listdir(os.path.join(root, "integration-tests/target/tomcat-dist")) if d.startswith("apache-tomcat"))
load = " ".join(open("/proc/loadavg").read().split()[:3])
model = first(cpuinfo, r"^model name\s*:\s*(.*)$")
mem_gib = int(first(meminfo, r"^MemTotal:\s*(\d+)", "0")) // 1024 // 1024
java = run("java", "-version")
jdk = first(java, r"^((?:openjdk|java) version.*)$") + " (" + first(java, r"^(OpenJDK 64-Bit.*|Java HotSpot.*)$") + ")"
versions = {
    "haproxy": first(run("haproxy", "-v"), r"version (\S+)"),
    "nginx": first(run("nginx", "-v"), r"nginx/(\S+)"),
    "apache": first(run("apache2", "-v"), r"Apache/(\S+)"),
    "modjk": first(run("dpkg-query", "-W", "libapache2-mod-jk"), r"libapache2-mod-jk\s+(\S+)"),
    "wrk": first(run("dpkg-query", "-W", "wrk"), r"wrk\s+(\S+)"),
    "gnuplot": first(run("gnuplot", "--version"), r"gnuplot (.*)$"),
}
lines = [
    f"- Run started {started}; jvmroute commit `{commit}`{dirty}.",
    f"- CPU: {os.cpu_count()} cores ({model}), memory {mem_gib} GiB; kernel {os.uname().release}; "
    f"load average at the end {load}.",
    f"- JDK: {jdk}.",
    f"- Tomcat {tomcat[0].replace('apache-tomcat-', '') if tomcat else '?'} (Maven Central, org.apache.tomcat:tomcat), "
    f"HAProxy {versions['haproxy']}, nginx {versions['nginx']}, Apache httpd {versions['apache']} + mod_jk "
    f"{versions['modjk']}, wrk {versions['wrk']}, gnuplot {versions['gnuplot']} (Debian packages from apt); JMH 1.37.",
]
print("\n".join(lines))

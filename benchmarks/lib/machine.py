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
lines = [
    f"- Run started {started}, jvmroute commit `{commit}`{dirty}.",
    f"- CPU: {os.cpu_count()} cores ({first(cpuinfo, r'^model name\s*:\s*(.*)$')}), "
    f"memory {int(first(meminfo, r'^MemTotal:\s*(\d+)', '0')) // 1024 // 1024} GiB; kernel {os.uname().release}; "
    f"load average at the end {' '.join(open('/proc/loadavg').read().split()[:3])}.",
    f"- JDK: {first(run('java', '-version'), r'^(openjdk version.*|java version.*)$')} "
    f"({first(run('java', '-version'), r'^(OpenJDK 64-Bit.*|Java HotSpot.*)$')}).",
    f"- Tomcat {tomcat[0].replace('apache-tomcat-', '') if tomcat else '?'} (Maven Central, org.apache.tomcat:tomcat), "
    f"HAProxy {first(run('haproxy', '-v'), r'version (\S+)')}, nginx {first(run('nginx', '-v'), r'nginx/(\S+)')}, "
    f"Apache httpd {first(run('apache2', '-v'), r'Apache/(\S+)')} + mod_jk "
    f"{first(run('dpkg-query', '-W', 'libapache2-mod-jk'), r'libapache2-mod-jk\s+(\S+)')}, "
    f"wrk {first(run('dpkg-query', '-W', 'wrk'), r'wrk\s+(\S+)')}, "
    f"gnuplot {first(run('gnuplot', '--version'), r'gnuplot (.*)$')}, JMH 1.37 (Debian packages from apt).",
]
print("\n".join(lines))

#!/usr/bin/env python3
"""benchmarks/RESULTS.md from results/*.md (written by the scripts) and the hand-written text around them
(lib/results-intro.md, lib/results-analysis.md). Figures come only from results/; text holds none of its own."""
import os
import sys

bench, results = sys.argv[1], sys.argv[2]


def read(path, missing="_Not run in this configuration._\n"):
    return open(path).read() if os.path.exists(path) else missing


sections = [
    ("1. Balancer: jvmroute against HAProxy, nginx and Apache httpd + mod_jk", "balancer.md"),
    ("2. Replication cost", "replication.md"),
    ("3. Failover", "failover.md"),
    ("4. State transfer", "state.md"),
    ("5. Hot paths (JMH)", "jmh.md"),
]
out = [read(os.path.join(bench, "lib/results-intro.md")),
       "## Machine and versions\n", read(os.path.join(results, "machine.md")),
       "\n## Commands as run\n", "```", read(os.path.join(results, "commands.txt"), "").rstrip(), "```\n"]
for title, name in sections:
    out += [f"## {title}\n", read(os.path.join(results, name))]
# Where jvmroute loses: the hand-written reading, then the figures it rests on (profile-balancer.sh and a
# balancer.sh run of variants, both written by the scripts).
out.append(read(os.path.join(bench, "lib/results-analysis.md"), ""))
diagnosis = os.path.join(results, "diagnosis", "balancer.md")
if os.path.exists(diagnosis):
    out += ["\n### The same cells with larger backend pools (`benchmarks/balancer.sh`, variants)\n",
            read(diagnosis).replace("results/balancer-", "results/diagnosis/balancer-")]
for name in sorted(os.listdir(results)):
    if name.startswith("profile-") and name.endswith(".md"):
        out += [f"\n### JFR profile of jvmroute (`benchmarks/profile-balancer.sh`, {name[8:-3]})\n",
                read(os.path.join(results, name))]
with open(os.path.join(bench, "RESULTS.md"), "w") as f:
    f.write("\n".join(out))

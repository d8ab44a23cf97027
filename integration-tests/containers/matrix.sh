#!/usr/bin/env bash
# Prints the deployment tier's matrix (scenario x Tomcat version x balancer) from the summaries the tier
# wrote in integration-tests/target/deploy-summary-<tomcat version>.tsv (one per Tomcat version run).
set -euo pipefail
dir=${1:-$(dirname "$0")/../target}
shopt -s nullglob
files=("$dir"/deploy-summary-*.tsv)
if [ ${#files[@]} -eq 0 ]; then
    echo "deployment tier: no summary found in $dir (the tier did not run)"
    exit 0
fi
awk -F'\t' '
    $1 == "scenario" {
        key = $3 SUBSEP $2 SUBSEP $4
        if (!(key in cell) || $5 == "FAILED") cell[key] = $5
        scen[$3] = 1; col[$2 SUBSEP $4] = 1
    }
    END {
        n = 0
        for (c in col) cols[++n] = c
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (cols[j] < cols[i]) { t = cols[i]; cols[i] = cols[j]; cols[j] = t }
        m = 0
        for (s in scen) rows[++m] = s
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (rows[j] + 0 < rows[i] + 0 || (rows[j] + 0 == rows[i] + 0 && rows[j] < rows[i])) { t = rows[i]; rows[i] = rows[j]; rows[j] = t }
        printf "deployment tier: scenario x (Tomcat version / balancer); - = scenario not about a balancer\n"
        printf "%-9s", "scenario"
        for (i = 1; i <= n; i++) { split(cols[i], p, SUBSEP); printf " %-22s", p[1] "/" p[2] }
        printf "\n"
        for (r = 1; r <= m; r++) {
            printf "%-9s", rows[r]
            for (i = 1; i <= n; i++) { k = rows[r] SUBSEP cols[i]; printf " %-22s", (k in cell) ? cell[k] : "" }
            printf "\n"
        }
    }' "${files[@]}"

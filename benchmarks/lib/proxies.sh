# The balancers under test, each in front of the nodes start_nodes started (sourced after common.sh). Each
# start_* sets PROXY_URL[name] and PROXY_PID[name]. Settings are each product's usual ones; what differs from
# the defaults is said on the line. Health checks: the settings the failover benchmark states in RESULTS.md.
declare -A PROXY_URL PROXY_PID
JK_MODULES=/usr/lib/apache2/modules

need_proxies() {
    need_apt wrk:wrk haproxy:haproxy nginx:nginx-light apache2:apache2 "$JK_MODULES/mod_jk.so:libapache2-mod-jk" curl:curl
}

# The classic mod_jk workers.properties for the nodes (an lb worker wlb, sticky_session=1, one worker per node
# named by its jvmRoute): jk_workers ajp13 (the AJP port, with the secret) or jk_workers http (the HTTP port).
jk_workers() {
    local type=$1 route
    [ "$type" = http ] || [ "${AJP_PORT:--}" != - ] || die "ajp13 workers need the nodes started with --ajp SECRET"
    printf 'worker.list=wlb\n'
    for route in $(printf '%s\n' "${!NODE_ADDR[@]}" | sort); do
        printf 'worker.%s.type=%s\nworker.%s.host=%s\nworker.%s.lbfactor=1\n' \
            "$route" "$type" "$route" "${NODE_ADDR[$route]%:*}" "$route"
        if [ "$type" = ajp13 ]; then
            printf 'worker.%s.port=%s\nworker.%s.secret=%s\n' "$route" "$AJP_PORT" "$route" "$AJP_SECRET"
        else
            printf 'worker.%s.port=%s\n' "$route" "${NODE_ADDR[$route]#*:}"
        fi
    done
    printf 'worker.wlb.type=lb\nworker.wlb.balance_workers=%s\nworker.wlb.sticky_session=1\n' \
        "$(printf '%s\n' "${!NODE_ADDR[@]}" | sort | paste -sd,)"
}

# jvmroute's balancer, defaults (one event loop per core, health checks every 1 s, out after 2 failures), the
# access log off like the others' (ACCESS_LOG=1 keeps it).
start_jvmroute() { # [NAME [ADDRESS [WORKER_TYPE]]]: a second instance (a variant's settings) needs its own name and address
    local name=${1:-jvmroute} addr=${2:-127.0.0.21} type=${3:-http} port admin workers=()
    port=$(free_port $addr); admin=$(free_port $addr)
    local route
    for route in $(printf '%s\n' "${!NODE_ADDR[@]}" | sort); do workers+=(--worker "$route=${NODE_ADDR[$route]}"); done
    local logback=()
    if [ "${ACCESS_LOG:-0}" != 1 ]; then
        unzip -p "$BALANCER_JAR" logback.xml \
            | sed 's/name="io.jvmroute.balancer.access" level="INFO"/name="io.jvmroute.balancer.access" level="OFF"/' > "$WORK/logback.xml"
        logback=(-Dlogback.configurationFile="$WORK/logback.xml")
    fi
    # JVMROUTE_SETTINGS="pool.max_idle=256 ..." (balancer.* keys) or ajp13 workers: run it from a workers.properties.
    if [ -n "${JVMROUTE_SETTINGS:-}" ] || [ "$type" != http ]; then
        local kv
        {
            jk_workers "$type"
            for kv in ${JVMROUTE_SETTINGS:-}; do printf 'balancer.%s\n' "$kv"; done
        } > "$WORK/$name-workers.properties"
        workers=("$WORK/$name-workers.properties")
    fi
    java -Xmx256m "${logback[@]}" ${JVMROUTE_JVM_OPTS:-} -jar "$BALANCER_JAR" balancer --listen "$addr:$port" \
        --admin-listen "$addr:$admin" "${workers[@]}" > "$WORK/$name.log" 2>&1 &
    PROXY_PID[$name]=$!; STARTED_PIDS+=($!)
    PROXY_URL[$name]="http://$addr:$port"
}

# HAProxy 2.6: sticky on the jvmRoute suffix of JSESSIONID (use-server), round robin otherwise, its usual health
# check (GET every 2 s, out after 3 failures, back after 2), redispatch on a failed connection, 3 retries.
start_haproxy() {
    local addr=127.0.0.22 port route
    port=$(free_port $addr)
    {
        printf 'global\n    maxconn 4096\ndefaults\n    mode http\n    timeout connect 2s\n    timeout client 30s\n'
        printf '    timeout server 30s\n    option http-keep-alive\n    http-reuse always\n    option redispatch\n    retries 3\n'
        [ "${ACCESS_LOG:-0}" = 1 ] && printf '    log stdout format raw local0\n    option httplog\n'
        printf 'frontend fe\n    bind %s:%s\n    default_backend tomcats\n' "$addr" "$port"
        printf 'backend tomcats\n    balance roundrobin\n    option httpchk GET /demo/tiny.jsp\n'
        printf '    use-server %%[req.cook(JSESSIONID),field(2,.)] if { req.cook(JSESSIONID),field(2,.) -m found }\n'
        for route in $(printf '%s\n' "${!NODE_ADDR[@]}" | sort); do
            printf '    server %s %s check inter 2s fall 3 rise 2\n' "$route" "${NODE_ADDR[$route]}"
        done
    } > "$WORK/haproxy.cfg"
    haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 &
    PROXY_PID[haproxy]=$!; STARTED_PIDS+=($!)
    PROXY_URL[haproxy]="http://$addr:$port"
}

# nginx 1.22: Debian's worker_processes auto, upstream keepalive 64 (HTTP/1.1 to the nodes), no sticky routing
# (nginx's open-source build has none; it round-robins every request), passive health (max_fails 1, 10 s).
start_nginx() {
    local addr=127.0.0.23 port route servers=""
    port=$(free_port $addr)
    for route in $(printf '%s\n' "${!NODE_ADDR[@]}" | sort); do servers+="server ${NODE_ADDR[$route]}; "; done
    mkdir -p "$WORK/nginx-temp"
    cat > "$WORK/nginx.conf" <<CFG
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log $( [ "${ACCESS_LOG:-0}" = 1 ] && echo "$WORK/nginx-access.log" || echo off );
    client_body_temp_path $WORK/nginx-temp/body;
    proxy_temp_path $WORK/nginx-temp/proxy;
    upstream tomcats { $servers keepalive 64; }
    server {
        listen $addr:$port;
        location / { proxy_pass http://tomcats; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
CFG
    nginx -c "$WORK/nginx.conf" -g 'daemon off;' > "$WORK/nginx.log" 2>&1 &
    PROXY_PID[nginx]=$!; STARTED_PIDS+=($!)
    PROXY_URL[nginx]="http://$addr:$port"
}

# Apache httpd 2.4 (event MPM, Debian's module set) + mod_jk over AJP, the classic recipe: an lb worker with
# sticky_session=1 and one ajp13 worker per node named by its jvmRoute; mod_jk's defaults otherwise (no
# ping_mode; a refused connection puts the worker in error state and the request goes to another).
# KeepAlive without a per-connection request cap (MaxKeepAliveRequests 0), as HAProxy and jvmroute have none;
# all 16 processes of 25 threads started at once (StartServers 16), so 256 connections find threads ready.
start_httpd_jk() {
    local addr=127.0.0.24 port route
    port=$(free_port $addr)
    jk_workers ajp13 > "$WORK/workers.properties"
    cat > "$WORK/httpd.conf" <<CFG
ServerRoot /etc/apache2
ServerName $addr
LoadModule mpm_event_module $JK_MODULES/mod_mpm_event.so
LoadModule authz_core_module $JK_MODULES/mod_authz_core.so
LoadModule jk_module $JK_MODULES/mod_jk.so
Listen $addr:$port
PidFile $WORK/httpd.pid
ErrorLog $WORK/httpd-error.log
LogLevel warn
User www-data
Group www-data
KeepAlive On
MaxKeepAliveRequests 0
StartServers 16
ServerLimit 16
ThreadsPerChild 25
MaxRequestWorkers 400
MinSpareThreads 25
MaxSpareThreads 400
Mutex file:$WORK default
JkWorkersFile $WORK/workers.properties
JkShmFile $WORK/jk.shm
JkLogFile $WORK/mod_jk.log
JkLogLevel error
JkMount /* wlb
CFG
    [ "${ACCESS_LOG:-0}" = 1 ] && printf 'LoadModule log_config_module %s/mod_log_config.so\nCustomLog %s/httpd-access.log common\n' \
        "$JK_MODULES" "$WORK" >> "$WORK/httpd.conf"
    APACHE_RUN_DIR=$WORK apache2 -f "$WORK/httpd.conf" -DFOREGROUND > "$WORK/httpd.log" 2>&1 &
    PROXY_PID[modjk]=$!; STARTED_PIDS+=($!)
    PROXY_URL[modjk]="http://$addr:$port"
}

# The direct target: node jvm1 itself, no proxy (its CPU is not a proxy's, so none is reported).
start_direct() {
    PROXY_URL[direct]="http://${NODE_ADDR[jvm1]}"
    PROXY_PID[direct]=""
}

start_target() {
    case $1 in
        direct) start_direct ;;
        jvmroute) start_jvmroute ;;
        # jvmroute with backend pools sized for 256 busy clients per worker (defaults: 256 open, 32 idle per worker)
        jvmroute-pool) JVMROUTE_SETTINGS="pool.max_connections=1024 pool.max_idle=512" start_jvmroute jvmroute-pool 127.0.0.25 ;;
        # jvmroute speaking AJP13 to the nodes, from the same workers.properties mod_jk reads (ajp13, with the secret)
        jvmroute-ajp) start_jvmroute jvmroute-ajp 127.0.0.26 ajp13 ;;
        haproxy) start_haproxy ;;
        nginx) start_nginx ;;
        modjk) start_httpd_jk ;;
        *) die "unknown target $1 (expected: direct jvmroute jvmroute-pool jvmroute-ajp haproxy nginx modjk)" ;;
    esac
}

-- Request shape from the environment (so one script serves every workload), and a machine-readable summary
-- with the percentiles wrk's --latency leaves out (p99.9). Latencies are in microseconds.
local body_bytes = tonumber(os.getenv("WRK_BODY") or "0")
local cookie = os.getenv("WRK_COOKIE") or ""
if body_bytes > 0 then
  wrk.method = "POST"
  wrk.body = string.rep("x", body_bytes)
  wrk.headers["Content-Type"] = "application/octet-stream"
end
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "socket_errors": %d, "non2xx": %d, "p50_us": %d, "p99_us": %d, "p999_us": %d, "bytes": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), summary.bytes))
end

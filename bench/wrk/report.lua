-- Appended to every scenario by scripts/bench: one JSON line per wrk run.
done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"rps":%.2f,"p50_ms":%.3f,"p99_ms":%.3f,"requests":%d,"non2xx":%d,"errors":%d}\n',
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end

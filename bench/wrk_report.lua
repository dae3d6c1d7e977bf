-- wrk script for bench/pages.py.
-- With BENCH_BODY set, every request is a POST of that body, to the paths in BENCH_PATHS (comma-separated) in
-- turn, so each connection saves a different day than the one before; the headers given with -H (cookie, CSRF
-- origin, content type) go with each. Without it, wrk sends its plain GET.
-- When wrk finishes: one JSON line with throughput, latency percentiles (ms) and errors (non-2xx/3xx included).
local body = os.getenv("BENCH_BODY")
if body then
  local paths = {}
  for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^,]+") do
    table.insert(paths, path)
  end
  local counter = 0
  request = function()
    counter = counter + 1
    return wrk.format("POST", paths[(counter % #paths) + 1], nil, body)
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "rps": %.2f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d, "timeouts": %d, "bad_status": %d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, e.timeout, e.status))
end

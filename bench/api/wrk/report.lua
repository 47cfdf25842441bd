-- report.lua: shared by every bench/api wrk script. Gives each thread its
-- own random seed and, when wrk is done, writes the summary as one JSON
-- object to $BENCH_REPORT (latencies in microseconds).
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_no", counter)
end

function seed_thread()
   math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
end

function done(summary, latency, requests)
   local e = summary.errors
   local f = assert(io.open(os.getenv("BENCH_REPORT"), "w"))
   f:write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
      '"read_errors": %d, "write_errors": %d, "status_errors": %d, ' ..
      '"timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
      '"max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read,
      e.write, e.status, e.timeout, latency:percentile(50),
      latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean))
   f:close()
end

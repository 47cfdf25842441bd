-- create_tasks.lua: each wrk thread POSTs $BENCH_PER_THREAD one_time tasks
-- to /tasks as the user of $BENCH_TOKEN, calling back $BENCH_CALLBACK.
-- Run times: every task at $BENCH_T0 when $BENCH_RATE is 0 (burst), else
-- $BENCH_RATE tasks per second in total from $BENCH_T0 on (steady); with
-- $BENCH_CRON = 1, cron tasks firing daily at $BENCH_T0's minute; the
-- threads share each second evenly. A thread that has all its POST answers
-- stops sending; wrk itself runs until run stops it with SIGINT (wrk waits out
-- its -d duration otherwise), and done() writes {"requests",
-- "duration_us", "errors", "p99_us"} to $BENCH_REPORT.
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_no", counter - 1)
end

local sent, answered, per_thread, t0, rate, threads, token, callback, cron

function init(args)
   per_thread = tonumber(os.getenv("BENCH_PER_THREAD"))
   t0 = tonumber(os.getenv("BENCH_T0"))
   rate = tonumber(os.getenv("BENCH_RATE"))
   threads = tonumber(os.getenv("BENCH_THREADS"))
   token = os.getenv("BENCH_TOKEN")
   callback = os.getenv("BENCH_CALLBACK")
   cron = os.getenv("BENCH_CRON") == "1"
   sent, answered = 0, 0
end

function request()
   if sent >= per_thread then
      -- This thread's share is sent: keep its other connections busy with
      -- a request that creates nothing until the last 201 is in.
      return wrk.format("GET", "/health")
   end
   local when = t0
   if rate > 0 then
      -- Task k of this thread is task k*threads + thread_no overall.
      when = t0 + math.floor((sent * threads + thread_no) / rate)
   end
   sent = sent + 1
   local body
   if cron then
      -- Daily at the due minute, in UTC ($BENCH_T0 is a minute boundary).
      body = string.format(
         '{"task_type":"cron","url":"%s","cron":"%s",' ..
         '"post_data":{"campaign":"bench","n":%d}}',
         callback, os.date("!%M %H * * *", when), sent)
   else
      body = string.format(
         '{"task_type":"one_time","url":"%s","run_datetime":"%s",' ..
         '"post_data":{"campaign":"bench","n":%d}}',
         callback, os.date("!%Y-%m-%dT%H:%M:%SZ", when), sent)
   end
   return wrk.format("POST", "/tasks", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
   if status ~= 200 then
      answered = answered + 1      -- a POST's answer (201, or an error)
   end
   if answered >= per_thread then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   local f = assert(io.open(os.getenv("BENCH_REPORT"), "w"))
   f:write(string.format(
      '{"requests": %d, "duration_us": %d, "errors": %d, "p99_us": %d}\n',
      summary.requests, summary.duration,
      e.connect + e.read + e.write + e.status + e.timeout,
      latency:percentile(99)))
   f:close()
end

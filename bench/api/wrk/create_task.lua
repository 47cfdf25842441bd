-- create_task.lua: POST /tasks with a valid one_time task (the body in
-- $BENCH_BODY) as a random one of the users ($BENCH_TOKENS).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local reqs = {}

function init(args)
   seed_thread()
   local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
   local body = f:read("*a")
   f:close()
   for token in io.lines(os.getenv("BENCH_TOKENS")) do
      if #token > 0 then
         reqs[#reqs + 1] = wrk.format("POST", "/tasks", {
            ["Authorization"] = "Bearer " .. token,
            ["Content-Type"] = "application/json" }, body)
      end
   end
   assert(#reqs > 0, "no tokens in " .. os.getenv("BENCH_TOKENS"))
end

function request()
   return reqs[math.random(#reqs)]
end

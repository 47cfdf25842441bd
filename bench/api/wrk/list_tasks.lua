-- list_tasks.lua: GET /tasks?per_page=50 (first page, with the total
-- count) as a random one of the users. $BENCH_TOKENS: one token a line.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local reqs = {}

function init(args)
   seed_thread()
   for token in io.lines(os.getenv("BENCH_TOKENS")) do
      if #token > 0 then
         reqs[#reqs + 1] = wrk.format("GET", "/tasks?per_page=50",
            { ["Authorization"] = "Bearer " .. token })
      end
   end
   assert(#reqs > 0, "no tokens in " .. os.getenv("BENCH_TOKENS"))
end

function request()
   return reqs[math.random(#reqs)]
end

-- get_task.lua: GET /tasks/{id} for random ids of all users, each with the
-- token of the id's owner. $BENCH_PAIRS holds one "TOKEN ID" pair a line.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local reqs = {}

function init(args)
   seed_thread()
   for line in io.lines(os.getenv("BENCH_PAIRS")) do
      local token, id = line:match("^(%S+) (%S+)$")
      if token then
         reqs[#reqs + 1] = wrk.format("GET", "/tasks/" .. id,
            { ["Authorization"] = "Bearer " .. token })
      end
   end
   assert(#reqs > 0, "no token/id pairs in " .. os.getenv("BENCH_PAIRS"))
end

function request()
   return reqs[math.random(#reqs)]
end

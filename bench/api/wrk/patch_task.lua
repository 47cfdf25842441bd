-- patch_task.lua: PATCH /tasks/{id} for random ids of all users, each with
-- the token of the id's owner ($BENCH_PAIRS: one "TOKEN ID" pair a line).
-- Every request changes post_data (a counter of its thread), so each one
-- is a real change: a new version, the quota's byte count adjusted.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local pairs_ = {}
local n = 0

function init(args)
   seed_thread()
   for line in io.lines(os.getenv("BENCH_PAIRS")) do
      local token, id = line:match("^(%S+) (%S+)$")
      if token then
         pairs_[#pairs_ + 1] = { "Bearer " .. token, "/tasks/" .. id }
      end
   end
   assert(#pairs_ > 0, "no token/id pairs in " .. os.getenv("BENCH_PAIRS"))
end

function request()
   local p = pairs_[math.random(#pairs_)]
   n = n + 1
   return wrk.format("PATCH", p[2], {
      ["Authorization"] = p[1],
      ["Content-Type"] = "application/json" },
      string.format('{"post_data": {"campaign": "spring", "edit": %d}}', n))
end

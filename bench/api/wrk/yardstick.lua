-- yardstick.lua: the yardsticks (static file, do-nothing FastCGI
-- responder), driven like the API runs: a request function picking one of
-- the users' pre-formatted requests (same Authorization header) at random.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local reqs = {}

function init(args)
   seed_thread()
   local path = wrk.path
   for token in io.lines(os.getenv("BENCH_TOKENS")) do
      if #token > 0 then
         reqs[#reqs + 1] = wrk.format("GET", path,
            { ["Authorization"] = "Bearer " .. token })
      end
   end
   assert(#reqs > 0, "no tokens in " .. os.getenv("BENCH_TOKENS"))
end

function request()
   return reqs[math.random(#reqs)]
end

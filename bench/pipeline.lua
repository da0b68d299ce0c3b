-- wrk script for bench/server: every write carries 16 pipelined GET /hello
-- requests (wrk counts each response). The depth comes from the first script
-- argument: wrk -s pipeline.lua URL -- 16
local depth = 16

init = function(args)
  depth = tonumber(args[1]) or depth
  local path = wrk.path ~= "" and wrk.path or "/hello"
  local reqs = {}
  for i = 1, depth do
    reqs[i] = wrk.format(nil, path)
  end
  batch = table.concat(reqs)
end

request = function()
  return batch
end

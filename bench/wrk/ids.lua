-- Requests spread over the ids in BENCH_IDS (space-separated), in random order.
-- BENCH_METHOD, BENCH_PATH (with {id}), BENCH_BODY_FILE and BENCH_AUTH come from the script.
local ids = {}
for id in string.gmatch(os.getenv("BENCH_IDS") or "", "%S+") do ids[#ids + 1] = id end
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local body = nil
local body_file = os.getenv("BENCH_BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  body = f:read("*a")
  f:close()
end
local headers = {}
local ctype = os.getenv("BENCH_CONTENT_TYPE")
if ctype and ctype ~= "" then headers["Content-Type"] = ctype end
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then headers["Authorization"] = auth end
if os.getenv("BENCH_CLOSE") == "1" then headers["Connection"] = "close" end

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000)
end

request = function()
  local p = path
  if #ids > 0 then p = string.gsub(path, "{id}", ids[math.random(#ids)]) end
  return wrk.format(method, p, headers, body)
end

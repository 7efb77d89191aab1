-- wrk script for the partner API benchmarks (bench/api.py drives it).
-- Environment: BENCH_SCENARIO (register_known | register_new | progress_save |
-- result_get | token_create | client_info), BENCH_CLIENT (client key), BENCH_KEYS (a file of
-- keys, one a line: user ids, user keys or result keys), BENCH_RUN (a unique tag
-- for new user ids). Prints one JSON line with the figures at the end.

local scenario = os.getenv("BENCH_SCENARIO")
local client = os.getenv("BENCH_CLIENT") or ""
local keys_file = os.getenv("BENCH_KEYS")
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local base = "/partner/api/v2/"

local keys = {}
local counter = 0
-- Every Nth request asks the server to close, so wrk reconnects and the
-- connections spread over the gunicorn workers instead of sticking to
-- whichever accepted first (same for both sides).
local reconnect_every = tonumber(os.getenv("BENCH_RECONNECT_EVERY") or "50")
local close = { ["Connection"] = "close" }
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  if keys_file then
    for line in io.lines(keys_file) do
      if #line > 0 then keys[#keys + 1] = line end
    end
  end
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end

local function pick()
  return keys[math.random(#keys)]
end

local function progress()
  -- {"1":"a",...,"20":"b"} url-encoded
  local parts = {}
  for i = 1, 20 do
    local option = (math.random(2) == 1) and "a" or "b"
    parts[i] = "%22" .. i .. "%22%3A%22" .. option .. "%22"
  end
  return "%7B" .. table.concat(parts, "%2C") .. "%7D"
end

request = function()
  counter = counter + 1
  local path
  if scenario == "register_known" then
    path = base .. "user/register?client=" .. client .. "&user_id=" .. pick()
  elseif scenario == "register_new" then
    path = base .. "user/register?client=" .. client .. "&user_id=n" .. run .. "-" .. tid .. "-" .. counter
  elseif scenario == "progress_save" then
    path = base .. "progress/save?test=career-interests&user_key=" .. pick() .. "&progress=" .. progress()
  elseif scenario == "result_get" then
    path = base .. "result/get?result_key=" .. pick()
  elseif scenario == "client_info" then
    path = base .. "client/info?client=" .. client
  elseif scenario == "token_create" then
    path = base .. "token/create?client=" .. client .. "&user_key=" .. pick() .. "&test=career-interests"
  else
    error("unknown BENCH_SCENARIO " .. tostring(scenario))
  end
  if reconnect_every > 0 and counter % reconnect_every == 0 then
    return wrk.format("GET", path, close)
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  -- BENCH_HIST=path: the latency distribution as 1000 quantiles ("microseconds
  -- weight" lines, weight = requests / 1000), so that runs cut into slices can
  -- be merged (bench/purge.py). This wrk cannot index its raw histogram.
  local hist = os.getenv("BENCH_HIST")
  if hist then
    local f = io.open(hist, "w")
    local weight = summary.requests / 1000
    for k = 0, 999 do
      f:write(latency:percentile((k + 0.5) / 10), " ", weight, "\n")
    end
    f:close()
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, '
    .. '"errors_connect": %d, "errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end

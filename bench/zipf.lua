-- wrk: API details of N article ids read with a Zipf distribution (s = 1 unless told),
-- alternately ?lang=en and ?lang=vi, counting the X-Cache response header.
--
--   wrk -t1 -c16 -d30s -s bench/zipf.lua http://127.0.0.1:8610 -- IDS_FILE [S]
--
-- IDS_FILE: one page id a line, the most requested first (rank k is read with
-- probability proportional to 1 / k^s). Prints one line, BENCH {...}, like report.lua,
-- plus hits, misses and responses without the header ("other"). Each wrk thread has its
-- own Lua state: the counters of every thread are summed in done() via setup()'s threads.

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local path, s = args[1], tonumber(args[2] or "1")
  ids, cdf = {}, {}
  for line in io.lines(path) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  local total = 0
  for k = 1, #ids do
    total = total + 1 / k ^ s
    cdf[k] = total
  end
  for k = 1, #ids do cdf[k] = cdf[k] / total end
  math.randomseed(os.time() * 1000 + (thread_number or 1))
  hits, misses, other, flip = 0, 0, 0, 0
end

local function pick()
  local u, lo, hi = math.random(), 1, #cdf
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return ids[lo]
end

function request()
  flip = 1 - flip
  local lang = flip == 1 and "en" or "vi"
  return wrk.format("GET", "/api/v1/pages/" .. pick() .. "/?lang=" .. lang)
end

function response(status, headers, body)
  local cache = headers["X-Cache"] or headers["x-cache"]
  if cache == "hit" then
    hits = hits + 1
  elseif cache then
    misses = misses + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + (thread:get("hits") or 0)
    m = m + (thread:get("misses") or 0)
    o = o + (thread:get("other") or 0)
  end
  local secs = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"requests": %d, "rps": %.2f, "p50": %.3f, "p99": %.3f, "mean": %.3f, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"hits": %d, "misses": %d, "other": %d}\n',
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, h, m, o))
end

-- wrk: the API detail of every article id of IDS_FILE once in each language (?lang=en, then
-- ?lang=vi), then stop. The mixed load runs it before its warm-up, so that its hit ratio
-- measures what publishes purge, not entries read for the first time (the Zipf tail).
--
--   wrk -t1 -c16 -d300s -s bench/sweep.lua http://127.0.0.1:8610 -- IDS_FILE DONE_FILE
--
-- wrk's main thread sleeps for the whole -d even once the thread has stopped: this script
-- writes DONE_FILE when every answer is in, and bench/run.py then interrupts wrk (SIGINT),
-- which prints the summary at once.
-- One wrk thread only (-t1): the position in the list is this thread's. Prints BENCH {...}
-- like report.lua, with how many answers were 200 (counted in done() via setup()'s threads).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(args[1]) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  done_file = args[2]
  sent, answered, ok = 0, 0, 0
end

function request()
  sent = sent + 1
  local i = math.min(sent, 2 * #ids) -- the connections still open at the end repeat the last
  local id = ids[math.floor((i - 1) / 2) + 1]
  local lang = (i % 2 == 1) and "en" or "vi"
  return wrk.format("GET", "/api/v1/pages/" .. id .. "/?lang=" .. lang)
end

function response(status, headers, body)
  answered = answered + 1
  if status == 200 then ok = ok + 1 end
  if answered == 2 * #ids then
    if done_file then
      local marker = io.open(done_file, "w")
      marker:write("done\n")
      marker:close()
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local ok = 0
  for _, thread in ipairs(threads) do ok = ok + (thread:get("ok") or 0) end
  local secs = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"requests": %d, "rps": %.2f, "p50": %.3f, "p99": %.3f, "mean": %.3f, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "ok": %d}\n',
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, ok))
end

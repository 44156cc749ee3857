-- wrk's script for make bench: POST /api/problems/{id}/events with a progress note, as the
-- bench's unit member (a bearer token). Each wrk thread cycles through its own share of the
-- items, so two requests in flight never move the same item (the figure is throughput, not
-- conflicts; a conflict would show as a non-2xx answer).
-- Arguments after "--": the token ("-" for none), the item ids comma-separated, wrk's -t.
-- done() prints one JSON line that rectify_bench reads.

local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  local all = {}
  for id in string.gmatch(args[2], "%d+") do all[#all + 1] = id end
  local threads = tonumber(args[3])
  local share = math.floor(#all / threads)
  ids = {}
  for i = 1, share do ids[i] = all[thread_index * share + i] end
  headers = { ["Content-Type"] = "application/json" }
  if args[1] ~= "-" then headers["Authorization"] = "Bearer " .. args[1] end
  sent = 0
end

function request()
  sent = sent + 1
  local id = ids[sent % #ids + 1]
  local body = '{"event":"progress","note":"进展 ' .. sent .. '"}'
  return wrk.format("POST", "/api/problems/" .. id .. "/events", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"socket_errors":%d,"non_2xx":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

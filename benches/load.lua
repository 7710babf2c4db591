-- Mixed load for `wrk` (benches/load.sh): nine reads in ten (a street list page, a record,
-- its history, a search, a vector tile), one write in ten (a new place in its own changeset,
-- with an approval document). The token comes from the environment (DIMING_TOKEN); with
-- WRITES=0 the tenth request is a read too (the same mix without its writes).
local token = os.getenv("DIMING_TOKEN")
local writes = os.getenv("WRITES") ~= "0"
local counter = 0
local thread_id = 0
local ids = {}

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

local reads = {
  "/api/layers/streets?limit=20",
  "/api/layers/door_plates?bbox=111.96,43.64,111.98,43.66&limit=50",
  "/api/search?q=qianjin",
  "/api/search?q=%E5%89%8D%E8%BF%9B",
  "/tiles/door_plates/15/26576/12101.mvt",
  "/api/units/at?lon=111.97667&lat=43.6475",
}

local digits = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" }
local function numeral(n)
  local s = ""
  for d in tostring(n):gmatch(".") do s = s .. digits[tonumber(d) + 1] end
  return s
end

request = function()
  counter = counter + 1
  if writes and counter % 10 == 0 then
    local name = "压测" .. numeral(tid) .. "号" .. numeral(counter) .. "楼"
    local lon = 111.95 + (counter % 200) * 0.0001
    local body = string.format(
      '{"reason":"压力测试","document":{"issuer":"二连浩特市人民政府","number":"二政发〔2026〕9号","date":"2026-11-01"},' ..
      '"writes":[{"op":"create","layer":"places","feature":{"type":"Feature",' ..
      '"geometry":{"type":"Point","coordinates":[%f,43.64]},"properties":{"name":"%s","category":"building"}}}]}',
      lon, name)
    return wrk.format("POST", "/api/changesets",
      { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("GET", reads[(counter % #reads) + 1], { ["Authorization"] = "Bearer " .. token })
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d in %.1f s: %.0f/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; errors %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

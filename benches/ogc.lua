-- OGC API – Features items requests for wrk: a random box of about 800 m × 900 m over the
-- demo city's door plates, 100 features at most. ITEMS is the server's items path, FORMAT its
-- name for GeoJSON (`json` unless given).
local items = os.getenv("ITEMS")
local format = os.getenv("FORMAT") or "json"
math.randomseed(20261202)
request = function()
  local w = 111.937 + math.random() * 0.066
  local s = 43.627 + math.random() * 0.038
  local path = string.format("%s?bbox=%.5f,%.5f,%.5f,%.5f&limit=100&f=%s", items, w, s, w + 0.01, s + 0.008, format)
  return wrk.format("GET", path)
end

-- Vector tile requests for wrk: a random tile of the demo city at zooms 13 to 17, of the layer
-- TABLE (door_plates by default), as a map client asks them while panning.
local table_name = os.getenv("TABLE") or "door_plates"
math.randomseed(20261207)
local function tile(lon, lat, z)
  local n = 2 ^ z
  local x = math.floor((lon + 180) / 360 * n)
  local r = math.rad(lat)
  local y = math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
  return x, y
end
request = function()
  local z = 13 + math.random(0, 4)
  local x, y = tile(111.937 + math.random() * 0.076, 43.627 + math.random() * 0.046, z)
  return wrk.format("GET", string.format("/tiles/%s/%d/%d/%d.mvt", table_name, z, x, y))
end

-- wrk: each request asks for the home page of a random one of $TENANTS tenants (t1..tN).
local port = os.getenv("PORT")
local tenants = tonumber(os.getenv("TENANTS"))
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
request = function()
  local host = "t" .. math.random(1, tenants) .. ".localhost:" .. port
  return wrk.format("GET", "/", { ["Host"] = host })
end

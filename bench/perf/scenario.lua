-- wrk script for bench/perf/run.py: signed-in agents, one per connection (-t N -c N).
-- BENCH_DATA names a Lua file the runner writes: { users = {{cookie=, csrf=}, …},
-- requests = {{method=, path=, body=, htmx=, token=}, …}, rotate = true|false }.
-- Each thread takes its own user and walks the requests in order (from an offset of its own
-- when `rotate`): a support toggle then alternates cast and withdraw for that user.

local data = dofile(os.getenv("BENCH_DATA"))
local threads, next_id = {}, 1

function setup(thread)
  thread:set("id", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end

function init(args)
  local user = data.users[((id - 1) % #data.users) + 1]
  cookie, csrf, statuses = user.cookie, user.csrf, {}
  position = data.rotate and (id * 7919) % #data.requests or 0
  math.randomseed(id * 104729 + os.time())
end

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

local function token()
  local chars = {}
  for n = 1, 22 do
    local k = math.random(1, #alphabet)
    chars[n] = alphabet:sub(k, k)
  end
  return table.concat(chars)
end

function request()
  local r = data.requests[position + 1]
  position = (position + 1) % #data.requests
  local headers = { Cookie = cookie, ["Accept-Language"] = "fr" }
  if r.htmx then headers["HX-Request"] = "true" end
  local body = nil
  if r.method == "POST" then
    headers["X-CSRFToken"] = csrf
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = r.body or ""
    if r.token then body = body .. "&submission_token=" .. token() end
  end
  return wrk.format(r.method, r.path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "mean_us": %.1f, "max_us": %d, "statuses": {%s}, "errors": ' ..
    '{"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max, table.concat(parts, ", "),
    errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end

"""Times first renders: each request asks for the home page of a tenant not asked for
before (t1..t500, copies of acme made by scale_tenants.py), so the page cache misses every
time, as it does for each tenant after a restart. Prints p50/p99/max."""
import http.client, sys, time

port = int(sys.argv[1])
conn = http.client.HTTPConnection("127.0.0.1", port)
times = []
for n in range(1, 501):
    start = time.perf_counter()
    conn.request("GET", "/", headers={"Host": f"t{n}.localhost:{port}"})
    response = conn.getresponse()
    response.read()
    times.append((time.perf_counter() - start) * 1000)
    assert response.status == 200, response.status
times.sort()
print(f"p50 {times[len(times) // 2]:.2f} ms, p99 {times[int(len(times) * 0.99)]:.2f} ms, max {times[-1]:.2f} ms")

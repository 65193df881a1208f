"""pyinstrument over one page, for bench/perf/run.py: a process with the server's environment
(BENCH_PROFILE: the account, the requests, the output file), the Flask test client signed in
through the login form, the requests replayed for a few seconds after one warm-up round."""

import json
import os
import re
import time
from urllib.parse import parse_qsl

from pyinstrument import Profiler

from ideas import create_app
from ideas.scale.seed import SCALE_PASSWORD

CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
SECONDS = float(os.environ.get("BENCH_PROFILE_SECONDS", 5))


def main() -> None:
    job = json.loads(os.environ["BENCH_PROFILE"])
    app = create_app(os.environ.get("FLASK_CONFIG", "production"))
    base = "https://localhost"
    client = app.test_client()
    # Over HTTPS (Secure cookies come back, as behind the proxy), CSRF also checks the Referer.
    client.environ_base.update(HTTP_REFERER=f"{base}/")

    def csrf() -> str:
        return CSRF.search(client.get(f"{base}/accessibilite").text).group(1)

    response = client.post(f"{base}/connexion", data={
        "email": job["email"], "password": SCALE_PASSWORD, "csrf_token": csrf()})
    assert response.status_code == 302, response.status_code
    token = csrf()

    def send(request: dict):
        headers = {"HX-Request": "true"} if request.get("htmx") else {}
        if request["method"] == "GET":
            return client.get(base + request["path"], headers=headers)
        headers["X-CSRFToken"] = token
        return client.post(base + request["path"], headers=headers,
                           data=dict(parse_qsl(request.get("body", ""))))

    for request in job["requests"]:
        send(request)
    profiler = Profiler(interval=0.0005)
    count, deadline = 0, time.monotonic() + SECONDS
    with profiler:
        while time.monotonic() < deadline:
            send(job["requests"][count % len(job["requests"])])
            count += 1
    with open(job["out"], "w", encoding="utf-8") as out:
        out.write(f"# {count} requests: {[r['path'] for r in job['requests'][:3]]}\n")
        out.write(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()

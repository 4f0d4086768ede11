"""Load test of the feed server against nginx serving the same .ics bytes (loopback only).

    .venv/bin/python bench/feed_server.py [--feed class:7B|admin|teacher:T-RUS1] [--duration 10] [--connections 20]
                                          [--threads 2] [--workers 1] [--http auto|h11|httptools]
                                          [--loop auto|asyncio|uvloop] [--out results.jsonl]

Publishes scenario 01 of the sample school into a temporary data directory, starts the feed server
(uvicorn + `planner.publish.feeds.server:create_app`, no access log) and nginx (a config written to the same temporary
directory: `daemon off`, pid, logs and temp paths there, the feed's bytes as fetched from our server as a static
file) on two free 127.0.0.1 ports, then runs `wrk -t2 -c20 -d10s` four times: 200 responses (plain GET) and 304
responses (`-H 'If-None-Match: <ETag>'`, each server's own ETag) against each. Prints one JSON object: req/s,
requests, errors (non-2xx/3xx and socket errors) per run, and the ratio ours/nginx per kind (target ≥ 0.30).

Both servers run under `timeout` (they stop by themselves after the bench's time budget even if this script is
killed) and are killed in `finally`. Needs `wrk` and `nginx` (Debian: `apt-get install -y wrk nginx`); the
tests do not. `--workers` is the process count of both servers (uvicorn --workers, nginx worker_processes).
`--http`/`--loop` pick uvicorn's HTTP parser and event loop (auto = httptools/uvloop when installed, i.e. with
`uvicorn[standard]`), to measure each step. wrk runs on the same machine and competes for its CPUs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "sample_data" / "school-17"
NOW = datetime(2026, 12, 4, 10, tzinfo=timezone.utc)
TARGET_RATIO = 0.30
GUARDED = "planner.publish.feeds.httpguard:GuardedHttpToolsProtocol"
MIN_REQUESTS = 10_000

NGINX_CONF = """worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    types {{ text/calendar ics; }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/calendar;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        location /feeds/ {{ add_header Cache-Control "private, no-cache"; }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, name: str, limit_s: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + limit_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode} before answering")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer {url} within {limit_s:.0f} s")
        time.sleep(0.1)


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


_UNITS = {"": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}


def parse_wrk(text: str) -> dict:
    """req/s, requests, duration, non-2xx/3xx responses and socket errors from wrk's output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+),\s+([\d.]+)(\w+) read", text)
    if not (rps and total):
        raise RuntimeError(f"cannot read wrk's output:\n{text}")
    non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    socket_errors = dict(zip(("connect", "read", "write", "timeout"), map(int, sock.groups()))) if sock else {}
    lat = re.search(r"Latency\s+([\d.]+\w+)\s+([\d.]+\w+)\s+([\d.]+\w+)", text)
    p99 = re.search(r"99%\s+([\d.]+\w+)", text)
    return {"req_per_s": float(rps.group(1)), "requests": int(total.group(1)),
            "non_2xx_3xx": int(non.group(1)) if non else 0, "socket_errors": socket_errors,
            "errors": (int(non.group(1)) if non else 0) + sum(socket_errors.values()),
            "latency_avg": lat.group(1) if lat else None, "latency_p99": p99.group(1) if p99 else None}


def run_wrk(url: str, args, headers: dict[str, str]) -> dict:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
           "--timeout", "5s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=args.duration + 60)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr}")
    return parse_wrk(out.stdout)


def prepare(tmp: Path, feed: str):
    """Publish scenario 01 into tmp/data; returns the token of the chosen feed (admin, class:ID, teacher:ID)."""
    from planner.importers import load_school
    from planner.norms import NormLibrary
    from planner.publish.feeds.workflow import publish_to_dir
    from planner.publish.feeds.tokens import TokenStore
    from planner.rebuild import rebuild
    from planner.scenario import scenario_from_toml
    from planner.storage import Store

    school = load_school(SAMPLE).school
    plan = rebuild(school, scenario_from_toml(SAMPLE / "scenarios" / "01-frost-whole-school.toml"), NormLibrary.load())
    kind, _, subject = feed.partition(":")
    with Store.open(tmp / "data") as store:
        publish_to_dir(store, school, plan, None, NOW)
        for t in TokenStore(store).list(school.id):
            if t.kind == kind and (kind == "admin" or t.subject_id == subject):
                return t.secret
    raise SystemExit(f"no feed '{feed}' (use admin, class:ID or teacher:ID)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feed", default="class:7B", help="admin, class:ID or teacher:ID (default class:7B)")
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn workers = nginx worker_processes (default 1)")
    ap.add_argument("--http", default="guarded", choices=("guarded", "auto", "h11", "httptools"),
                    help="uvicorn --http; guarded (default, what `planner serve` and the page run): httptools with "
                         "the request-head limits of planner.publish.feeds.httpguard")
    ap.add_argument("--loop", default="auto", choices=("auto", "asyncio", "uvloop"), help="uvicorn --loop")
    ap.add_argument("--out", help="append the JSON line to this file too")
    args = ap.parse_args(argv)
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (Debian: apt-get install -y wrk nginx)")
    budget = 4 * (args.duration + 60) + 120  # the servers stop by themselves after this
    ours = nginx = None
    with tempfile.TemporaryDirectory(prefix="feed-bench-") as tmp_name:
        tmp = Path(tmp_name)
        os.chmod(tmp, 0o755)  # nginx workers run as nobody when started by root
        secret = prepare(tmp, args.feed)
        path = f"/feeds/{secret}.ics"
        try:
            p_ours, p_nginx = free_port(), free_port()
            env = dict(os.environ, PLANNER_DATA_DIR=str(tmp / "data"))
            ours = subprocess.Popen(
                ["timeout", "-k", "5", str(budget), sys.executable, "-m", "uvicorn", "planner.publish.feeds.server:create_app",
                 "--factory", "--host", "127.0.0.1", "--port", str(p_ours), "--workers", str(args.workers),
                 "--http", GUARDED if args.http == "guarded" else args.http, "--loop", args.loop, "--no-access-log", "--log-level", "warning"],
                cwd=ROOT, env=env, stdout=open(tmp / "uvicorn.log", "wb"), stderr=subprocess.STDOUT,
                start_new_session=True)
            wait_http(f"http://127.0.0.1:{p_ours}{path}", ours, "uvicorn")
            import httpx

            first = httpx.get(f"http://127.0.0.1:{p_ours}{path}", timeout=10)
            www = tmp / "www" / "feeds"
            www.mkdir(parents=True)
            (www / f"{secret}.ics").write_bytes(first.content)  # the same bytes
            for p in (tmp / "www", www, www / f"{secret}.ics"):
                os.chmod(p, 0o755 if p.is_dir() else 0o644)
            (tmp / "nginx.conf").write_text(NGINX_CONF.format(workers=args.workers, tmp=tmp, port=p_nginx))
            nginx = subprocess.Popen(["timeout", "-k", "5", str(budget), "nginx", "-c", str(tmp / "nginx.conf"),
                                      "-p", str(tmp), "-e", str(tmp / "nginx-error.log")],
                                     stdout=open(tmp / "nginx.log", "wb"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
            wait_http(f"http://127.0.0.1:{p_nginx}{path}", nginx, "nginx")

            targets = {"ours": f"http://127.0.0.1:{p_ours}{path}", "nginx": f"http://127.0.0.1:{p_nginx}{path}"}
            etags, bodies, statuses = {}, {}, {}
            for name, url in targets.items():
                r = httpx.get(url, timeout=10)
                etags[name], bodies[name] = r.headers["etag"], r.content
                statuses[name] = {"200": r.status_code, "content_type": r.headers.get("content-type"),
                                  "304": httpx.get(url, headers={"If-None-Match": etags[name]}, timeout=10).status_code}
            if bodies["ours"] != bodies["nginx"] or any(s["200"] != 200 or s["304"] != 304 for s in statuses.values()):
                raise RuntimeError(f"the servers do not answer alike: {statuses}")
            runs = {}
            for kind in ("200", "304"):
                for name, url in targets.items():
                    headers = {"If-None-Match": etags[name]} if kind == "304" else {}
                    runs[f"{name}_{kind}"] = run_wrk(url, args, headers)
        finally:
            stop(ours)
            stop(nginx)
    ratios = {k: round(runs[f"ours_{k}"]["req_per_s"] / runs[f"nginx_{k}"]["req_per_s"], 4) for k in ("200", "304")}
    import uvicorn

    def installed(name: str) -> bool:
        try:
            __import__(name)
            return True
        except ImportError:
            return False

    http_impl = args.http if args.http != "auto" else ("httptools" if installed("httptools") else "h11")
    loop_impl = args.loop if args.loop != "auto" else ("uvloop" if installed("uvloop") else "asyncio")
    result = {
        "bench": "feed_server", "feed": args.feed, "feed_bytes": len(bodies["ours"]),
        "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s", "workers": args.workers,
        "ours": f"uvicorn {uvicorn.__version__} ({http_impl}, {loop_impl}) + create_app (feed fast path), no access log",
        "nginx": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip(),
        "cpus": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(),
        "runs": runs, "ratio_ours_nginx": ratios, "target_ratio": TARGET_RATIO,
        "meets_target": {k: v >= TARGET_RATIO for k, v in ratios.items()},
        "enough_requests": all(r["requests"] >= MIN_REQUESTS for r in runs.values()),
        "errors": sum(r["errors"] for r in runs.values()),
        "content_type": statuses["ours"]["content_type"],
    }
    line = json.dumps(result, ensure_ascii=False)
    print(line)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    return 0 if result["errors"] == 0 and result["enough_requests"] else 1


if __name__ == "__main__":
    sys.exit(main())

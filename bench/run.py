"""The benchmark: production stack on loopback, wrk as the load generator, one table of ratios.

``make bench`` (full: 10,000 articles per language, 3 repetitions of 10 s per
figure) or ``BENCH_QUICK=1 make bench`` (2,000 articles, 1 repetition of 3 s).
Environment: BENCH_RUNS, BENCH_LARGE, BENCH_DURATION, BENCH_CONNECTIONS,
BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_REDIS (redis://127.0.0.1:6379),
BENCH_JSON (write every raw figure to this file), BENCH_MIXED_SECONDS (each phase of the
mixed load), BENCH_MIXED_WARMUP, BENCH_REUSE=1 (keep the databases of an earlier run when
both exist: only the caches are emptied; about 7 minutes saved, for trying a change).
``python -m bench.run --setup`` builds the databases and static files, and stops there.

Every figure is measured in the same run as its baseline, one right after the
other, and printed as a ratio; with several repetitions each ratio is taken
within its repetition and reported as median (min–max).
"""

import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
STATIC_ROOT = WORK / "static"
PY = str(ROOT / ".venv" / "bin" / "python")
IDS_FILE = WORK / "articles.txt"  # the generated articles' ids, the mixed load's Zipf ranks
BIN = ROOT / ".venv" / "bin"

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RUNS = int(os.environ.get("BENCH_RUNS", "1" if QUICK else "3"))
SMALL = 100
LARGE = int(os.environ.get("BENCH_LARGE", "2000" if QUICK else "10000"))
DURATION = int(os.environ.get("BENCH_DURATION", "2" if QUICK else "10"))
WARMUP = 0 if QUICK else 2  # seconds of wrk before an uncached figure (quick: two requests only)
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
LATENCY_CONNECTIONS = (
    1  # the scale rows: one request at a time, so p50 is the service time (with 2,
)
# gunicorn sometimes put both connections on one worker and doubled p50 whatever the size)
# The mixed load (bench/zipf.lua on the cached granian server): a warm-up, then the same load
# without publishes and with one publish a second (bench/faults_publisher.py hot).
MIXED_WARMUP = int(os.environ.get("BENCH_MIXED_WARMUP", "3" if QUICK else "30"))
MIXED_SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "10" if QUICK else "30"))
# Before the warm-up, every article's detail once per language (bench/sweep.lua); 0 to skip.
MIXED_SWEEP = os.environ.get("BENCH_MIXED_SWEEP", "1") not in ("", "0")
SWEEP_SECONDS = 240  # the sweep stops when done; this only bounds it
HOT = 20  # the publisher edits a random article among the 20 most read
POLL_SECONDS = 0.02  # publish -> visible: the poller's interval
VISIBLE_TIMEOUT = 10.0  # a publish not visible in both languages by then counts as never
DEADLINE = time.monotonic() + float(os.environ.get("BENCH_MAX_SECONDS", "600" if QUICK else "5400"))

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
DB_LARGE, DB_SMALL = "bench", "bench_small"
REDIS_LARGE, REDIS_SMALL = 5, 6

# Both servers get the same budget: 2 processes (one per core), a few threads each for
# the time spent waiting on PostgreSQL and Redis, keep-alive on.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
SERVERS = {
    "gunicorn": lambda port: [
        str(BIN / "gunicorn"),
        "cms.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ],
    "granian": lambda port: [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--blocking-threads",
        str(THREADS),
        "--log-level",
        "warning",
        "cms.wsgi:application",
    ],
}

# The scale rows and the mixed load run on the server production uses (README): granian.
# gunicorn's gthread figures swung 2-4x between runs of one repetition (its empty endpoint
# answered 837 to 4,256 req/s), which made ratios between its own phases noise.
PRODUCTION_SERVER = "granian"

_started = []
FIRST_PORT = 8610  # the servers listen on 8610–8614


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def check_deadline(what):
    if time.monotonic() > DEADLINE:
        raise SystemExit(f"bench: time budget exhausted before {what}")


def env_for(db, redis_db, cached=True):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY="bench-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{PG}/{db}",
        REDIS_URL=f"{REDIS}/{redis_db}",
        SECURE_SSL_REDIRECT="false",
        BENCH_STATIC_ROOT=str(STATIC_ROOT),
        LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    if not cached:
        env.update(API_CACHE_SECONDS="0", PAGE_CACHE_SECONDS="0")
    return env


def run(cmd, env=None, timeout=600, quiet=True):
    started = time.monotonic()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"bench: failed ({result.returncode}): {' '.join(cmd)}")
    if not quiet:
        log(f"{' '.join(cmd[-3:])}: {time.monotonic() - started:.1f}s")
    return result.stdout


def pg(*args):
    host = PG.split("@")[-1]
    hostname, _, port = host.partition(":")
    user = PG.split("//")[1].split("@")[0]
    return ["-h", hostname, "-p", port or "5432", "-U", user, *args]


def reusable():
    """BENCH_REUSE=1 and both databases and the static files of an earlier run are here."""
    if os.environ.get("BENCH_REUSE", "") in ("", "0") or not STATIC_ROOT.is_dir():
        return False
    names = run(["psql", *pg("-Atq", "-d", "postgres", "-c", "select datname from pg_database")])
    return {DB_LARGE, DB_SMALL} <= set(names.split())


def snapshot(env):
    return json.loads(
        run([PY, "-m", "bench.snapshot", str(IDS_FILE)], env).strip().splitlines()[-1]
    )


def setup():
    """Fresh databases (small: demo + 100 articles; large: a copy grown to LARGE), static files."""
    started = time.monotonic()
    if reusable():
        for redis_db in (REDIS_LARGE, REDIS_SMALL):
            run(["redis-cli", "-u", f"{REDIS}/{redis_db}", "FLUSHDB"])
        info = snapshot(env_for(DB_LARGE, REDIS_LARGE))
        log(f"BENCH_REUSE: the databases of an earlier run, caches emptied: {info}")
        return info
    for db in (DB_LARGE, DB_SMALL):
        run(["dropdb", *pg("--if-exists", "--force", db)])
    run(["createdb", *pg(DB_SMALL)])
    for redis_db in (REDIS_LARGE, REDIS_SMALL):
        run(["redis-cli", "-u", f"{REDIS}/{redis_db}", "FLUSHDB"])
    env = env_for(DB_SMALL, REDIS_SMALL)
    manage = [PY, "manage.py"]
    # collectstatic and compilemessages need no database: they run while migrate does.
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    side = subprocess.Popen(
        [
            "sh",
            "-c",
            f"{PY} manage.py collectstatic --noinput -v 0 && {PY} manage.py compilemessages "
            "--ignore=.venv --ignore=staticfiles --ignore=bench -v 0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    run([*manage, "migrate", "--noinput", "-v", "0"], env, quiet=False)
    if side.wait(timeout=600) != 0:
        raise SystemExit(f"bench: collectstatic/compilemessages failed:\n{side.stdout.read()}")
    run([*manage, "update_translation_fields"], env)
    run([*manage, "load_demo_content"], env, quiet=False)
    # The loopback address the first server serves (production refuses the placeholder
    # localhost:80, cms.checks); the large database is copied from this one below.
    run([*manage, "set_site_address", "127.0.0.1", str(FIRST_PORT)], env)
    log(run([PY, "-m", "bench.generate", str(SMALL)], env).strip())
    # The large database starts as a copy of the small one, then grows.
    run(["createdb", *pg("-T", DB_SMALL, DB_LARGE)])
    env = env_for(DB_LARGE, REDIS_LARGE)
    log(run([PY, "-m", "bench.generate", str(LARGE)], env).strip())
    run(["psql", *pg("-q", "-d", DB_LARGE, "-c", "VACUUM ANALYZE")])
    run(["psql", *pg("-q", "-d", DB_SMALL, "-c", "VACUUM ANALYZE")])
    for db in (DB_SMALL, DB_LARGE):  # a pending change would be drained by the first publish
        count = "select count(*) from readmodel_documentchange"
        pending = int(run(["psql", *pg("-Atq", "-d", db, "-c", count)]).strip())
        if pending:
            raise SystemExit(f"bench: {pending} change(s) left in the outbox of {db}")
    info = snapshot(env)
    log(f"setup done in {time.monotonic() - started:.0f}s: {info}")
    return info


def start(name, kind, port, env):
    log_file = open(WORK / f"{name}.log", "w")
    proc = subprocess.Popen(
        SERVERS[kind](port),
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    _started.append(proc)
    return name, proc, port, log_file.name


def wait_ready(name, proc, port, log_name):
    url = f"http://127.0.0.1:{port}/static/bench/detail.json"
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit(f"bench: {name} exited; see {log_name}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: {name} did not start on port {port}")


def stop_all():
    for proc in _started:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for proc in _started:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    _started.clear()


def fetch(url, expect_cache=None):
    """One request before loading a URL: it must be a 200 (and a cache hit where expected)."""
    request = urllib.request.Request(url)
    with urllib.request.urlopen(request, timeout=10) as response:
        status, cache = response.status, response.headers.get("X-Cache")
        length = len(response.read())
    if status != 200:
        raise SystemExit(f"bench: {url} answered {status}")
    if expect_cache is not None and (cache == "hit") != expect_cache:
        raise SystemExit(f"bench: {url} X-Cache={cache!r}, expected hit={expect_cache}")
    return length


# The uncached figures whose CPU per request is read from /proc while wrk loads them.
CPU_FIGURES = ("empty", "empty_one_query", "uncached_detail", "uncached_list")
_server_groups = {}  # base URL -> the server's process group (start_new_session)


def cpu_seconds():
    """``{"groups": {pgrp: s}, "postgres": s}``: user + system CPU of every process now, by
    process group, and of PostgreSQL's processes (its backends included).

    PostgreSQL's count includes what its processes' exited children used (``cutime`` and
    ``cstime``, which the postmaster gains when it reaps a backend): a backend that closes
    during the measured load (another server's idle connection reaching its age) otherwise
    takes its CPU with it, and the difference can come out negative."""
    groups, postgres = {}, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process exited
            continue
        comm, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        fields = fields.split()
        used = (int(fields[11]) + int(fields[12])) / tick  # utime, stime (stat fields 14, 15)
        if comm == "postgres":
            postgres += used + (int(fields[13]) + int(fields[14])) / tick  # stat 16, 17
        group = int(fields[2])  # pgrp (stat field 5)
        groups[group] = groups.get(group, 0.0) + used
    return {"groups": groups, "postgres": postgres}


def cpu_per_request(before, after, group, requests):
    """µs of CPU per request of the server's processes and of PostgreSQL's."""
    if not requests:
        return None
    server = after["groups"].get(group, 0.0) - before["groups"].get(group, 0.0)
    return {
        "server_us": server / requests * 1e6,
        "postgres_us": (after["postgres"] - before["postgres"]) / requests * 1e6,
    }


def wrk_command(script, connections=CONNECTIONS):
    """wrk with one thread, ``connections`` connections and ``bench/<script>``."""
    wrk_bin = str(shutil.which("wrk"))
    return [
        wrk_bin,
        "-t1",
        f"-c{connections}",
        "--timeout",
        "5s",
        "-s",
        str(ROOT / "bench" / script),
    ]


def wrk(
    url,
    connections=CONNECTIONS,
    duration=DURATION,
    warmup=True,
    script="report.lua",
    args=(),
    cpu_group=None,
):
    check_deadline(url)
    base = wrk_command(script, connections)
    tail = ["--", *args] if args else []
    if warmup and WARMUP:
        subprocess.run(
            [*base, f"-d{WARMUP}s", url, *tail], capture_output=True, timeout=WARMUP + 30
        )
    before = cpu_seconds() if cpu_group is not None else None
    out = subprocess.run(
        [*base, f"-d{duration}s", url, *tail],
        capture_output=True,
        text=True,
        timeout=duration + 30,
    ).stdout
    after = cpu_seconds() if cpu_group is not None else None
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"bench: wrk gave no figures for {url}:\n{out}")
    figures = json.loads(line[6:])
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    if errors:
        log(f"WARNING: {errors} error(s) loading {url}: {figures}")
    figures["errors"] = errors
    if cpu_group is not None:
        figures["cpu"] = cpu_per_request(before, after, cpu_group, figures["requests"])
    return figures


def measure_server(kind, cached, uncached, stock_base, info):
    """One repetition of the throughput figures on one server kind."""
    aid, page = info["article_id"], info["page_path"]
    detail, listing = f"/api/v1/pages/{aid}/?lang=vi", "/api/v1/pages/?type=article&limit=20"
    plan = [
        ("static_detail", cached + "/static/bench/detail.json", None),
        ("cached_detail", cached + detail, True),
        ("uncached_detail", uncached + detail, False),
        ("stock_detail", stock_base + f"/stock-api/v2/pages/{aid}/", None),
        ("stock_content_detail", stock_base + f"/stock-api/v2/pages-content/{aid}/", None),
        # An empty django-ninja endpoint ({}), mounted only by bench.urls: the ceiling of
        # any uncached API answer through the same server and middleware.
        ("empty", uncached + "/bench-empty/", None),
        # The same after one prepared SELECT 1: the ceiling of any answer that reads once.
        ("empty_one_query", uncached + "/bench-empty/one-query/", None),
        ("static_list", cached + "/static/bench/list.json", None),
        ("cached_list", cached + listing, True),
        ("uncached_list", uncached + listing, False),
        ("static_page", cached + "/static/bench/page.html", None),
        ("cached_page", cached + page, True),
        ("uncached_page", uncached + page, False),
    ]
    figures = {}
    for name, url, hit in plan:
        fetch(url)  # fills the cache
        fetch(url, expect_cache=hit)
        # Static files and cache hits are warm after those two requests; the uncached
        # figures get a short warm-up (connections, template and query caches).
        group = _server_groups.get(uncached) if name in CPU_FIGURES else None
        figures[name] = wrk(url, warmup=not hit, cpu_group=group)
        log(f"{kind} {name}: {figures[name]['rps']:.0f} req/s, p50 {figures[name]['p50']:.2f} ms")
    return figures


def measure_scale(small, large, info):
    listing = "/api/v1/pages/?type=article&limit=20"
    find = f"/api/v1/pages/find/?path={info['page_path']}"
    detail = f"/api/v1/pages/{info['article_id']}/?lang=vi"  # the same page in both databases
    figures = {}
    for name, path in (("detail", detail), ("list", listing), ("find", find)):
        for size, base in (("small", small), ("large", large)):
            fetch(base + path, expect_cache=False)
            figures[f"{name}_{size}"] = wrk(
                base + path, connections=LATENCY_CONNECTIONS, warmup=True
            )
            f = figures[f"{name}_{size}"]
            log(f"scale {name} {size}: p50 {f['p50']:.2f} ms, p99 {f['p99']:.2f} ms")
    return figures


def poll_visible(base, event):
    """Seconds from ``event``'s commit until both languages' API details show its token.

    Normal requests (no cache busting) every POLL_SECONDS on the cached server, as a
    reader would make them; None when not both within VISIBLE_TIMEOUT.
    """
    token = event["token"].encode()
    urls = {lang: f"{base}/api/v1/pages/{event['page']}/?lang={lang}" for lang in ("en", "vi")}
    seen = {}
    end = event["commit"] + VISIBLE_TIMEOUT
    while len(seen) < len(urls) and time.time() < end:
        for lang, url in urls.items():
            if lang in seen:
                continue
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    body = response.read()
            except OSError:
                body = b""
            if token in body:
                seen[lang] = time.time()
        if len(seen) < len(urls):
            time.sleep(POLL_SECONDS)
    return max(seen.values()) - event["commit"] if len(seen) == len(urls) else None


def sweep(base):
    """bench/sweep.lua: every article's detail once per language; returns its wrk figures."""
    check_deadline("the sweep")
    done = WORK / "sweep.done"
    done.unlink(missing_ok=True)
    cmd = [*wrk_command("sweep.lua"), f"-d{SWEEP_SECONDS}s", base, "--", str(IDS_FILE), str(done)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    end = time.monotonic() + SWEEP_SECONDS
    while proc.poll() is None and not done.exists() and time.monotonic() < end:
        time.sleep(0.2)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # wrk prints its summary and exits
    out, _ = proc.communicate(timeout=30)
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"bench: the sweep gave no figures:\n{out}")
    return json.loads(line[6:])


def measure_mixed(base, env):
    """Zipf-distributed API details without, then with, one real publish a second.

    Returns ``{"quiet": wrk figures, "publishing": wrk figures, "visible": [seconds or None
    per publish], "publisher": its summary}``. The publisher is bench/faults_publisher.py
    ``hot`` (its own process, production settings, the cached server's database and Redis);
    the outbox's drain runs in it after each commit, as the default task backend does in
    production.
    """
    zipf = {"script": "zipf.lua", "args": [str(IDS_FILE)], "warmup": False}
    fetch(base + f"/api/v1/pages/{IDS_FILE.read_text().split()[0]}/?lang=vi")
    swept = None
    if MIXED_SWEEP:
        # Every article once in each language: a site in service has its articles cached,
        # so the hit ratio below counts what publishes purge, not the Zipf tail's first reads.
        # (Without it, 30 s of warm-up reads too few of 20,000 keys: 86.9 % hits without
        # any publish at 0a3c185.) The entries live API_CACHE_SECONDS (300): the phases below
        # end well within that.
        swept = sweep(base)
        log(
            f"mixed: swept {swept['ok']} of {swept['requests']} article details (200s) "
            f"in {swept['requests'] / max(swept['rps'], 1):.0f}s"
        )
    wrk(base, duration=MIXED_WARMUP, **zipf)  # fills the cache with what the load reads
    figures = {"quiet": wrk(base, duration=MIXED_SECONDS, **zipf), "sweep": swept}
    publisher_log = open(WORK / "publisher.log", "w")
    publisher = subprocess.Popen(
        [PY, str(ROOT / "bench" / "faults_publisher.py"), "hot", str(IDS_FILE), str(HOT)]
        + [str(MIXED_SECONDS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=publisher_log,
        text=True,
        start_new_session=True,
    )
    _started.append(publisher)
    pollers, visible, summary = [], [], {}

    def read_events():
        for line in publisher.stdout:
            kind, _, data = line.strip().partition(" ")
            if kind == "PUBLISHED":
                event = json.loads(data)
                poller = threading.Thread(
                    target=lambda e=event: visible.append(poll_visible(base, e)), daemon=True
                )
                poller.start()
                pollers.append(poller)
            elif kind == "DONE":
                summary.update(json.loads(data))
            elif kind == "READY":
                ready.set()

    ready = threading.Event()
    reader = threading.Thread(target=read_events, daemon=True)
    reader.start()
    if not ready.wait(120):
        raise SystemExit(f"bench: the publisher did not start; see {publisher_log.name}")
    figures["publishing"] = wrk(base, duration=MIXED_SECONDS, **zipf)
    publisher.wait(timeout=MIXED_SECONDS + 120)
    reader.join(timeout=10)
    for poller in pollers:
        poller.join(timeout=VISIBLE_TIMEOUT + 10)
    publisher_log.close()
    figures["visible"] = visible
    figures["publisher"] = summary
    if summary.get("failures"):
        log(f"WARNING: publishes failed: {summary['failures'][:3]}")
    for phase in ("quiet", "publishing"):
        f = figures[phase]
        log(
            f"mixed {phase}: {f['rps']:.0f} req/s, p50 {f['p50']:.2f} ms, hits {hit_ratio(f):.1f} %"
        )
    seen = [v for v in visible if v is not None]
    log(
        f"publish -> visible: {len(seen)} of {len(visible)} publishes seen, "
        f"p50 {percentile(seen, 50):.3f} s, p99 {percentile(seen, 99):.3f} s"
        if seen
        else f"publish -> visible: none of {len(visible)} publishes seen"
    )
    return figures


def hit_ratio(figures):
    """Percentage of the responses with X-Cache that were hits (NaN when none had it)."""
    counted = figures["hits"] + figures["misses"]
    return 100 * figures["hits"] / counted if counted else float("nan")


def percentile(values, pct):
    """Nearest-rank percentile; a publish never seen (None) counts as infinitely late."""
    ordered = sorted(float("inf") if v is None else v for v in values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def spread(values):
    return statistics.median(values), min(values), max(values)


def ratio(a, b):
    """a / b, or NaN when the baseline completed no request (printed as n/a)."""
    return a / b if b else float("nan")


def fmt(value):
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def table(runs, info):
    """One row per ratio: figure, baseline, target, median (min–max), verdict."""
    large_label = f"{LARGE:,}" + (" (quick run)" if QUICK else "")
    rows = []

    def ratio_row(figure, baseline, target, values, op=None, bound=None):
        if any(v != v for v in values):  # NaN: a figure completed no request
            rows.append(
                (
                    figure,
                    baseline,
                    target,
                    "n/a (no request completed)",
                    "below target" if op else "—",
                )
            )
            return
        med, lo, hi = spread(values)
        cell = f"{fmt(med)} ({fmt(lo)}–{fmt(hi)})" if len(values) > 1 else fmt(med)
        verdict = "—"
        if op == ">=":
            verdict = "met" if med >= bound else "below target"
        elif op == "<=":
            verdict = "met" if med <= bound else "below target"
        rows.append((figure, baseline, target, cell, verdict))

    for kind in SERVERS:
        r = [run_[kind] for run_ in runs]

        def ratios(a, b, key="rps", r=r):
            # A repetition in which either figure got non-2xx answers (e.g. 503 while the
            # database restarted under someone else's test) says nothing about speed: skipped.
            kept = [x for x in r if not x[a].get("status") and not x[b].get("status")]
            return [ratio(x[a][key], x[b][key]) for x in kept] or [float("nan")]

        ratio_row(
            f"{kind}: API detail vi, cached",
            "static JSON, same size, whitenoise",
            "≥ 0.7",
            ratios("cached_detail", "static_detail"),
            ">=",
            0.7,
        )
        ratio_row(
            f"{kind}: API detail vi, uncached",
            "static JSON, same size, whitenoise",
            "—",
            ratios("uncached_detail", "static_detail"),
        )
        ratio_row(
            f"{kind}: API list (20 articles), cached",
            "static JSON, same size, whitenoise",
            "—",
            ratios("cached_list", "static_list"),
        )
        ratio_row(
            f"{kind}: API list (20 articles), uncached",
            "static JSON, same size, whitenoise",
            "—",
            ratios("uncached_list", "static_list"),
        )
        ratio_row(
            f"{kind}: API detail vi, uncached",
            "stock Wagtail v2 detail",
            "≥ 8",
            ratios("uncached_detail", "stock_detail"),
            ">=",
            8,
        )
        ratio_row(
            f"{kind}: API detail vi, cached",
            "stock Wagtail v2 detail",
            "≥ 40",
            ratios("cached_detail", "stock_detail"),
            ">=",
            40,
        )
        if all("empty" in x for x in r):
            ratio_row(
                f"{kind}: API detail vi, uncached",
                "empty django-ninja endpoint ({}), same stack",
                "≥ 0.6",
                ratios("uncached_detail", "empty"),
                ">=",
                0.6,
            )
            ratio_row(
                f"{kind}: API list (20 articles), uncached",
                "empty django-ninja endpoint ({}), same stack",
                "≥ 0.4",
                ratios("uncached_list", "empty"),
                ">=",
                0.4,
            )
        if all("empty_one_query" in x for x in r):
            ratio_row(
                f"{kind}: empty endpoint after one prepared SELECT 1",
                "empty django-ninja endpoint ({}), same stack",
                "— (the ceiling of one read)",
                ratios("empty_one_query", "empty"),
            )
            ratio_row(
                f"{kind}: API detail vi, uncached",
                "empty endpoint after one prepared SELECT 1",
                "—",
                ratios("uncached_detail", "empty_one_query"),
            )
        if all("stock_content_detail" in x for x in r):
            ratio_row(
                f"{kind}: API detail vi, uncached",
                "stock v2 serving the same content (lead, body)",
                "—",
                ratios("uncached_detail", "stock_content_detail"),
            )
            ratio_row(
                f"{kind}: API detail vi, cached",
                "stock v2 serving the same content (lead, body)",
                "—",
                ratios("cached_detail", "stock_content_detail"),
            )
        ratio_row(
            f"{kind}: page /vi/bai-viet/exosome-va-prp/, cached",
            "static HTML, same size, whitenoise",
            "≥ 0.5",
            ratios("cached_page", "static_page"),
            ">=",
            0.5,
        )
        ratio_row(
            f"{kind}: page /vi/bai-viet/exosome-va-prp/, uncached",
            "static HTML, same size, whitenoise",
            "—",
            ratios("uncached_page", "static_page"),
        )
    for what in ("static_detail", "cached_detail", "uncached_detail", "uncached_page"):
        ratio_row(
            f"granian / gunicorn: {what.replace('_', ' ')} req/s",
            "gunicorn (same figure)",
            "—",
            [ratio(x["granian"][what]["rps"], x["gunicorn"][what]["rps"]) for x in runs],
        )
    for name, label, bound in (
        ("detail", f"API detail vi (article {info['article_id']})", 1.2),
        ("list", "API list ?type=article&limit=20", 1.5),
        ("find", "API find /vi/bai-viet/exosome-va-prp/", 1.5),
    ):
        if not all(f"{name}_large" in x["scale"] for x in runs):
            continue  # a BENCH_JSON file from before this figure
        for pct, op in (("p50", "<="), ("p99", None)):
            values = [
                ratio(x["scale"][f"{name}_large"][pct], x["scale"][f"{name}_small"][pct])
                for x in runs
            ]
            ratio_row(
                f"scale: {label}, uncached, {pct} at {large_label} articles per language",
                f"{pct} at {SMALL} articles",
                f"≤ {bound}" if op else "—",
                values,
                op,
                bound if op else None,
            )
    mixed = [x["mixed"] for x in runs if "mixed" in x]
    if mixed:
        what = (
            f"mixed load ({PRODUCTION_SERVER}, cached): Zipf API details of "
            f"{info.get('generated_articles')} articles, en+vi"
        )
        ratio_row(
            f"{what}, req/s with 1 publish/s",
            "the same load without publishes",
            "≥ 0.8",
            [ratio(m["publishing"]["rps"], m["quiet"]["rps"]) for m in mixed],
            ">=",
            0.8,
        )
        ratio_row(
            f"{what}, cache hits (%) with 1 publish/s",
            "responses with X-Cache",
            "≥ 95 %",
            [hit_ratio(m["publishing"]) for m in mixed],
            ">=",
            95,
        )
        ratio_row(
            f"{what}, cache hits (%) without publishes",
            "responses with X-Cache",
            "—",
            [hit_ratio(m["quiet"]) for m in mixed],
        )
        for pct, op in ((50, None), (99, "<=")):
            ratio_row(
                f"publish -> new lead visible in en and vi, p{pct} (s) over each run's publishes",
                "the publish's commit",
                "≤ 1 s" if op else "—",
                [percentile(m["visible"], pct) for m in mixed],
                op,
                1.0 if op else None,
            )

    header = (
        "figure",
        "baseline",
        "target",
        "ratio: median (min–max)" if len(runs) > 1 else "ratio",
        "verdict",
    )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(5)]
    lines = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def raw_table(runs):
    keys = sorted({(kind, name) for x in runs for kind in SERVERS for name in x[kind]})
    lines = [
        "| server | figure | req/s: median (min–max) | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for kind, name in keys:
        rps = spread([x[kind][name]["rps"] for x in runs])
        p50 = spread([x[kind][name]["p50"] for x in runs])
        p99 = spread([x[kind][name]["p99"] for x in runs])
        lines.append(
            f"| {kind} | {name} | {rps[0]:.0f} ({rps[1]:.0f}–{rps[2]:.0f}) | "
            f"{p50[0]:.2f} ({p50[1]:.2f}–{p50[2]:.2f}) | "
            f"{p99[0]:.2f} ({p99[1]:.2f}–{p99[2]:.2f}) | "
            f"{sum(x[kind][name]['errors'] for x in runs)} |"
        )
    for name in sorted(runs[0]["scale"]):
        p50 = spread([x["scale"][name]["p50"] for x in runs])
        p99 = spread([x["scale"][name]["p99"] for x in runs])
        rps = spread([x["scale"][name]["rps"] for x in runs])
        lines.append(
            f"| {PRODUCTION_SERVER}, uncached, {LATENCY_CONNECTIONS} conn | scale {name} | "
            f"{rps[0]:.0f} ({rps[1]:.0f}–{rps[2]:.0f}) | "
            f"{p50[0]:.2f} ({p50[1]:.2f}–{p50[2]:.2f}) | "
            f"{p99[0]:.2f} ({p99[1]:.2f}–{p99[2]:.2f}) | "
            f"{sum(x['scale'][name]['errors'] for x in runs)} |"
        )
    mixed = [x["mixed"] for x in runs if "mixed" in x]
    for phase in ("quiet", "publishing") if mixed else ():
        rps = spread([m[phase]["rps"] for m in mixed])
        p50 = spread([m[phase]["p50"] for m in mixed])
        p99 = spread([m[phase]["p99"] for m in mixed])
        counts = [(m[phase]["hits"], m[phase]["misses"], m[phase]["other"]) for m in mixed]
        lines.append(
            f"| {PRODUCTION_SERVER}, cached, {CONNECTIONS} conn | mixed {phase} "
            f"(hits/misses/no header: {', '.join('/'.join(map(str, c)) for c in counts)}) | "
            f"{rps[0]:.0f} ({rps[1]:.0f}–{rps[2]:.0f}) | "
            f"{p50[0]:.2f} ({p50[1]:.2f}–{p50[2]:.2f}) | "
            f"{p99[0]:.2f} ({p99[1]:.2f}–{p99[2]:.2f}) | "
            f"{sum(m[phase]['errors'] for m in mixed)} |"
        )
    if mixed:
        lines.append("")
        for number, m in enumerate(mixed, 1):
            seen = sorted(v for v in m["visible"] if v is not None)
            publisher = m.get("publisher", {})
            lines.append(
                f"Repetition {number}: {publisher.get('publishes', '?')} publishes, "
                f"{len(publisher.get('failures', []))} failed, {len(seen)} of "
                f"{len(m['visible'])} seen in both languages within {VISIBLE_TIMEOUT:.0f} s; "
                f"publish -> visible (s): {', '.join(f'{v:.3f}' for v in seen) or 'none'}."
            )
    return "\n".join(lines)


def cpu_table(runs):
    """CPU per request of the uncached figures, by process: the server's and PostgreSQL's.

    What a ratio to the empty endpoint is made of: on these cores, a figure's throughput
    follows the CPU each request costs everywhere (wrk's own excluded).
    """
    lines = [
        "| server | figure | server CPU, µs/request | PostgreSQL CPU, µs/request | "
        "both | the empty endpoint's both / this |",
        "|---|---|---|---|---|---|",
    ]
    for kind in SERVERS:
        samples = {
            name: [x[kind][name]["cpu"] for x in runs if x[kind].get(name, {}).get("cpu")]
            for name in CPU_FIGURES
        }
        if not all(samples.values()):
            continue
        totals = {
            name: spread([c["server_us"] + c["postgres_us"] for c in cpus])
            for name, cpus in samples.items()
        }
        for name, cpus in samples.items():
            server = spread([c["server_us"] for c in cpus])
            postgres = spread([c["postgres_us"] for c in cpus])
            both = totals[name]
            lines.append(
                f"| {kind} | {name} | {server[0]:.0f} ({server[1]:.0f}–{server[2]:.0f}) | "
                f"{postgres[0]:.0f} ({postgres[1]:.0f}–{postgres[2]:.0f}) | "
                f"{both[0]:.0f} | {ratio(totals['empty'][0], both[0]):.2f} |"
            )
    return "\n".join(lines) if len(lines) > 2 else ""


def report(runs, info):
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in open("/proc/cpuinfo")
            if ln.startswith("model name")
        ),
        "?",
    )
    print()
    print(
        f"Benchmark ({'quick' if QUICK else 'full'}): "
        f"{len(runs)} repetition(s) × {DURATION}s per figure, "
        f"wrk 1 thread × {CONNECTIONS} connections "
        f"(scale rows: {LATENCY_CONNECTIONS}), keep-alive; mixed load "
        f"{'every article read once per language, then ' if MIXED_SWEEP else ''}"
        f"{MIXED_WARMUP}s warm-up, "
        f"then {MIXED_SECONDS}s without and {MIXED_SECONDS}s with 1 publish/s; "
        f"{WORKERS} workers × {THREADS} threads per server; {os.cpu_count()} CPU ({cpu}); "
        f"articles per language: {SMALL} and {LARGE:,}; demo article id {info['article_id']}, "
        f"bodies {info['sizes']}."
    )
    print()
    print(table(runs, info))
    print()
    print("Raw figures:")
    print()
    print(raw_table(runs))
    cpu = cpu_table(runs)
    if cpu:
        print()
        print("CPU per request under the same load (read from /proc; medians, min–max):")
        print()
        print(cpu)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--report":  # re-print the tables of a BENCH_JSON file
        saved = json.loads(Path(sys.argv[2]).read_text())
        report(saved["runs"], saved["info"])
        return
    if sys.argv[1:] == ["--setup"]:
        WORK.mkdir(parents=True, exist_ok=True)
        setup()
        return
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (make bench installs it)")
    WORK.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    log(
        f"{'quick' if QUICK else 'full'} run: {RUNS} repetition(s), {DURATION}s per figure, "
        f"{CONNECTIONS} connections, {SMALL} vs {LARGE} articles per language"
    )
    info = setup()
    try:
        large, small = env_for(DB_LARGE, REDIS_LARGE), env_for(DB_SMALL, REDIS_SMALL, cached=False)
        uncached = env_for(DB_LARGE, REDIS_LARGE, cached=False)
        launched = [
            start("gunicorn-cached", "gunicorn", FIRST_PORT, large),
            start("gunicorn-uncached", "gunicorn", 8611, uncached),
            start("granian-cached", "granian", 8612, large),
            start("granian-uncached", "granian", 8613, uncached),
            start(f"{PRODUCTION_SERVER}-small-uncached", PRODUCTION_SERVER, 8614, small),
        ]
        urls = [wait_ready(*server) for server in launched]
        _server_groups.update(
            {url: server[1].pid for url, server in zip(urls, launched, strict=True)}
        )
        bases = {"gunicorn": (urls[0], urls[1]), "granian": (urls[2], urls[3])}
        small_base = urls[4]
        log(f"servers up: {bases}, small {small_base}")
        runs = []
        for rep in range(RUNS):
            log(f"repetition {rep + 1}/{RUNS}")
            result = {}
            for kind in SERVERS:
                cached, uncached = bases[kind]
                result[kind] = measure_server(kind, cached, uncached, uncached, info)
            result["scale"] = measure_scale(small_base, bases[PRODUCTION_SERVER][1], info)
            result["mixed"] = measure_mixed(bases[PRODUCTION_SERVER][0], large)
            runs.append(result)
    finally:
        stop_all()
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(
            json.dumps({"info": info, "runs": runs}, indent=1)
        )
    report(runs, info)
    log(f"done in {time.monotonic() - began:.0f}s")


if __name__ == "__main__":
    main()

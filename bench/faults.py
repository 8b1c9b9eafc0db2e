"""Faults and load against the production stack on loopback (`make faults`, CI's third step).

One run, about three minutes, exit status 1 when any check fails:

1. 60 s of mixed load (API detail/list/find/search, public pages in /en/ and /vi/) on 50
   keep-alive connections (bench/faults_load.py, its own process) while another process
   publishes both languages of several pages every second through the ORM
   (bench/faults_publisher.py). Zero 5xx, zero lost revisions, every last publish visible in
   the API in both languages.
2. Redis stopped under load for a few seconds: only 200s, cache errors logged; Redis restarted.
3. PostgreSQL stopped and started under load: 503 with Retry-After (no 500, no hang) while it
   is down, and no error from N seconds after it is back (N ≤ 5, measured).

Backup and restore is tests/test_backup_restore.py (in `make test`, SQLite and PostgreSQL).
PostgreSQL and Redis are left running whatever happens (try/finally, Ctrl-C included).
Environment: FAULTS_LOAD_SECONDS (60), FAULTS_CONCURRENCY (50), FAULTS_KEEP=1 keeps the
database and the work directory.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import faults_stack as stack  # noqa: E402

LOAD_SECONDS = float(os.environ.get("FAULTS_LOAD_SECONDS", "60"))
CONCURRENCY = int(os.environ.get("FAULTS_CONCURRENCY", "50"))
REDIS_DOWN_SECONDS = 8
PG_DOWN_SECONDS = 4
RECOVERY_LIMIT = 5.0  # seconds after PostgreSQL is back
FAIL_FAST_LIMIT = 5.0  # no request may take longer while PostgreSQL is down
AFTER_PG_SECONDS = 10  # load kept on after PostgreSQL is back, to see the recovery
HERE = Path(__file__).resolve().parent


def log(message):
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


def pct(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


class Checks:
    def __init__(self):
        self.results = []

    def add(self, name, ok, figures):
        self.results.append((name, bool(ok), figures))
        log(f"{'PASS' if ok else 'FAIL'} {name}: {figures}")

    @property
    def ok(self):
        return bool(self.results) and all(ok for _, ok, _ in self.results)


def python_process(script, *args, env, out=None):
    return subprocess.Popen(
        [sys.executable, str(HERE / script), *args],
        env=env,
        cwd=stack.ROOT,
        stdout=out or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def api_json(server, path):
    status, body = server.get(f"http://127.0.0.1:{server.port}{path}")
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
    return json.loads(body)


def load_plan(server, pages):
    """URLs of every kind, the public ones found through the API as a client would."""
    urls = [
        ["list", "/api/v1/pages/?type=article&limit=20"],
        ["list", "/api/v1/pages/?type=therapy&lang=vi"],
        ["search", "/api/v1/pages/?search=prp"],
        ["search", "/api/v1/pages/?search=huyet%20tuong&lang=vi"],
        ["search-uncached", "/api/v1/pages/?search=exosome%20{n}&lang=vi"],
        ["search-uncached", "/api/v1/pages/?search=prp%20{n}"],
        ["page", "/en/"],
        ["page", "/vi/"],
    ]
    for pid in pages:
        for lang in ("en", "vi"):
            detail = api_json(server, f"/api/v1/pages/{pid}/?lang={lang}")
            path = urllib.parse.urlsplit(detail["url"]).path
            urls.append(["detail", f"/api/v1/pages/{pid}/?lang={lang}"])
            urls.append(["find", "/api/v1/pages/find/?path=" + urllib.parse.quote(path)])
            urls.append(["page", path])
    return {"host": "127.0.0.1", "port": server.port, "concurrency": CONCURRENCY, "urls": urls}


def publishes_visible(server, log_data):
    """For each page, the API shows its last published titles in both languages."""
    last = {}
    for entry in log_data["publishes"]:
        last[entry["page"]] = entry
    missing = []
    for pid, entry in last.items():
        for lang in ("en", "vi"):
            title = api_json(server, f"/api/v1/pages/{pid}/?lang={lang}")["title"]
            if title != entry[lang]:
                missing.append(f"{pid}/{lang}: {title!r} != {entry[lang]!r}")
    return len(last), missing


def window(rows, start, end):
    return [r for r in rows if start <= r[0] < end]


def summary_of(rows):
    statuses = [r[2] for r in rows]
    return {
        "requests": len(rows),
        "2xx": sum(200 <= s < 300 for s in statuses),
        "4xx": sum(400 <= s < 500 for s in statuses),
        "5xx": sum(s >= 500 for s in statuses),
        "500": statuses.count(500),
        "503": statuses.count(503),
        "errors": statuses.count(0),
        "p50": pct([r[1] for r in rows], 50),
        "p99": pct([r[1] for r in rows], 99),
        "max": max((r[1] for r in rows), default=0.0),
    }


def interrupt(signum, frame):
    raise KeyboardInterrupt  # SIGTERM (a CI timeout) runs the same finally as Ctrl-C


def main():
    signal.signal(signal.SIGTERM, interrupt)
    checks = Checks()
    workdir = Path(tempfile.mkdtemp(prefix="faults-"))
    env = stack.stack_env()
    server = load = publisher = None
    started = time.monotonic()
    interrupted = False
    try:
        if not stack.ensure_services():
            raise RuntimeError("PostgreSQL or Redis is not running and could not be started")
        others = [
            c for c in stack.other_postgres_clients() if not c.startswith(f"{stack.DB_NAME}|")
        ]
        if others:
            log(
                f"note: other clients are connected to PostgreSQL ({', '.join(others)}); "
                "the restart check interrupts them"
            )
        log(f"preparing database {stack.DB_NAME!r}, Redis db {stack.REDIS_DB}; work dir {workdir}")
        port = stack.free_port()
        stack.prepare(env, log, port)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "faults_publisher.py"),
                "setup",
                str(workdir / "pages.json"),
            ],
            env=env,
            cwd=stack.ROOT,
            check=True,
            timeout=120,
        )
        pages = json.loads((workdir / "pages.json").read_text())
        edit = pages["edit"]
        server = stack.Gunicorn(env, port, workdir / "gunicorn.log")
        server.start()
        log(
            f"gunicorn (2 workers x 8 threads) on 127.0.0.1:{server.port}; "
            f"pages edited: {edit}; setup took {time.monotonic() - started:.0f} s"
        )

        plan = load_plan(server, pages["articles"] + pages["therapies"])
        plan["max_seconds"] = LOAD_SECONDS + REDIS_DOWN_SECONDS + PG_DOWN_SECONDS + 60
        (workdir / "plan.json").write_text(json.dumps(plan))

        # 1. Load + publisher.
        t0 = time.monotonic()
        load = python_process(
            "faults_load.py", str(workdir / "plan.json"), str(workdir / "load.json"), env=env
        )
        publisher = python_process(
            "faults_publisher.py",
            "publish",
            str(workdir / "publish.json"),
            ",".join(map(str, edit)),
            str(LOAD_SECONDS),
            env=env,
            out=open(workdir / "publisher.log", "w"),
        )
        log(
            f"load: {CONCURRENCY} connections, {len(plan['urls'])} URLs; publisher: pages {edit} "
            f"every second for {LOAD_SECONDS:.0f} s"
        )
        publisher.wait(timeout=LOAD_SECONDS + 60)
        t_load_end = time.monotonic()
        publish_log = json.loads((workdir / "publish.json").read_text())
        published_pages, invisible = publishes_visible(server, publish_log)

        # 2. Redis stopped under load.
        time.sleep(max(0.0, t0 + LOAD_SECONDS + 2 - time.monotonic()))
        t_redis_down = time.monotonic()
        log("stopping Redis")
        stack.stop_redis()
        time.sleep(REDIS_DOWN_SECONDS)
        log("starting Redis")
        redis_back = stack.start_redis()
        t_redis_up = time.monotonic()

        # 3. PostgreSQL stopped and started under load.
        time.sleep(3)
        log("stopping PostgreSQL")
        t_pg_stop = time.monotonic()
        stack.stop_postgres()
        t_pg_down = time.monotonic()
        time.sleep(PG_DOWN_SECONDS)
        log("starting PostgreSQL")
        pg_back = stack.start_postgres()
        t_pg_up = time.monotonic()
        time.sleep(AFTER_PG_SECONDS)
        load.send_signal(signal.SIGTERM)
        load.wait(timeout=30)
        t_end = time.monotonic()

        data = json.loads((workdir / "load.json").read_text())
        rows, urls = data["rows"], data["urls"]
        revisions_path = workdir / "revisions.json"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "faults_publisher.py"),
                "revisions",
                str(revisions_path),
                ",".join(map(str, edit)),
            ],
            env=env,
            cwd=stack.ROOT,
            check=True,
            timeout=120,
        )
        revisions = {int(k): v for k, v in json.loads(revisions_path.read_text()).items()}
        visible_after, invisible_after = publishes_visible(server, publish_log)

        # Check 1
        phase1 = summary_of(window(rows, t0, t_load_end))
        by_kind = {}
        for r in window(rows, t0, t_load_end):
            by_kind.setdefault(urls[r[3]][0], 0)
            by_kind[urls[r[3]][0]] += 1
        publishes = len(publish_log["publishes"])
        expected = {pid: publish_log["before"][str(pid)] for pid in edit}
        for entry in publish_log["publishes"]:
            expected[entry["page"]] += 1
        lost = {
            pid: expected[pid] - revisions[pid]["count"]
            for pid in edit
            if expected[pid] != revisions[pid]["count"]
        }
        not_live = [
            pid
            for pid in edit
            if revisions[pid]["live_revision"] != revisions[pid]["latest_revision"]
        ]
        total_revisions = sum(
            revisions[pid]["count"] - publish_log["before"][str(pid)] for pid in edit
        )
        rate = phase1["requests"] / max(1e-9, t_load_end - t0)
        checks.add(
            f"load: {LOAD_SECONDS:.0f} s mixed load with publishes, zero 5xx",
            phase1["5xx"] == 0 and phase1["errors"] == 0 and phase1["requests"] > 0,
            f"{phase1['requests']} requests ({rate:.0f}/s; "
            + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items()))
            + f"), 5xx {phase1['5xx']}, connection errors {phase1['errors']}, "
            f"4xx {phase1['4xx']}, p50 {ms(phase1['p50'])}, p99 {ms(phase1['p99'])}",
        )
        checks.add(
            "publish: zero lost revisions",
            publishes > 0 and not lost and not not_live and not publish_log["failures"],
            f"{publishes} publishes ({len(edit)} pages x both languages) in "
            f"{publish_log['rounds']} rounds over {publish_log['seconds']:.0f} s, "
            f"{total_revisions} new revisions, "
            f"failed publishes {len(publish_log['failures'])}, lost {lost or 0}, "
            f"live revision not the latest on {not_live or 'none'}",
        )
        checks.add(
            "publish: every last publish visible in the API (?lang=en and ?lang=vi)",
            published_pages == len(edit) and not invisible and not invisible_after,
            f"{published_pages} pages x 2 languages right after the load "
            f"{'OK' if not invisible else invisible[:2]}, and after the faults "
            f"{'OK' if not invisible_after else invisible_after[:2]}",
        )

        # Check 2
        redis_rows = window(rows, t_redis_down, t_redis_up)
        redis = summary_of(redis_rows)
        # Between the load phase and the PostgreSQL stop (Redis down and back included).
        around = summary_of([r for r in rows if r[0] >= t_load_end and r[0] + r[1] < t_pg_stop])
        logged = (workdir / "gunicorn.log").read_text(errors="replace")
        cache_errors_logged = logged.count("Exception ignored") + logged.count(
            "Content cache unavailable"
        )
        checks.add(
            "redis: stopped under load, the site keeps serving",
            redis_back
            and redis["requests"] > 0
            and redis["2xx"] == redis["requests"]
            and around["5xx"] == 0
            and around["errors"] == 0
            and cache_errors_logged > 0,
            f"{REDIS_DOWN_SECONDS} s down: {redis['requests']} requests, {redis['2xx']} 2xx, "
            f"5xx {redis['5xx']}, errors {redis['errors']}, p50 {ms(redis['p50'])}, "
            f"p99 {ms(redis['p99'])}; cache errors logged {cache_errors_logged}; "
            f"Redis back: {redis_back}",
        )

        # Check 3
        # Requests in flight at any moment between the stop and PostgreSQL answering again.
        down_rows = [r for r in rows if r[0] + r[1] >= t_pg_stop and r[0] < t_pg_up]
        down = summary_of(down_rows)
        good_503 = sum(1 for r in down_rows if r[2] == 503 and r[4])
        after_rows = window(rows, t_pg_up, t_end)
        failures_after = [r for r in after_rows if r[2] >= 500 or r[2] == 0]
        recovery = max((r[0] + r[1] - t_pg_up for r in failures_after), default=0.0)
        recovered_rows = [r for r in after_rows if r[0] > t_pg_up + recovery]
        recovered = summary_of(recovered_rows)
        all_503 = sum(1 for r in rows if r[2] == 503)
        checks.add(
            "postgres: down → fast 503 with Retry-After, never 500 or a hang",
            pg_back
            and down["requests"] > 0
            and down["503"] > 0
            and down["500"] == 0
            and down["5xx"] == down["503"]
            and good_503 == down["503"]
            and down["errors"] == 0
            and down["max"] <= FAIL_FAST_LIMIT,
            f"{t_pg_up - t_pg_stop:.1f} s stop→start (stop took {t_pg_down - t_pg_stop:.1f} s): "
            f"{down['requests']} requests, {down['2xx']} 2xx (cached), 503 {down['503']} "
            f"(with Retry-After/JSON {good_503}), 500 {down['500']}, errors {down['errors']}, "
            f"p99 {ms(down['p99'])}, max {ms(down['max'])}",
        )
        checks.add(
            f"postgres: the site recovers by itself within {RECOVERY_LIMIT:.0f} s",
            pg_back
            and recovery <= RECOVERY_LIMIT
            and recovered["requests"] > 0
            and recovered["5xx"] == 0
            and recovered["errors"] == 0,
            f"last failure {recovery:.2f} s after PostgreSQL was back; then "
            f"{recovered['requests']} requests, 5xx {recovered['5xx']}, "
            f"p50 {ms(recovered['p50'])}; 503s in the whole run {all_503}",
        )
        # Check 4: the read model after the faults. The periodic job takes over what a task
        # left when PostgreSQL went away; then every stored document equals a fresh build.
        manage = [sys.executable, "manage.py"]
        drained = subprocess.run(
            [*manage, "drain_documents"], env=env, cwd=stack.ROOT,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        verified = subprocess.run(
            [*manage, "verify_documents"], env=env, cwd=stack.ROOT,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        checks.add(
            "documents: after the faults, every stored document equals a fresh build",
            drained.returncode == 0 and verified.returncode == 0,
            f"drain_documents: {(drained.stdout or drained.stderr).strip()[-200:]}; "
            f"verify_documents: {(verified.stdout or verified.stderr).strip()[-300:]}",
        )
        if not checks.ok:
            log(f"details kept in {workdir} (gunicorn.log, load.json, publish.json)")
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted")
    except Exception as exc:
        checks.add("run", False, f"{type(exc).__name__}: {exc}")
    finally:
        for process in (load, publisher):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        if server is not None:
            server.stop()
        services = stack.ensure_services()
        if not services:
            checks.add("services", False, "PostgreSQL or Redis could not be started again")
        if os.environ.get("FAULTS_KEEP") != "1":
            try:
                stack.drop_database()
                stack.flush_redis_db()
            except Exception as exc:  # the checks decide the status, not the cleanup
                log(f"cleanup: {exc}")
            if checks.ok:
                shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"Faults and load — {time.monotonic() - started:.0f} s")
    for name, ok, figures in checks.results:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}\n        {figures}")
    print("  (backup and restore: tests/test_backup_restore.py in make test)")
    if interrupted:
        return 130
    return 0 if checks.ok else 1


if __name__ == "__main__":
    sys.exit(main())

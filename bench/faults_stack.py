"""The production stack of bench/faults.py on loopback, and the machine's PostgreSQL and Redis.

gunicorn (threads) with cms.settings.production, a database of its own (``faults``) on the
machine's PostgreSQL, Redis database 6. Stopping and starting PostgreSQL and Redis is here,
and ``ensure_services()`` brings both back whatever happened (bench/faults.py calls it in a
``finally``).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PY = sys.executable
PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_PORT = 6379
DB_NAME = os.environ.get("FAULTS_DB", "faults")
REDIS_DB = os.environ.get("FAULTS_REDIS_DB", "6")


def pg_version():
    return sorted(os.listdir("/etc/postgresql"))[0]


def run(cmd, timeout=120, check=True, **kwargs):
    return subprocess.run(
        cmd, timeout=timeout, check=check, capture_output=True, text=True, **kwargs
    )


def pg_ready():
    return (
        run(
            ["pg_isready", "-h", PG_HOST, "-p", str(PG_PORT), "-q"], timeout=10, check=False
        ).returncode
        == 0
    )


def redis_ready():
    result = run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(REDIS_PORT), "ping"], timeout=5, check=False
    )
    return result.returncode == 0 and "PONG" in result.stdout


def wait_until(predicate, seconds, interval=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def stop_postgres():
    run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "stop", "-m", "fast"],
        timeout=60,
        check=False,
    )


def start_postgres():
    run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "start"],
        timeout=60,
        check=False,
    )
    return wait_until(pg_ready, 30)


def stop_redis():
    run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(REDIS_PORT), "shutdown", "nosave"],
        timeout=10,
        check=False,
    )
    wait_until(lambda: not redis_ready(), 10)


def start_redis():
    run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "-::1",
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            "/var/lib/redis",
            "--logfile",
            "/var/log/redis/ci.log",
        ],
        timeout=30,
        check=False,
    )
    return wait_until(redis_ready, 15)


def ensure_services():
    """Both services up (started again if a check stopped them); True when both answer."""
    pg = pg_ready() or start_postgres()
    redis = redis_ready() or start_redis()
    return pg and redis


def other_postgres_clients():
    """Databases other sessions are connected to (a PostgreSQL restart interrupts them)."""
    result = run(
        [
            "psql",
            "-h",
            PG_HOST,
            "-U",
            "postgres",
            "-Atc",
            "select coalesce(datname,'') , count(*) from pg_stat_activity "
            "where pid <> pg_backend_pid() and datname is not null group by 1",
        ],
        timeout=10,
        check=False,
    )
    return [line for line in result.stdout.splitlines() if line.strip()]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(**extra):
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="faults-only-secret-key-not-for-any-real-deployment-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"postgres://postgres@{PG_HOST}:{PG_PORT}/{DB_NAME}",
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/{REDIS_DB}",
        WAGTAILADMIN_BASE_URL="http://127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def psql(sql, timeout=60):
    return run(
        ["psql", "-h", PG_HOST, "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        timeout=timeout,
    )


def drop_database():
    psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def create_database():
    drop_database()
    psql(f'CREATE DATABASE "{DB_NAME}"')


def flush_redis_db():
    run(["redis-cli", "-p", str(REDIS_PORT), "-n", REDIS_DB, "flushdb"], timeout=10, check=False)


def manage(*args, env, timeout=300):
    result = run([PY, "manage.py", *args], timeout=timeout, check=False, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(env, log, port):
    """An empty database with migrations, the demo content, static files and the Site's address.

    The Site is the loopback address gunicorn will serve on: production refuses to start
    with Wagtail's placeholder (cms.checks).
    """
    create_database()
    flush_redis_db()
    log("migrate")
    manage("migrate", "--noinput", env=env, timeout=600)
    manage("update_translation_fields", env=env)
    log("collectstatic, load_demo_content")
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    manage("load_demo_content", env=env)
    manage("set_site_address", "127.0.0.1", str(port), env=env)


class Gunicorn:
    """gunicorn cms.wsgi with threads, as the README's production command, on loopback."""

    def __init__(self, env, port, log_path, workers=2, threads=8):
        self.env, self.port, self.log_path = env, port, Path(log_path)
        self.workers, self.threads = workers, threads
        self.process = None

    def start(self):
        gunicorn = shutil.which("gunicorn", path=str(VENV_BIN)) or "gunicorn"
        self.log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                gunicorn,
                "cms.wsgi",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--keep-alive",
                "5",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "5",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{self.port}/api/v1/pages/?limit=1"
        if not wait_until(lambda: self.get(url)[0] == 200, 60, interval=0.3):
            raise RuntimeError(f"gunicorn did not answer 200 on {url}; see {self.log_path}")

    def get(self, url, timeout=10):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (OSError, ValueError):
            return 0, b""

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.log.close()

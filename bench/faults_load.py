"""Load generator of bench/faults.py: N keep-alive HTTP/1.1 connections on asyncio, stdlib only.

    faults_load.py PLAN.json OUT.json

PLAN: {"host", "port", "concurrency", "max_seconds", "urls": [[kind, path], ...]}. A path may
hold "{n}", replaced by a counter so that request misses every cache and reaches the database.
Runs until SIGTERM/SIGINT or max_seconds, then writes one row per request to OUT:
[start (time.monotonic, shared by every process of the machine), seconds, status, url index,
flag] where status 0 is a connection error or timeout and flag says whether a 503 carried
Retry-After (and, under /api/, a JSON detail).
"""

import asyncio
import json
import signal
import sys
import time

REQUEST_TIMEOUT = 10.0


class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, path):
        if self.writer is None:
            await self.open()
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"User-Agent: faults-load\r\nAccept: */*\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(chunks)
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body


def good_503(path, headers, body):
    if "retry-after" not in headers:
        return False
    if path.startswith("/api/"):
        try:
            return "detail" in json.loads(body)
        except ValueError:
            return False
    return len(body) < 1000


async def worker(number, plan, stop, rows, counter):
    conn = Connection(plan["host"], plan["port"])
    urls = plan["urls"]
    i = number
    while not stop.is_set():
        index = i % len(urls)
        i += 1
        path = urls[index][1]
        if "{n}" in path:
            counter[0] += 1
            path = path.replace("{n}", str(counter[0]))
        start = time.monotonic()
        flag = 0
        try:
            status, headers, body = await asyncio.wait_for(conn.get(path), REQUEST_TIMEOUT)
            if status == 503:
                flag = int(good_503(path, headers, body))
        except (
            TimeoutError,
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
            IndexError,
        ):
            status = 0
            conn.close()
        rows.append((round(start, 4), round(time.monotonic() - start, 4), status, index, flag))
        if status == 0:
            await asyncio.sleep(0.05)  # the server is unreachable: do not spin
    conn.close()


async def main(plan_path, out_path):
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.call_later(plan["max_seconds"], stop.set)
    rows, counter = [], [0]
    tasks = [
        asyncio.create_task(worker(n, plan, stop, rows, counter))
        for n in range(plan["concurrency"])
    ]
    await asyncio.wait(tasks, timeout=plan["max_seconds"] + REQUEST_TIMEOUT + 5)
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"urls": plan["urls"], "rows": rows}, handle)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))

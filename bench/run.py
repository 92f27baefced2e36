"""`make bench`: the production-like stack on this machine, measured open-loop, next to its ceilings.

    .venv/bin/python bench/run.py [--quick] [--duration 10] [--idle 5000] [--profile] [--keep-stack]
    .venv/bin/python bench/run.py --sockets-only --idle 200   # step 4 alone (a few minutes), figures printed

1. A fresh PostgreSQL database (`cafepos_bench`, BENCH_DATABASE_URL) migrated and seeded by bench/seed.py:
   the demo cafe and 100,000 past orders at its first location.
2. deploy/local-stack.sh on loopback ports (nginx -> gunicorn for HTTP, -> uvicorn for /ws/, a Celery worker
   and beat) with DJANGO_SETTINGS_MODULE=bench.settings (the real settings plus two constant views) and its
   own Redis key prefix. Throttling stays on, with a limit no bench reaches.
3. bench/loadgen.py, in its own process, drives each scenario at rising fixed rates until p99 > 200 ms or
   errors > 0.1 %: the constant Django and DRF views (framework ceilings), menu read, order create, payment,
   order list. pgbench runs the writes of an order create (bench/order_create.pgbench: database ceiling).
4. WebSockets (bench/sockets.py): 50 kitchen displays and 50 POS screens hear new orders, with uvicorn's CPU
   time per order; idle sockets on the one uvicorn process, with its memory.
5. With --profile, py-spy samples the gunicorn workers during order creates and menu reads.

Writes bench/results.json and the `bench` section of bench/RESULTS.md, prints the table. Loopback only.
"""

import argparse
import asyncio
import datetime
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import sockets  # noqa: E402
from bench.loadgen import percentile  # noqa: E402
from bench.markdown import write_section  # noqa: E402

PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cafepos_bench"
P99_LIMIT_MS = 200.0
ERROR_LIMIT = 0.001
SECTION_START, SECTION_END = "<!-- bench:start -->", "<!-- bench:end -->"

FAST_RATES = [100, 200, 300, 400, 500, 700, 900, 1050, 1200, 1350, 1500, 1750, 2000, 2250, 2500, 3000]
LIST_RATES = [25, 50, 75, 100, 150, 200, 300, 400, 600]
WRITE_RATES = [10, 20, 30, 40, 60, 80, 100, 120, 135, 150, 200, 300]

# name: (title, loadgen kind, path, rates, ceiling it is compared with)
SCENARIOS = {
    "django_constant": ("Bare Django view, constant JSON", "get", "/bench/django-constant", FAST_RATES, None),
    "drf_constant": ("DRF APIView, constant JSON", "get", "/bench/drf-constant", FAST_RATES, "django_constant"),
    "menu": ("Menu read (JWT, throttled, cached)", "get", "/api/v1/menu/", FAST_RATES, "drf_constant"),
    "order_create": (
        "Order create (JWT, 3 lines, 4 modifiers, Idempotency-Key)",
        "order_create",
        "/api/v1/orders/",
        WRITE_RATES,
        "drf_constant",
    ),
    "payment": ("Payment (JWT, card, full balance)", "payment", None, WRITE_RATES, "drf_constant"),
    "order_list": (
        "Order list, status filter, 20 a page (JWT)",
        "get",
        "/api/v1/orders/?status=COMPLETED&limit=20",
        LIST_RATES,
        "drf_constant",
    ),
}


def run(command: list[str], *, env: dict | None = None, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=check, text=True, **kwargs)  # noqa: S603


# -- the stack --------------------------------------------------------------------------------------------------


class Stack:
    def __init__(self, options, database_url: str):
        self.dir = Path(options.stack_dir)
        self.http = f"http://127.0.0.1:{options.http_port}"
        self.ws = f"ws://127.0.0.1:{options.ws_port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": options.redis_url,
            "REDIS_KEY_PREFIX": options.redis_prefix,
            "STACK_DIR": str(self.dir),
            "HTTP_PORT": str(options.http_port),
            "WEB_PORT": str(options.web_port),
            "WS_PORT": str(options.ws_port),
            "RATE_LIMIT_MAX_REQUESTS": "1000000000",  # counted in Redis on every request, never reached
            "JWT_ACCESS_TOKEN_TTL": "6h",
        }

    def script(self, action: str) -> None:
        run(["deploy/local-stack.sh", action], env=self.env)

    def pid(self, name: str) -> int:
        return int((self.dir / f"{name}.pid").read_text())

    def web_workers(self) -> list[int]:
        found = run(["pgrep", "-P", str(self.pid("web"))], capture_output=True, check=False).stdout
        return [int(pid) for pid in found.split()]

    def web_cpu_seconds(self) -> float:
        """CPU used by the gunicorn workers so far, recycled ones included (the master's reaped children)."""
        master = _proc_stat(self.pid("web"))
        total = master[13] + master[14]  # cutime, cstime
        for pid in self.web_workers():
            worker = _proc_stat(pid)
            total += worker[11] + worker[12]  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> list[int]:
    """/proc/PID/stat's numeric fields after the command name (field 3 of proc(5) is index 0)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return [int(field) if field.lstrip("-").isdigit() else 0 for field in fields]


def prepare_database(url: str, env: dict) -> dict:
    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"'])
    run(["psql", admin, "-q", "-c", f'CREATE DATABASE "{name}"'])
    seed_env = {**env, "DATABASE_POOL_MAX": "0"}
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=seed_env)
    return json.loads(run([PYTHON, "bench/seed.py"], env=seed_env, capture_output=True).stdout)


def redis_forget(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


# -- API calls used to set up the load ---------------------------------------------------------------------------


def api(base: str, method: str, path: str, *, token: str | None = None, body: dict | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback URL built here)
        return json.load(response)


def login(base: str, email: str, password: str) -> str:
    return api(base, "POST", "/api/v1/auth/token/", body={"email": email, "password": password})["access"]


def order_body(menu: dict) -> dict:
    """Three lines with modifiers as a barista rings them: a large oat cappuccino, a vanilla latte, a toast."""
    items = {item["name"]: item for category in menu["categories"] for item in category["items"]}
    modifiers = {
        modifier["name"]: modifier["id"]
        for item in items.values()
        for group in item["modifier_groups"]
        for modifier in group["modifiers"]
    }
    return {
        "type": "TAKEAWAY",
        "items": [
            {"menu_item_id": items["Cappuccino"]["id"], "modifier_ids": [modifiers["Large"], modifiers["Oat milk"]]},
            {
                "menu_item_id": items["Caffè latte"]["id"],
                "modifier_ids": [modifiers["Regular"], modifiers["Vanilla syrup"]],
            },
            {"menu_item_id": items["Avocado toast"]["id"], "quantity": 1, "note": "no chili"},
        ],
    }


# -- load --------------------------------------------------------------------------------------------------------


def loadgen(job: dict) -> dict:
    result = run([PYTHON, "bench/loadgen.py"], input=json.dumps(job), capture_output=True)
    return json.loads(result.stdout)


def passes(step: dict) -> bool:
    return step["p99_ms"] is not None and step["p99_ms"] <= P99_LIMIT_MS and step["error_rate"] <= ERROR_LIMIT


class Load:
    def __init__(self, stack: Stack, token: str, body: dict, duration: float):
        self.stack, self.token, self.body, self.duration = stack, token, body, duration
        self.unpaid: list[list[int]] = []  # orders created by the bench, to pay

    def job(self, kind: str, path: str | None, rate: float, duration: float | None = None) -> dict:
        job = {"url": self.stack.http, "kind": kind, "path": path, "rate": rate, "duration": duration or self.duration}
        job.update(token=self.token, body=self.body)
        if kind == "payment":
            needed = int(rate * job["duration"])
            if len(self.unpaid) < needed:
                self.top_up(needed - len(self.unpaid))
            job["targets"], self.unpaid = self.unpaid[:needed], self.unpaid[needed:]
        return job

    def step(self, name: str, kind: str, path: str | None, rate: float, retry: bool = False) -> dict:
        cpu_before = self.stack.web_cpu_seconds()
        result = loadgen(self.job(kind, path, rate))
        cpu = self.stack.web_cpu_seconds() - cpu_before
        self.unpaid += result.pop("created")
        result["server_cpu_ms_per_request"] = round(1000 * cpu / max(1, result["sent"]), 2)
        result["retried"] = retry
        print(
            f"  {name:<15} {rate:>5}/s  p50 {result['p50_ms']} p99 {result['p99_ms']} ms  errors {result['errors']}  "
            f"achieved {result['achieved_rps']}/s{'  (second try)' if retry else ''}",
            flush=True,
        )
        return result

    def drain(self, timeout: float = 180) -> None:
        """After an overload: wait until the queue that built up in nginx and gunicorn is gone."""
        deadline, quick = time.monotonic() + timeout, 0
        while quick < 5 and time.monotonic() < deadline:
            started = time.perf_counter()
            with urllib.request.urlopen(self.stack.http + "/bench/django-constant", timeout=60):  # noqa: S310
                pass
            quick = quick + 1 if time.perf_counter() - started < 0.05 else 0
            time.sleep(0.2)
        time.sleep(3)

    def warm_up(self) -> None:
        """Every kind of request a few hundred times first, so no worker's first requests are measured."""
        for name in SCENARIOS:
            _, kind, path, _, _ = SCENARIOS[name]
            created = loadgen(self.job(kind, path, 20, duration=5))["created"]  # job() may replace self.unpaid
            self.unpaid += created
        self.drain()

    def top_up(self, count: int) -> None:
        """Orders to pay, created at a gentle rate (not measured)."""
        rate = 100.0
        result = loadgen(self.job("order_create", "/api/v1/orders/", rate, duration=count / rate + 1))
        self.unpaid += result["created"]

    def ramp(self, name: str, rates: list[int]) -> dict:
        """Rising rates until one fails twice: a failed step is run once more after the queue drained, since a
        few seconds of other work on the shared machine can fail a step the server passes otherwise."""
        title, kind, path, _, _ = SCENARIOS[name]
        steps = []
        for rate in rates:
            result = self.step(name, kind, path, rate)
            if not passes(result):
                steps.append(result)
                self.drain()
                result = self.step(name, kind, path, rate, retry=True)
            steps.append(result)
            if not passes(result):
                self.drain()
                break
            time.sleep(2)
        good = [step for step in steps if passes(step)]
        fast = [step for step in good if step["p99_ms"] <= 50]
        return {
            "title": title,
            "steps": steps,
            "sustained_rps": max((step["achieved_rps"] for step in good), default=0.0),
            "sustained_rate": max((step["rate"] for step in good), default=0.0),
            "p99_under_50ms_rate": max((step["rate"] for step in fast), default=0.0),
        }


# -- pgbench -----------------------------------------------------------------------------------------------------


def pgbench(url: str, seed: dict, item_id: int, *, spread: int, seconds: int, clients: int = 8) -> dict:
    first = seed["spare_location_id"]  # the seed's spare locations: the bench's orders and events stay apart
    with tempfile.TemporaryDirectory(prefix="cafepos-pgbench-") as folder:
        command = ["pgbench", "-n", "-f", str(ROOT / "bench/order_create.pgbench"), "-c", str(clients), "-j", "2"]
        command += ["-T", str(seconds), "-l", "--log-prefix", f"{folder}/tx"]
        for name, value in {"loc": first, "spread": spread, "staff": seed["staff_id"], "item": item_id}.items():
            command += ["-D", f"{name}={value}"]
        output = run([*command, url], capture_output=True).stdout
        latencies = sorted(
            int(line.split()[2]) / 1000 for log in Path(folder).glob("tx*") for line in log.read_text().splitlines()
        )
    tps = next(float(line.split("=")[1].split()[0]) for line in output.splitlines() if line.startswith("tps"))
    return {
        "clients": clients,
        "locations": spread,
        "seconds": seconds,
        "tps": round(tps, 1),
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "transactions": len(latencies),
    }


# -- profile -----------------------------------------------------------------------------------------------------


def profile(load: Load, name: str, rate: float, seconds: int = 12) -> dict:
    """py-spy on every gunicorn worker while `name` runs at `rate`: the heaviest CafePOS functions (inclusive)
    and the heaviest functions anywhere (self time), as shares of the samples."""
    _, kind, path, _, _ = SCENARIOS[name]
    time.sleep(5)  # let the queue of the step before drain
    folder = Path(tempfile.mkdtemp(prefix=f"cafepos-profile-{name}-"))
    spies = [
        subprocess.Popen(  # noqa: S603
            [str(Path(PYTHON).parent / "py-spy"), "record", "-p", str(pid), "-d", str(seconds), "-r", "250"]
            + ["-f", "raw", "-o", str(folder / f"{pid}.txt"), "--nonblocking"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in load.stack.web_workers()
    ]
    result = loadgen(load.job(kind, path, rate, duration=seconds))
    load.unpaid += result.pop("created")
    for spy in spies:
        spy.wait(60)
    return {"scenario": name, "rate": rate, **profile_summary(folder)}


def profile_summary(folder: Path) -> dict:
    inclusive, own, total = Counter(), Counter(), 0
    for sample_file in folder.glob("*.txt"):
        for line in sample_file.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames, count = stack.split(";"), int(count)
            total += count
            own[_frame_name(frames[-1])] += count
            for frame in {_frame_name(frame) for frame in frames if _is_ours(frame)}:
                inclusive[frame] += count
    share = lambda counter: [[frame, round(100 * n / total, 1)] for frame, n in counter.most_common(15)]  # noqa: E731
    return {"samples": total, "ours_inclusive": share(inclusive), "self": share(own)}


OUR_PACKAGES = {"accounts", "menu", "tables", "orders", "realtime", "delivery", "reports", "pos", "cafepos", "bench"}


def _is_ours(frame: str) -> bool:
    """py-spy names files relative to their sys.path entry: `orders/services/orders.py`."""
    where = frame.partition(" (")[2]
    return where.split("/", 1)[0] in OUR_PACKAGES


def _frame_name(frame: str) -> str:
    """`function (path:line)` as `function (path)`."""
    function, _, where = frame.partition(" (")
    return f"{function} ({where.rsplit(':', 1)[0]})"


# -- report ------------------------------------------------------------------------------------------------------


def cpu_model() -> str:
    for row in Path("/proc/cpuinfo").read_text().splitlines():
        if row.startswith("model name"):
            return row.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def machine() -> dict:
    commit = run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, check=False).stdout.strip()
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "commit": commit,
        "load_average_before": list(os.getloadavg()),
    }


def _ratio(value: float, ceiling: float) -> str:
    return f"{value / ceiling:.2f}" if ceiling else "–"


def report(results: dict) -> str:
    info, scenarios, ceilings = results["machine"], results["scenarios"], results["pgbench"]
    rows = [
        SECTION_START,
        "## Production-like stack, open loop (`make bench`)",
        "",
        f"Run {info['date']} on {info['cores']} cores ({info['cpu']}), Python {info['python']}, commit "
        f"{info['commit']}; load average before {info['load_average_before'][0]:.1f}, after "
        f"{info['load_average_after'][0]:.1f} (the machine is shared: other work ran beside the bench). nginx -> "
        "gunicorn (2 sync workers) for HTTP, nginx -> uvicorn (1 process) for /ws/, PostgreSQL, Redis, a Celery "
        "worker and beat, all on loopback; the load generator (bench/loadgen.py, open loop: latency counts from "
        "each request's due time) in its own process on the same cores. 100,000 past orders at the location.",
        "",
        f"Each rate runs {results['options']['duration']:.0f} s; a scenario stops at the first rate with "
        f"p99 > {P99_LIMIT_MS:.0f} ms or errors > {ERROR_LIMIT:.1%} twice in a row (a failed rate is run once more "
        "after the queue drained: the machine is shared). *Sustained* is the highest rate that passed; its ratio "
        "is to the ceiling named in the last column.",
        "",
        "| scenario | sustained (req/s) | p99 < 50 ms up to | ratio to ceiling | ceiling |",
        "|---|---|---|---|---|",
    ]
    for name, scenario in scenarios.items():
        ceiling_name = SCENARIOS[name][4]
        ceiling = scenarios.get(ceiling_name, {}).get("sustained_rps", 0)
        ratio = _ratio(scenario["sustained_rps"], ceiling) if ceiling_name else "1 (is one)"
        label = SCENARIOS[ceiling_name][0] if ceiling_name else "framework ceiling"
        rows.append(
            f"| {scenario['title']} | {scenario['sustained_rps']:.0f} | {scenario['p99_under_50ms_rate']:.0f}/s "
            f"| {ratio} | {label} |"
        )
    for run_ in ceilings:
        rows.append(
            f"| pgbench: order-create writes in one transaction, {run_['clients']} clients on "
            f"{run_['locations']} location(s) | {run_['tps']:.0f} tps | p99 {run_['p99_ms']:.1f} ms | – | "
            "database ceiling |"
        )
    create = scenarios.get("order_create", {}).get("sustained_rps", 0)
    one_location = next((run_ for run_ in ceilings if run_["locations"] == 1), None)
    if one_location:
        rows += ["", f"Order create to the database ceiling at one location: {_ratio(create, one_location['tps'])}."]
    rows += [
        "",
        "Every rate (latency in ms, from the due time; server CPU: the gunicorn workers' CPU time per request, "
        "which other work on the machine does not inflate as much as latency; client CPU: the load generator's, "
        "as a share of one core):",
        "",
        "| scenario | rate/s | achieved/s | p50 | p95 | p99 | max | errors | server CPU ms/req | client CPU |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, scenario in scenarios.items():
        for step in scenario["steps"]:
            kinds = ", ".join(f"{kind} {n}" for kind, n in step["error_kinds"].items())
            rows.append(
                f"| {name}{' (second try)' if step.get('retried') else ''} | {step['rate']:.0f} "
                f"| {step['achieved_rps']:.0f} | {step['p50_ms']} | {step['p95_ms']} "
                f"| {step['p99_ms']} | {step['max_ms']} | {step['errors']}{f' ({kinds})' if kinds else ''} "
                f"| {step['server_cpu_ms_per_request']} | {step['client_cpu_share']:.2f} |"
            )
    rows += _socket_rows(results.get("fanout"), results.get("idle"))
    rows += _goal_rows(results)
    rows += _profile_rows(results.get("profile", []))
    rows.append(SECTION_END)
    return "\n".join(rows) + "\n"


def _socket_rows(fan: dict | None, idle: dict | None) -> list[str]:
    rows = []
    if fan:
        rows += [
            "",
            f"**WebSocket fan-out** through nginx: {fan['kitchen_displays']} kitchen displays (`/ws/v1/kitchen/`) "
            f"and {fan['pos_screens']} POS screens (`/ws/v1/orders/`), {fan['orders']} orders at {fan['rate']:.0f}/s "
            f"through the API. Deliveries expected {fan['deliveries_expected']}, lost {fan['lost']}, duplicated "
            f"{fan['duplicates']}; {fan['before_response_share']:.0%} arrived before the create response did (the "
            "event is relayed after commit, before the response is written), counted as negative times. uvicorn "
            f"used {fan['asgi_cpu_ms_per_order']} ms of CPU per order (all its events to all the sockets).",
            "",
            "| latency (ms) | p50 | p95 | p99 | max |",
            "|---|---|---|---|---|",
        ]
        for label, key in (
            ("create response -> socket", "from_response"),
            ("create request -> socket", "from_request"),
        ):
            cells = fan[key]
            rows.append(f"| {label} | {cells['p50_ms']} | {cells['p95_ms']} | {cells['p99_ms']} | {cells['max_ms']} |")
    if idle:
        rows += [
            "",
            "**Idle WebSocket connections on one uvicorn process** (kitchen sockets authenticated with a JWT, "
            "answering the server's pings; straight to uvicorn, since the bench's nginx allows 1,024 connections):",
            "",
            "| open sockets | uvicorn RSS (MiB) | per socket (KiB) |",
            "|---|---|---|",
            f"| 0 | {idle['baseline_rss_kib'] / 1024:.0f} | – |",
        ]
        for step in idle["steps"]:
            per = (step["rss_kib"] - idle["baseline_rss_kib"]) / step["sockets"]
            rows.append(f"| {step['sockets']} | {step['rss_kib'] / 1024:.0f} | {per:.0f} |")
        stop = idle["stopped_by"] or "the bench's limit (--idle); the process was not exhausted"
        rows += [
            "",
            f"Stopped at: {stop}. A new order then reached {idle['heard_broadcast']} of {idle['open']} sockets, the "
            f"last {idle['broadcast_last_ms']} ms after its create response.",
        ]
    return rows


def _goal_rows(results: dict) -> list[str]:
    scenarios = results["scenarios"]
    create = scenarios.get("order_create", {})
    menu, drf = scenarios.get("menu", {}), scenarios.get("drf_constant", {})
    fan, idle = results.get("fanout") or {}, results.get("idle") or {}
    menu_share = menu.get("sustained_rps", 0) / drf["sustained_rps"] if drf.get("sustained_rps") else 0
    goals = [
        (
            "order create ≥ 150/s at p99 < 50 ms",
            f"p99 < 50 ms up to {create.get('p99_under_50ms_rate', 0):.0f}/s",
            create.get("p99_under_50ms_rate", 0) >= 150,
        ),
        (
            "menu read ≥ 0.6 × constant DRF view",
            f"{menu_share:.2f} × ({menu.get('sustained_rps', 0):.0f} of {drf.get('sustained_rps', 0):.0f}/s)",
            menu_share >= 0.6,
        ),
        (
            "fan-out p99 < 50 ms to 50 displays, 0 lost",
            f"p99 {fan.get('from_response', {}).get('p99_ms')} ms, lost {fan.get('lost')}" if fan else "not run",
            bool(fan) and fan["lost"] == 0 and (fan["from_response"]["p99_ms"] or 1e9) < 50,
        ),
        (
            "≥ 5,000 idle WebSocket connections per ASGI process",
            f"{idle.get('open', 0)} open, {idle.get('heard_broadcast', 0)} heard a broadcast" if idle else "not run",
            bool(idle) and idle["heard_broadcast"] >= 5000,
        ),
    ]
    rows = ["", "**Goals**:", "", "| goal | measured | met |", "|---|---|---|"]
    rows += [f"| {goal} | {measured} | {'yes' if met else '**no**'} |" for goal, measured, met in goals]
    return rows


def _profile_rows(profiles: list[dict]) -> list[str]:
    rows = []
    for found in profiles:
        rows += [
            "",
            f"**Profile** (py-spy, both gunicorn workers, {found['samples']} samples) of `{found['scenario']}` at "
            f"{found['rate']:.0f}/s. CafePOS functions by inclusive share of samples; then any function by self "
            "share (idle waiting included):",
            "",
            "| CafePOS function | % | function (self) | % |",
            "|---|---|---|---|",
        ]
        for ours, anywhere in itertools.zip_longest(found["ours_inclusive"], found["self"], fillvalue=["", ""]):
            rows.append(f"| `{ours[0]}` | {ours[1]} | `{anywhere[0]}` | {anywhere[1]} |")
    return rows


# -- main --------------------------------------------------------------------------------------------------------


def options_parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short steps and small counts: a smoke run")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per rate")
    parser.add_argument("--only", nargs="*", choices=list(SCENARIOS), help="run only these HTTP scenarios")
    parser.add_argument("--idle", type=int, default=5000, help="idle sockets to open at most")
    parser.add_argument("--no-sockets", action="store_true")
    parser.add_argument(
        "--sockets-only",
        action="store_true",
        help="only the WebSocket fan-out and idle sockets: no HTTP scenarios, no pgbench; prints the figures and "
        "leaves bench/RESULTS.md alone",
    )
    parser.add_argument("--orders", type=int, default=200, help="orders of the fan-out (at 10 a second)")
    parser.add_argument("--profile", action="store_true", help="py-spy the workers during creates and menu reads")
    parser.add_argument("--keep-stack", action="store_true", help="leave the stack running afterwards")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--redis-prefix", default="h10bench", help="the stack's Redis keys, deleted afterwards")
    parser.add_argument("--stack-dir", default="/tmp/cafepos-bench-h10")
    parser.add_argument("--http-port", type=int, default=8180)
    parser.add_argument("--web-port", type=int, default=8190)
    parser.add_argument("--ws-port", type=int, default=8191)
    parser.add_argument("--results", type=Path, default=ROOT / "bench")
    options = parser.parse_args()
    for url in (options.database_url, options.redis_url):
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error(f"loopback only: {url}")
    if options.quick:
        options.duration, options.idle = min(options.duration, 3.0), min(options.idle, 500)
        options.orders = min(options.orders, 20)
    return options


def http_scenarios(load: Load, options: argparse.Namespace, results: dict, seed: dict, body: dict) -> None:
    """The HTTP ramps, then pgbench's ceilings."""
    results["scenarios"] = {}
    for name, (_, _, _, rates, _) in SCENARIOS.items():
        if options.only and name not in options.only:
            continue
        print(f"{name}:", flush=True)
        results["scenarios"][name] = load.ramp(name, rates[:4] if options.quick else rates)
    print("pgbench ...", flush=True)
    seconds = 5 if options.quick else 15
    item = body["items"][0]["menu_item_id"]
    results["pgbench"] = [
        pgbench(options.database_url, seed, item, spread=1, seconds=seconds),
        pgbench(options.database_url, seed, item, spread=8, seconds=seconds),
    ]


def main() -> None:
    options = options_parse()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the stack (uvicorn) inherits it
    results = {"machine": machine(), "options": {"duration": options.duration, "quick": options.quick}}
    stack = Stack(options, options.database_url)
    stack.script("stop")  # a stack left running by an earlier --keep-stack holds the database open
    print("Seeding the bench database ...", flush=True)
    seed = prepare_database(options.database_url, stack.env)
    results["seed"] = seed
    print(f"  {seed}", flush=True)
    stack.script("start")
    try:
        tokens = {
            "cashier": login(stack.http, "cashier@example.com", "cafepos-cashier"),
            "kitchen": login(stack.http, "kitchen@example.com", "cafepos-kitchen"),
        }
        body = order_body(api(stack.http, "GET", "/api/v1/menu/", token=tokens["cashier"]))
        load = Load(stack, tokens["cashier"], body, options.duration)
        load.warm_up()
        if not options.sockets_only:
            http_scenarios(load, options, results, seed, body)
        if not options.no_sockets:
            print("WebSocket fan-out and idle sockets ...", flush=True)
            results["fanout"] = asyncio.run(
                sockets.fanout(
                    base_url=stack.http,
                    tokens=tokens,
                    body=body,
                    displays=50,
                    screens=50,
                    orders=options.orders,
                    rate=10.0,
                    ws_pid=stack.pid("ws"),
                )
            )
            results["idle"] = asyncio.run(
                sockets.idle(
                    ws_url=stack.ws,
                    origin=stack.http,
                    base_url=stack.http,
                    tokens=tokens,
                    body=body,
                    pid=stack.pid("ws"),
                    maximum=options.idle,
                    step=max(100, options.idle // 5),
                )
            )
        if options.profile:
            print("Profiling ...", flush=True)
            results["profile"] = [profile(load, "order_create", 100), profile(load, "menu", 600)]
    finally:
        results["machine"]["load_average_after"] = list(os.getloadavg())
        if not options.keep_stack:
            stack.script("stop")
            redis_forget(options.redis_url, options.redis_prefix)
    if options.sockets_only:
        print(json.dumps({key: results.get(key) for key in ("machine", "fanout", "idle")}, indent=2))
        return
    section = report(results)
    print(section)
    (options.results / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    write_section(options.results / "RESULTS.md", section)


if __name__ == "__main__":
    main()

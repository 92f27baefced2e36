"""Order create's CPU per request in one process: the Django test client on a seeded PostgreSQL database.

    .venv/bin/python bench/inprocess.py --database-url postgres://postgres@127.0.0.1:5432/cafepos_inprocess \
        [--tree ../other-checkout] [--creates 500] [--runs 3]

Compares two trees side by side: each tree migrates and seeds its own database (bench/seed.py: the demo cafe and
100,000 past orders), then times the bench's order create (JWT, 3 lines, 4 modifiers, Idempotency-Key, the
after-commit relay included) with `time.process_time`. A stack run (bench/run.py) varies by ±15 % between runs
on this machine; the process CPU of the same creates, alternated between trees, varies far less. Prints JSON.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(creates: int) -> dict:
    """Run inside the tree under test (a child process started by main in that tree)."""
    sys.path[0] = str(ROOT)  # not bench/, whose markdown.py would shadow the package DRF imports
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from bench.run import order_body
    from bench.seed import seed

    seed()
    client = Client()
    token = client.post(
        "/api/v1/auth/token/",
        {"email": "cashier@example.com", "password": "cafepos-cashier"},
        content_type="application/json",
    ).json()["access"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = order_body(client.get("/api/v1/menu/", **headers).json())

    def create() -> None:
        response = client.post(
            "/api/v1/orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **headers
        )
        assert response.status_code == 201, response.content

    for _ in range(50):  # warm caches, prepared statements and the menu
        create()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(creates):
        create()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"creates": creates, "cpu_ms": round(1000 * cpu / creates, 3), "wall_ms": round(1000 * wall / creates, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cafepos_inprocess")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--tree", type=Path, action="append", help="checkouts to compare (default: this one)")
    parser.add_argument("--creates", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.creates)))
        return
    trees = [tree.resolve() for tree in (args.tree or [ROOT])]
    results = {str(tree): [] for tree in trees}
    for run_number in range(args.runs):
        for index, tree in enumerate(trees):
            env = {
                **os.environ,
                "DATABASE_URL": f"{args.database_url}_{index}",
                "REDIS_URL": args.redis_url,
                "REDIS_KEY_PREFIX": f"inprocess{index}",
                "RATE_LIMIT_MAX_REQUESTS": "1000000000",
                "ALLOWED_HOSTS": "testserver",
            }
            if run_number == 0:
                subprocess.run(
                    ["createdb", "-h", "127.0.0.1", "-U", "postgres", env["DATABASE_URL"].rsplit("/", 1)[1]],
                    capture_output=True,
                    check=False,
                )  # noqa: S603, S607 (exists already: fine)
            output = subprocess.run(  # noqa: S603 (this interpreter, this script)
                [sys.executable, str(tree / "bench" / "inprocess.py"), "--child", "--creates", str(args.creates)],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[str(tree)].append(json.loads(output.strip().splitlines()[-1]))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

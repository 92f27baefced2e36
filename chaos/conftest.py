"""Fault tests (`make chaos`): collected only with CAFEPOS_CHAOS=1, since they take minutes and start servers.

Each session gets a private PostgreSQL cluster and Redis server (chaos/services.py) with the demo cafe; server
logs go to a temporary folder, kept when CAFEPOS_CHAOS_KEEP=1. A Celery worker killed mid-task (the task runs
exactly once after redelivery) is tested in the main suite, with a real worker:
delivery/tests/test_delivery_worker.py.
"""

import json
import os
import resource
import shutil
import tempfile
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from .services import PrivatePostgres, PrivateRedis, Server, manage, production_env

if os.environ.get("CAFEPOS_CHAOS") != "1":
    collect_ignore_glob = ["test_*.py"]

SEED = (
    "from accounts.demo import seed_accounts; from menu import demo; "
    "location = seed_accounts()[0]; demo.seed(location); print(location.pk)"
)


@dataclass
class Cluster:
    postgres: PrivatePostgres
    redis: PrivateRedis
    env: dict[str, str]
    work: Path
    location_id: int

    def server(self, kind: str, **env) -> Server:
        return Server(kind, {**self.env, **env}, self.work)

    def sql(self, query: str, params=()) -> list[tuple]:
        with psycopg.connect(self.postgres.url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()


@pytest.fixture(scope="session")
def cluster():
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # 1,000 sockets here and in the servers
    postgres, redis = PrivatePostgres(), PrivateRedis()
    work = Path(tempfile.mkdtemp(prefix="cafepos-chaos-"))
    try:
        postgres.create()
        redis.start()
        env = production_env(database_url=postgres.url, redis_url=redis.url, work=work)
        manage(env, "migrate", "--noinput", "-v0")
        location_id = int(manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        yield Cluster(postgres=postgres, redis=redis, env=env, work=work, location_id=location_id)
    finally:
        redis.kill()
        postgres.destroy()
        if os.environ.get("CAFEPOS_CHAOS_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


@dataclass
class Answer:
    status: int
    body: dict
    headers: dict


def call(base: str, method: str, path: str, *, token=None, body=None, key=None, timeout: float = 30) -> Answer:
    """One HTTP request; an error status is an Answer too (a dropped connection raises OSError)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
            return Answer(response.status, json.load(response), dict(response.headers))
    except urllib.error.HTTPError as error:
        raw = error.read()
        return Answer(
            error.code, json.loads(raw) if raw.startswith(b"{") else {"raw": raw.decode()}, dict(error.headers)
        )


def login(base: str, email: str = "cashier@example.com", password: str = "cafepos-cashier") -> str:
    answer = call(base, "POST", "/api/v1/auth/token/", body={"email": email, "password": password})
    assert answer.status == 200, answer
    return answer.body["access"]


def new_key() -> str:
    return str(uuid.uuid4())


def order_body(cluster: Cluster) -> dict:
    """A cappuccino with two modifiers and an avocado toast (a kitchen ticket)."""
    items = dict(cluster.sql("SELECT name, id FROM menu_menuitem WHERE location_id = %s", [cluster.location_id]))
    modifiers = dict(cluster.sql("SELECT name, id FROM menu_modifier"))
    return {
        "type": "TAKEAWAY",
        "items": [
            {"menu_item_id": items["Cappuccino"], "modifier_ids": [modifiers["Large"], modifiers["Oat milk"]]},
            {"menu_item_id": items["Avocado toast"]},
        ],
    }

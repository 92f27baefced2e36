"""The production stack on this machine (deploy/local-stack.sh): nginx routing /ws/ to uvicorn and the rest
to gunicorn, a Celery worker and beat, on the test database and Redis. One port answers /health, /ready,
/metrics and WebSockets; logs are JSON lines with the request id; `stop` shuts everything down gracefully."""

import json
import os
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from websockets.sync.client import connect

from cafepos.tests.test_deploy_serving import NGINX

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db,
    pytest.mark.skipif(not NGINX, reason="nginx is not installed (apt-get install nginx; bash .ci/run installs it)"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def stack(tmp_path):
    ports = {"HTTP_PORT": free_port(), "WEB_PORT": free_port(), "WS_PORT": free_port()}
    env = {
        **os.environ,
        **{name: str(port) for name, port in ports.items()},
        "STACK_DIR": str(tmp_path),
        "VENV": str(Path(sys.executable).parent.parent),
        "DATABASE_URL": database_url(),
        "REDIS_URL": django_settings.REDIS_URL,
        "REDIS_KEY_PREFIX": f"{django_settings.REDIS_KEY_PREFIX}:stack-test",
        "NGINX_BIN": NGINX,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = ["bash", "deploy/local-stack.sh"]
    run = {"cwd": django_settings.BASE_DIR, "env": env, "capture_output": True, "text": True, "timeout": 120}
    try:
        started = subprocess.run([*script, "start"], **run, check=False)  # noqa: S603
        logs = "\n".join(f"--- {path.name}\n{path.read_text()[-3000:]}" for path in (tmp_path / "logs").glob("*"))
        assert started.returncode == 0, started.stderr + logs
        yield {"base": f"http://127.0.0.1:{ports['HTTP_PORT']}", "port": ports["HTTP_PORT"], "dir": tmp_path}
    finally:
        stopped = subprocess.run([*script, "stop"], **run, check=False)  # noqa: S603
    assert stopped.returncode == 0, stopped.stderr
    status = subprocess.run([*script, "status"], **run, check=True).stdout  # noqa: S603
    assert "running" not in status, status


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def test_one_port_serves_probes_metrics_pages_and_websockets(stack):
    request_id = f"stack-{uuid.uuid4().hex[:12]}"

    assert get(f"{stack['base']}/health")[0] == 200
    status, headers, body = get(f"{stack['base']}/ready", **{"X-Request-ID": request_id})
    assert (status, json.loads(body)) == (200, {"status": "ready"})
    assert headers["X-Request-ID"] == request_id
    status, _, body = get(f"{stack['base']}/metrics")
    assert status == 200
    assert 'cafepos_http_request_duration_seconds_count{method="GET",route="/ready",status="200"}' in body.decode()
    with connect(
        f"ws://127.0.0.1:{stack['port']}/ws/v1/kitchen/?location=1", origin=stack["base"], open_timeout=10
    ) as websocket:
        assert websocket.response.status_code == 101  # upgraded by uvicorn, through nginx
    get(f"{stack['base']}/terminal/login/", **{"X-Request-ID": request_id})

    lines = [
        json.loads(line) for line in (stack["dir"] / "logs" / "web.log").read_text().splitlines() if line[:1] == "{"
    ]
    access = [line for line in lines if line["logger"] == "cafepos.access" and line["request_id"] == request_id]
    assert {line["route"] for line in access} >= {"/terminal/login/"}  # urllib followed the redirect too
    nginx_lines = (stack["dir"] / "logs" / "nginx-access.log").read_text()
    assert f'"request_id":"{request_id}"' in nginx_lines  # the same id at the edge
    assert "ready." in (stack["dir"] / "logs" / "worker.log").read_text()

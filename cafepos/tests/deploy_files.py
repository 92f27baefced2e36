"""Readers for the deployment files the test_deploy_* tests keep honest (no cluster or Docker engine needed)."""

import re
import runpy
import shlex
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
SETTINGS_DIR = ROOT / "cafepos" / "settings"

_SETTINGS_READ = re.compile(r"""(?:env\.\w+|duration)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
_SERVER_READ = re.compile(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""")
_ENV_EXAMPLE_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def settings_variables() -> set[str]:
    """Every variable the settings read (`env.str("X")`, `env.int(...)`, `duration("X", ...)` ...)."""
    return {name for path in SETTINGS_DIR.glob("*.py") for name in _SETTINGS_READ.findall(path.read_text())}


def server_variables() -> set[str]:
    """Variables the gunicorn config reads on top of the settings (WEB_CONCURRENCY...)."""
    return set(_SERVER_READ.findall((DEPLOY / "gunicorn.conf.py").read_text()))


def env_example_variables() -> set[str]:
    return set(_ENV_EXAMPLE_LINE.findall((ROOT / ".env.example").read_text()))


def k8s_documents(*names: str) -> list[dict]:
    paths = [K8S / name for name in names] if names else sorted(K8S.glob("*.yaml"))
    return [doc for path in paths for doc in yaml.safe_load_all(path.read_text()) if doc]


def k8s_resources() -> list[dict]:
    """Every Kubernetes object in deploy/k8s (the kustomization file is kustomize's, not the cluster's)."""
    return [doc for doc in k8s_documents() if doc["kind"] != "Kustomization"]


def k8s_one(kind: str, name: str) -> dict:
    [doc] = [doc for doc in k8s_resources() if doc["kind"] == kind and doc["metadata"]["name"] == name]
    return doc


def pod_containers() -> list[tuple[dict, dict]]:
    """(workload, container) for every Deployment and Job."""
    return [
        (doc, container)
        for doc in k8s_resources()
        if doc["kind"] in ("Deployment", "Job")
        for container in doc["spec"]["template"]["spec"]["containers"]
    ]


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def dockerfile_stages() -> list[list[str]]:
    """Instructions of each stage (continuation lines joined), in order."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    stages = []
    for line in lines:
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


def as_argv(command) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else list(command)


def every_command() -> dict[str, list[str]]:
    """{where: argv} for the image's CMD and every command run in it (compose services, pod containers)."""
    commands = {}
    for instruction in dockerfile_stages()[-1]:
        if instruction.upper().startswith("CMD "):
            commands["Dockerfile CMD"] = yaml.safe_load(instruction[4:])
    for name, service in compose()["services"].items():
        if service.get("image", "").startswith("cafepos:") and "command" in service:
            commands[f"compose {name}"] = as_argv(service["command"])
    for workload, container in pod_containers():
        commands[f"k8s {workload['metadata']['name']}/{container['name']}"] = container["command"]
    return commands


def served_port(argv: list[str]) -> int:
    """The TCP port a gunicorn (from its config file's `bind`) or uvicorn (`--port=`) command listens on."""
    if argv[0] == "gunicorn":
        config = runpy.run_path(str(ROOT / argv[argv.index("--config") + 1]))
        return int(config["bind"].rsplit(":", 1)[1])
    return int(next(arg.split("=", 1)[1] for arg in argv if arg.startswith("--port=")))

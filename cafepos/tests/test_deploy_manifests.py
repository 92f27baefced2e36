"""deploy/k8s, deploy/docker-compose.yml and deploy/Dockerfile stay true to the code: valid Kubernetes
objects, probes on endpoints that exist, every setting reachable, commands naming real modules."""

import importlib
import re
import shutil
import subprocess

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve
from kubernetes_validate.utils import latest_version, validate

from cafepos.tests import deploy_files as files

# The oldest Kubernetes minor still common at cloud providers, and the newest schemas the package bundles.
KUBERNETES_VERSIONS = ["1.29.0", latest_version()]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_validates_against_the_kubernetes_schemas(version):
    resources = files.k8s_resources()

    for resource in resources:
        validate(resource, version, strict=True)  # raises with the offending field
    assert {doc["kind"] for doc in resources} >= {
        "Deployment",
        "Service",
        "Ingress",
        "ConfigMap",
        "Secret",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Job",
    }


def test_kustomization_applies_everything_but_the_secret_and_the_migration_job():
    [kustomization] = files.k8s_documents("kustomization.yaml")
    on_disk = {path.name for path in files.K8S.glob("*.yaml")} - {"kustomization.yaml"}

    assert set(kustomization["resources"]) == on_disk - {"secret.example.yaml", "migrate-job.yaml"}


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed: kustomize build not checked")
def test_kustomize_builds_the_manifests_offline():
    result = subprocess.run(  # noqa: S603
        ["kubectl", "kustomize", str(files.K8S)], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    images = {
        container["image"]
        for doc in yaml.safe_load_all(result.stdout)
        if doc["kind"] == "Deployment"
        for container in doc["spec"]["template"]["spec"]["containers"]
    }
    [job] = files.k8s_documents("migrate-job.yaml")
    assert images == {job["spec"]["template"]["spec"]["containers"][0]["image"]}  # migrations run the same image


def test_probes_point_at_the_health_and_ready_endpoints_on_the_port_the_server_binds():
    probed = 0
    for workload, container in files.pod_containers():
        ports = {port["name"]: port["containerPort"] for port in container.get("ports", [])}
        for probe, url_name in (("livenessProbe", "health"), ("readinessProbe", "ready"), ("startupProbe", "health")):
            http = container.get(probe, {}).get("httpGet")
            if not http:
                continue
            probed += 1
            assert resolve(http["path"]).url_name == url_name, (workload["metadata"]["name"], probe)
            assert ports[http["port"]] == files.served_port(container["command"])
    assert probed >= 5  # web: liveness, readiness, startup; ws: liveness, readiness


def test_the_web_and_ws_tiers_have_liveness_and_readiness_probes():
    for name in ("cafepos-web", "cafepos-ws"):
        [container] = files.k8s_one("Deployment", name)["spec"]["template"]["spec"]["containers"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert container["resources"]["requests"] and container["resources"]["limits"]


def test_every_variable_the_settings_read_is_documented_in_env_example():
    missing = files.settings_variables() - files.env_example_variables()

    assert not missing, f"add to .env.example with a comment: {sorted(missing)}"


def test_every_variable_reaches_every_pod_through_the_configmap_or_the_secret():
    [config] = files.k8s_documents("configmap.yaml")
    [secret] = files.k8s_documents("secret.example.yaml")
    in_config, in_secret = set(config["data"]), set(secret["stringData"])
    wanted = files.settings_variables() | files.env_example_variables() | files.server_variables()

    assert not wanted - (in_config | in_secret), "add to deploy/k8s/configmap.yaml or secret.example.yaml"
    assert not (in_config | in_secret) - wanted, "nothing reads these any more"
    assert not in_config & in_secret
    for _, container in files.pod_containers():
        assert container["envFrom"] == [
            {"configMapRef": {"name": config["metadata"]["name"]}},
            {"secretRef": {"name": secret["metadata"]["name"]}},
        ]


def test_secrets_and_connection_urls_live_in_the_secret_not_the_configmap():
    [config] = files.k8s_documents("configmap.yaml")

    secret_like = ("SECRET", "SECRET_KEY", "PASSWORD", "TOKEN", "_URL", "_DSN")  # URLs can hold a password
    assert not {name for name in config["data"] if name.endswith(secret_like)}


def test_every_variable_is_set_in_the_compose_file():
    environment = files.compose()["x-environment"]
    wanted = files.settings_variables() | files.env_example_variables() | files.server_variables()

    assert not wanted - set(environment), "add to x-environment in deploy/docker-compose.yml"
    assert not set(environment) - wanted, "nothing reads these any more"


def test_compose_migrates_once_before_web_and_ws_start():
    services = files.compose()["services"]

    assert files.as_argv(services["migrate"]["command"])[-2:] == ["migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "ws", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert {dependency["condition"] for dependency in services["migrate"]["depends_on"].values()} == {"service_healthy"}
    assert set(services) >= {"nginx", "web", "ws", "worker", "beat", "postgres", "redis", "migrate"}


def test_wsgi_workers_run_without_the_pool_and_asgi_with_it():
    """Sync workers keep one persistent connection; under ASGI a persistent connection leaks (RECIPES)."""
    services = files.compose()["services"]
    assert services["web"]["environment"]["DATABASE_POOL_MAX"] == "0"
    assert services["ws"]["environment"]["DATABASE_POOL_MAX"] != "0"
    [web] = files.k8s_one("Deployment", "cafepos-web")["spec"]["template"]["spec"]["containers"]
    [ws] = files.k8s_one("Deployment", "cafepos-ws")["spec"]["template"]["spec"]["containers"]
    [config] = files.k8s_documents("configmap.yaml")
    assert {"name": "DATABASE_POOL_MAX", "value": "0"} in web["env"]
    assert config["data"]["DATABASE_POOL_MAX"] != "0"
    assert not [var for var in ws.get("env", []) if var["name"] == "DATABASE_POOL_MAX"]


def test_web_autoscales_from_3_to_10_replicas_at_70_percent_cpu():
    hpa = files.k8s_one("HorizontalPodAutoscaler", "cafepos-web")["spec"]

    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "cafepos-web"}
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 10)
    [metric] = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"] == {"type": "Utilization", "averageUtilization": 70}


def test_exactly_one_beat_and_a_budget_for_each_serving_tier():
    beat = files.k8s_one("Deployment", "cafepos-beat")["spec"]
    budgets = {doc["metadata"]["name"] for doc in files.k8s_resources() if doc["kind"] == "PodDisruptionBudget"}

    assert beat["replicas"] == 1
    assert beat["strategy"] == {"type": "Recreate"}
    assert budgets >= {"cafepos-web", "cafepos-ws", "cafepos-worker"}


def test_the_ingress_sends_websockets_to_the_asgi_tier_and_the_rest_to_gunicorn():
    [rule] = files.k8s_one("Ingress", "cafepos")["spec"]["rules"]
    routes = {path["path"]: path["backend"]["service"]["name"] for path in rule["http"]["paths"]}

    assert routes == {"/ws/": "cafepos-ws", "/": "cafepos-web"}


def test_every_command_names_modules_and_commands_that_exist():
    checked = set()
    for where, argv in files.every_command().items():
        program = argv[0]
        if program == "gunicorn":
            config = argv[argv.index("--config") + 1]
            assert (files.ROOT / config).is_file(), where
            assert importlib.import_module(argv[-1]).application, where
        elif program == "uvicorn":
            module, attribute = argv[1].split(":")
            assert getattr(importlib.import_module(module), attribute), where
        elif program == "celery":
            app = next(arg.split("=", 1)[1] for arg in argv if arg.startswith("--app="))
            assert importlib.import_module(app).celery_app.main == "cafepos", where
            assert argv[2] in ("worker", "beat"), where
        elif argv[:2] == ["python", "manage.py"]:
            assert argv[2] in get_commands(), where
        else:
            pytest.fail(f"{where}: unexpected program {program!r}")
        checked.add(program)
    assert checked == {"gunicorn", "uvicorn", "celery", "python"}


def test_the_image_is_multi_stage_slim_non_root_with_static_files_and_a_healthcheck():
    stages = files.dockerfile_stages()
    build, runtime = stages[0], stages[-1]

    assert len(stages) >= 2
    assert runtime[0].startswith("FROM python:3.11-slim")
    assert any("build-essential" in line for line in build)
    assert not any(tool in line for line in runtime for tool in ("build-essential", "gcc", "apt-get install"))
    users = [line.split()[1] for line in runtime if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any("manage.py collectstatic --noinput" in line for line in runtime)
    [healthcheck] = [line for line in runtime if line.startswith("HEALTHCHECK")]
    path = healthcheck.split("127.0.0.1:8000", 1)[1].split("'")[0]
    assert resolve(path).url_name == "health"


def test_the_docker_context_leaves_out_local_state_and_secrets():
    ignored = set((files.ROOT / ".dockerignore").read_text().split())

    assert {".git", ".venv", ".env", "db.sqlite3"} <= ignored


SOCKETS_PER_UVICORN = 10_000  # planned per uvicorn process (5,000 measured)


def test_nginx_is_sized_for_a_uvicorn_process_full_of_sockets_with_room_for_http():
    """Each proxied socket takes two worker connections and two descriptors; 1024 (nginx's default) let 700
    idle sockets of one user take the site down."""
    main = (files.DEPLOY / "nginx" / "nginx.conf").read_text()
    connections = int(re.search(r"worker_connections (\d+);", main).group(1))
    descriptors = int(re.search(r"worker_rlimit_nofile (\d+);", main).group(1))
    assert connections >= 2 * SOCKETS_PER_UVICORN * 1.5
    assert descriptors >= connections + 1000
    nginx = files.compose()["services"]["nginx"]
    assert "./nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]
    assert nginx["ulimits"]["nofile"]["hard"] >= descriptors

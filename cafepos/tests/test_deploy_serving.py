"""What the image build and the proxy do, checked on this machine: collectstatic with hashed, compressed
names, and nginx accepting deploy/nginx/cafepos.conf."""

import json
import shutil
import subprocess

import pytest
from django.conf import settings as django_settings

from cafepos.tests.subprocesses import run_django
from cafepos.tests.test_production_settings import GOOD_JWT_SECRET, GOOD_SECRET_KEY

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def test_collectstatic_in_production_writes_hashed_and_compressed_files(tmp_path):
    result = run_django(
        "manage.py",
        "collectstatic",
        "--noinput",
        env={
            "APP_ENV": "production",
            "SECRET_KEY": GOOD_SECRET_KEY,
            "JWT_SECRET": GOOD_JWT_SECRET,
            "STATIC_ROOT": str(tmp_path),
        },
        timeout=180,
    )

    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["admin/css/base.css"]
    assert hashed != "admin/css/base.css"  # a content hash in the name: cached forever, safe to update
    assert (tmp_path / hashed).is_file()
    assert (tmp_path / f"{hashed}.gz").is_file()


@pytest.mark.skipif(not NGINX, reason="nginx is not installed (apt-get install nginx; bash .ci/run installs it)")
def test_nginx_accepts_the_proxy_config(tmp_path):
    rendered = subprocess.run(  # noqa: S603
        ["bash", "deploy/local-stack.sh", "config", str(tmp_path)],  # noqa: S607
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr

    result = subprocess.run(  # noqa: S603
        [NGINX, "-e", "stderr", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr

"""The layers contract (`.importlinter`, run by `make test` and CI as `lint-imports`) catches an upward import
(shown on a copy of the code with one added), and no module imports another app's test modules."""

import ast
import shutil
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def root_packages() -> list[str]:
    config = ConfigParser()
    config.read(ROOT / ".importlinter")
    return config["importlinter"]["root_packages"].split()


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_upward_import_breaks_the_contract(tmp_path):
    for package in root_packages():
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("static", "templates"))
    shutil.copy(ROOT / ".importlinter", tmp_path)
    assert lint_imports(tmp_path).returncode == 0

    (tmp_path / "menu" / "reaching_up.py").write_text("from orders.models import Order\n")
    result = lint_imports(tmp_path)

    assert result.returncode == 1
    assert "menu is not allowed to import orders" in result.stdout
    assert "menu.reaching_up -> orders.models" in result.stdout


def test_no_module_imports_the_test_modules_of_another_app():
    # what several apps' tests share lives in testing/ (or the root conftest.py), not in one app's conftest/test_*
    borrowed = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "mutants" in path.parts:
            continue
        own_app = path.relative_to(ROOT).parts[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                app, _, rest = node.module.partition(".tests.")
                leaf = rest.split(".")[0]
                if rest and app != own_app and (leaf == "conftest" or leaf.startswith("test_")):
                    borrowed.append(f"{path.relative_to(ROOT)}: {node.module}")

    assert borrowed == []

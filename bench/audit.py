"""`make audit`: known vulnerabilities in the pinned requirements (pip-audit) and security smells in the code
(bandit), written to the `audit` section of bench/RESULTS.md. Advisory, not in CI: a new advisory can appear
without any change here.

pip-audit checks the pins of requirements/dev.txt (which includes prod.txt and base.txt) and everything
installed in the virtualenv (their dependencies too). bandit scans what ships (the apps, cafepos/, deploy/);
every finding must be fixed or justified on its line or just above it: `# nosec B<number> (reason)`, or ruff's
equivalent `# noqa: S<number> (reason)` (ruff's S rules are bandit's, with the same numbers).
"""

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.markdown import write_section  # noqa: E402

BIN = Path(sys.executable).parent
SCANNED = ["accounts", "menu", "tables", "orders", "realtime", "delivery", "reports", "pos", "cafepos", "deploy"]
SECTION_START, SECTION_END = "<!-- audit:start -->", "<!-- audit:end -->"


def pip_audit(*arguments: str) -> list[dict]:
    result = subprocess.run(  # noqa: S603 (our virtualenv's tool, fixed arguments)
        [str(BIN / "pip-audit"), "--format", "json", "--progress-spinner", "off", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if not result.stdout.strip():
        raise SystemExit(f"pip-audit failed:\n{result.stderr}")
    found = []
    for dependency in json.loads(result.stdout)["dependencies"]:
        for vulnerability in dependency.get("vulns", []):
            found.append({"package": dependency["name"], "version": dependency["version"], **vulnerability})
    return found


def bandit() -> list[dict]:
    result = subprocess.run(  # noqa: S603
        [str(BIN / "bandit"), "-q", "-r", *SCANNED, "-x", "*/tests/*,*/migrations/*", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    findings = json.loads(result.stdout)["results"]
    for finding in findings:
        finding["justification"] = justification(finding)
    return findings


def justification(finding: dict) -> str | None:
    """The reason written on the flagged lines (or in a comment just above them): `nosec BNNN (reason)` or
    `noqa: SNNN (reason)`; a bare marker without a reason does not count."""
    lines = (ROOT / finding["filename"]).read_text().splitlines()
    number = finding["test_id"][1:]
    flagged = finding.get("line_range") or [finding["line_number"]]
    for line_number in [flagged[0] - 1, *flagged]:
        match = re.search(rf"#.*?(?:nosec B{number}|noqa: [A-Z0-9, ]*S{number})\b\W*(\w.*)$", lines[line_number - 1])
        if match:
            return match.group(1).strip().rstrip(")")
    return None


def report(direct: list[dict], installed: list[dict], findings: list[dict]) -> str:
    rows = [
        SECTION_START,
        "## Security audit (`make audit`)",
        "",
        f"Run {date.today().isoformat()}. Advisory, not part of CI.",
        "",
        f"**pip-audit**: {len(direct)} known vulnerabilities in the pins of requirements/dev.txt, "
        f"{len(installed)} in the installed virtualenv (dependencies included).",
    ]
    vulnerabilities = {(item["package"], item["id"]): item for item in direct + installed}
    if vulnerabilities:
        rows += ["", "| package | version | advisory | fixed in |", "|---|---|---|---|"]
        for item in vulnerabilities.values():
            rows.append(
                f"| {item['package']} | {item['version']} | {item['id']} | {', '.join(item['fix_versions']) or '–'} |"
            )
    unjustified = [finding for finding in findings if not finding["justification"]]
    rows += [
        "",
        f"**bandit** on {', '.join(SCANNED)}: {len(findings)} findings, {len(unjustified)} without a reason on "
        "their line.",
        "",
        "| finding | where | severity | justification |",
        "|---|---|---|---|",
    ]
    for finding in findings:
        reason = (finding["justification"] or "**none**").replace("|", "/")
        rows.append(
            f"| {finding['test_id']} {finding['test_name']} | `{finding['filename']}:{finding['line_number']}` "
            f"| {finding['issue_severity'].lower()} | {reason} |"
        )
    rows.append(SECTION_END)
    return "\n".join(rows) + "\n"


def main() -> None:
    direct = pip_audit("--requirement", "requirements/dev.txt", "--no-deps", "--disable-pip")
    installed = pip_audit("--local")
    findings = bandit()
    section = report(direct, installed, findings)
    print(section)
    write_section(ROOT / "bench" / "RESULTS.md", section)
    if any(not finding["justification"] for finding in findings):
        sys.exit("bandit: some findings have no justification on their line")


if __name__ == "__main__":
    main()

"""Mutation testing of the money code (`make mutate`, `make mutate-core`): mutmut plants one change at a time
in the modules setup.cfg names and runs the tests that reach it; a change no test notices survives.

Writes the score per module to bench/RESULTS.md (`--write`). `--core` runs only the money core's mutants
(`cafepos/money.py`, `orders/services/pricing.py`) against CORE_TESTS; with `--gate` (CI, `make mutate-core`) it
fails when one of them is not detected.
"""

import argparse
import configparser
import datetime
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.markdown import write_section  # noqa: E402

MUTMUT = str(Path(sys.executable).with_name("mutmut"))
CORE = ("cafepos.money", "orders.services.pricing")
# The tests the core run uses instead of setup.cfg's wide selection: mutmut's first pass runs every selected test
# once, and the embedded money examples alone must detect every core mutant (CI's gate: no PostgreSQL, no browser).
CORE_TESTS = ("orders/tests/test_money_examples.py",)
# mutmut 3 reads [mutmut] from ./setup.cfg only and has no switch for another test selection, so the core run starts
# mutmut's command line (`mutmut.__main__.cli`, what the `mutmut` script calls) after narrowing the selection on its
# config object (`mutmut.configuration.config()`). Changing the selection resets mutmut's cached results.
MUTMUT_WITH_TESTS = (
    "import sys\n"
    "from mutmut.__main__ import cli\n"
    "from mutmut.configuration import config\n"
    "config().pytest_add_cli_args_test_selection = sys.argv[1].split(',')\n"
    "cli(sys.argv[2:])\n"
)
DETECTED = {"killed", "timeout", "segfault"}
UNDETECTED = {"survived", "no tests"}
# Survivors outside the money core that no test run here can kill, each with the reason: a mutant's name, or a
# function's (`module.x_function`) for all of its survivors.
POSTGRESQL_ONLY = "a PostgreSQL session setting: the embedded run (SQLite) never takes this branch"
EQUIVALENT: dict[str, str] = {
    "orders.services.payments.x_order_split_even__mutmut_27": "equal weights of 2 split the balance as weights of 1",
    "orders.services.payments.x__due_per_line__mutmut_30": "lines, dues and tips are built from one list: "
    "zip's strict never fires",
    "orders.services.payments.x__due_per_line__mutmut_34": "as _30 (zip without strict)",
    "orders.services.payments.x__due_per_line__mutmut_35": "as _30 (zip strict=False)",
    "orders.services.payments.x_order_split_by_lines__mutmut_27": "a check has at least one line: a sum started at 0 "
    "instead of Decimal('0') is the same Decimal",
    "orders.services.payments.x_payment_refund__mutmut_42": "open_only=None is as falsy as False: a refund may "
    "come after the order is closed either way",
    "orders.services.payments.x_payment_refund__mutmut_70": "a terminal has at most one open shift (a unique "
    "constraint): the open shift the payment went into is the open shift of its terminal",
    "orders.services.payments.x_payment_refund__mutmut_76": "as _70",
    "orders.services.payments.x_payment_refund__mutmut_138": "created_at's default is timezone.now() a few "
    "microseconds after `now`: no reader tells the two apart",
    "orders.services.payments.x_payment_refund__mutmut_141": "the payment was just re-read under its lock: saving "
    "every column writes the same values as saving refunded_amount",
    "orders.services.payments.x_payment_refund__mutmut_166": "order_settle reads staff and now only to complete a "
    "PAID order, and after a refund an order is REFUNDED or PARTIALLY_REFUNDED (payment_status_for): never read",
    "orders.services.payments.x_payment_refund__mutmut_167": "as _166",
    "orders.services.payments.x_payment_refund__mutmut_108": "payment_gateway() reads settings.PAYMENT_GATEWAY and "
    "ignores its location",
    "orders.services.payments.x_payment_record__mutmut_51": "created_at's default is timezone.now() a few "
    "microseconds after `now`: no reader tells the two apart (as x_payment_refund__mutmut_138)",
    "orders.services.shifts.x_shift_open__mutmut_38": "a lock that matters only under concurrency: on SQLite, where "
    "mutmut runs, locking location None inserts nothing (INSERT OR IGNORE) and locks nothing; on PostgreSQL the "
    "insert's NOT NULL fails and every shift test kills it",
    "orders.services.shifts.x_shift_close__mutmut_36": "the shift was just re-read under its lock: saving every "
    "column writes the same values as saving the six that changed",
    "orders.services.shifts.x__shift_lock__mutmut_1": "as x_shift_open__mutmut_38 (locking location None)",
    "orders.services.shifts.x__shift_lock__mutmut_4": "a query hint (select_related): the same shift, its location "
    "read when first used (on PostgreSQL its row is then not locked with the shift, which no writer relies on: "
    "they serialize on location_lock)",
    "orders.services.discounts.x_discount_share__mutmut_3": "never reached: with no percent, both callers return "
    "first when there is no amount, and an amount is above zero (`money_in(positive=True)` in `discount_resolve`, "
    "the only writer of an order's discount amount)",
    "orders.services.discounts.x_discount_share__mutmut_4": "as _3",
    "orders.services.discounts.x_discount_share__mutmut_6": "an amount discount reaches here above zero and at most "
    "the subtotal (both callers refuse more first), so the subtotal is above zero whichever way it is compared",
    "orders.services.discounts.x_discount_share__mutmut_9": "as _6 (>= 0)",
    "orders.services.shifts.x__sales__mutmut_20": "the sums go unrounded to the report, whose `minor()` rounds them "
    "to the currency's places with the same rule (sums of stored amounts, already at those places)",
    "orders.services.shifts.x__tax_by_rate__mutmut_5": "a query hint (prefetch_related): the same figures",
    "orders.services.shifts.x__z_report__mutmut_56": "the tips of every tender (three rows, each a Decimal) summed "
    "from 0 instead of Decimal 0: the same Decimal",
    "orders.services.shifts.x__z_report__mutmut_68": "as _56 (refunds of every tender)",
    "reports.rollups.x__days_build__mutmut_182": "bulk_create's batch size: the same rows",
    "reports.rollups.x__days_build__mutmut_184": "as _182",
    "reports.rollups.x__days_build__mutmut_189": "as _182",
    "reports.rollups.x__state_locked__mutmut_6": "ignore_conflicts matters only when two refreshes create a location's "
    "state at once (a PostgreSQL concurrency test)",
    "reports.rollups.x__state_locked__mutmut_8": "as _6",
    "reports.rollups.x__state_locked__mutmut_12": "a state is created before any row of its location is built: "
    "starting it at seq 0 folds in more events but has no stored day to delete",
    "reports.rollups.x__state_locked__mutmut_14": "as _6",
    "reports.rollups.x__events_fold__mutmut_63": "the state was just read under its lock (`_state_locked`) and has "
    "no column but its key, seq and built_for: saving every column writes the same values",
    "reports.rollups.x_rollups_refresh__mutmut_27": "only the range's own days are looked up in `built`: its days "
    "outside the range, read without the filter, change no missing day",
    "orders.services.inputs.x_decimal_in__mutmut_41": "quantize reads only the exponent of its argument: "
    "Decimal(2).scaleb(-places) is 2E-places, the same places as 1E-places",
    "reports.rollups.x_analytic_settings": POSTGRESQL_ONLY,
    "reports.rollups.x__long_statements_allowed": POSTGRESQL_ONLY,
}
RESULT = re.compile(r"^\s*(?P<name>[\w.]+)\.x_\w+__mutmut_\d+: (?P<status>.+)$")


def data_files_refresh() -> None:
    """mutmut copies a file that is not Python (a table of examples, a template) into mutants/ once and never
    again: a changed one is copied afresh here, before mutmut runs."""
    config = configparser.ConfigParser()
    config.read("setup.cfg")
    for folder in config["mutmut"]["source_paths"].split():
        for source in Path(folder).rglob("*"):
            copy = Path("mutants") / source
            stale = source.suffix != ".py" and copy.is_file() and copy.stat().st_mtime != source.stat().st_mtime
            if stale and source.is_file():
                shutil.copy2(source, copy)


def mutmut_run(patterns: list[str], children: int, tests: tuple[str, ...] = ()) -> None:
    """Run mutmut, on `tests` instead of setup.cfg's selection when given (its progress goes to mutants/run.log;
    mutmut keeps earlier results of unchanged code)."""
    Path("mutants").mkdir(exist_ok=True)
    command = [sys.executable, "-c", MUTMUT_WITH_TESTS, ",".join(tests)] if tests else [MUTMUT]
    with open("mutants/run.log", "a") as log:
        command += ["run", "--max-children", str(children), *patterns]
        subprocess.run(command, stdout=log, stderr=log, check=True)


def mutate(*, core: bool, children: int) -> None:
    """The core's mutants on CORE_TESTS, or every module's on setup.cfg's tests."""
    Path("mutants/run.log").unlink(missing_ok=True)
    data_files_refresh()
    if core:
        mutmut_run([f"{module}.*" for module in CORE], children, CORE_TESTS)
        return
    # mutmut runs only new and changed code's mutants: the ones a new test may detect since the last run are tried
    # again by name.
    undetected = {mutant for _, mutant, status in mutmut_results() if status in UNDETECTED}
    mutmut_run([], children)
    retry = sorted(undetected & {mutant for _, mutant, status in mutmut_results() if status in UNDETECTED})
    if retry:
        mutmut_run(retry, children)


def mutmut_results() -> list[tuple[str, str, str]]:
    """(module, mutant, status) of every mutant mutmut knows (none before its first run)."""
    if not Path("mutants").exists():
        return []
    out = subprocess.run([MUTMUT, "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    rows = []
    for text in out.splitlines():
        match = RESULT.match(text)
        if match:
            mutant = text.strip().split(":")[0]
            status = "equivalent" if equivalence(mutant) and match["status"] == "survived" else match["status"]
            rows.append((match["name"], mutant, status))
    return rows


def equivalence(mutant: str) -> str | None:
    """Why the mutant cannot be told apart, if it is listed by name or by its function."""
    return EQUIVALENT.get(mutant) or EQUIVALENT.get(mutant.rsplit("__mutmut_", 1)[0])


def section(rows: list[tuple[str, str, str]], elapsed: float | None) -> str:
    by_module: dict[str, Counter] = defaultdict(Counter)
    for module, _, status in rows:
        by_module[module][status] += 1
    lines = [
        "<!-- mutation:start -->",
        "## Mutation testing of the money code (`make mutate`)",
        "",
        f"{datetime.date.today()}, {os.cpu_count()} cores, mutmut with the tests of setup.cfg's `[mutmut]`, "
        + (f"{elapsed:.0f} s. " if elapsed is not None else "results as mutmut stored them (`--no-run`). ")
        + "A mutant is one planted change (an operator, a constant, an argument); *detected* means a test failed "
        "(killed) or hung (timeout); *no tests*: no selected test runs its function; *not checked*: not run yet. "
        "Score = detected / (mutants - equivalent - not checked). CI (`make mutate-core`) fails on any undetected "
        "mutant of `cafepos.money` and `orders.services.pricing`.",
        "",
        "| module | mutants | killed | timeout | survived | equivalent | no tests | not checked | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for module in sorted(by_module):
        counts = by_module[module]
        total = sum(counts.values())
        detected = sum(counts[status] for status in DETECTED)
        scored = total - counts["equivalent"] - counts["not checked"]
        lines.append(
            f"| `{module}` | {total} | {counts['killed']} | {counts['timeout']} | {counts['survived']} "
            f"| {counts['equivalent']} | {counts['no tests']} | {counts['not checked']} "
            f"| {f'{100 * detected / scored:.1f} %' if scored else '–'} |"
        )
    survivors = [(mutant, status) for _, mutant, status in rows if status not in DETECTED | {"not checked"}]
    if survivors:
        lines += ["", "Not detected (see `mutmut show <name>`):", ""]
        lines += [f"- `{mutant}`: {equivalence(mutant) or status}" for mutant, status in survivors]
    return "\n".join(lines) + "\n<!-- mutation:end -->\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--core", action="store_true", help="only the money core's mutants")
    parser.add_argument("--gate", action="store_true", help="fail when a money-core mutant is not detected")
    parser.add_argument("--write", type=Path, help="write the scores into this results file")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-run", action="store_true", help="report mutmut's stored results without running it")
    args = parser.parse_args()
    started = datetime.datetime.now()
    if not args.no_run:
        mutate(core=args.core, children=args.children)
    elapsed = None if args.no_run else (datetime.datetime.now() - started).total_seconds()
    rows = [row for row in mutmut_results() if row[0] in CORE or not args.core]
    report = section(rows, elapsed)
    print(report)
    if args.write:
        write_section(args.write, report)
    missed = [mutant for module, mutant, status in rows if module in CORE and status not in DETECTED]
    if args.gate and missed:
        print(f"{len(missed)} mutant(s) of the money core survived: {', '.join(missed)}", file=sys.stderr)
        return 1
    core_rows = [row for row in rows if row[0] in CORE]
    print(f"money core: {len(core_rows) - len(missed)} of {len(core_rows)} mutants detected")
    return 0


if __name__ == "__main__":
    sys.exit(main())

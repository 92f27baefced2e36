"""bench/RESULTS.md holds one section per benchmark, between `<!-- name:start -->` and `<!-- name:end -->`."""

from pathlib import Path

HEADER = "# Benchmark results\n\nOne section per benchmark in `bench/`.\n"


def write_section(path: Path, section: str) -> None:
    """Replace the section whose markers open and close `section` (or append it), leaving the others alone."""
    start, end = section.splitlines()[0], section.rstrip("\n").splitlines()[-1]
    text = path.read_text() if path.exists() else HEADER
    if start in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)

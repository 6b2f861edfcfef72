"""Throughput of `versionguard catalog import-docs` on a synthetic schedule page, as a ratio to a floor.

    .venv/bin/python bench/bench_import_docs.py [--rows 20000] [--repeat 3]

The page has --rows model rows spread over provider sections (dates, "No earlier than" cells,
footnotes, bold cells, replacements, some duplicates) plus a fine-tuned table. Timed in-process:

- reader: page text -> tables (adapters/files/schedule_page) -> catalog data (core/schedule_import);
- validation: that data -> validated catalog (catalog_from_data, the loader every catalog goes through);
- floor: the same text split into lines and every table line into stripped cells (the least any
  reader of pipe tables does).

The ratio to the floor is printed with each figure, so machine load matters less; note `uptime`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import best  # noqa: E402
from versionguard.adapters.files.schedule_page import parse_page  # noqa: E402
from versionguard.core.catalog import catalog_from_data  # noqa: E402
from versionguard.core.schedule_import import build_schedule_data  # noqa: E402

PROVIDERS = ["Azure OpenAI", "DeepSeek", "Mistral AI", "xAI", "Anthropic"]
WORDS = ["GA", "Preview", "Legacy", "Deprecated", "Retired"]


def page(rows: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = ["---", "ms.date: 09/02/2026", "---", "", "## Models", ""]
    per = rows // len(PROVIDERS)
    for p in PROVIDERS:
        out += [f"### {p}", "", "| Model | Version | Lifecycle | Retirement date | Replacement |",
                "| --- | --- | --- | --- | --- |"]
        for i in range(per):
            day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(900))
            cell = rng.choice([day.isoformat(), f"No earlier than {day}^1^", f"**{day}**", "—"])
            repl = rng.choice(["—", "—", f"m-{p[:2].lower()}-{i + 1}", f"m-{i + 1} (2026-05-01)"])
            version = rng.choice(["1", "2"]) if i % 50 == 0 else "2025-01-01"  # a few duplicates
            out.append(f"| m-{p[:2].lower()}-{i} | {version} | {rng.choice(WORDS)} | {cell} | {repl} |")
        out += ["", "^1^ A footnote.", ""]
    out += ["#### Fine-tuned models", "", "| Model | Version | Training retirement date | Deployment retirement date |",
            "| --- | --- | --- | --- |", "| m-az-1 | 2025-01-01 | No earlier than 2027-01-01^1^ | 2027-07-01 |", ""]
    return "\n".join(out) + "\n"


def read(text: str) -> dict:
    """The reader alone: page text -> catalog data."""
    return build_schedule_data([parse_page(text, "bench.md", "bench-md", "bench.md", None)], dt.date(2026, 12, 7)).data


def validate(data: dict) -> int:
    """The catalog loader's validation (shared with catalog import and every --catalog)."""
    return len(catalog_from_data(data, "bench").versions)


def floor(text: str) -> int:
    n = 0
    for line in text.split("\n"):
        if line.startswith("|"):
            n += len([c.strip() for c in line.strip("|").split("|")])
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    text = page(args.rows)
    data = read(text)
    versions = validate(data)
    t_read = best(lambda: read(text), args.repeat)
    t_valid = best(lambda: validate(data), args.repeat)
    t_floor = best(lambda: floor(text), args.repeat)
    print(f"page: {args.rows} rows, {len(text) / 1e6:.1f} MB, {versions} catalog versions")
    print(f"reader (page -> catalog data): {t_read * 1000:.0f} ms, {args.rows / t_read:,.0f} rows/s; "
          f"ratio to floor {t_read / t_floor:.1f}x")
    print(f"catalog validation (the loader's, shared): {t_valid * 1000:.0f} ms; "
          f"ratio to floor {t_valid / t_floor:.1f}x")
    print(f"floor (lines -> cells): {t_floor * 1000:.0f} ms")


if __name__ == "__main__":
    main()

"""The performance budgets: one line per budget, read from the sections' rows.

Each line says what was measured, the budget and whether it was met, or by how much it was
missed. A budget whose rows were not measured in this run (a section left out with
BENCH_ONLY, or a version of the app whose benchmark lacks them) says so instead.

Search's "flat as data grows" compares this run's search samples with those of a run on a
smaller data set (its results file: BENCH_REFERENCE, by default the 100,000-order run's).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bench.measure import percentile

RETURN_SIZES = (1, 50, 500)
RETURN_DATABASE_RATIO = 1.5
RETURN_MEDIAN_MS = {1: 20.0, 50: 30.0, 500: 80.0}
SEARCH_P95_MS = 50.0
SEARCH_FLAT_RATIO = 1.3
REORDER_SIZES = (5, 50)
REORDER_MEDIAN_MS = 30.0
HTTP_SHARE = 0.30
ANALYTICS_SECONDS = 1.0
EXPORT_SECONDS = 30.0
EXPORT_MB = 200.0
IMPORT_SECONDS = 5.0
DOCUMENT_MB = 300.0

RowData = Mapping[str, Any]


@dataclass(frozen=True)
class Budget:
    """One budget: what it covers, the figure measured, the budget, met or not (None: not
    measured), and by how much it was missed."""

    what: str
    measured: str
    budget: str
    met: bool | None
    missed_by: str = ""

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "not measured"
        return "met" if self.met else f"MISSED{': ' + self.missed_by if self.missed_by else ''}"


@dataclass(frozen=True)
class Reference:
    """The rows of a run on a smaller data set, and its number of orders."""

    orders: int
    rows: list[RowData]


def _keyed(rows: Iterable[RowData]) -> dict[str, RowData]:
    return {row["key"]: row for row in rows if row.get("key")}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _over(value: float, limit: float) -> str:
    """How far `value` is past `limit` (both the same unit, higher is worse)."""
    return f"{value / limit - 1:.0%} over"


def _orders(count: int) -> str:
    return f"{count / 1_000_000:g}M" if count >= 1_000_000 else f"{count // 1000:,}k"


def budgets(rows: Iterable[RowData], *, reference: Reference | None, orders: int) -> list[Budget]:
    """Every budget, judged from this run's rows (as `Row.as_dict` writes them)."""
    keyed = _keyed(rows)
    return [
        *_returns(keyed),
        *_search(keyed, reference=reference, orders=orders),
        _reorder(keyed),
        _http(keyed),
        _analytics(keyed),
        _export(keyed),
        _import(keyed),
        _documents(keyed),
    ]


def _returns(keyed: dict[str, RowData]) -> list[Budget]:
    measured = [keyed.get(f"return:{lines}") for lines in RETURN_SIZES]
    statements = [row["details"]["service_round_trips"] for row in measured if row]
    same = len(set(statements)) == 1
    result = []
    for lines, row in zip(RETURN_SIZES, measured, strict=True):
        what = f"return to cart, {lines} line{'s' if lines > 1 else ''}"
        median_ms = RETURN_MEDIAN_MS[lines]
        budget = (
            f"statements the same for {RETURN_SIZES[0]} and {RETURN_SIZES[-1]} lines;"
            f" database time <= {RETURN_DATABASE_RATIO:g}x SQL; median < {median_ms:.0f} ms"
        )
        if row is None:
            result.append(Budget(what, "", budget, None))
            continue
        details = row["details"]
        ratio = details["service_db_ms"] / details["sql_db_ms"]
        missed = []
        if len(statements) < len(RETURN_SIZES):
            missed.append("not every size measured")
        elif not same:
            missed.append(f"statements {' / '.join(map(str, statements))}")
        if ratio > RETURN_DATABASE_RATIO:
            missed.append(f"database time {_over(ratio, RETURN_DATABASE_RATIO)}")
        if row["value"] * 1000 >= median_ms:
            missed.append(f"median {_over(row['value'] * 1000, median_ms)}")
        result.append(
            Budget(
                what,
                f"{details['service_round_trips']} statements; database time"
                f" {details['service_db_ms']:.2f} ms = {ratio:.2f}x SQL"
                f" ({details['sql_db_ms']:.2f} ms); median {_ms(row['value'])}",
                budget,
                not missed,
                "; ".join(missed),
            )
        )
    return result


def search_samples(keyed: Mapping[str, RowData]) -> dict[str, list[float]]:
    """Each search page's samples in ms, by key."""
    return {
        key: list(row["details"]["api_ms"])
        for key, row in keyed.items()
        if key.startswith("search:") and "api_ms" in row["details"]
    }


def _search(keyed: dict[str, RowData], *, reference: Reference | None, orders: int) -> list[Budget]:
    pages = {key: row for key, row in keyed.items() if key.startswith("search:")}
    at = _orders(orders)
    p95_budget = f"p95 < {SEARCH_P95_MS:.0f} ms at {_orders(1_000_000)} orders"
    flat_budget = f"p95 at {at} <= {SEARCH_FLAT_RATIO:g}x p95 at a smaller data set"
    count_budget = "statements per page constant (first and deep page alike)"
    if not pages:
        return [
            Budget("order search, p95", "", p95_budget, None),
            Budget("order search, flat as data grows", "", flat_budget, None),
            Budget("order search, statements", "", count_budget, None),
        ]
    worst_key, worst = max(pages.items(), key=lambda item: item[1]["value"])
    worst_ms = worst["value"] * 1000
    p95 = Budget(
        f"order search, {len(pages)} pages, p95 (at {at})",
        f"worst page {worst_ms:.1f} ms ({worst_key.split(':', 1)[1]})",
        p95_budget,
        worst_ms < SEARCH_P95_MS,
        _over(worst_ms, SEARCH_P95_MS),
    )
    # Per search: its first page and its deep page (a tag's pages read the tag's id first).
    by_search: dict[str, set[int]] = {}
    for key, row in pages.items():
        by_search.setdefault(key.split(":")[1], set()).add(row["details"]["api_queries"])
    counts = sorted({count for found in by_search.values() for count in found})
    varying = sorted(search for search, found in by_search.items() if len(found) > 1)
    counted = Budget(
        "order search, statements",
        f"{' or '.join(map(str, counts))} per page, the same on the first and the deep page"
        if not varying
        else f"first and deep page differ: {', '.join(varying)}",
        count_budget,
        not varying,
        f"they differ for {', '.join(varying)}",
    )
    return [p95, _flat(keyed, reference=reference, at=at), counted]


def _flat(keyed: dict[str, RowData], *, reference: Reference | None, at: str) -> Budget:
    """All pages' samples pooled, this run's p95 against the smaller run's p95.

    Pooled over the pages both runs measured, so one page's bad luck on a shared machine
    weighs as one page among sixteen; the worst single page's ratio is shown beside it.
    """
    what = "order search, flat as data grows"
    budget = f"p95 <= {SEARCH_FLAT_RATIO:g}x p95 of a smaller data set"
    if reference is None:
        return Budget(what, "no run on a smaller data set to compare with", budget, None)
    now, then = search_samples(keyed), search_samples(_keyed(reference.rows))
    common = sorted(set(now) & set(then))
    if not common:
        return Budget(what, "no search page measured in both runs", budget, None)
    pooled_now = percentile([t for key in common for t in now[key]], 0.95)
    pooled_then = percentile([t for key in common for t in then[key]], 0.95)
    ratio = pooled_now / pooled_then
    pages = {key: percentile(now[key], 0.95) / percentile(then[key], 0.95) for key in common}
    worst = max(pages, key=lambda key: pages[key])
    return Budget(
        what,
        f"p95 of {len(common)} pages {pooled_now:.1f} ms at {at} vs {pooled_then:.1f} ms at"
        f" {_orders(reference.orders)} = {ratio:.2f}x (worst page {pages[worst]:.2f}x,"
        f" {worst.split(':', 1)[1]})",
        budget.replace("a smaller data set", _orders(reference.orders)),
        ratio <= SEARCH_FLAT_RATIO,
        _over(ratio, SEARCH_FLAT_RATIO),
    )


def _reorder(keyed: dict[str, RowData]) -> Budget:
    what = f"reorder of a {' / '.join(map(str, REORDER_SIZES))}-line cart"
    budget = f"statements independent of lines; median < {REORDER_MEDIAN_MS:.0f} ms"
    measured = [keyed.get(f"reorder:{lines}") for lines in REORDER_SIZES]
    if not all(measured):
        return Budget(what, "", budget, None)
    rows = [row for row in measured if row is not None]
    statements = [row["details"]["queries"] for row in rows]
    medians = [row["value"] * 1000 for row in rows]
    missed = []
    if len(set(statements)) != 1:
        missed.append(f"statements {' / '.join(map(str, statements))}")
    if max(medians) >= REORDER_MEDIAN_MS:
        missed.append(f"median {_over(max(medians), REORDER_MEDIAN_MS)}")
    return Budget(
        what,
        f"{' / '.join(map(str, statements))} statements;"
        f" median {' / '.join(f'{m:.1f}' for m in medians)} ms",
        budget,
        not missed,
        "; ".join(missed),
    )


def _http(keyed: dict[str, RowData]) -> Budget:
    what = "HTTP return-to-cart, gunicorn, 8 clients"
    budget = f">= {HTTP_SHARE:.0%} of the trivial endpoint's requests/s; no failures"
    trivial, returns = keyed.get("http:trivial"), keyed.get("http:return")
    if trivial is None or returns is None:
        return Budget(what, "", budget, None)
    ratio = returns["value"] / trivial["value"]
    failures = returns["details"]["failures"] + trivial["details"]["failures"]
    missed = []
    if ratio < HTTP_SHARE:
        missed.append(f"{1 - ratio / HTTP_SHARE:.0%} short")
    if failures:
        missed.append(f"{failures} failures")
    cpu = returns["details"].get("cpu_ratio")
    per_request = (
        f"; CPU per request {returns['details']['cpu_ms_per_request']:.1f} vs"
        f" {returns['details']['trivial_cpu_ms_per_request']:.1f} ms = {cpu:.2f}x"
        if cpu
        else ""
    )
    return Budget(
        what,
        f"{ratio:.2f}x ({returns['value']:.0f} vs {trivial['value']:.0f} req/s);"
        f" {failures} failures{per_request}",
        budget,
        not missed,
        "; ".join(missed),
    )


def _analytics(keyed: dict[str, RowData]) -> Budget:
    what = "analytics, a year by SKU, one past month changed"
    budget = f"< {ANALYTICS_SECONDS:g} s"
    row = keyed.get("analytics:changed")
    if row is None:
        return Budget(what, "", budget, None)
    seconds = row["value"]
    return Budget(
        what,
        f"median {seconds:.2f} s",
        budget,
        seconds < ANALYTICS_SECONDS,
        _over(seconds, ANALYTICS_SECONDS),
    )


def _export(keyed: dict[str, RowData]) -> Budget:
    what = "export of 100k lines"
    budget = f"< {EXPORT_MB:.0f} MB peak and < {EXPORT_SECONDS:.0f} s"
    time_row, peak_row = keyed.get("export:time"), keyed.get("export:peak")
    if time_row is None or peak_row is None:
        return Budget(what, "", budget, None)
    seconds, peak = time_row["value"], peak_row["value"]
    missed = []
    if peak >= EXPORT_MB:
        missed.append(f"peak {_over(peak, EXPORT_MB)}")
    if seconds >= EXPORT_SECONDS:
        missed.append(f"time {_over(seconds, EXPORT_SECONDS)}")
    lines = time_row["details"].get("lines")
    return Budget(
        what if lines is None else f"export of {lines:,} lines",
        f"{peak:.0f} MB peak; median {seconds:.1f} s",
        budget,
        not missed,
        "; ".join(missed),
    )


def _import(keyed: dict[str, RowData]) -> Budget:
    what = "import of 5k rows"
    budget = f"< {IMPORT_SECONDS:g} s"
    row = keyed.get("import")
    if row is None:
        return Budget(what, "", budget, None)
    seconds = row["value"]
    return Budget(
        what,
        f"median {seconds:.2f} s",
        budget,
        seconds < IMPORT_SECONDS,
        _over(seconds, IMPORT_SECONDS),
    )


def _documents(keyed: dict[str, RowData]) -> Budget:
    what = "order PDF of 5k lines, in the worker"
    budget = f"< {DOCUMENT_MB:.0f} MB peak"
    time_row, peak_row = keyed.get("documents:pdf:time"), keyed.get("documents:pdf:peak")
    if time_row is None or peak_row is None:
        return Budget(what, "", budget, None)
    peak, seconds = peak_row["value"], time_row["value"]
    pages = time_row["details"].get("pages")
    return Budget(
        f"order PDF of {time_row['details']['lines']:,} lines, in the worker",
        f"{peak:.0f} MB peak; median {seconds:.1f} s" + (f" ({pages} pages)" if pages else ""),
        budget,
        peak < DOCUMENT_MB,
        f"peak {_over(peak, DOCUMENT_MB)}",
    )


def budget_table(lines: list[Budget]) -> str:
    """Render the budgets as one plain-text table: what, measured, budget, verdict."""
    header = ("what", "measured", "budget", "verdict")
    cells = [(b.what, b.measured or "-", b.budget, b.verdict) for b in lines]
    widths = [max(len(cell) for cell in column) for column in zip(header, *cells, strict=True)]
    rule = "-+-".join("-" * width for width in widths)
    out = [" | ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    out.append(rule)
    out += [
        " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in cells
    ]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    """`python -m bench.budgets RESULTS [REFERENCE]`: the budget table of a results file, its
    search growth judged against a smaller run's results file when one is given."""
    import json
    from pathlib import Path

    if not 1 <= len(argv) <= 2:
        print("usage: python -m bench.budgets RESULTS.json [REFERENCE.json]", file=sys.stderr)
        return 2
    results = json.loads(Path(argv[0]).read_text())
    reference = None
    if len(argv) == 2:
        earlier = json.loads(Path(argv[1]).read_text())
        reference = Reference(orders=earlier["orders"], rows=earlier["rows"])
    judged = budgets(results["rows"], reference=reference, orders=results["orders"])
    print(f"Budgets at {results['orders']:,} orders:\n")
    print(budget_table(judged))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

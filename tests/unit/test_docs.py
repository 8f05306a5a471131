"""What the repository's documents tell a newcomer holds, and needs nothing outside it."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from pathlib import Path

from linesheet.ordering.rules import ReturnFacts, return_to_cart_blockers
from linesheet.ordering.statuses import status_labels

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DOMAIN = (ROOT / "docs" / "domain.md").read_text()
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readme_stays_short_enough_for_a_newcomer() -> None:
    assert len(README) < 12_000


def test_the_readme_links_every_document() -> None:
    linked = set(re.findall(r"\]\((docs/[^)#]+)\)", README))
    assert linked == {str(path.relative_to(ROOT)) for path in DOCUMENTS[1:]}


def test_the_documents_point_at_nothing_a_fresh_clone_lacks() -> None:
    for document in DOCUMENTS:
        text = document.read_text()
        assert "shared/" not in text, document.name
        for target in re.findall(r"\]\(([^)#]+)", text):
            if "://" not in target:
                assert (document.parent / target).exists(), (document.name, target)


def test_the_code_map_names_modules_that_exist() -> None:
    code_map = README.split("## A map of the code", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`([a-z_]+/[a-z_/]*(?:\.py)?)`", code_map)
    for heads in re.findall(r"^ {0,2}((?:[a-z_]+/ )*[a-z_]+/)", code_map, re.M):
        named += heads.split()
    assert len(named) > 10
    for name in named:
        assert (ROOT / "src" / "linesheet" / name).exists() or (ROOT / name).exists(), name


def test_the_domain_document_gives_each_status_its_two_labels_as_the_code_does() -> None:
    rows = re.findall(r"^\| `([a-z_]+)`(?: \(final\))? \| ([^|]+) \| ([^|]+) \|$", DOMAIN, re.M)
    documented = {status: (brand.strip(), buyer.strip()) for status, brand, buyer in rows}

    brand, buyer = status_labels(side="brand"), status_labels(side="buyer")
    assert documented == {status: (brand[status], buyer[status]) for status in brand}


def test_the_domain_document_lists_every_return_blocker_code() -> None:
    # Facts that break every rule: once with an offline buyer, once with a cart in the way.
    facts = ReturnFacts(
        status="rejected",
        buyer_name="Shop",
        buyer_connected=False,
        organization_name="Shop",
        catalog_name="SS27",
        cart_exists=True,
        delivery_notes=["DN-1"],
        invoices=["INV-1"],
        backlog_skus=["BL-1"],
        consignment_catalog=True,
        partner_inventory_slips=[],
        catalog_status="open",
        order_deadline=None,
        today=datetime.date(2027, 3, 1),
        unorderable_skus=[],
        off_access_list=True,
    )
    codes = {
        blocker.code
        for variant in (
            facts,
            replace(facts, status="returned_to_cart"),
            replace(facts, buyer_connected=True),
        )
        for blocker in return_to_cart_blockers(variant)
    }

    assert len(codes) == 9
    assert {code for code in codes if f"`{code}`" not in DOMAIN} == set()


def test_the_postgresql_section_shows_the_demo_and_the_production_server() -> None:
    section = OPERATIONS.split("## Running on PostgreSQL", 1)[1].split("\n## ", 1)[0]
    commands = section.split("```sh", 1)[1].split("```", 1)[0]

    assert "scripts/run-demo" in commands
    assert ".venv/bin/linesheet serve" in section
    assert "(deploy.md)" in section


def test_the_deploy_guide_names_every_web_setting_serve_reads_and_no_other() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    source = (ROOT / "src" / "linesheet" / "core" / "serving.py").read_text()

    documented = set(re.findall(r"^\| `(WEB_[A-Z_]+)`", guide, re.M))
    documented |= set(re.findall(r"^\| `WEB_[A-Z_]+` / `(WEB_[A-Z_]+)`", guide, re.M))
    assert documented == set(re.findall(r'"(WEB_[A-Z_]+)"', source))

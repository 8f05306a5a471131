"""`linesheet seed_demo`: brands, catalogs, shops and buyers to try linesheet with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from linesheet.demo.data import DEMO_PASSWORD
from linesheet.demo.seeding import demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo data (brands atelier and nordlys, their catalogs, three connected shops, "
        "offline buyers, a support user). Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_seed(log=lambda line: self.stdout.write(f"  {line}"))
        if not report.changed_anything:
            self.stdout.write("The demo data is already there; nothing changed.")
            return
        created = ", ".join(f"{count} {kind}" for kind, count in report.created.items() if count)
        self.stdout.write(self.style.SUCCESS(f"Demo data created: {created}."))
        self.stdout.write(
            f"Log in as owner@atelier.test, viewer@atelier.test, owner@nordlys.test, "
            f"buyer@maison.test or support@linesheet.test; every password is {DEMO_PASSWORD}."
        )

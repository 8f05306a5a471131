"""Reporting's periodic work (see core.periodic)."""

from __future__ import annotations

import datetime

from django.conf import settings

from linesheet.accounts.models import Brand
from linesheet.core import clock
from linesheet.core.periodic import periodic_job
from linesheet.reporting.analytics import analytics_months_sum
from linesheet.reporting.generation import documents_files_sweep, documents_prune
from linesheet.reporting.management.commands.sum_analytics_months import months_back

ANALYTICS_MONTHS = 24
# A document's file is named by its row a moment after it is stored; one older than this that
# no row names never will be.
UNUSED_FILE_AGE = datetime.timedelta(hours=6)


@periodic_job(
    name="sum_analytics_months",
    every=datetime.timedelta(hours=24),
    help=f"Sum every brand's analytics of the past {ANALYTICS_MONTHS} months that changed "
    "(as `linesheet sum_analytics_months`), ahead of the day's first view.",
)
def sum_analytics_months() -> str:
    period = months_back(clock.today(), ANALYTICS_MONTHS)
    brands = list(Brand.objects.order_by("slug"))
    total = sum(analytics_months_sum(brand=brand, period=period) for brand in brands)
    return f"{total} month(s) summed for {len(brands)} brand(s)"


@periodic_job(
    name="prune_generated_documents",
    every=datetime.timedelta(hours=24),
    help="Delete line sheets and other generated documents asked for more than "
    "DOCUMENT_RETENTION_DAYS ago, with their files (each is made again on request), and "
    "document files no row names, older than 6 hours (a worker killed while storing one).",
)
def prune_generated_documents() -> str:
    deleted = documents_prune(older_than=datetime.timedelta(days=settings.DOCUMENT_RETENTION_DAYS))
    strays = documents_files_sweep(older_than=UNUSED_FILE_AGE)
    return f"{deleted} document(s) deleted, {strays} stray file(s)"

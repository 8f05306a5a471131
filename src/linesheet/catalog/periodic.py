"""The catalog's periodic work (see core.periodic)."""

from __future__ import annotations

import datetime

from linesheet.accounts.logos import brand_logo_files_sweep
from linesheet.catalog.images import product_image_files_sweep
from linesheet.core.periodic import periodic_job

# A file stored by a request or a task is named by its row once the transaction commits,
# seconds later; one older than this that no row names will never be.
UNUSED_FILE_AGE = datetime.timedelta(hours=6)


@periodic_job(
    name="delete_unused_image_files",
    every=datetime.timedelta(hours=24),
    help="Delete image and logo files no row names, older than 6 hours: left by uploads whose "
    "transaction never committed (a killed process).",
)
def delete_unused_image_files() -> str:
    images = product_image_files_sweep(older_than=UNUSED_FILE_AGE)
    logos = brand_logo_files_sweep(older_than=UNUSED_FILE_AGE)
    return f"{images} image file(s) and {logos} logo file(s) deleted"

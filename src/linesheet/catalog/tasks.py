"""The tasks of the catalog: product images' thumbnails; run by `linesheet worker`."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from linesheet.catalog.images import product_image_thumbnails_make
from linesheet.core.tasks import task_schedule_retry

logger = logging.getLogger(__name__)


@task()
def product_image_thumbnails(*, image_id: int, attempt: int = 1) -> str:
    """Make an image's thumbnails; when the storage fails, schedule another attempt and fail."""
    try:
        made = product_image_thumbnails_make(image_id=image_id)
    except FileNotFoundError:
        # The original is gone (removed with its image meanwhile, or lost): no retry brings it.
        logger.warning("thumbnails of image %s: its original is missing", image_id)
        return "original missing"
    except OSError as exc:
        with transaction.atomic():
            task_schedule_retry(product_image_thumbnails, attempt=attempt, image_id=image_id)
        logger.warning("thumbnails of image %s, attempt %s failed: %s", image_id, attempt, exc)
        raise
    return f"{len(made)} thumbnails" if made else "image gone"

"""Documents made by the task worker: asked for, reused, followed, retried, fetched.

A request names what the document will say (its kind, whom it is for and its parameters) and
the fingerprint of everything it reads. A document with that fingerprint that is still being
made, or is ready and may be reused (a line sheet), is given instead of a new one; otherwise a
new one is queued with its task in the same transaction, so a rollback drops both. The task
(reporting.tasks) renders it part by part and counts its progress where the pages poll it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand, BuyerOrganization, User
from linesheet.catalog.models import Catalog
from linesheet.core.errors import DomainError
from linesheet.core.stored_files import stored_files_delete, stored_files_delete_unreferenced
from linesheet.ordering.models import Order
from linesheet.reporting.models import DocumentKind, DocumentStatus, GeneratedDocument

# Kinds whose ready file stands for as long as the fingerprint matches. Order documents and
# exports carry the moment they were printed, so each request that finds none being made
# makes a fresh one.
REUSED_WHEN_READY = frozenset({DocumentKind.LINE_SHEET})
# Where their files are kept (GeneratedDocument.file's upload_to, by month below it).
DOCUMENTS_FOLDER = "documents"


class GenerationErrorCode:
    RENDER_FAILED = "render_failed"
    NOT_FAILED = "document_not_failed"


class GenerationError(DomainError):
    messages = {
        GenerationErrorCode.RENDER_FAILED: _(
            "The document could not be made. Try again; if it fails again, tell support "
            "(document %(document)s)."
        ),
        GenerationErrorCode.NOT_FAILED: _(
            "Only a document that failed can be made again; this one is %(state)s."
        ),
    }


def failure_message(document: GeneratedDocument) -> str:
    """Say why the document failed, in the words the pages show."""
    code = document.error_code or GenerationErrorCode.RENDER_FAILED
    return GenerationError(code, document=document.pk).message


def fingerprint_of(*parts: Any) -> str:
    """Return the SHA-256 of the parts as JSON: equal parts, equal fingerprints."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class DocumentRequest:
    """What a document will say: its kind, whom it is for, what it reads, and its name."""

    kind: DocumentKind
    brand: Brand
    file_name: str
    fingerprint: str
    organization: BuyerOrganization | None = None
    catalog: Catalog | None = None
    order: Order | None = None
    parameters: dict[str, Any] | None = None


def document_request(*, request: DocumentRequest, user: User | None) -> GeneratedDocument:
    """Return the document for `request`: one being made or reusable, else a new one, queued."""
    from linesheet.reporting.tasks import document_generate

    with transaction.atomic():
        _subject_lock(request)
        same = GeneratedDocument.objects.filter(
            brand=request.brand,
            kind=request.kind,
            fingerprint=request.fingerprint,
            organization=request.organization,
        )
        reusable = [DocumentStatus.QUEUED, DocumentStatus.RUNNING]
        if request.kind in REUSED_WHEN_READY:
            reusable.append(DocumentStatus.READY)
        found = same.filter(status__in=reusable).order_by("-created_at", "-id").first()
        if found is not None:
            return found
        document = GeneratedDocument.objects.create(
            kind=request.kind,
            brand=request.brand,
            organization=request.organization,
            requested_by=user,
            catalog=request.catalog,
            order=request.order,
            parameters=request.parameters or {},
            fingerprint=request.fingerprint,
            file_name=request.file_name,
        )
        result = document_generate.enqueue(document_id=document.pk)
        document.task_id = str(result.id)
        document.save(update_fields=["task_id"])
    return document


def _subject_lock(request: DocumentRequest) -> None:
    """Lock the row the document is about (its catalog, its order, else its brand), so that
    identical requests at the same moment queue here and the later ones find the first's."""
    subject: QuerySet[Any]
    if request.catalog is not None:
        subject = Catalog.objects.filter(pk=request.catalog.pk)
    elif request.order is not None:
        subject = Order.objects.filter(pk=request.order.pk)
    else:
        subject = Brand.objects.filter(pk=request.brand.pk)
    list(subject.select_for_update().values_list("pk", flat=True))


def document_retry(*, document: GeneratedDocument) -> GeneratedDocument:
    """Queue a failed document again, under a new task."""
    from linesheet.reporting.tasks import document_generate

    with transaction.atomic():
        locked = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status != DocumentStatus.FAILED:
            raise GenerationError(GenerationErrorCode.NOT_FAILED, status=409, state=locked.status)
        result = document_generate.enqueue(document_id=locked.pk)
        locked.status = DocumentStatus.QUEUED
        locked.done = 0
        locked.error_code = ""
        locked.started_at = None
        locked.finished_at = None
        locked.task_id = str(result.id)
        locked.save(
            update_fields=[
                "status",
                "done",
                "error_code",
                "started_at",
                "finished_at",
                "task_id",
            ]
        )
    return locked


# --- Who may see a document -------------------------------------------------------------------


def document_of_brand(*, brand: Brand, document_id: int) -> GeneratedDocument | None:
    """Return the brand's own document (made for its members), or None."""
    return GeneratedDocument.objects.filter(
        brand=brand, organization__isnull=True, pk=document_id
    ).first()


def document_of_organization(
    *,
    organization: BuyerOrganization,
    document_id: int,
    catalogs_visible: QuerySet[Catalog],
) -> GeneratedDocument | None:
    """Return the document made for the organisation, or None.

    A line sheet only while its catalog is one of `catalogs_visible` (the organisation's,
    catalog.selectors.catalogs_visible_to): a catalog closed or taken away takes it along.
    """
    document = GeneratedDocument.objects.filter(organization=organization, pk=document_id).first()
    if document is None:
        return None
    if document.kind == DocumentKind.LINE_SHEET and not (
        document.catalog_id is not None and catalogs_visible.filter(pk=document.catalog_id).exists()
    ):
        return None
    return document


def document_status(
    document: GeneratedDocument, *, download_url: Callable[[GeneratedDocument], str]
) -> dict[str, Any]:
    """Return what the progress pages and the API show of the document, JSON-ready."""
    ready = document.status == DocumentStatus.READY
    return {
        "id": document.pk,
        "kind": document.kind,
        "status": document.status,
        "status_label": str(DocumentStatus(document.status).label),
        "done": document.done,
        "total": document.total,
        "percent": round(100 * document.done / document.total) if document.total else 0,
        "file_name": document.file_name,
        "download_url": download_url(document) if ready else None,
        "error": (
            {"code": document.error_code, "message": failure_message(document)}
            if document.status == DocumentStatus.FAILED
            else None
        ),
        "created_at": document.created_at.isoformat(),
        "finished_at": document.finished_at.isoformat() if document.finished_at else None,
    }


def documents_prune(*, older_than: datetime.timedelta) -> int:
    """Delete the documents asked for more than `older_than` ago, their files once that is
    committed; return how many.

    Each is made again on request (a line sheet as soon as one is asked for once more).
    """
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        old = GeneratedDocument.objects.filter(created_at__lte=cutoff)
        files = [name for name in old.values_list("file", flat=True) if name]
        deleted, _ = old.delete()
        transaction.on_commit(lambda: stored_files_delete(files))
    return deleted


def documents_files_sweep(*, older_than: datetime.timedelta) -> int:
    """Delete the files under documents/ that no document names, older than `older_than`."""
    referenced = set(GeneratedDocument.objects.exclude(file="").values_list("file", flat=True))
    return stored_files_delete_unreferenced(
        folder=DOCUMENTS_FOLDER, referenced=referenced, older_than=older_than
    )

"""The Idempotency-Key header: a retried write replays the first answer instead of running again.

Put `@idempotent` on a view's POST, PUT or PATCH handler. Without the header the handler runs
as usual. With it, the key row is inserted first, in the same transaction as the operation:

- the same key with the same method, path and body replays the stored status and body;
- the same key with anything else is refused with 422 `idempotency_key_reused`;
- a second request racing the first waits on the key's unique constraint until the first
  commits, then replays it (or, if the first was refused and rolled back, runs itself).

Only successful (2xx) answers are kept: a refusal rolls the key back with everything else, so
nothing changes in the database and a retry after fixing the cause may use the same key.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.status import is_success
from rest_framework.views import APIView

from linesheet.accounts.models import User
from linesheet.api.models import IdempotencyKey
from linesheet.core.errors import DomainError, InvalidInput

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name=HEADER,
    # What `_key_from` accepts: 1 to 255 characters once the spaces around it are trimmed.
    type={"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"\S"},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique key (up to 255 characters, e.g. a UUID) that makes this write safe to retry: "
        "the same key with the same body replays the first response; the same key with another "
        "body is refused with 422 `idempotency_key_reused`."
    ),
)


class IdempotencyErrorCode:
    KEY_REUSED = "idempotency_key_reused"


class IdempotencyError(DomainError):
    status = 422
    messages = {
        IdempotencyErrorCode.KEY_REUSED: _(
            "This Idempotency-Key was already used for another request (%(method)s %(path)s "
            "with a different body). Send a new key with a new request."
        ),
    }


def _canonical(value: Any) -> Any:
    """Return the parsed request data in a form whose JSON is the same for the same input."""
    if isinstance(value, MultiValueDict):
        return {str(key): [_canonical(item) for item in value.getlist(key)] for key in value}
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)  # the handler reads the file again
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    return value


def request_fingerprint(request: Request) -> str:
    """Hash the parsed body, so the same input in other whitespace or key order is the same."""
    canonical = json.dumps(
        _canonical(request.data), sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _key_from(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput.field(
            HEADER,
            "invalid",
            _("The Idempotency-Key must be 1 to %(max)d characters long.")
            % {"max": MAX_KEY_LENGTH},
        )
    return key


def _replay(*, request: Request, user: User, key: str, fingerprint: str) -> Response:
    record = IdempotencyKey.objects.get(user=user, key=key)
    if (record.method, record.path, record.request_hash) != (
        request.method,
        request.path,
        fingerprint,
    ):
        raise IdempotencyError(
            IdempotencyErrorCode.KEY_REUSED, method=record.method, path=record.path
        )
    # The row commits with its response in one transaction, so a row seen here has one.
    return Response(
        json.loads(record.response_body) if record.response_body else None,
        status=record.response_status,
        headers={REPLAYED_HEADER: "true"},
    )


def idempotency_key_claim(
    *, user: User, key: str, method: str, path: str, fingerprint: str
) -> int | None:
    """Insert the key's row and return its id; None when the user's key is already taken.

    On PostgreSQL an insert racing an uncommitted one of the same key waits for it: nothing is
    inserted if it commits, the row is if it rolls back.
    """
    # ON CONFLICT DO NOTHING ... RETURNING answers "claimed, or taken?" in one statement that
    # a taken key does not turn into an error: the ORM's insert would raise IntegrityError,
    # which needs a savepoint around it to go on to the replay.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO api_idempotencykey"
            ' (user_id, "key", method, path, request_hash, response_body, created_at)'
            " VALUES (%s, %s, %s, %s, %s, '', %s)"
            ' ON CONFLICT (user_id, "key") DO NOTHING RETURNING id',
            [user.pk, key, method, path, fingerprint, timezone.now()],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


View = TypeVar("View", bound=APIView)
Params = ParamSpec("Params")
Handler = Callable[Concatenate[View, Request, Params], Response]


def idempotent(handler: Handler[View, Params]) -> Handler[View, Params]:
    """Make a write handler honour the Idempotency-Key header (see the module docstring)."""

    @functools.wraps(handler)
    def wrapper(
        view: View, request: Request, *args: Params.args, **kwargs: Params.kwargs
    ) -> Response:
        key = _key_from(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        fingerprint = request_fingerprint(request)
        user = cast(User, request.user)  # the views that take keys need a login
        # The key and the operation commit together, and an error anywhere rolls both back.
        with transaction.atomic():
            record_id = idempotency_key_claim(
                user=user,
                key=key,
                method=request.method or "",
                path=request.path,
                fingerprint=fingerprint,
            )
            if record_id is None:
                # The key is taken: by an earlier request, or by one that just committed while
                # this insert waited on the unique constraint.
                return _replay(request=request, user=user, key=key, fingerprint=fingerprint)
            response = handler(view, request, *args, **kwargs)
            if not is_success(response.status_code):
                transaction.set_rollback(True)
                return response
            IdempotencyKey.objects.filter(pk=record_id).update(
                response_status=response.status_code,
                response_body=(
                    JSONRenderer().render(response.data).decode()
                    if response.data is not None
                    else ""
                ),
            )
        return response

    return extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER])(wrapper)

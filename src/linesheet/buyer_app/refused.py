"""Post/Redirect/Get for refused forms: what was typed and why it was refused survive the redirect.

Every POST of the Buyer App's cart and ordering pages answers with a redirect, refused or not,
so that reloading the page never sends the form again. A refused POST keeps what was sent and
the messages in the session (`refuse`); the page's next GET takes them back, once (`take`), and
shows each form as it was sent, with its errors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect

SESSION_KEY = "linesheet.refused_post"

F = TypeVar("F", bound=forms.Form)


@dataclass(frozen=True)
class RefusedPost:
    """A refused POST as the page shows it again."""

    data: QueryDict
    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # form -> field -> ...
    refusals: list[str] = field(default_factory=list)  # what the page says above its forms

    def sent(self, name: str) -> bool:
        """Say whether the form `name` was part of the refused POST."""
        return name in self.errors

    def restore(self, name: str, form: F) -> F:
        """Validate `form` (bound to `data`) again and put back the errors it was refused with.

        Checks of the form itself come back by themselves; the services' refusals, added after
        validation, are put back from what was kept.
        """
        shown = form.errors
        for field_name, messages in self.errors.get(name, {}).items():
            target = field_name if field_name in form.fields else None
            for message in messages:
                if message not in shown.get(target or NON_FIELD_ERRORS, []):
                    form.add_error(target, message)
        return form


def refuse(
    request: HttpRequest,
    *,
    to: str,
    forms_sent: Mapping[str, forms.Form] | None = None,
    refusals: Sequence[str] = (),
) -> HttpResponseRedirect:
    """Keep the POST, its forms' errors and the page's refusals, and redirect to `to`."""
    errors = {
        name: {
            field_name: [str(m) for m in messages] for field_name, messages in form.errors.items()
        }
        for name, form in (forms_sent or {}).items()
    }
    request.session[SESSION_KEY] = {
        "path": to.split("#")[0],
        "data": [
            [key, value]
            for key, values in request.POST.lists()
            if key != "csrfmiddlewaretoken"
            for value in values
        ],
        "errors": errors,
        "refusals": [str(refusal) for refusal in refusals],
    }
    return redirect(to)


def take(request: HttpRequest) -> RefusedPost | None:
    """Return the refused POST kept for this page, once; None when there is none."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, value in kept["data"]:
        data.appendlist(key, value)
    data._mutable = False
    return RefusedPost(data=data, errors=kept["errors"], refusals=kept["refusals"])

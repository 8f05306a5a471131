"""What a browser sends from the Buyer App's quantity forms, for the ordering page tests."""

from __future__ import annotations

from typing import Any


def typed(form: Any, changes: dict[str, int | str] | None = None) -> dict[str, str]:
    """Return the POST of a quantities form as shown, with `changes` typed in (by SKU number).

    Each input goes with its hidden initial twin; disabled inputs are not sent, as in a browser.
    """
    changes = changes or {}
    data: dict[str, str] = {}
    for name, sku in form.skus.items():
        field = form.fields[name]
        shown = "" if field.initial is None else str(field.initial)
        data[f"initial-{name}"] = shown
        if not field.disabled:
            data[name] = str(changes.get(sku.sku_number, shown))
    return data


def shown_again(response: Any, page: str) -> Any:
    """Check a refused POST, followed, came back to `page` by a redirect; return that page.

    No refusal is answered at the POST's own URL: a reload must never send the form again.
    """
    assert response.redirect_chain == [(page, 302)], response.redirect_chain
    assert response.status_code == 200
    return response

"""Order codes from the brand's numbering rule: issued once, never reused, safe when concurrent."""

from __future__ import annotations

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linesheet.accounts.models import Brand
from linesheet.core.errors import InvalidInput
from linesheet.ordering.models import OrderNumbering

# A prefix or suffix: the code is part of the order's web addresses and of file names, so it
# takes no "/" (nor "..", which a browser resolves as "the folder above"). Codes issued before
# this rule keep their form; their URLs still work (see core.url_converters.OrderCodeConverter).
AFFIX = re.compile(r"(?!.*\.\.)[A-Za-z0-9_.-]*")
AFFIX_MAX_LENGTH = 12


def affix_problem(value: str) -> dict[str, str] | None:
    """Return the refusal of a prefix or suffix ({"code", "message"}), or None when it is fine."""
    if len(value) > AFFIX_MAX_LENGTH:
        return {
            "code": "max_length",
            "message": _("Use at most %(limit)d characters.") % {"limit": AFFIX_MAX_LENGTH},
        }
    if not AFFIX.fullmatch(value):
        return {
            "code": "invalid_characters",
            "message": _(
                "Use only letters, digits, hyphens (-), underscores (_) and single dots (.): "
                "the order code is part of web addresses and file names."
            ),
        }
    return None


def order_code_format(*, numbering: OrderNumbering, value: int, today: datetime.date) -> str:
    """Render the code for sequence `value`: [date][prefix]<zero-padded value>[suffix]."""
    date_part = today.strftime(numbering.date_format) if numbering.date_format else ""
    return f"{date_part}{numbering.prefix}{value:0{numbering.width}d}{numbering.suffix}"


def order_code_issue(*, brand: Brand, today: datetime.date) -> str:
    """Take the brand's next order code. Call inside the transaction that creates the order.

    The numbering row is locked until that transaction ends, so concurrent placements queue
    here and a rolled-back placement gives its number back instead of leaving a gap in use.
    """
    numbering = OrderNumbering.objects.select_for_update().filter(brand=brand).first()
    if numbering is None:
        try:
            with transaction.atomic():
                OrderNumbering.objects.create(brand=brand)
        except IntegrityError:
            pass  # another placement created it at the same moment
        numbering = OrderNumbering.objects.select_for_update().get(brand=brand)
    code = order_code_format(numbering=numbering, value=numbering.next_value, today=today)
    OrderNumbering.objects.filter(pk=numbering.pk).update(next_value=numbering.next_value + 1)
    return code


def order_numbering_update(
    *, brand: Brand, date_format: str, prefix: str, width: int, suffix: str
) -> OrderNumbering:
    """Change the brand's numbering rule; the sequence carries on from where it is."""
    errors: dict[str, list[dict[str, str]]] = {}
    for name, value in (("prefix", prefix), ("suffix", suffix)):
        problem = affix_problem(value)
        if problem is not None:
            errors[name] = [problem]
    if date_format not in OrderNumbering.DateFormat.values:
        errors["date_format"] = [{"code": "invalid_choice", "message": _("Choose a date prefix.")}]
    if not 1 <= width <= 12:
        errors["width"] = [{"code": "invalid", "message": _("Use 1 to 12 digits.")}]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        numbering, _created = OrderNumbering.objects.select_for_update().get_or_create(brand=brand)
        numbering.date_format = date_format
        numbering.prefix = prefix
        numbering.width = width
        numbering.suffix = suffix
        numbering.save(update_fields=["date_format", "prefix", "width", "suffix"])
    return numbering

from __future__ import annotations

import json
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from linesheet.core.errors import DomainError, InvalidInput


class ShelfError(DomainError):
    messages = {
        "shelf_full": _("Shelf %(shelf)s holds at most %(limit)s items."),
        "shelf_missing": _("There is no shelf %(shelf)s."),
    }


def test_the_message_is_the_template_for_the_code_filled_with_the_params() -> None:
    error = ShelfError("shelf_full", shelf="A", limit=3)

    assert error.code == "shelf_full"
    assert error.params == {"shelf": "A", "limit": 3}
    assert error.message == "Shelf A holds at most 3 items."
    assert str(error) == "Shelf A holds at most 3 items."


def test_an_unknown_code_falls_back_to_the_default_message() -> None:
    assert ShelfError("no_such_code").message == "The operation was refused."


def test_a_missing_param_shows_the_template_rather_than_failing() -> None:
    assert ShelfError("shelf_full", shelf="A").message == (
        "Shelf %(shelf)s holds at most %(limit)s items."
    )


def test_a_refused_operation_answers_409_unless_told_otherwise() -> None:
    assert ShelfError("shelf_full").status == 409
    assert ShelfError("shelf_missing", status=404, shelf="Z").status == 404
    assert ShelfError("shelf_full").status == 409  # the override did not leak to the class


def test_as_dict_is_json_ready_with_code_message_and_params() -> None:
    error = ShelfError("shelf_full", shelf="A", limit=Decimal("3"))

    data = error.as_dict()

    assert data == {
        "code": "shelf_full",
        "message": "Shelf A holds at most 3 items.",
        "shelf": "A",
        "limit": "3",
    }
    json.dumps(data)


def test_the_repr_names_the_class_code_and_params() -> None:
    assert repr(ShelfError("shelf_missing", shelf="Z")) == (
        "ShelfError('shelf_missing', {'shelf': 'Z'})"
    )


def test_invalid_input_maps_each_field_to_its_problems_with_status_400() -> None:
    error = InvalidInput({"name": [{"code": "required", "message": "Give a name."}]})

    assert error.code == "invalid"
    assert error.status == 400
    assert error.params["errors"] == {"name": [{"code": "required", "message": "Give a name."}]}
    assert error.message == "Some of the input is not valid."


def test_invalid_input_of_one_field_carries_its_own_code_and_message() -> None:
    error = InvalidInput.field("code", "duplicate", _("Taken."))

    assert error.as_dict()["errors"] == {"code": [{"code": "duplicate", "message": "Taken."}]}

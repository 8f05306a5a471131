"""Forms of the order page's operations: they parse input into what a service takes.

The services decide; these forms only turn what was typed into the services' arguments and put
a refusal back on the inputs it is about, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.brand_app.order_page import OcRow, UndeliveredLine
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.documents.models import DeliveryNote
from linesheet.ordering.messages import MAX_MESSAGE_LENGTH
from linesheet.web.forms import DomainErrorForm


def quantity_input(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(
        attrs={"min": 0, "step": 1, "inputmode": "numeric", "class": "qty", **attrs}
    )


class OperationForm(DomainErrorForm):
    """A form whose refusal lists every blocker the service named, not only the first."""

    def add_domain_error(self, error: DomainError) -> None:
        blockers = error.params.get("blockers") if not isinstance(error, InvalidInput) else None
        if blockers:
            for blocker in blockers:
                self.add_error(None, str(blocker.get("message") or error.message))
            return
        super().add_domain_error(error)


class NotifyMixin(forms.Form):
    """Whether to email the buyer about the change, with an optional message of the brand's."""

    notify = forms.BooleanField(label=_("Email the buyer about it"), required=False, initial=True)
    # No maxlength: the browser would cut a pasted message short without a word. The page's
    # counter says when it is too long; the service refuses it, and the text stays in the box.
    message = forms.CharField(
        label=_("Message to the buyer"),
        required=False,
        strip=False,
        help_text=_("Plain text, sent in the email."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    max_message_length = MAX_MESSAGE_LENGTH

    def clean_message(self) -> str:
        # Browsers send line breaks as CRLF; count them as the counter on the page does.
        return str(self.cleaned_data.get("message") or "").replace("\r\n", "\n")

    def notification(self) -> dict[str, Any]:
        """Return the service's notify and message arguments. Call after is_valid()."""
        return {"notify": self.cleaned_data["notify"], "message": self.cleaned_data["message"]}


class ConfirmMixin(forms.Form):
    """A plain confirmation for a step that cannot be undone."""

    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm: this cannot be undone.")},
    )


class NotifyForm(NotifyMixin, OperationForm):
    """Confirm the OC, or make it editable again."""


class RejectForm(NotifyMixin, ConfirmMixin, OperationForm):
    field_order = ["notify", "message", "confirm"]


class ConfirmForm(ConfirmMixin, OperationForm):
    """Archive, create backlog SKUs, delete a delivery note: nothing to enter but the consent."""


class PartnerSlipForm(ConfirmMixin, OperationForm):
    partner = forms.CharField(
        label=_("Partner"),
        required=False,
        help_text=_("Whose consignment inventory the order is taken from."),
        widget=forms.TextInput(attrs={"autocomplete": "organization", "maxlength": 200}),
    )
    field_order = ["partner", "confirm"]


class TagsForm(OperationForm):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas. Only your brand sees them."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def names(self) -> list[str]:
        """Return the tags as typed, split at the commas. Call after is_valid()."""
        return [name for name in str(self.cleaned_data["tags"]).split(",") if name.strip()]


# --- Documents --------------------------------------------------------------------------------


class DeliveryNoteForm(OperationForm):
    """One quantity per SKU still undelivered, pre-filled with all that is left."""

    def __init__(self, *args: Any, undelivered: Sequence[UndeliveredLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(undelivered)
        for row in self.rows:
            self.fields[self.field_name(row)] = forms.IntegerField(
                label=_("Quantity of %(sku)s to deliver") % {"sku": row.sku_number},
                required=False,
                initial=row.quantity,
                widget=quantity_input(max=row.quantity),
            )

    @staticmethod
    def field_name(row: UndeliveredLine) -> str:
        return f"q{row.sku_id}"

    def bound_rows(self) -> list[tuple[UndeliveredLine, forms.BoundField]]:
        return [(row, self[self.field_name(row)]) for row in self.rows]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.rows and not self.errors and not any(self.quantities().values()):
            self.add_error(None, _("Enter a quantity for at least one SKU to deliver."))
        return cleaned

    def quantities(self) -> dict[str, int]:
        """Return {SKU number: quantity} for every undelivered SKU; 0 leaves one out."""
        return {
            row.sku_number: self.cleaned_data.get(self.field_name(row)) or 0 for row in self.rows
        }

    def add_domain_error(self, error: DomainError) -> None:
        """Put a refused quantity (`lines.3.quantity`) on its own input, the rest on top."""
        if not isinstance(error, InvalidInput):
            super().add_domain_error(error)
            return
        names = [self.field_name(row) for row in self.rows]
        for key, problems in error.params.get("errors", {}).items():
            target = _line_field(key, names)
            for problem in problems:
                self.add_error(target, problem["message"])


INVOICE_FROM_OC = "oc"
INVOICE_FROM_DELIVERY_NOTES = "delivery_notes"


class InvoiceForm(ConfirmMixin, OperationForm):
    """Invoice the OC, or delivery notes of the order not invoiced yet."""

    source = forms.ChoiceField(
        label=_("Invoice"),
        widget=forms.RadioSelect,
        initial=INVOICE_FROM_OC,
        choices=[
            (INVOICE_FROM_OC, _("The whole OC")),
            (INVOICE_FROM_DELIVERY_NOTES, _("The delivery notes ticked below")),
        ],
    )
    delivery_notes = forms.TypedMultipleChoiceField(
        label=_("Delivery notes not invoiced yet"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("That delivery note is invoiced already or gone.")},
    )
    field_order = ["source", "delivery_notes", "confirm"]

    def __init__(self, *args: Any, open_notes: Sequence[DeliveryNote], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if open_notes:
            self.fields["delivery_notes"].choices = [  # type: ignore[attr-defined]
                (note.pk, note.number) for note in open_notes
            ]
        else:
            # Nothing to pick from: the OC is the only source.
            del self.fields["delivery_notes"]
            self.fields["source"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("source") == INVOICE_FROM_DELIVERY_NOTES and not cleaned.get(
            "delivery_notes"
        ):
            self.add_error("delivery_notes", _("Tick the delivery notes to invoice."))
        return cleaned

    def delivery_note_ids(self) -> list[int] | None:
        """Return the delivery notes to invoice, or None for the whole OC."""
        if self.cleaned_data["source"] == INVOICE_FROM_DELIVERY_NOTES:
            return list(self.cleaned_data["delivery_notes"])
        return None


# --- The OC editor ----------------------------------------------------------------------------


class ConfirmationForm(NotifyMixin, OperationForm):
    """The OC's quantities beside the original ones, with SKUs of the catalog to add.

    Every row is sent: the service replaces the OC's lines with what it is given, and a 0 (or
    an emptied input) removes a line. Rows are named by SKU id, so a row always means the same
    SKU whatever changed meanwhile.
    """

    allow_buyer_approval = forms.BooleanField(
        label=_("Ask the buyer to approve the OC"),
        required=False,
        help_text=_(
            "The buyer can then approve or reject it in the Buyer App before you confirm it."
        ),
    )
    shipping = forms.DecimalField(
        label=_("Shipping fee"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Before tax; 0 ships free. The order's fee until you change it."),
    )
    # The OC version the form was opened on (0: no OC yet): a save from an older one is refused.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    field_order = ["allow_buyer_approval", "shipping", "notify", "message"]

    ADD_ROWS = 3
    MAX_ADD_ROWS = 50
    ADD_COUNT = "add-TOTAL_FORMS"

    def __init__(
        self,
        *args: Any,
        rows: Sequence[OcRow],
        allow_buyer_approval: bool,
        version: int,
        shipping: Decimal | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.fields["allow_buyer_approval"].initial = allow_buyer_approval
        self.fields["shipping"].initial = shipping
        self.fields["version"].initial = version
        for row in self.rows:
            self.fields[self.row_field(row)] = forms.IntegerField(
                label=_("OC quantity of %(sku)s") % {"sku": row.sku_number},
                required=False,
                initial=row.editing_quantity,
                widget=quantity_input(),
            )
        # Named as a formset's count, so the page's "Add another SKU" script keeps it up to date.
        self.fields[self.ADD_COUNT] = forms.IntegerField(
            required=False, initial=self.ADD_ROWS, widget=forms.HiddenInput
        )
        for index in range(self.add_count):
            self.fields.update(self.add_fields(index))
        # Field names of what quantities() sends, in its order: service errors point at them.
        self.sent: list[tuple[str, str]] = []

    @staticmethod
    def row_field(row: OcRow) -> str:
        return f"q{row.sku_id}"

    @staticmethod
    def add_fields(index: int | str) -> dict[str, forms.Field]:
        return {
            f"add_{index}_sku": forms.CharField(
                label=_("SKU number"),
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "list": "catalog-skus",
                        "spellcheck": "false",
                        "autocomplete": "off",
                        "class": "sku-input",
                    }
                ),
            ),
            f"add_{index}_quantity": forms.IntegerField(
                label=_("Quantity"), required=False, widget=quantity_input()
            ),
        }

    @property
    def add_count(self) -> int:
        """How many add rows the page sent (the script adds more), within sane bounds."""
        raw = self.data.get(self.add_prefix(self.ADD_COUNT)) if self.is_bound else None
        try:
            count = int(str(raw))
        except ValueError:
            count = self.ADD_ROWS
        return max(self.ADD_ROWS, min(count, self.MAX_ADD_ROWS))

    @property
    def add_count_field(self) -> forms.BoundField:
        return self[self.ADD_COUNT]

    def add_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"add_{index}_sku"], self[f"add_{index}_quantity"])
            for index in range(self.add_count)
        ]

    def empty_add_row(self) -> tuple[forms.BoundField, forms.BoundField]:
        """Return the add row the script copies, its index a placeholder."""
        template = forms.Form(prefix=self.prefix)
        template.fields.update(self.add_fields("__prefix__"))
        return template["add___prefix___sku"], template["add___prefix___quantity"]

    def row_fields(self) -> list[tuple[OcRow, forms.BoundField]]:
        return [(row, self[self.row_field(row)]) for row in self.rows]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        in_rows = {row.sku_number for row in self.rows}
        added: set[str] = set()
        for index in range(self.add_count):
            sku_name, quantity_name = f"add_{index}_sku", f"add_{index}_quantity"
            number = " ".join(str(cleaned.get(sku_name) or "").split())
            quantity = cleaned.get(quantity_name)
            if not number:
                if quantity:
                    self.add_error(sku_name, _("Type the SKU number to add."))
                continue
            cleaned[sku_name] = number
            if number in in_rows:
                self.add_error(
                    sku_name,
                    _("%(sku)s is in the OC already: change its quantity in its row.")
                    % {"sku": number},
                )
            elif number in added:
                self.add_error(sku_name, _("%(sku)s is listed twice.") % {"sku": number})
            elif quantity is None and quantity_name not in self.errors:
                self.add_error(quantity_name, _("Type the quantity to add."))
            added.add(number)
        return cleaned

    def quantities(self) -> dict[str, int]:
        """Return {SKU number: quantity} for every row and every added SKU."""
        quantities: dict[str, int] = {}
        self.sent = []
        for row in self.rows:
            name = self.row_field(row)
            quantities[row.sku_number] = self.cleaned_data.get(name) or 0
            self.sent.append((row.sku_number, name))
        for index in range(self.add_count):
            number = self.cleaned_data.get(f"add_{index}_sku")
            if number:
                quantities[number] = self.cleaned_data.get(f"add_{index}_quantity") or 0
                self.sent.append((number, f"add_{index}_sku"))
        return quantities

    def add_domain_error(self, error: DomainError) -> None:
        """Put a refused line (`lines.3.quantity`, `lines.3.sku_number`) on its input."""
        if not isinstance(error, InvalidInput):
            super().add_domain_error(error)
            return
        for key, problems in error.params.get("errors", {}).items():
            target = self._target(key)
            for problem in problems:
                self.add_error(target, problem["message"])

    def _target(self, key: str) -> str | None:
        if key in self.fields:
            return key
        parts = key.split(".")
        if len(parts) != 3 or parts[0] != "lines" or not parts[1].isdigit():
            return None
        index = int(parts[1])
        if index >= len(self.sent):
            return None
        name = self.sent[index][1]
        if parts[2] == "quantity" and name.startswith("add_"):
            return name.replace("_sku", "_quantity")
        return name


def _line_field(key: str, names: Sequence[str]) -> str | None:
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
        index = int(parts[1])
        if index < len(names):
            return names[index]
    return None

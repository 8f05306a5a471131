"""Brand App forms for images: a product's photos (several at once) and the brand's logo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from linesheet.web.forms import DomainErrorForm

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the list may not be empty when the field is required."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": IMAGE_ACCEPT, "multiple": True})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def color_choices(colors: Sequence[str]) -> list[tuple[str, str]]:
    return [("", str(_("All colours"))), *((color, color) for color in colors)]


class ProductImagesForm(DomainErrorForm):
    images = MultipleFileField(
        label=_("Images"),
        error_messages={"required": _("Choose at least one image.")},
    )
    color = forms.ChoiceField(label=_("For the colour"), required=False)

    def __init__(self, *args: Any, colors: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["images"].help_text = _(
            "JPEG, PNG or WebP, up to %(megabytes)d MB each: choose several at once, or drop "
            "them here."
        ) % {"megabytes": settings.IMAGE_MAX_BYTES // (1024 * 1024)}
        field = self.fields["color"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = color_choices(colors)


class ImageColorForm(forms.Form):
    color = forms.ChoiceField(label=_("Colour"), required=False)

    def __init__(self, *args: Any, colors: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["color"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = color_choices(colors)


class ImageOrderForm(forms.Form):
    """The product's images in their new order, as the page's drag and drop sends it."""

    order = forms.RegexField(regex=r"^\d{1,18}(,\d{1,18}){0,99}$", max_length=2000)

    def image_ids(self) -> list[int]:
        return [int(part) for part in self.cleaned_data["order"].split(",")]


class BrandLogoForm(DomainErrorForm):
    logo = forms.FileField(
        label=_("Logo"),
        help_text=_("JPEG, PNG or WebP; kept at most 600 pixels wide or high."),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

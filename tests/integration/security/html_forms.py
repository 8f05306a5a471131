"""Read the POST forms of a page and fill them in as a person would, to send them elsewhere."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.utils import timezone

CSRF_FIELD = "csrfmiddlewaretoken"


@dataclass
class HtmlForm:
    """A form as the page shows it: where it posts and what a browser would send."""

    path: str  # where it posts (the page itself for an empty action)
    query: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    file_fields: list[str] = field(default_factory=list)

    def data(self, *, csrf: bool = True) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            if name == CSRF_FIELD and not csrf:
                continue
            data.setdefault(name, []).append(value)
        return data


def _typed(kind: str) -> str:
    """Return something valid-looking for an empty input a person must fill in."""
    soon = timezone.now() + datetime.timedelta(days=60)
    return {
        "email": "matrix@example.test",
        "number": "1",
        "date": soon.date().isoformat(),
        "datetime-local": soon.strftime("%Y-%m-%dT%H:%M"),
        "password": "Matrix-passphrase-2048",
        "url": "https://example.test/",
    }.get(kind, "Matrix-7")


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.radios: dict[str, str] = {}
        self.button_taken = False
        self.form_actions: list[str] = []  # submit buttons posting the form elsewhere
        self.templates = 0  # inside <template>: not part of the form until a script copies it
        self.select: dict[str, Any] | None = None
        self.option: dict[str, Any] | None = None
        self.textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        present = {key for key, _value in attrs}
        if tag == "template":
            self.templates += 1
        if self.templates:
            return
        if tag == "form":
            if attr.get("method", "get").lower() != "post":
                return
            target = urlsplit(urljoin(self.page_url, attr.get("action", "")))
            self.form = HtmlForm(path=target.path, query=target.query)
            self.radios = {}
            self.button_taken = False
            self.form_actions = []
            return
        if tag == "option" and self.select is not None:
            self.option = {
                "value": attr.get("value"),
                "selected": "selected" in present,
                "text": "",
                "disabled": "disabled" in present,
            }
            return
        form = self.form
        if form is None or "disabled" in present:
            return
        if tag in ("button", "input") and attr.get("formaction"):
            # A submit button that sends the same form to another address ("Place the order").
            self.form_actions.append(urljoin(self.page_url, attr["formaction"]))
        if not attr.get("name"):
            return
        name = attr["name"]
        if tag == "input":
            kind = attr.get("type", "text").lower()
            value = attr.get("value", "")
            if kind in ("submit", "image", "reset", "button"):
                if kind == "submit" and not self.button_taken:
                    form.fields.append((name, value))
                    self.button_taken = True
            elif kind == "file":
                form.file_fields.append(name)
            elif kind == "checkbox":
                if "checked" in present or "required" in present:
                    form.fields.append((name, value or "on"))
            elif kind == "radio":
                if "checked" in present or name not in self.radios:
                    self.radios[name] = value
            else:
                if not value and "required" in present:
                    value = _typed(kind)
                form.fields.append((name, value))
        elif tag == "button":
            if attr.get("type", "submit").lower() == "submit" and not self.button_taken:
                form.fields.append((name, attr.get("value", "")))
                self.button_taken = True
        elif tag == "select":
            self.select = {"name": name, "required": "required" in present, "options": []}
        elif tag == "textarea":
            self.textarea = {"name": name, "required": "required" in present, "text": ""}

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea["text"] += data
        elif self.option is not None:
            self.option["text"] += data

    def _end_option(self) -> None:
        if self.option is not None and self.select is not None:
            option = self.option
            value = option["value"] if option["value"] is not None else option["text"].strip()
            if not option["disabled"]:
                self.select["options"].append((value, option["selected"]))
        self.option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.templates = max(0, self.templates - 1)
            return
        if self.templates:
            return
        form = self.form
        if tag == "option":
            self._end_option()
        elif tag == "select" and self.select is not None:
            self._end_option()
            options = self.select["options"]
            chosen = [value for value, selected in options if selected] or [
                value for value, _selected in options[:1]
            ]
            if self.select["required"] and not any(chosen):
                chosen = [value for value, _selected in options if value][:1]
            if form is not None:
                form.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"].removeprefix("\n")
            if not text and self.textarea["required"]:
                text = _typed("textarea")
            if form is not None:
                form.fields.append((self.textarea["name"], text))
            self.textarea = None
        elif tag == "form" and form is not None:
            form.fields.extend(self.radios.items())
            self.forms.append(form)
            for action in self.form_actions:
                target = urlsplit(action)
                self.forms.append(
                    HtmlForm(
                        path=target.path,
                        query=target.query,
                        fields=list(form.fields),
                        file_fields=list(form.file_fields),
                    )
                )
            self.form = None


def post_forms(html: str, *, page_url: str) -> list[HtmlForm]:
    """Return the page's POST forms, each filled in as shown (required inputs typed in)."""
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms

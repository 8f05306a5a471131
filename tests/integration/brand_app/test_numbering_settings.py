from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linesheet.core import clock
from linesheet.ordering.models import OrderNumbering
from linesheet.ordering.numbering import order_numbering_update
from tests import factories

pytestmark = pytest.mark.django_db


def url(brand: Any) -> str:
    return reverse("brand-settings-numbering", args=[brand.slug])


def rule(**changes: str) -> dict[str, str]:
    data = {"date_format": "%Y", "prefix": "AT-", "width": "5", "suffix": ""}
    data.update(changes)
    return data


def text_of(response: Any) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def client_as(client: Client, brand: Any, role: str) -> Client:
    client.force_login(factories.make_member(brand=brand, role=role))
    return client


def test_the_page_shows_the_default_rule_and_the_next_code(
    owner_client: Client, brand: Any
) -> None:
    response = owner_client.get(url(brand))

    assert response.status_code == 200
    assert response.context["next_code"] == "000001"
    text = text_of(response)
    assert "Next order code" in text and ">000001</output>" in text
    assert 'name="width" value="6"' in text
    assert "Save numbering" in text
    assert not OrderNumbering.objects.exists()


def test_the_date_prefixes_show_what_each_writes_today(owner_client: Client, brand: Any) -> None:
    today = clock.today()

    text = text_of(owner_client.get(url(brand)))

    assert f'<option value="%Y">Year ({today:%Y})</option>' in text
    assert f'<option value="%Y%m">Year and month ({today:%Y%m})</option>' in text
    assert f'<option value="%Y%m%d">Date ({today:%Y%m%d})</option>' in text
    assert '<option value="" selected>No date</option>' in text


def test_the_brand_navigation_leads_to_the_settings(owner_client: Client, brand: Any) -> None:
    response = owner_client.get(reverse("brand-orders", args=[brand.slug]))

    assert f'href="{url(brand)}"' in response.text
    assert 'aria-current="page">Settings<' in owner_client.get(url(brand)).text


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_an_owner_or_admin_saves_the_rule_and_new_orders_follow_it(
    client: Client, brand: Any, role: str
) -> None:
    client = client_as(client, brand, role)

    response = client.post(url(brand), rule(suffix="-B"), follow=True)

    year = timezone.localdate().year
    assert response.redirect_chain[-1][0] == url(brand)
    assert f"The next order code is {year}AT-00001-B." in text_of(response)
    numbering = OrderNumbering.objects.get(brand=brand)
    assert (numbering.date_format, numbering.prefix, numbering.width, numbering.suffix) == (
        "%Y",
        "AT-",
        5,
        "-B",
    )
    order = factories.make_order(
        buyer=factories.make_connected_buyer(brand=brand),
        catalog=factories.make_catalog(brand=brand),
    )
    assert order.code == f"{year}AT-00001-B"
    assert response.context["next_code"] == f"{year}AT-00001-B"


def test_the_preview_carries_on_from_the_sequence(owner_client: Client, brand: Any) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand)
    for _ in range(2):
        factories.make_order(buyer=buyer, catalog=catalog)

    owner_client.post(url(brand), rule(date_format="", prefix="", width="3"))
    response = owner_client.get(url(brand))

    assert response.context["next_code"] == "003"
    assert '"next_value": 3' in response.text  # the live preview's data


def test_bad_values_are_refused_field_by_field_and_nothing_changes(
    owner_client: Client, brand: Any
) -> None:
    order_numbering_update(brand=brand, date_format="", prefix="NL", width=4, suffix="")

    response = owner_client.post(
        url(brand), rule(prefix="bad prefix!", width="13", suffix="x" * 13)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"prefix", "width", "suffix"}
    text = text_of(response)
    assert "Use only letters, digits, hyphens (-), underscores (_) and single dots (.)" in text
    assert "Use at most 12 characters." in text
    assert 'value="bad prefix!"' in text  # the input is kept
    numbering = OrderNumbering.objects.get(brand=brand)
    assert (numbering.prefix, numbering.width) == ("NL", 4)
    assert response.context["next_code"] == "NL0001"


def test_the_service_refuses_what_the_form_lets_through(owner_client: Client, brand: Any) -> None:
    response = owner_client.post(url(brand), rule(prefix="has space", width="0"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["prefix"] == [
        "Use only letters, digits, hyphens (-), underscores (_) and single dots (.): the order "
        "code is part of web addresses and file names."
    ]
    assert errors["width"] == ["Use 1 to 12 digits."]
    assert not OrderNumbering.objects.exists()


def test_a_date_prefix_not_offered_is_a_field_error(owner_client: Client, brand: Any) -> None:
    response = owner_client.post(url(brand), rule(date_format="%H"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["date_format"]
    assert not OrderNumbering.objects.exists()


def test_a_width_that_is_not_a_number_is_a_field_error(owner_client: Client, brand: Any) -> None:
    response = owner_client.post(url(brand), rule(width="five"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["width"]
    assert not OrderNumbering.objects.exists()


@pytest.mark.parametrize("role", ["staff", "viewer"])
def test_staff_and_viewers_read_the_rule_but_cannot_change_it(
    client: Client, brand: Any, role: str
) -> None:
    order_numbering_update(brand=brand, date_format="", prefix="NL", width=4, suffix="")
    client = client_as(client, brand, role)

    page = client.get(url(brand))
    refused = client.post(url(brand), rule())

    assert page.status_code == 200
    text = text_of(page)
    assert f"Your role is {role}: only an owner or an admin can change the numbering" in text
    assert "Save numbering" not in text
    assert 'name="prefix" value="NL"' in text and "disabled" in text
    assert ">NL0001</output>" in text
    assert refused.status_code == 403
    numbering = OrderNumbering.objects.get(brand=brand)
    assert (numbering.prefix, numbering.width) == ("NL", 4)


def test_a_member_of_another_brand_gets_not_found(client: Client, brand: Any) -> None:
    client.force_login(factories.make_member(brand=factories.make_brand(), role="owner"))

    assert client.get(url(brand)).status_code == 404
    assert client.post(url(brand), rule()).status_code == 404
    assert not OrderNumbering.objects.exists()


@pytest.mark.parametrize("prefix", ["NL/", "../", "A..B", "./"])
def test_a_prefix_that_would_change_the_orders_web_address_is_refused(
    owner_client: Client, brand: Any, prefix: str
) -> None:
    response = owner_client.post(url(brand), rule(prefix=prefix))

    assert response.status_code == 200
    assert response.context["form"].errors["prefix"][0].startswith("Use only letters, digits")
    assert "no slash" in text_of(response)  # the rule is explained beside the fields
    assert not OrderNumbering.objects.exists()

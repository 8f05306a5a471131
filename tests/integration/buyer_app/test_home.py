from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_asked_to_log_in(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_logs_in_with_email_and_password_and_lands_where_they_work(
    client: Client, brand: Any, owner: Any
) -> None:
    response = client.post(
        reverse("login"),
        {"username": owner.email.upper(), "password": factories.PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("brand-orders", args=[brand.slug])


def test_a_wrong_password_is_refused_on_the_login_page(client: Client, owner: Any) -> None:
    response = client.post(reverse("login"), {"username": owner.email, "password": "nope"})

    assert response.status_code == 200
    assert "The email or password is not correct." in response.text
    assert f'value="{owner.email}"' in response.text


def test_logging_out_takes_a_post_and_ends_the_session(client: Client, owner: Any) -> None:
    client.force_login(owner)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_a_brand_member_goes_to_their_brand_app(client: Client, brand: Any, owner: Any) -> None:
    client.force_login(owner)

    response = client.get(reverse("home"))

    assert response["Location"] == reverse("brand-home", args=[brand.slug])


def test_a_buyer_user_goes_to_the_buyer_app(buyer_client: Client, organization: Any) -> None:
    response = buyer_client.get(reverse("home"))

    assert response["Location"] == reverse("buyer-home")


def test_a_user_who_is_both_chooses_where_to_work(client: Client, brand: Any, owner: Any) -> None:
    organization = factories.make_organization(name="Maison Claire", members=[owner])
    client.force_login(owner)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert f'href="{reverse("brand-home", args=[brand.slug])}"' in response.text
    assert f'name="organization" value="{organization.pk}"' in response.text


def test_a_user_with_nowhere_to_work_is_told_how_to_start(client: Client) -> None:
    client.force_login(factories.make_user())

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "not part of a brand or a buyer organisation yet" in response.text


def test_a_visitor_registers_and_is_logged_in(client: Client) -> None:
    response = client.post(
        reverse("register"),
        {"email": "New@Shop.test", "full_name": "Nora Shop", "password": "plum-velvet-harbour"},
        follow=True,
    )

    user = User.objects.get(email="new@shop.test")
    assert user.full_name == "Nora Shop"
    assert response.context["user"] == user


def test_registering_a_taken_email_is_refused_and_the_input_is_kept(
    client: Client, owner: Any
) -> None:
    response = client.post(
        reverse("register"),
        {"email": owner.email, "full_name": "Nora Shop", "password": "plum-velvet-harbour"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this email already exists; log in instead."
    ]
    assert 'value="Nora Shop"' in response.text
    assert User.objects.count() == 1


def test_a_weak_password_is_refused(client: Client) -> None:
    response = client.post(
        reverse("register"),
        {"email": "new@shop.test", "full_name": "Nora", "password": "password"},
    )

    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.exists()


def test_pages_carry_the_language_and_the_stylesheet(client: Client) -> None:
    response = client.get(reverse("login"))

    assert '<html lang="en">' in response.text
    assert "linesheet/app.css" in response.text

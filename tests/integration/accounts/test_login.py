from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_user_logs_in_with_their_email_in_any_case() -> None:
    user = factories.make_user(email="owner@atelier.test")
    found = authenticate(username="Owner@Atelier.TEST", password=factories.PASSWORD)
    assert found == user


def test_creating_a_superuser_with_a_taken_email_in_another_case_is_refused_plainly(
    capsys: Any,
) -> None:
    factories.make_user(email="support@linesheet.test")
    with pytest.raises(CommandError, match="already taken"):
        call_command(
            "createsuperuser", email="Support@Linesheet.test", interactive=False, verbosity=0
        )

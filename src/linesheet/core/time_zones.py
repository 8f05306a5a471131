"""Time zones a person may choose, and how they are named.

Times are shown in the viewer's zone (the user's own, else that of the brand or buyer
organisation the page works for; see accounts.time_zones), and documents in the brand's or
the recipients'. Days that rules count stay those of TIME_ZONE, whoever looks (core.clock).
"""

from __future__ import annotations

import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Return the IANA zone names a person may choose, sorted ("Europe/Paris", "UTC", ...)."""
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if name == "UTC" or ("/" in name and not name.startswith(("Etc/", "SystemV/")))
        )
    )


def validate_time_zone(value: str) -> None:
    """Refuse a name that is no time zone a person may choose."""
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone; choose one from the list (e.g. Europe/Paris)."),
            code="invalid_time_zone",
            params={"value": value},
        )


def time_zone_label(name: str) -> str:
    """Name a zone with what its clocks show now, e.g. "Europe/Paris (CET, UTC+01:00)"."""
    now = timezone.now().astimezone(zoneinfo.ZoneInfo(name))
    offset = now.strftime("%z")
    return f"{name} ({now:%Z}, UTC{offset[:3]}:{offset[3:]})"


def default_time_zone() -> str:
    """Return the zone of a new brand or organisation: TIME_ZONE."""
    return str(settings.TIME_ZONE)

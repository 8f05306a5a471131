"""Fuzz the REST API from its own OpenAPI document, in process, on the demo world.

Schemathesis generates requests for every operation of `/api/schema/`: valid ones (positive)
and ones that break the schema (negative). Each goes through the Django WSGI application as a
brand owner (the brand's operations) or a buyer (the organisation's), with a Bearer token. Path
parameters are mostly real ids and codes of the demo world, so requests reach the code behind
the lookups. Every answer must be below 500 and match the schema (status, content type,
headers, body); every negative request must be refused with a 4xx.

Nothing is left out: deletes run last, so that what they remove serves the other operations
first. Bounded for CI: `FUZZ_EXAMPLES` examples per operation, user and mode (default 6; 2 for
PDFs and workbooks), derandomized (the same requests on every run), no deadline, no shrinking.
`FUZZ_VERBOSE=1` lists the operations no request got a 2xx from, with their answers.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core import NOT_SET
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation

from linesheet.accounts.models import Brand, Invitation, User
from linesheet.accounts.selectors import organizations_of
from linesheet.accounts.tokens import api_token_issue
from linesheet.catalog.models import SKU, BuyerGroup, Catalog, Product, ProductImage
from linesheet.catalog.selectors import catalogs_visible_to
from linesheet.core.errors import DomainError
from linesheet.demo.seeding import demo_seed
from linesheet.documents.models import DeliveryNote
from linesheet.ordering.models import Cart, Order, OrderLink
from linesheet.ordering.services import cart_create, cart_set_lines, order_link_create

# Commits for real: each request is its own transaction, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
# Rendering a PDF or a workbook takes a good part of a second: fewer examples there.
SLOW_SUFFIXES = ("/pdf", ".xlsx", "/order-sheet")
SLOW_EXAMPLES = 2

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Left out, and why:
# - positive_data_acceptance: a request valid by the schema is still refused by the domain
#   (409 for an order in the wrong status, 404 for an id of another brand); that is correct.
# - ignored_auth, use_after_free, ensure_resource_availability: stateful or authorization
#   checks, which the API's tenancy and access tests cover one by one.


@dataclass
class Findings:
    """Failures found, one per operation, mode and check (the first example of each)."""

    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)
    without_negative_cases: list[str] = field(default_factory=list)
    answered_2xx: set[str] = field(default_factory=set)
    statuses_of: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def record(self, case: Any, response: Any, mode: str, group: FailureGroup) -> None:
        label = case.operation.label
        for failure in group.exceptions:
            key = (label, mode, type(failure).__name__)
            self.failures.setdefault(
                key,
                f"{label} [{mode}] {failure.title}: {failure.message}\n"
                f"  answered {response.status_code}: {response.text[:300]!r}\n"
                f"  {case.as_curl_command()}",
            )


@pytest.fixture
def world() -> dict[str, Any]:
    """Seed the demo world; return the users to act as and the real values of path parameters."""
    demo_seed(log=lambda _line: None)
    brand = Brand.objects.get(slug="atelier")
    owner = User.objects.get(email="owner@atelier.test")
    buyer = User.objects.get(email="buyer@maison.test")
    organizations = list(organizations_of(user=buyer))
    order_link_create(catalog=brand.catalogs.order_by("pk").first(), created_by=owner)
    for organization in organizations:  # a cart with lines in every catalog open to it
        for catalog in catalogs_visible_to(organization=organization).filter(brand=brand):
            with contextlib.suppress(DomainError):
                cart = cart_create(organization=organization, catalog=catalog)
                numbers = SKU.objects.filter(product__catalog=catalog).values_list(
                    "sku_number", flat=True
                )[:3]
                cart_set_lines(cart=cart, quantities=dict.fromkeys(numbers, 2))
    return {"brand": brand, "owner": owner, "buyer": buyer, "organizations": organizations}


def load_schema() -> Any:
    """Load `/api/schema/` through the WSGI application, as `from_wsgi` does, with two changes.

    - The API reads an empty query value (`?catalog=`) as a parameter not given, the way HTML
      forms send an unset field and DRF reads query parameters. The generated document does not
      say so; `allowEmptyValue` on the optional query parameters does, so that fuzzing does not
      take `?limit=` for a wrong type.
    - The security schemes go: each request carries the acting user's Bearer token, and a
      generated `Authorization` header or session cookie would only be overwritten.
    """
    from linesheet.wsgi import application

    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = json.loads(response.content)
    document.get("components", {}).pop("securitySchemes", None)
    for operations in document["paths"].values():
        for operation in operations.values():
            operation.pop("security", None)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application
    schema.location = "/api/schema/"
    return schema


def path_values(world: dict[str, Any]) -> dict[str, list[Any]]:
    """Return real values for each path parameter, read now: the world changes as we go."""
    brand, organizations = world["brand"], world["organizations"]
    first_products = Product.objects.filter(brand=brand).order_by("pk").values("pk")[:4]
    images = ProductImage.objects.filter(product__in=first_products).order_by("pk")
    return {
        "brand": [brand.slug],
        "org": [organization.pk for organization in organizations],
        "code": list(Order.objects.filter(brand=brand).values_list("code", flat=True)),
        "catalog_id": list(Catalog.objects.filter(brand=brand).values_list("pk", flat=True)),
        "sku_number": list(SKU.objects.filter(brand=brand).values_list("sku_number", flat=True)),
        "buyer_id": list(brand.buyers.values_list("pk", flat=True)),
        "link_id": list(OrderLink.objects.filter(brand=brand).values_list("pk", flat=True)),
        "group_id": list(BuyerGroup.objects.filter(brand=brand).values_list("pk", flat=True)),
        "number": list(DeliveryNote.objects.filter(brand=brand).values_list("number", flat=True)),
        "cart_id": list(
            Cart.objects.filter(organization__in=organizations).values_list("pk", flat=True)
        ),
        "order_id": list(
            Order.objects.filter(organization__in=organizations).values_list("pk", flat=True)
        ),
        "token": list(Invitation.objects.values_list("token", flat=True)),
        # A few products with images, and their images.
        "product_id": sorted(set(images.values_list("product_id", flat=True))),
        "image_id": list(images.values_list("pk", flat=True)),
    }


def acting_user(path: str, world: dict[str, Any]) -> list[User]:
    """Who calls the operation: the brand's owner, the organisation's buyer, or both."""
    if path.startswith("/api/v1/brands/"):
        return [world["owner"]]
    if path.startswith("/api/v1/buyer-orgs/"):
        return [world["buyer"]]
    return [world["owner"], world["buyer"]]


IDEMPOTENCY_KEYS = itertools.count(1)


def negated(case: Any, location: ParameterLocation) -> bool:
    components = case.meta.components if case.meta is not None else {}
    return location in components and components[location].mode.is_negative


def breaks_schema(case: Any) -> bool:
    """Say whether the request, as sent, breaks the schema somewhere: real negative data.

    Schemathesis sometimes marks a part negative that is valid once sent: a body "negated"
    to nothing at all (leaving out a body the operation does not require) or to a non-object
    sent as multipart (a form carries only an object's fields: the server reads an empty
    form), or a path parameter whose other type reads, in the URL, as text its pattern allows
    (6 for "6").
    """
    for location in ParameterLocation:
        if not negated(case, location):
            continue
        if location == ParameterLocation.BODY:
            if body_sent_as_negated(case):
                return True
        elif location == ParameterLocation.PATH:
            if any(
                not path_value_valid(case, parameter)
                for parameter in case.operation.path_parameters
            ):
                return True
        else:
            return True
    return False


def body_sent_as_negated(case: Any) -> bool:
    """Say whether the negated body reaches the server as something the schema refuses."""
    if case.body is None or case.body is NOT_SET:
        return False
    multipart = (case.media_type or "").startswith("multipart/form-data")
    return not multipart or isinstance(case.body, dict)


def path_value_valid(case: Any, parameter: Any) -> bool:
    """Say whether the path parameter's value, as the URL carries it, matches its schema."""
    value = (case.path_parameters or {}).get(parameter.name)
    if value is None:
        return False
    text = str(value).lower() if isinstance(value, bool) else str(value)
    pattern = parameter.definition.get("schema", {}).get("pattern")
    return bool(text) and (pattern is None or re.search(pattern, text) is not None)


def steer_to_real_values(case: Any, data: st.DataObject, values: dict[str, list[Any]]) -> None:
    """Put real ids, codes and SKU numbers in most cases, so requests get past the lookups.

    Only where the case is valid: a part generated to break the schema is left as it is.
    """

    def often() -> bool:  # 4 times in 5, and always in Hypothesis's simplest example
        return data.draw(st.integers(0, 4)) != 4

    headers = case.headers or {}
    if "Idempotency-Key" in headers and not negated(case, ParameterLocation.HEADER) and often():
        # A fresh key: the simplest generated ones repeat, and a repeated key is a replay.
        headers["Idempotency-Key"] = f"fuzz-{next(IDEMPOTENCY_KEYS)}"
    if not negated(case, ParameterLocation.PATH):
        for name in list(case.path_parameters or {}):
            if values.get(name) and often():
                case.path_parameters[name] = data.draw(st.sampled_from(values[name]))
    body = case.body
    if negated(case, ParameterLocation.BODY) or not isinstance(body, dict):
        return
    for line in body.get("lines") or []:
        if isinstance(line, dict) and "sku_number" in line and often():
            line["sku_number"] = data.draw(st.sampled_from(values["sku_number"]))
        if isinstance(line, dict) and "quantity" in line and often():
            line["quantity"] = data.draw(st.integers(1, 24))
    if isinstance(body.get("sku_numbers"), list) and often():
        body["sku_numbers"] = data.draw(
            st.lists(st.sampled_from(values["sku_number"]), min_size=1, max_size=3)
        )
    for name in ("catalog", "buyer"):
        if isinstance(body.get(name), int) and often():
            body[name] = data.draw(st.sampled_from(values[f"{name}_id"]))


def fuzz_operation(
    operation: Any,
    *,
    mode: GenerationMode,
    headers: dict[str, str],
    values: dict[str, list[Any]],
    findings: Findings,
) -> None:
    slow = operation.path.endswith(SLOW_SUFFIXES)
    checks = CHECKS + ([negative_data_rejection] if mode.is_negative else [])

    @settings(
        max_examples=SLOW_EXAMPLES if slow else FUZZ_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        steer_to_real_values(case, data, values)
        response = case.call(headers=headers)
        findings.requests += 1
        findings.by_status[response.status_code] = (
            findings.by_status.get(response.status_code, 0) + 1
        )
        findings.statuses_of[operation.label][response.status_code] += 1
        if 200 <= response.status_code < 300:
            findings.answered_2xx.add(operation.label)
        try:
            case.validate_response(
                response, checks=checks if breaks_schema(case) else CHECKS, headers=headers
            )
        except FailureGroup as group:
            findings.record(case, response, mode.value, group)

    try:
        run()
    except Unsatisfiable:
        # Nothing to break: an operation without parameters or body has no negative case.
        assert mode.is_negative, operation.label
        findings.without_negative_cases.append(operation.label)


def test_fuzzing_every_api_operation_finds_no_server_error_and_no_schema_mismatch(
    world: dict[str, Any],
) -> None:
    schema = load_schema()
    tokens: dict[int, str] = {
        user.pk: api_token_issue(user=user)[1] for user in (world["owner"], world["buyer"])
    }
    findings = Findings()
    # Deletes last, so that the carts and links they remove are there for the others first.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda operation: operation.method.upper() == "DELETE",
    )
    for operation in operations:
        for user in acting_user(operation.path, world):
            headers = {"Authorization": f"Bearer {tokens[user.pk]}"}
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                values = path_values(world)
                fuzz_operation(
                    operation, mode=mode, headers=headers, values=values, findings=findings
                )

    statuses = ", ".join(f"{code} {n}" for code, n in sorted(findings.by_status.items()))
    never_2xx = sorted({o.label for o in operations} - findings.answered_2xx)
    print(
        f"\nfuzz: operations={len(operations)} requests={findings.requests} "
        f"({statuses}) operations answering 2xx={len(findings.answered_2xx)} "
        f"failures={len(findings.failures)}"
    )
    if os.environ.get("FUZZ_VERBOSE"):
        for label in never_2xx:
            print(f"never 2xx: {label} {dict(findings.statuses_of[label])}")
    assert not findings.failures, "\n\n".join(findings.failures.values())
    assert findings.requests > 0

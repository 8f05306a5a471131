from __future__ import annotations

from email.mime.image import MIMEImage

from linesheet.notifications.inline_images import LINE_IMAGE_BOX, RelatedEmail, fit
from tests.image_files import image_bytes


def test_an_image_is_scaled_down_to_fit_its_box_whole_and_in_proportion() -> None:
    assert fit(96, 72, LINE_IMAGE_BOX) == (48, 36)
    assert fit(72, 96, LINE_IMAGE_BOX) == (36, 48)
    assert fit(400, 100, (160, 48)) == (160, 40)


def test_a_small_image_is_not_scaled_up() -> None:
    assert fit(20, 10, LINE_IMAGE_BOX) == (20, 10)


def test_the_html_and_its_images_are_related_parts_beside_the_text() -> None:
    image = MIMEImage(image_bytes(format="PNG"), _subtype="png")
    image["Content-ID"] = "<logo@linesheet>"
    email = RelatedEmail(subject="s", body="text", to=["a@shop.test"], related=[image])
    email.attach_alternative('<img src="cid:logo@linesheet">', "text/html")

    message = email.message()

    assert message.get_content_type() == "multipart/alternative"
    text, related = message.get_payload()
    assert text.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    assert [part.get_content_type() for part in related.get_payload()] == [
        "text/html",
        "image/png",
    ]


def test_without_images_the_email_is_plain_text_and_html_alternatives() -> None:
    email = RelatedEmail(subject="s", body="text", to=["a@shop.test"])
    email.attach_alternative("<p>html</p>", "text/html")

    message = email.message()

    assert [part.get_content_type() for part in message.get_payload()] == [
        "text/plain",
        "text/html",
    ]

"""Pictures for the demo's products, drawn with Pillow as the seed runs (nothing downloaded).

One picture per colour of a product: its shape (a top, trousers, a dress, a bag...) in that
colour on a light ground, with the model number and the colour's name under it.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, ImageDraw, ImageFont

# The demo's colours as RGB.
COLOUR_RGB: Final = {
    "Black": (34, 34, 38),
    "Ecru": (234, 226, 206),
    "Sand": (214, 193, 155),
    "Sage": (156, 175, 136),
    "Navy": (35, 48, 84),
    "Terracotta": (196, 98, 66),
    "Sky Blue": (135, 186, 222),
    "Charcoal": (70, 72, 78),
    "Camel": (193, 147, 93),
    "Forest": (38, 84, 56),
    "Burgundy": (110, 30, 46),
    "Oatmeal": (221, 207, 184),
    "Slate": (104, 118, 132),
    "Ice": (214, 230, 238),
    "Rust": (168, 76, 38),
    "Off White": (244, 240, 230),
}
SIZE: Final = (360, 450)
GROUND: Final = (246, 244, 240)

_BOTTOMS = ("Trousers", "Pants", "Shorts", "Jeans", "Leggings", "Chinos")
_DRESSES = ("Dress", "Skirt")
_ACCESSORIES = ("Bag", "Tote", "Belt", "Hat", "Beanie", "Scarf", "Gloves", "Mittens", "Socks")


def _shape(name: str) -> str:
    if any(word in name for word in _DRESSES):
        return "dress"
    if any(word in name for word in _BOTTOMS):
        return "bottom"
    if "Boots" in name or "Shoes" in name or "Sneakers" in name:
        return "shoe"
    if any(word in name for word in _ACCESSORIES):
        return "accessory"
    return "top"


def _outline(fill: tuple[int, int, int]) -> tuple[int, int, int]:
    darker = tuple(max(0, int(channel * 0.7)) for channel in fill)
    return (darker[0], darker[1], darker[2])


def _draw_shape(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    line = _outline(fill)
    if shape == "top":
        draw.polygon(
            [
                (128, 68),
                (154, 60),
                (180, 79),
                (206, 60),
                (232, 68),
                (300, 128),
                (270, 165),
                (251, 150),
                (251, 352),
                (109, 352),
                (109, 150),
                (90, 165),
                (60, 128),
            ],
            fill=fill,
            outline=line,
            width=3,
        )
    elif shape == "bottom":
        draw.polygon(
            [(120, 60), (240, 60), (259, 360), (199, 360), (180, 150), (161, 360), (101, 360)],
            fill=fill,
            outline=line,
            width=3,
        )
    elif shape == "dress":
        draw.polygon(
            [(146, 60), (214, 60), (225, 150), (285, 360), (75, 360), (135, 150)],
            fill=fill,
            outline=line,
            width=3,
        )
    elif shape == "shoe":
        draw.polygon(
            [(105, 105), (165, 105), (169, 248), (285, 285), (289, 330), (90, 330)],
            fill=fill,
            outline=line,
            width=3,
        )
    else:
        draw.rounded_rectangle((82, 98, 278, 322), radius=28, fill=fill, outline=line, width=3)


def demo_product_picture(*, name: str, model_number: str, colour: str) -> bytes:
    """Return a JPEG picture of the product in `colour`, labelled with its model number."""
    image = Image.new("RGB", SIZE, GROUND)
    draw = ImageDraw.Draw(image)
    _draw_shape(draw, _shape(name), COLOUR_RGB.get(colour, (128, 128, 128)))
    font = ImageFont.load_default(size=22)
    small = ImageFont.load_default(size=15)
    draw.text((SIZE[0] // 2, 392), model_number, fill=(23, 33, 46), font=font, anchor="mm")
    draw.text((SIZE[0] // 2, 420), colour, fill=(74, 86, 103), font=small, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()

"""Brand App: a product's images (add several at once, order, the main one, colour, remove)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linesheet.accounts.permissions import Permission
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.image_forms import ImageColorForm, ImageOrderForm, ProductImagesForm
from linesheet.catalog.models import Product, ProductImage
from linesheet.catalog.selectors import product_colors, product_get_for_brand, product_images_of
from linesheet.catalog.services import (
    product_image_move,
    product_image_remove,
    product_image_set_color,
    product_image_set_main,
    product_images_add,
    product_images_reorder,
)
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.core.uploads import upload_limit


def _product_or_404(scope: BrandScope, catalog_id: int, product_id: int) -> Product:
    product = product_get_for_brand(brand=scope.brand, catalog_id=catalog_id, product_id=product_id)
    if product is None:
        raise Http404
    return product


def _refusal_messages(error: DomainError) -> list[str]:
    if isinstance(error, InvalidInput):
        return [
            problem["message"]
            for problems in error.params.get("errors", {}).values()
            for problem in problems
        ]
    return [error.message]


def _image_limit() -> int:
    return settings.IMAGE_UPLOAD_MAX_BYTES


@upload_limit(_image_limit)
@brand_view(Permission.CATALOG_WRITE)
def product_images(
    request: HttpRequest, scope: BrandScope, pk: int, product_id: int
) -> HttpResponse:
    """The product's images in their order, and the form that adds more."""
    product = _product_or_404(scope, pk, product_id)
    colors = product_colors(product=product)
    form = ProductImagesForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        colors=colors,
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = product_images_add(
                product=product,
                files=form.cleaned_data["images"],
                color=form.cleaned_data["color"],
                actor=scope.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d image was added; its thumbnail appears in a moment.",
                    "%(count)d images were added; their thumbnails appear in a moment.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect(
                "brand-product-images", brand=scope.brand.slug, pk=pk, product_id=product.pk
            )
    images = product_images_of(product_ids=[product.pk]).get(product.pk, [])
    return render_brand(
        request,
        scope,
        "brand_app/product_images.html",
        {
            "catalog": product.catalog,
            "product": product,
            "images": images,
            "form": form,
            "colors": colors,
        },
        section="catalogs",
        status=400 if form.is_bound and form.errors else 200,
    )


IMAGE_ACTIONS = ("up", "down", "main", "color", "remove")


@brand_view(Permission.CATALOG_WRITE, form_only=True)
def product_image_action(
    request: HttpRequest, scope: BrandScope, pk: int, product_id: int, image_id: int, action: str
) -> HttpResponse:
    """Move one image up or down, make it the main one, change its colour, or remove it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    product = _product_or_404(scope, pk, product_id)
    image = ProductImage.objects.filter(product=product, pk=image_id).first()
    if image is None or action not in IMAGE_ACTIONS:
        raise Http404
    image.product = product
    try:
        if action in ("up", "down"):
            product_image_move(image=image, offset=-1 if action == "up" else 1, actor=scope.user)
        elif action == "main":
            product_image_set_main(image=image, actor=scope.user)
            messages.success(request, _("The main image was chosen."))
        elif action == "color":
            form = ImageColorForm(request.POST, colors=product_colors(product=product))
            if not form.is_valid():
                raise InvalidInput.field(
                    "color", "color_unknown", _("Choose one of the product's colours.")
                )
            product_image_set_color(image=image, color=form.cleaned_data["color"], actor=scope.user)
            messages.success(request, _("The image's colour was saved."))
        else:
            product_image_remove(image=image, actor=scope.user)
            messages.success(request, _("The image was removed."))
    except DomainError as error:
        for message in _refusal_messages(error):
            messages.error(request, message)
    return redirect("brand-product-images", brand=scope.brand.slug, pk=pk, product_id=product.pk)


@brand_view(Permission.CATALOG_WRITE, form_only=True)
def product_images_order(
    request: HttpRequest, scope: BrandScope, pk: int, product_id: int
) -> HttpResponse:
    """Put the images in the order the page's drag and drop sends (every image once)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    product = _product_or_404(scope, pk, product_id)
    form = ImageOrderForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput.field(
                "order", "image_order_mismatch", _("The new order could not be read.")
            )
        product_images_reorder(product=product, image_ids=form.image_ids(), actor=scope.user)
    except DomainError as error:
        for message in _refusal_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The images' order was saved."))
    return redirect("brand-product-images", brand=scope.brand.slug, pk=pk, product_id=product.pk)

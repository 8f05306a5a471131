"""linesheet's URLs: the Brand App, the Buyer App, the API and the admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from linesheet.web import file_views, health

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("admin/", admin.site.urls),
    # Private files (product images, logos) to whoever holds a signed link: core.stored_files.
    path("files/<signed:token>", file_views.stored_file, name="stored-file"),
    path("api/v1/", include("linesheet.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The Swagger UI, its files served with the app's own and its start-up script a request of
    # its own (`?script`), so the page needs nothing inline and nothing from another origin.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    path("brand/", include("linesheet.brand_app.urls")),
    path("join/", include("linesheet.web.urls")),
    path("", include("linesheet.buyer_app.urls")),
]

# A URL under /api/ that matches no route answers problem details, like the rest of the API.
handler404 = "linesheet.api.problems.page_not_found"

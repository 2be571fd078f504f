from django.urls import path

from aldea.showcase import views
from aldea.training import views as training_views

app_name = "showcase"

urlpatterns = [
    # Village showcases: public, no login; the page a producer shares.
    path("aldeas/", views.village_list, name="villages"),
    path("aldeas/<slug:slug>/", views.village, name="village"),
    # A product's public page, the link of every marketplace feed; SKUs are free text, so the
    # SKU takes the rest of the path (no trailing slash: the feeds' links end with the SKU).
    path("showcase/<slug:village>/<slug:code>/<path:sku>", views.product, name="product"),
    # Product photos by token: public for products on show (the feeds' image links).
    path("photos/<slug:token>-thumb.webp", views.photo, {"size": "thumbnail"}, name="photo_thumbnail"),
    path("photos/<slug:token>.jpg", views.photo, name="photo"),
    # Certificate verification (training): public, no login; the code is printed on the PDF.
    path("verify/<str:code>/", training_views.verify, name="verify"),
]

from django.urls import path

from aldea.showcase import views
from aldea.training import views as training_views

app_name = "showcase"

urlpatterns = [
    # Village showcases: public, no login; the page a producer shares.
    path("aldeas/", views.village_list, name="villages"),
    path("aldeas/<slug:slug>/", views.village, name="village"),
    # Certificate verification (training): public, no login; the code is printed on the PDF.
    path("verify/<str:code>/", training_views.verify, name="verify"),
]

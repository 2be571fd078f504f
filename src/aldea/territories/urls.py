from django.urls import path

from aldea.territories import views

app_name = "territories"

urlpatterns = [
    path("geo/<str:kind>.geojson", views.geojson, name="geojson"),
    path("geo/<str:kind>/<str:state>.geojson", views.geojson, name="state_geojson"),
]

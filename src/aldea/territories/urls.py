from django.urls import path, re_path

from aldea.territories import views

app_name = "territories"

urlpatterns = [
    path("geo/<str:kind>.geojson", views.geojson, name="geojson"),
    # Another country's geometry (Brazil's states, or a country installed by load_territories).
    re_path(r"^geo/(?P<country>[A-Z]{2})/(?P<kind>[a-z]+)\.geojson$", views.geojson, name="country_geojson"),
    path("geo/<str:kind>/<str:state>.geojson", views.geojson, name="state_geojson"),
]

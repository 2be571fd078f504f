from django.urls import path

from aldea.territories import views

app_name = "territories"

urlpatterns = [
    path("", views.explorer, name="explorer"),
    path("municipality/<str:code>/card/", views.municipality_card, name="municipality_card"),
    path("propose/", views.propose, name="propose_village"),
    path("geo/<str:kind>.geojson", views.geojson, name="geojson"),
    path("geo/<str:kind>/<str:state>.geojson", views.geojson, name="state_geojson"),
]

from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "aldea.territories"
    label = "territories"

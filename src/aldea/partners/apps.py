from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "aldea.partners"
    label = "partners"

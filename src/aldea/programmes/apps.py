from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "aldea.programmes"
    label = "programmes"

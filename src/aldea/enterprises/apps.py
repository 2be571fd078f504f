from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "aldea.enterprises"
    label = "enterprises"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "aldea.demo"
    label = "demo"

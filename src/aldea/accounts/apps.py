from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aldea.accounts"
    label = "accounts"

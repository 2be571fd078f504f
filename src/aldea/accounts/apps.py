from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aldea.accounts"
    label = "accounts"

    def ready(self):
        # Records sessions at log-in so users can list and end them (aldea.accounts.sessions).
        from aldea.accounts import sessions  # noqa: F401

import pytest


@pytest.fixture
def login(client):
    """``login(user)`` → the test client signed in as ``user`` (``None``: anonymous)."""

    def _login(user):
        client.logout()
        if user is not None:
            # UserFactory sets the password on the instance without saving it; log in the row as
            # stored, or the session's auth hash would not match and the login would not hold.
            client.force_login(type(user).objects.get(pk=user.pk))
        return client

    return _login

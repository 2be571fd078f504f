"""/api/auth/token/: POST a user name and password for a token; DELETE revokes the token used."""

from axes.utils import reset as reset_attempts
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from aldea.accounts.throttling import is_locked_out, lockout_message
from aldea.accounts.tokens import ExpiringTokenAuthentication, issue_token
from aldea.accounts.two_factor import check_second_factor


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                 help_text="What the token is for (shown on the user's sessions page).")
    otp_token = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                      help_text="The authenticator app's current code, for users who use one.")


TokenResponse = inline_serializer(
    "TokenResponse", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()}
)


class TokenView(APIView):
    """Log in for an API token, or revoke the token the request is made with."""

    authentication_classes = [ExpiringTokenAuthentication]
    # Throttled like the login page (django-axes, by user name): see aldea.accounts.throttling.
    throttle_classes = []

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return super().get_permissions()

    @extend_schema(
        request=TokenRequestSerializer, auth=[],
        responses={200: TokenResponse, 429: OpenApiResponse(
            description="Too many wrong passwords for this user name: wait before trying again.")},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The Django request, not DRF's wrapper: django-axes marks a refusal on it.
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if is_locked_out(request._request):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if message := check_second_factor(user, data.get("otp_token", "")):
            return Response({"otp_token": [message]}, status=status.HTTP_400_BAD_REQUEST)
        # As a page log-in does: earlier failures no longer count toward the throttle.
        reset_attempts(username=user.get_username())
        token, key = issue_token(user=user, name=data.get("name", ""))
        return Response({"token": key, "expires_at": token.expires_at})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if request.auth is None:
            return Response({"detail": _("Send the token to revoke in the Authorization header.")},
                            status=status.HTTP_400_BAD_REQUEST)
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

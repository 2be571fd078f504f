from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from aldea.core.navigation import home_url_for


def healthz(request):
    """200 when the database answers, 503 otherwise; for load balancers and `make demo`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 (any driver error means "not healthy", whatever its class)
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request):
    """Send each person to their role's home page; people with no role see what they can do."""
    url = home_url_for(request.user)
    if url:
        return redirect(url)
    return render(request, "core/no_role.html")

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from aldea.core.access import is_global
from aldea.programmes.models import Programme
from aldea.workspace.navigation import home_url_for


@login_required
def home(request):
    """Send each person to their role's home page; people with no role see what they can do."""
    if is_global(request.user) and not Programme.objects.exists():
        # A new installation: its first superuser starts by creating the programme.
        return redirect("workspace:programme_new")
    url = home_url_for(request.user)
    if url:
        return redirect(url)
    return render(request, "workspace/no_role.html")

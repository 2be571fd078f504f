from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from aldea.core.navigation import home_url_for


@login_required
def home(request):
    """Send each person to their role's home page; people with no role see what they can do."""
    url = home_url_for(request.user)
    if url:
        return redirect(url)
    return render(request, "core/no_role.html")

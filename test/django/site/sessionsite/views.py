"""Four views, as a Django site would have them: a login form, a password
change, a logout, and "whoami", which says who the session cookie belongs to."""
import django
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

FORM = """<!doctype html><title>Django login</title>
<h1>Django site</h1>
<p>{message}</p>
<form method="post" action="/login/">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log in to Django</button>
</form>"""


def who(request):
    user = request.user
    return {
        "authenticated": user.is_authenticated,
        "username": user.get_username() if user.is_authenticated else None,
        "session_key": request.session.session_key,
        "django": django.get_version(),
    }


# The test site stands for a site whose own forms carry CSRF tokens; the tests post directly.
@csrf_exempt
def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
        if user is None:
            return HttpResponse(FORM.format(message="Wrong username or password."), status=401)
        login(request, user)
        return JsonResponse(who(request))
    return HttpResponse(FORM.format(message=""))


def whoami(request):
    return JsonResponse(who(request))


@csrf_exempt
@require_POST
def change_password(request):
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"error": "not logged in"}, status=403)
    if not user.check_password(request.POST.get("old_password", "")):
        return JsonResponse({"error": "wrong password"}, status=400)
    user.set_password(request.POST["new_password"])
    user.save()
    # As PasswordChangeView does: this session stays, every other session of the user ends.
    update_session_auth_hash(request, user)
    return JsonResponse(who(request))


@csrf_exempt
@require_POST
def logout_view(request):
    logout(request)
    return JsonResponse(who(request))

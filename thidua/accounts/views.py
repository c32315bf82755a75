from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from thidua.accounts import services
from thidua.accounts.forms import UserCreateForm, UserRoleForm
from thidua.accounts.models import Role
from thidua.accounts.selectors import home_summary, scope_for, users_visible_to
from thidua.core.errors import BusinessRuleError
from thidua.core.forms import add_rule_error
from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.org.models import Agency
from thidua.org.selectors import unit_choices


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    return render(request, "accounts/home.html", {"summary": home_summary(request.user)})


@login_required
def user_list(request):
    require(request.user, "accounts.manage_users")
    users = users_visible_to(request.user).prefetch_related("roles__unit").order_by("username")
    return render(request, "accounts/user_list.html", {"users": users})


def _main_role(user) -> tuple[str, int | None]:
    roles = [a for a in user.roles.all() if a.role != Role.STAFF] or list(user.roles.all())
    if not roles:
        return Role.STAFF, None
    return roles[0].role, roles[0].unit_id


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    require(request.user, "accounts.manage_users")
    scope = scope_for(request.user)
    agency = get_scoped_or_404(Agency.objects.all(), pk=scope.agency_id)
    form = UserCreateForm(
        request.POST or None,
        units=unit_choices(request.user, agency_id=agency.pk),
        people=agency.people.filter(user__isnull=True, left_on__isnull=True),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data["person"]
        try:
            user = services.create_user(
                actor=request.user,
                agency=agency,
                username=data["username"],
                password=data["password"],
                roles=form.roles(),
                person=person,
                first_name=person.given_name if person else "",
                last_name=f"{person.family_name} {person.middle_name}".strip() if person else "",
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The user %(name)s was created.") % {"name": user})
            return redirect("accounts:users")
    return render(request, "org/form.html", {"form": form, "title": _("New user")})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    require(request.user, "accounts.manage_users")
    user = get_scoped_or_404(users_visible_to(request.user), pk=pk)
    role, unit_id = _main_role(user)
    form = UserRoleForm(
        request.POST or None,
        units=unit_choices(request.user, agency_id=user.agency_id),
        initial={"role": role, "unit": unit_id, "is_active": user.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(
                actor=request.user,
                user=user,
                roles=form.roles(),
                is_active=form.cleaned_data["is_active"],
                password=form.cleaned_data["password"] or None,
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("accounts:users")
    title = _("User %(name)s") % {"name": user.username}
    return render(request, "org/form.html", {"form": form, "title": title})

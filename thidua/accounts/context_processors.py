from thidua.accounts.selectors import scope_for


def roles(request) -> dict:
    """The user's scope for templates: menus show only what the user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": scope_for(user)}

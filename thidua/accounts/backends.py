from django.contrib.auth.backends import ModelBackend


class LoginBackend(ModelBackend):
    """Checks user name and password only. Permissions are django-rules predicates on roles
    (accounts/rules.py); Django's per-user permission tables are unused, so asking them would
    cost two queries on every page that shows a menu."""

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

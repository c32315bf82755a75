from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from thidua.core.errors import BusinessRuleError


def exception_handler(exc, context):
    """Business rule refusals become 400 with the Vietnamese message (and the field at fault)."""
    if isinstance(exc, BusinessRuleError):
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=409 if exc.code == "conflict" else 400)
    return drf_exception_handler(exc, context)

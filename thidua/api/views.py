"""REST API v1: the same selectors, permission predicates and services as the pages."""

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, views, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from thidua.accounts.selectors import people_visible_to, scope_for, units_visible_to
from thidua.api.serializers import (
    PersonSerializer,
    PersonWriteSerializer,
    UnitSerializer,
    UnitWriteSerializer,
)
from thidua.core.shortcuts import get_scoped_or_404
from thidua.eligibility.selectors import as_document, evaluate_agency
from thidua.org import selectors, services
from thidua.org.models import Agency, Person, Unit


def _check(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _agency(request) -> Agency:
    return get_scoped_or_404(Agency.objects.all(), pk=scope_for(request.user).agency_id)


class UnitViewSet(viewsets.GenericViewSet):
    lookup_field = "code"
    serializer_class = UnitSerializer
    queryset = Unit.objects.none()  # for the schema only: reads go through the selectors

    def _units(self, request):
        return selectors.unit_choices(request.user, agency_id=scope_for(request.user).agency_id)

    def _write(self, request, *, partial: bool = False):
        serializer = UnitWriteSerializer(data=request.data, partial=partial)
        serializer.fields["parent"].queryset = self._units(request)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(responses=UnitSerializer(many=True))
    def list(self, request):
        qs = units_visible_to(request.user).select_related("parent").order_by("path")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(UnitSerializer(page, many=True).data)

    @extend_schema(responses=UnitSerializer)
    def retrieve(self, request, code=None):
        unit = get_scoped_or_404(units_visible_to(request.user), code=code)
        return Response(UnitSerializer(unit).data)

    @extend_schema(request=UnitWriteSerializer, responses={201: UnitSerializer})
    def create(self, request):
        _check(request, "org.restructure_units")
        data = self._write(request)
        unit = services.create_unit(
            actor=request.user,
            agency=_agency(request),
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            parent=data.get("parent"),
            established_on=data.get("date"),
        )
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitWriteSerializer, responses=UnitSerializer)
    def partial_update(self, request, code=None):
        unit = get_scoped_or_404(units_visible_to(request.user), code=code)
        _check(request, "org.change_unit", unit)
        data = self._write(request, partial=True)
        unit = services.change_unit(
            actor=request.user,
            unit=unit,
            date=data.get("date") or timezone.localdate(),
            name=data.get("name"),
            kind=data.get("kind"),
            parent=data["parent"] if "parent" in data else False,
            code=data.get("code"),
        )
        return Response(UnitSerializer(unit).data)

    update = partial_update


class PersonViewSet(viewsets.GenericViewSet):
    lookup_field = "staff_code"
    serializer_class = PersonSerializer
    queryset = Person.objects.none()  # for the schema only

    def _write(self, request, *, partial: bool = False):
        serializer = PersonWriteSerializer(data=request.data, partial=partial)
        serializer.fields["unit"].queryset = selectors.unit_choices(
            request.user, agency_id=scope_for(request.user).agency_id
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Search, diacritics ignored")],
        responses=PersonSerializer(many=True),
    )
    def list(self, request):
        qs = selectors.search_people(request.user, query=request.query_params.get("q", ""))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(PersonSerializer(page, many=True).data)

    @extend_schema(responses=PersonSerializer)
    def retrieve(self, request, staff_code=None):
        person = get_scoped_or_404(
            people_visible_to(request.user).select_related("unit"), staff_code=staff_code
        )
        return Response(PersonSerializer(person).data)

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request):
        _check(request, "org.add_person")
        data = self._write(request)
        unit = data.pop("unit")
        start = data.pop("effective_on", None)
        person = services.create_person(
            actor=request.user, agency=_agency(request), unit=unit, start=start, **data
        )
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonWriteSerializer, responses=PersonSerializer)
    def partial_update(self, request, staff_code=None):
        person = get_scoped_or_404(
            people_visible_to(request.user).select_related("unit"), staff_code=staff_code
        )
        _check(request, "org.change_person", person)
        data = self._write(request, partial=True)
        unit = data.pop("unit", False)
        date = data.pop("effective_on", None) or timezone.localdate()
        person = services.update_person(
            actor=request.user, person=person, unit=unit, date=date, **data
        )
        return Response(PersonSerializer(person).data)

    update = partial_update


class EligibilityView(views.APIView):
    """GET /api/v1/eligibility/?year=Y: the agency's evaluation, as `thidua eligibility` prints it.

    Unit heads get their subtree only; staff get their own results only.
    """

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={200: dict},
    )
    def get(self, request):
        try:
            year = int(request.query_params.get("year", ""))
        except ValueError:
            return Response({"detail": _("Give the year as ?year=2024.")}, status=400)
        agency = _agency(request)
        scope = scope_for(request.user)
        evaluation = evaluate_agency(agency=agency, year=year)
        if not scope.agency_wide:
            person_ids = set(people_visible_to(request.user).values_list("pk", flat=True))
            unit_ids = set(units_visible_to(request.user).values_list("pk", flat=True))
            if not scope.unit_paths:
                unit_ids = set()
            evaluation.restrict(
                ((pl.col("kind") == "person") & pl.col("subject_id").is_in(list(person_ids)))
                | ((pl.col("kind") == "unit") & pl.col("subject_id").is_in(list(unit_ids)))
            )
            evaluation.quotas = []
        return Response(as_document(evaluation, agency))

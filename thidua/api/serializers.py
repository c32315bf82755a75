from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thidua.org.models import EmploymentType, Gender, Person, Unit, UnitKind


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "parent", "established_on", "dissolved_on"]
        read_only_fields = ["id", "dissolved_on"]


class UnitWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.none(), allow_null=True, required=False
    )
    date = serializers.DateField(
        required=False, help_text=_("When a rename or move takes effect (default today).")
    )


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "staff_code",
            "full_name",
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "birth_date",
            "employment_type",
            "position",
            "unit",
            "recruited_on",
            "left_on",
        ]
        read_only_fields = fields


class PersonWriteSerializer(serializers.Serializer):
    staff_code = serializers.CharField(max_length=32)
    full_name = serializers.CharField(max_length=200)
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField(required=False, allow_null=True)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices)
    position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.none())
    recruited_on = serializers.DateField(required=False, allow_null=True)
    left_on = serializers.DateField(required=False, allow_null=True)
    effective_on = serializers.DateField(required=False, allow_null=True)

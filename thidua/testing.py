"""Factories and personas shared by every app's tests (plain factory_boy)."""

import datetime

import factory

from thidua.accounts.models import Role, RoleAssignment, User
from thidua.core.text import fold, person_sort_key
from thidua.org.models import Agency, EmploymentType, Gender, Membership, Person, Unit, UnitKind

PASSWORD = "matkhau-thu-nghiem"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CQ{n}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    place = "Lạng Sơn"
    symbol = "STN"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"DV{n:03d}")
    name = factory.Sequence(lambda n: f"Phòng Thử nghiệm {n}")
    kind = UnitKind.DIVISION
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        from thidua.org.models import UnitState

        obj.path = f"{obj.parent.path if obj.parent_id else '/'}{obj.pk}/"
        obj.save(update_fields=["path"])
        UnitState.objects.create(
            unit=obj, name=obj.name, kind=obj.kind, parent=obj.parent, valid_from=obj.established_on
        )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    agency = factory.LazyAttribute(lambda o: o.unit.agency if o.unit else AgencyFactory())
    unit = factory.SubFactory(UnitFactory)
    staff_code = factory.Sequence(lambda n: f"CB{n:05d}")
    family_name = "Nguyễn"
    middle_name = "Văn"
    given_name = factory.Sequence(lambda n: ["An", "Bình", "Cường", "Dũng", "Hà", "Lan"][n % 6])
    full_name = factory.LazyAttribute(
        lambda o: " ".join(p for p in (o.family_name, o.middle_name, o.given_name) if p)
    )
    sort_key = factory.LazyAttribute(lambda o: bytes(o.person.sort_key) if o.person else b"")
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.full_name} {o.staff_code}"))
    sort_key = factory.LazyAttribute(
        lambda o: person_sort_key(
            given_name=o.given_name, family_name=o.family_name, middle_name=o.middle_name
        )
    )
    gender = Gender.MALE
    birth_date = datetime.date(1985, 5, 17)
    employment_type = EmploymentType.CIVIL_SERVANT
    position = "Chuyên viên"
    recruited_on = datetime.date(2010, 3, 1)

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        if obj.unit_id:
            Membership.objects.create(
                person=obj, unit=obj.unit, position=obj.position, start=obj.recruited_on
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user(*, agency: Agency, role: str | None, unit: Unit | None = None, person=None, **kw):
    """A user of `agency` holding `role` (None: no role at all)."""
    user = UserFactory(agency=agency, person=person, **kw)
    if role is not None:
        RoleAssignment.objects.create(
            user=user, role=role, unit=unit if role == Role.UNIT_HEAD else None
        )
    return user


class RoundFactory(factory.django.DjangoModelFactory):
    """A year-end round of 2024 (regime R2024) considering LĐTT, CSTĐCS, GK and Bằng khen tỉnh."""

    class Meta:
        model = "rounds.Round"

    agency = factory.SubFactory(AgencyFactory)
    kind = "ANNUAL"
    year = 2024
    name = factory.LazyAttribute(lambda o: f"Xét khen thưởng năm {o.year}")
    titles = factory.LazyFunction(lambda: ["LDTT", "CSTDCS", "GK", "BK_TINH", "TTLDTT"])
    review_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))
    regime = "R2024"


class NominationFactory(factory.django.DjangoModelFactory):
    """A draft nomination of a person for CSTĐCS. Pass `state=` to start further along
    (the factory writes the row directly: workflow tests must go through the services)."""

    class Meta:
        model = "rounds.Nomination"

    person = factory.SubFactory(PersonFactory)
    round = factory.LazyAttribute(lambda o: RoundFactory(agency=o.person.agency))
    agency = factory.LazyAttribute(lambda o: o.round.agency)
    nominating_unit = factory.LazyAttribute(lambda o: o.person.unit)
    title = "CSTDCS"
    state = "DRAFT"
    sort_key = factory.LazyAttribute(lambda o: bytes(o.person.sort_key) if o.person else b"")
    search_text = factory.LazyAttribute(
        lambda o: (
            fold(f"{o.person.full_name} {o.person.staff_code}")
            if o.person
            else fold(f"{o.unit.name} {o.unit.code}")
        )
    )
    achievement_report = "Hoàn thành xuất sắc nhiệm vụ được giao."

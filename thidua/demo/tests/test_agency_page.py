"""The annual report's 2021 figures (seed 000 §II.4) as the officer reads them on the agency page."""

import re

import pytest

from thidua.accounts.models import User


@pytest.fixture
def officer_page(demo, client):
    client.force_login(User.objects.get(username="thiduakt"))
    return client.get("/eligibility/?year=2021").content.decode()


def _cell(html: str, row_attrs: str, cell_class: str) -> int:
    row = re.search(rf"<tr {row_attrs}>(.*?)</tr>", html, re.S).group(1)
    return int(re.search(rf'class="{cell_class}">(\d+)<', row).group(1))


def test_agency_page_2021_shows_the_ratings_the_director_decided(officer_page):
    """ "06 tập thể hoàn thành xuất sắc nhiệm vụ, 03 tập thể hoàn thành tốt nhiệm vụ, 17 cá nhân
    hoàn thành xuất sắc nhiệm vụ, 22 cá nhân hoàn thành tốt nhiệm vụ, 01 cá nhân hoàn thành
    nhiệm vụ"."""
    director = {
        (kind, level): _cell(officer_page, f'data-level="{level}" data-kind="{kind}"', "director")
        for kind in ("unit", "person")
        for level in ("HTXSNV", "HTTNV", "HTNV")
    }
    assert director == {
        ("unit", "HTXSNV"): 6,
        ("unit", "HTTNV"): 3,
        ("unit", "HTNV"): 0,
        ("person", "HTXSNV"): 17,
        ("person", "HTTNV"): 22,
        ("person", "HTNV"): 1,
    }


def test_agency_page_2021_counts_199_ldtt_and_24_collectives(officer_page):
    """ "Quyết định công nhận danh hiệu Lao động tiên tiến năm 2021 đối với 24 tập thể và 199 cá
    nhân"."""
    assert _cell(officer_page, 'data-title="LDTT" data-kind="person"', "count") == 199
    assert _cell(officer_page, 'data-title="TTLDTT" data-kind="unit"', "count") == 24

"""Reading the records an evaluation needs into columnar frames (polars), in a few set queries.

PostgreSQL streams each query with COPY (the fastest way out of it); SQLite returns rows. The
same SQL serves both. Only the years an evaluation can look at are read.
"""

import datetime
import io
from dataclasses import dataclass

import polars as pl
from django.db import connection

# How far back a condition may look: BK_TTG needs 5 years, CSTĐ toàn quốc two CSTĐ tỉnh cycles.
LOOKBACK_YEARS = 6


@dataclass
class Frames:
    people: pl.DataFrame  # person_id, agency_id, code, recruited_on, unit_id (on the review date)
    units: pl.DataFrame  # unit_id, agency_id, code
    ratings: pl.DataFrame  # person_id, unit_id, year, level, months, maternity, self_reliant
    awards: pl.DataFrame  # person_id, unit_id, year, title
    initiatives: pl.DataFrame  # person_id, year, scope, kind
    disciplines: pl.DataFrame  # person_id, decided_on, kind, months
    achievements: pl.DataFrame  # person_id, unit_id, kind
    pending: pl.DataFrame  # person_id


def _frame(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    names = list(schema)
    if connection.vendor == "postgresql":
        # The server joins the rows into one tab-separated text: one message to the client
        # instead of one per row (COPY … TO STDOUT hands Python a message per row).
        aliases = ", ".join(f"c{i}" for i in range(len(names)))
        fields = ", ".join(f"coalesce(c{i}::text, '')" for i in range(len(names)))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT string_agg(concat_ws(E'\\t', {fields}), E'\\n')"
                f" FROM ({sql}) AS t({aliases})",
                params,
            )
            text = cursor.fetchone()[0]
        if not text:
            return pl.DataFrame(schema=schema)
        text_schema = {n: (pl.Utf8 if t == pl.Date else t) for n, t in schema.items()}
        df = pl.read_csv(
            io.BytesIO(text.encode()),
            has_header=False,
            new_columns=names,
            schema=text_schema,
            separator="\t",
            quote_char=None,
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return pl.DataFrame(schema=schema)
        columns = list(zip(*rows, strict=True))
        df = pl.DataFrame(
            {n: pl.Series(n, [str(v) if isinstance(v, datetime.date) else v for v in col])
             if schema[n] == pl.Date else pl.Series(n, col, dtype=schema[n], strict=False)
             for n, col in zip(names, columns, strict=True)}
        )  # fmt: skip
    casts = [
        pl.col(n).str.to_date("%Y-%m-%d", strict=False) if t == pl.Date else pl.col(n).cast(t)
        for n, t in schema.items()
    ]
    return df.with_columns(casts)


def _in(column: str, ids: list[int] | None) -> tuple[str, list]:
    if ids is None:
        return "", []
    if not ids:
        return " AND 1 = 0", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def load_frames(
    *,
    agency_ids: list[int] | None,
    year: int,
    review: datetime.date,
    person_ids: list[int] | None = None,
    unit_ids: list[int] | None = None,
) -> Frames:
    """Read what evaluating `year` needs, for the agencies (None = all) or for some subjects.

    Units come with their members on the review date, whose records the unit titles count.
    """
    first = year - LOOKBACK_YEARS
    agency_sql, agency_params = _in("p.agency_id", agency_ids)
    unit_agency_sql, unit_agency_params = _in("u.agency_id", agency_ids)
    review_s = review.isoformat()

    unit_sql, unit_params = _in("u.id", unit_ids)
    units = _frame(
        "SELECT u.id, u.agency_id, u.code FROM org_unit u WHERE u.established_on <= %s"
        " AND (u.dissolved_on IS NULL OR u.dissolved_on > %s)" + unit_agency_sql + unit_sql,
        [review_s, review_s, *unit_agency_params, *unit_params],
        {"unit_id": pl.Int64, "agency_id": pl.Int64, "code": pl.Utf8},
    )
    # People: those asked for, plus the members of the units asked for.
    person_filter, person_params = "", []
    if person_ids is not None or unit_ids is not None:
        p_sql, p_params = _in("p.id", person_ids or [])
        m_sql, m_params = _in("m2.unit_id", unit_ids or [])
        person_filter = (
            " AND (1 = 0" + p_sql.replace(" AND ", " OR ", 1)
            + " OR p.id IN (SELECT m2.person_id FROM org_membership m2 WHERE m2.start <= %s"
            ' AND (m2."end" IS NULL OR m2."end" >= %s)' + m_sql + "))"
        )  # fmt: skip
        person_params = [*p_params, review_s, review_s, *m_params]
    people = _frame(
        "SELECT p.id, p.agency_id, p.staff_code, p.recruited_on, m.unit_id"
        " FROM org_person p LEFT JOIN org_membership m ON m.person_id = p.id"
        ' AND m.start <= %s AND (m."end" IS NULL OR m."end" >= %s)'
        " WHERE (p.left_on IS NULL OR p.left_on > %s)"
        + agency_sql
        + person_filter
        # Memberships by start: on a same-day transfer the last one kept below is the new unit.
        + " ORDER BY p.id, m.start, m.id",
        [review_s, review_s, review_s, *agency_params, *person_params],
        {
            "person_id": pl.Int64,
            "agency_id": pl.Int64,
            "code": pl.Utf8,
            "recruited_on": pl.Date,
            "unit_id": pl.Int64,
        },
    )
    # A person may hold two memberships on one day (a same-day transfer): keep the latest.
    people = people.unique("person_id", keep="last", maintain_order=True)
    # Which records to read: every record of the agencies, or those of the subjects asked for.
    if person_ids is None and unit_ids is None:
        if agency_ids is None:
            person_where, person_where_params = "1 = 1", []
            subject_where, subject_params = "1 = 1", []
        else:
            person_where = f"r.agency_id IN ({', '.join(['%s'] * len(agency_ids))})"
            person_where_params = list(agency_ids)
            subject_where, subject_params = person_where, person_where_params
    else:
        person_subquery = "SELECT p.id FROM org_person p WHERE 1 = 1" + agency_sql + person_filter
        unit_subquery = "SELECT u.id FROM org_unit u WHERE 1 = 1" + unit_agency_sql + unit_sql
        person_where = f"r.person_id IN ({person_subquery})"
        person_where_params = [*agency_params, *person_params]
        subject_where = f"({person_where} OR r.unit_id IN ({unit_subquery}))"
        subject_params = [*person_where_params, *unit_agency_params, *unit_params]
    ratings = _frame(
        "SELECT r.person_id, r.unit_id, r.year, r.level, r.months_worked,"
        " CASE WHEN r.maternity_leave THEN 1 ELSE 0 END,"
        " CASE WHEN r.self_reliant THEN 1 ELSE 0 END"
        " FROM records_rating r WHERE r.year BETWEEN %s AND %s AND " + subject_where,
        [first, year, *subject_params],
        {
            "person_id": pl.Int64,
            "unit_id": pl.Int64,
            "year": pl.Int32,
            "level": pl.Utf8,
            "months": pl.Int32,
            "maternity": pl.Int8,
            "self_reliant": pl.Int8,
        },
    )
    awards = _frame(
        "SELECT r.person_id, r.unit_id, r.year, r.title FROM records_award r"
        " WHERE r.status = 'ACTIVE' AND r.year <= %s"
        # Titles are read six years back; "already holds a Bằng khen" looks at every year.
        " AND (r.year >= %s OR r.title = 'BK_TINH') AND " + subject_where,
        [year, first, *subject_params],
        {"person_id": pl.Int64, "unit_id": pl.Int64, "year": pl.Int32, "title": pl.Utf8},
    )
    initiatives = _frame(
        "SELECT r.person_id, r.year, r.scope, r.kind FROM records_initiative r"
        " WHERE r.year BETWEEN %s AND %s AND " + person_where,
        [first, year, *person_where_params],
        {"person_id": pl.Int64, "year": pl.Int32, "scope": pl.Utf8, "kind": pl.Utf8},
    )
    disciplines = _frame(
        "SELECT r.person_id, r.decided_on, r.kind, r.months FROM records_discipline r"
        " WHERE r.decided_on <= %s AND r.decided_on >= %s AND " + person_where,
        [review_s, f"{first - 5}-01-01", *person_where_params],
        {"person_id": pl.Int64, "decided_on": pl.Date, "kind": pl.Utf8, "months": pl.Int32},
    )
    achievements = _frame(
        "SELECT r.person_id, r.unit_id, r.kind FROM records_achievement r"
        " WHERE r.year = %s AND " + subject_where,
        [year, *subject_params],
        {"person_id": pl.Int64, "unit_id": pl.Int64, "kind": pl.Utf8},
    )
    pending = _frame(
        "SELECT DISTINCT r.person_id FROM records_pendingcase r"
        " WHERE r.opened_on <= %s AND (r.closed_on IS NULL OR r.closed_on > %s) AND "
        + person_where,
        [review_s, review_s, *person_where_params],
        {"person_id": pl.Int64},
    )
    return Frames(
        people=people,
        units=units,
        ratings=ratings,
        awards=awards,
        initiatives=initiatives,
        disciplines=disciplines,
        achievements=achievements,
        pending=pending,
    )

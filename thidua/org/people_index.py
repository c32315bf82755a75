"""The people list and its search answered from memory: one index per agency and process.

At province scale (50,000 people) the database can neither count a search nor find its page
cheaply: `search_text LIKE '%word%'` reads every person of the agency, 3–12 ms on SQLite. This
index holds what the list needs to choose its people and to show them:

- the ids of the agency's current people (`left_on IS NULL`) in list order (`sort_key, id`, as
  `selectors.search_people` orders them): a person is a *row*, their place in that order;
- for the search, the distinct *tokens* of every `search_text` (its runs without white space),
  each with its rows, and a sorted array of every suffix of every token. A query word has no
  white space, so it is in a `search_text` exactly when it starts some suffix of one of its
  tokens: the word's suffixes are one range of that array, found by bisection. A frequent
  token (a syllable of many names) keeps its rows as the bits of a Python int, so a word's
  rows, the AND of several words and their count are a few big-int operations, whatever the
  number of people who match;
- each row's unit and that unit's tree path, for a unit head's scope and the unit filter;
- what the page shows of each row (staff code, full name, position, unit name), so a page reads
  no person: on PostgreSQL that query cost ≈ 0.25 ms of a page's ≈ 3 ms.

An index is built, with one query, for the `OrgVersion` token its caller read: the database
replaces the token on every write to `org_person` or `org_unit` (migration org 0003), inside
the writer's transaction too, so a request that reads the token after a write (its own or a
committed one) never gets an index from before that write. The token is read before the rows,
so the rows are at least as new as the token they are filed under.

Building costs ≈ 0.45 s of CPU at 50,000 people, its query included (≈ 55 MB at the peak, most
of it sorting the suffixes), once per process after each write; an index then holds ≈ 10 MB. A
process keeps the indexes of a few agencies (`_AGENCIES`), each for the latest token only.
"""

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

from django.db import connection

from thidua.org.models import Person, Unit

# A token found in at least this many people keeps them as bits (6 KB at 49,000 people, at most
# one per `_MASK_ROWS` people); rarer ones, such as staff codes, as a list of rows.
_MASK_ROWS = 16
# Suffixes are sorted on their first `_SORT_PREFIX` characters at most (a long token would
# otherwise cost memory while sorting); a longer word is looked up by its prefix, then checked.
_SORT_PREFIX = 32
# Words this short match thousands of tokens (every staff code has a "0"): their rows are kept
# once computed, as every search typed letter by letter asks for them.
_SHORT_WORD = 2
# Subsets (a unit head's scope, a unit filter) and short words kept per index.
_MEMO_SIZE = 64
# Indexes kept per process: one per agency whose people are listed.
_AGENCIES = 4
# Rows skipped at a time while looking for a deep page of a search.
_BLOCK = 4096
# Up to this many rows, a mask is built by shifts (≈ 0.2 µs a row), beyond by writing the
# digits of every row (≈ 60 µs at 49,000 people).
_FEW_ROWS = 256


class Subset:
    """Some rows of an index, in list order, as an array and as bits."""

    __slots__ = ("mask", "rows")

    def __init__(self, rows: array, size: int) -> None:
        self.rows = rows
        self.mask = _mask(rows, size)


class Matches:
    """The rows a list shows: how many, and the person ids of any stretch of them."""

    __slots__ = ("_ids", "_mask", "_rows", "count")

    def __init__(self, ids: array, *, rows: Sequence[int] | None = None, mask: int = 0) -> None:
        self._ids = ids
        self._rows = rows
        self._mask = mask
        self.count = len(rows) if rows is not None else mask.bit_count()

    def rows(self, offset: int, limit: int) -> list[int]:
        """Rows `offset` to `offset + limit` of the matches (fewer at the end)."""
        if self._rows is not None:
            return list(self._rows[offset : offset + limit])
        return _set_bits(self._mask, offset, limit)

    def ids(self, offset: int, limit: int) -> list[int]:
        """The person ids of rows `offset` to `offset + limit` (fewer at the end)."""
        ids = self._ids
        return [ids[row] for row in self.rows(offset, limit)]


class PeopleIndex:
    """One agency's current people, as of one `OrgVersion` token. Read-only once built, apart
    from a bounded memo of derived values; safe to share between threads."""

    def __init__(self, token: int, agency_id: int, rows: Iterable[tuple]) -> None:
        """`rows`: (person id, unit id, unit path, unit name, search_text, staff code, full
        name, position) in list order."""
        self.token = token
        self.agency_id = agency_id
        self.ids = array("q")
        self._units = array("q")  # each row's unit id, 0 for none
        # What the list shows of each row, as `_pack` stores it: 110 bytes a row, not 300 as
        # three strings; reading the page's rows from here spares the page a query.
        self._shown: list[bytes | tuple[str, str, str]] = []
        self._unit_paths: dict[int, str] = {}
        self.unit_names: dict[int, str] = {}
        rows_by_unit: dict[int | None, list[int]] = {}
        token_rows: dict[str, list[int]] = {}
        for row, (pk, unit_id, path, unit_name, text, *shown) in enumerate(rows):
            self.ids.append(pk)
            self._units.append(unit_id or 0)
            self._shown.append(_pack(shown))
            in_unit = rows_by_unit.get(unit_id)
            if in_unit is None:
                rows_by_unit[unit_id] = [row]
                if unit_id is not None:
                    self._unit_paths[unit_id] = path
                    self.unit_names[unit_id] = unit_name
            else:
                in_unit.append(row)
            for word in text.split():
                found = token_rows.get(word)
                if found is None:
                    token_rows[word] = [row]
                elif found[-1] != row:  # a word twice in one name counts once
                    found.append(row)
        # Arrays, not lists: 4 bytes a row instead of 36.
        self._rows_by_unit = {unit: array("i", found) for unit, found in rows_by_unit.items()}
        self._build_search(token_rows)
        self._memo: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def people(self, rows: Iterable[int]) -> list[tuple[int, str, str, str, str]]:
        """(person id, staff code, full name, position, unit name) of these rows."""
        result = []
        for row in rows:
            shown = self._shown[row]
            staff_code, full_name, position = (
                shown.decode().split("\0") if type(shown) is bytes else shown
            )
            unit_name = self.unit_names.get(self._units[row], "")
            result.append((self.ids[row], staff_code, full_name, position, unit_name))
        return result

    def _build_search(self, token_rows: dict[str, list[int]]) -> None:
        size = len(self.ids)
        tokens = list(token_rows)
        # "\n" is white space: it is in no token and in no query word, so no match crosses it.
        self._vocab = vocab = "\n".join(tokens) + "\n"
        self._owner = owner = array("i")  # the token each character of `vocab` belongs to
        self._bits: dict[int, int] = {}
        self._postings = array("i")  # the rows of the tokens without bits, one after another
        self._starts = array("i", [0])  # where each token's rows start in `_postings`
        positions = []
        for number, token in enumerate(tokens):
            found = token_rows[token]
            if len(found) >= _MASK_ROWS:
                self._bits[number] = _mask(found, size)
            else:
                self._postings.extend(found)
            self._starts.append(len(self._postings))
            start = len(owner)
            positions.append(range(start, start + len(token)))
            owner.extend([number] * (len(token) + 1))
        longest = max(map(len, tokens), default=0)
        self._key_size = prefix = min(longest + 1, _SORT_PREFIX)
        # The suffix array: every position inside a token, by the text that follows it (up to
        # `prefix` characters, separators and next tokens included). Cutting sorted keys to a
        # shorter length keeps them sorted, which is what `_scan` bisects on.
        self._suffixes = array(
            "i",
            sorted((p for span in positions for p in span), key=lambda p: vocab[p : p + prefix]),
        )

    # --- what the list asks ---------------------------------------------------------------------

    def matches(self, words: Iterable[str], within: Subset | None) -> Matches:
        """The rows whose `search_text` holds every word (folded, without white space), among
        `within` (None: the whole agency)."""
        masks = [self._word_rows(word) for word in set(words)]
        if not masks:
            return Matches(self.ids, rows=within.rows if within else range(len(self.ids)))
        mask = within.mask if within else masks.pop()
        for other in masks:
            mask &= other
        return Matches(self.ids, mask=mask)

    def subset(
        self,
        key: tuple,
        *,
        unit_ids: Iterable[int] | None = None,
        person_id: int | None = None,
        unit_path: str | None = None,
    ) -> Subset | None:
        """The rows of the people in `unit_ids` (or who are `person_id`), in the unit whose tree
        path is `unit_path` or its sub-units; None for no limit (the whole agency). `key` must
        name `unit_ids` and `person_id`: the subset is kept under it."""
        if unit_ids is None and unit_path is None:
            return None
        return self.memo(
            ("subset", key, unit_path),
            lambda: self._subset(unit_ids, person_id, unit_path),
        )

    def memo[T](self, key: tuple, compute: Callable[[], T]) -> T:
        """`compute()`, kept with this index (the `_MEMO_SIZE` most recently used values)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
            if len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        return value

    # --- how -----------------------------------------------------------------------------------

    def _word_rows(self, word: str) -> int:
        if len(word) <= _SHORT_WORD:
            return self.memo(("word", word), lambda: self._scan(word))
        return self._scan(word)

    def _scan(self, word: str) -> int:
        """The rows holding `word`, as bits."""
        vocab, suffixes = self._vocab, self._suffixes
        probe = word[: self._key_size]
        size = len(probe)

        def key(p: int) -> str:
            return vocab[p : p + size]

        low = bisect_left(suffixes, probe, key=key)
        high = bisect_right(suffixes, probe, low, key=key)
        truncated = size < len(word)
        mask = 0
        rare: list[int] = []
        for p in suffixes[low:high]:
            if truncated and not vocab.startswith(word, p):
                continue
            token = self._owner[p]
            bits = self._bits.get(token)
            if bits is None:
                rare.extend(self._postings[self._starts[token] : self._starts[token + 1]])
            else:
                mask |= bits
        return mask | _mask(rare, len(self.ids))

    def _subset(
        self, unit_ids: Iterable[int] | None, person_id: int | None, unit_path: str | None
    ) -> Subset:
        rows: set[int] | None = None
        if unit_ids is not None:
            rows = {row for unit_id in unit_ids for row in self._rows_by_unit.get(unit_id, ())}
            if person_id is not None and person_id in self.ids:
                rows.add(self.ids.index(person_id))
        if unit_path is not None:
            in_unit = {
                row
                for unit_id, path in self._unit_paths.items()
                if path.startswith(unit_path)
                for row in self._rows_by_unit[unit_id]
            }
            rows = in_unit if rows is None else rows & in_unit
        return Subset(array("i", sorted(rows or ())), len(self.ids))


def _pack(shown: list[str | None]) -> bytes | tuple[str, str, str]:
    """Staff code, full name and position as one UTF-8 string with NUL between them (text
    from forms or PostgreSQL never holds a NUL); as they are if one does."""
    staff_code, full_name, position = (value or "" for value in shown)
    if "\0" in staff_code + full_name + position:
        return (staff_code, full_name, position)
    return f"{staff_code}\0{full_name}\0{position}".encode()


def _mask(rows: Collection[int], size: int) -> int:
    """`rows` (below `size`) as the bits of an int: bit r is row r."""
    if len(rows) < _FEW_ROWS:  # one shift each: cheaper than writing the digits of every row
        mask = 0
        for row in rows:
            mask |= 1 << row
        return mask
    digits = bytearray(b"0") * size
    for row in rows:
        digits[row] = 49  # "1"
    digits.reverse()  # int() reads the highest bit first
    return int(digits, 2)


def _set_bits(mask: int, offset: int, limit: int) -> list[int]:
    """The positions of `mask`'s set bits, in order, from the `offset`-th, at most `limit`."""
    digits = format(mask, "b")  # the highest bit first: row r is digits[end - r]
    end = len(digits) - 1
    stop = end + 1
    while offset:  # skip whole blocks by counting them
        if stop == 0:
            return []
        low = max(stop - _BLOCK, 0)
        counted = digits.count("1", low, stop)
        if counted > offset:
            break
        offset -= counted
        stop = low
    found: list[int] = []
    at = digits.rfind("1", 0, stop)
    while at >= 0 and len(found) < limit:
        if offset:
            offset -= 1
        else:
            found.append(end - at)
        at = digits.rfind("1", 0, at)
    return found


# --- the indexes of this process ----------------------------------------------------------------

_indexes: OrderedDict[int, PeopleIndex] = OrderedDict()
_indexes_lock = threading.Lock()


def for_agency(agency_id: int, token: int) -> PeopleIndex:
    """The index of `agency_id`'s people as of `token` (read by the caller before asking).

    Built at most once per process and token; the lock makes a thread that wants the index
    while another builds it wait for that one instead of building its own. Indexes of other
    tokens are dropped: the caller has just read the current token, and nobody asks for an older
    one but a request that read it before a write committed, which then builds its own.
    """
    with _indexes_lock:
        index = _indexes.get(agency_id)
        if index is None or index.token != token:
            index = PeopleIndex(token, agency_id, _read_rows(agency_id))
            for stale in [k for k, other in _indexes.items() if other.token != token]:
                del _indexes[stale]
            _indexes[agency_id] = index
            if len(_indexes) > _AGENCIES:
                _indexes.popitem(last=False)
        _indexes.move_to_end(agency_id)
        return index


def _read_rows(agency_id: int) -> Iterator[tuple]:
    """The agency's current people in list order, in one plain query (the ORM would build its
    query objects for nothing), read in batches: the index is built while they come, and they
    are never all in memory at once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.unit_id, u.path, u.name, p.search_text, p.staff_code, p.full_name,"
            f" p.position FROM {Person._meta.db_table} p"
            f" LEFT JOIN {Unit._meta.db_table} u ON u.id = p.unit_id"
            " WHERE p.agency_id = %s AND p.left_on IS NULL ORDER BY p.sort_key, p.id",
            [agency_id],
        )
        while batch := cursor.fetchmany(2000):
            yield from batch

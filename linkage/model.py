"""The linkage model: Splink's Fellegi–Sunter model over the columns of
:func:`linkage.features.features`, trained without labels (expectation maximisation) and
run on DuckDB in this process, or on Spark.

Each comparison has levels from the most to the least telling; Splink learns how much each
level says (its match weight). The levels and their labels are defined once here, so a
pair's field-by-field reading can be shown to an officer.
"""

from __future__ import annotations

import itertools
import logging
import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.database_api import DatabaseAPISubClass

from linkage.engines import register_table

log = logging.getLogger("phienhieu.linkage")
#: Records per chunk of the prediction (the pairs are scored chunk by chunk).
CHUNK_RECORDS = 150_000
#: Pairs scored below this probability are not kept at all.
REVIEW_MIN = 0.5


@dataclass(frozen=True)
class Field:
    """One comparison: the columns it shows an officer, and its levels' labels, most
    telling first (the null level aside)."""

    name: str
    shows: tuple[str, ...]
    labels: tuple[str, ...]


def _labelled(level: ComparisonLevelCreator, label: str) -> ComparisonLevelCreator:
    return level.configure(label_for_charts=label)


def _sql(sql: str, label: str) -> ComparisonLevelCreator:
    # Written for DuckDB; Splink translates it for Spark.
    return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb")


def _jaro(column: str, threshold: float) -> ComparisonLevelCreator:
    return cll.JaroWinklerLevel(column, threshold)


def _levels() -> list[tuple[Field, list[ComparisonLevelCreator]]]:
    """Each comparison's levels, most telling first (the null level and the else level aside)."""
    return [
        (Field("name", ("name_exact",), ()), [
            _labelled(cll.ExactMatchLevel("name_exact"), "same name, same marks"),
            _labelled(cll.ExactMatchLevel("name_folded"), "same name without marks"),
            _labelled(cll.And(cll.ExactMatchLevel("family"), cll.ExactMatchLevel("given")),
                      "same family and given name, middle differs"),
            _labelled(_jaro("name_folded", 0.95), "nearly the same name"),
            _labelled(cll.And(cll.ExactMatchLevel("given"), _jaro("name_folded", 0.85)),
                      "same given name, similar name"),
            _labelled(_jaro("name_folded", 0.85), "similar name")]),
        (Field("birth_year", ("birth_year",), ()), [
            _labelled(cll.ExactMatchLevel("birth_year"), "same birth year"),
            _labelled(cll.AbsoluteDifferenceLevel("birth_year", 1), "birth years 1 apart"),
            _labelled(cll.AbsoluteDifferenceLevel("birth_year", 2), "birth years 2 apart")]),
        (Field("hometown", ("commune_key", "district_key", "province_today"), ()), [
            _labelled(cll.And(cll.ExactMatchLevel("commune_key"), cll.ExactMatchLevel("district_key")),
                      "same commune"),
            _labelled(cll.ExactMatchLevel("district_key"), "same district"),
            _labelled(cll.ArrayIntersectLevel("province_today", 1), "same province (today's)")]),
        (Field("unit", ("unit_chain",), ()), [
            _labelled(cll.ExactMatchLevel("unit_chain"), "same unit, down to the company"),
            _sql("regiment_l = regiment_r AND (division_l = division_r OR division_l IS NULL "
                 "OR division_r IS NULL)", "same regiment"),
            _labelled(cll.ExactMatchLevel("division"), "same division")]),
        (Field("death_date", ("death_date",), ()), [
            _sql("death_date_l = death_date_r AND length(death_date_l) = 10", "same day"),
            _labelled(cll.And(cll.ExactMatchLevel("death_year"), cll.ExactMatchLevel("death_month")),
                      "same month"),
            _labelled(cll.ExactMatchLevel("death_year"), "same year"),
            _labelled(cll.AbsoluteDifferenceLevel("death_year", 1), "years 1 apart")]),
        (Field("death_place", ("death_place_key",), ()), [
            _labelled(cll.ExactMatchLevel("death_place_key"), "same place"),
            _labelled(cll.ExactMatchLevel("death_district_key"), "same district"),
            _labelled(cll.ArrayIntersectLevel("death_province_today", 1), "same province (today's)"),
            _labelled(_jaro("death_place_key", 0.9), "similar place")]),
    ]


#: Where training starts, and what holds where a list is too small to train on: the share
#: of one person's two copies at each level, most telling first, the else level last.
_M_PRIORS = {"name": (0.70, 0.12, 0.06, 0.05, 0.03, 0.02, 0.02), "birth_year": (0.85, 0.10, 0.03, 0.02),
             "hometown": (0.55, 0.30, 0.12, 0.03), "unit": (0.75, 0.15, 0.05, 0.05),
             "death_date": (0.70, 0.12, 0.10, 0.04, 0.04), "death_place": (0.50, 0.10, 0.30, 0.05, 0.05)}
#: Which column decides that a comparison knows nothing (null on either side).
_NULL_COLUMN = {"name": "name_folded", "birth_year": "birth_year", "unit": "unit_chain",
                "death_date": "death_year", "death_place": "death_place_key"}


def _comparisons() -> list[tuple[Field, cl.CustomComparison]]:
    made = []
    for field, levels in _levels():
        if field.name == "hometown":
            null = _sql("(province_today_l IS NULL AND district_key_l IS NULL) OR "
                        "(province_today_r IS NULL AND district_key_r IS NULL)", "unknown on one side")
        else:
            null = cll.NullLevel(_NULL_COLUMN[field.name])
        labelled = Field(field.name, field.shows,
                         tuple(str(getattr(level, "label_for_charts", "") or "") for level in levels))
        priors = _M_PRIORS[field.name]
        ranked = [level.configure(m_probability=m) for level, m in zip([*levels, cll.ElseLevel()], priors,
                                                                        strict=True)]
        made.append((labelled, cl.CustomComparison([null.configure(is_null_level=True), *ranked],
                                                    output_column_name=field.name)))
    return made


FIELDS: tuple[Field, ...] = tuple(field for field, _ in _comparisons())
#: Blocking: only pairs sharing one of these are scored. Each is narrow enough for a
#: million records (a given name and a birth year alone would pair hundreds of thousands
#: of strangers), and together they keep a typo, a dropped middle name, a missing year or
#: an old province name from hiding a pair.
BLOCKING = (("name_folded",), ("given", "birth_year", "province_first"),
            ("family", "given", "province_first"), ("family", "given", "death_year"),
            ("given", "regiment", "division"), ("family", "birth_year", "district_key"),
            ("family", "middle", "death_date"))


def settings() -> SettingsCreator:
    """Splink's settings: deduplication over one table holding every kind of record. Only
    the comparison levels and weights are read back for a pair; what each side says is read
    from the records' own table, for the pairs an officer will see."""
    return SettingsCreator(
        link_type="dedupe_only", comparisons=[comparison for _, comparison in _comparisons()],
        blocking_rules_to_generate_predictions=[block_on(*columns) for columns in BLOCKING],
        retain_intermediate_calculation_columns=True, retain_matching_columns=True)


@dataclass(frozen=True)
class FieldReading:
    """How one field of a pair compares: what each side says, the level, its weight."""

    field: str
    left: str | None
    right: str | None
    level: str
    weight: float


#: Fields whose disagreement, both sides known, says two records may be two men: such a
#: pair is never joined without an officer, however likely the rest makes it.
CONTRADICTING = frozenset({"birth_year", "hometown", "unit", "death_date"})
_CONTRADICTING_AT = tuple(index for index, field in enumerate(FIELDS) if field.name in CONTRADICTING)


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two records the model scored, ``left < right``: the match probability and weight, and
    for each field of :data:`FIELDS` its level (Splink's gamma: -1 unknown, 0 different, then
    ever closer) and match weight."""

    left: str
    right: str
    probability: float
    match_weight: float
    levels: tuple[int, ...]
    weights: tuple[float, ...]

    @property
    def contradictions(self) -> list[str]:
        """The fields of :data:`CONTRADICTING` on which the two records disagree."""
        return [FIELDS[index].name for index in _CONTRADICTING_AT if self.levels[index] == 0]


_TEXT = ("unique_id", "name_exact", "name_folded", "family", "middle", "given", "province_first",
         "district_key", "commune_key", "unit_chain", "regiment", "division", "death_date", "death_place_key",
         "death_district_key")
#: The columns of :func:`linkage.features.features`, typed.
SCHEMA = pa.schema([*((name, pa.string()) for name in _TEXT), ("birth_year", pa.int64()),
                    ("death_year", pa.int64()), ("death_month", pa.int64()),
                    ("province_today", pa.list_(pa.string())),
                    ("death_province_today", pa.list_(pa.string()))])


class Records:
    """The records to link as one columnar table (a million rows as Python dicts would
    take gigabytes), and where each key's row is."""

    def __init__(self, rows: Iterable[dict[str, Any]], batch: int = 50_000) -> None:
        batches = [pa.RecordBatch.from_pylist(chunk, schema=SCHEMA) for chunk in _chunks(rows, batch)]
        self.table = pa.Table.from_batches(batches, schema=SCHEMA)
        self.keys: list[str] = self.table.column("unique_id").to_pylist()
        self._where = {key: index for index, key in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def sample(self, count: int, seed: int = 1) -> pa.Table:
        """``count`` records drawn uniformly (the same ones for the same records and seed)."""
        chosen = sorted(random.Random(seed).sample(range(len(self.keys)), count))
        return self.table.take(pa.array(chosen, type=pa.int64()))

    def row(self, key: str) -> dict[str, Any]:
        """What a record says, as :func:`linkage.features.features` gave it."""
        row: dict[str, Any] = self.table.slice(self._where[key], 1).to_pylist()[0]
        return row


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    yield chunk


#: Told of each step of a long run as it starts: its name, then how much of it is done and
#: of how much (0 of 0 where that is not counted).
Progress = Callable[[str, int, int], None]


def unheard(step: str, done: int, total: int) -> None:
    """The progress of a run no one follows."""


def score_pairs(records: Records, api: DatabaseAPISubClass, *, minimum: float = REVIEW_MIN,
                same: Sequence[tuple[str, str]] = (), progress: Progress = unheard) -> Iterator[ScoredPair]:
    """Train the model on ``records`` and score every pair the blocking lets through,
    keeping those at ``minimum`` or above, a batch at a time. ``same``: pairs of records
    officers found to be one man, which tune the model (:func:`_learn_from_officers`).
    ``progress`` hears of the training, then of each chunk of pairs scored."""
    progress("training", 0, 0)
    table = register_table(api, records.table, "records")
    linker = _train(api, table, records)
    linker = _learn_from_officers(linker, table, api, records, same)
    columns = ["unique_id_l", "unique_id_r", "match_probability", "match_weight",
               *(f"gamma_{field.name}" for field in FIELDS), *(f"mw_{field.name}" for field in FIELDS)]
    chunks = max(1, math.ceil(len(records) / CHUNK_RECORDS))
    for done, (left, right) in enumerate(itertools.product(range(1, chunks + 1), repeat=2)):
        progress("scoring", done, chunks * chunks)
        # One chunk of the pairs at a time: the pairs of a million records, with the
        # columns compared, do not fit in memory at once.
        predictions = linker.inference.predict_chunk(
            left_chunk=(left, chunks), right_chunk=(right, chunks), threshold_match_probability=minimum)
        for batch in _batches(predictions, columns):
            data = batch.to_pydict()
            for values in zip(*(data[column] for column in columns), strict=True):
                yield _pair(values)
        predictions.drop_table_from_database_and_remove_from_cache()
    progress("scoring", chunks * chunks, chunks * chunks)


def _batches(predictions: Any, columns: list[str]) -> Iterator[Any]:
    """The predictions' ``columns`` a batch at a time, never the whole table in Python."""
    if type(predictions).__name__.startswith("Spark"):
        table = predictions.as_spark_dataframe().select(*columns).toArrow()
        yield from table.to_batches(max_chunksize=100_000)
        return
    yield from predictions.as_duckdbpyrelation().select(*columns).to_arrow_reader(100_000)


#: Records the model is trained on at most. The pairs the training's blocking rules let
#: through grow with the square of the records (training took 627 s of a 1,080 s run on
#: 1.16 million); a uniform sample keeps the share of one man's copies among those pairs,
#: so each level's m comes out the same, read from a sixteenth of the pairs.
TRAINING_RECORDS = 300_000
_PRIOR_RULES = (block_on("name_folded", "birth_year"), block_on("name_folded", "death_date"))


def _train(api: DatabaseAPISubClass, table: Any, records: Records) -> Linker:
    """Estimate the model's parameters without labels, on at most :data:`TRAINING_RECORDS`
    of the records; returns a linker over them all, with the prior that two records are
    one man estimated on them all (it falls as the lists grow)."""
    sampled = len(records) > TRAINING_RECORDS
    sample = register_table(api, records.sample(TRAINING_RECORDS), "training_records") if sampled else table
    linker = Linker(sample, settings(), log_level=logging.ERROR)
    training = linker.training
    training.estimate_probability_two_random_records_match(list(_PRIOR_RULES), recall=0.7)
    count = min(len(records), TRAINING_RECORDS)
    training.estimate_u_using_random_sampling(max_pairs=min(5e6, max(1e5, count * 20.0)), seed=1)
    for rule in (block_on("name_folded", "birth_year"),
                 block_on("birth_year", "death_year", "province_first"), block_on("given", "regiment")):
        def session(trained: Linker, rule: Any = rule) -> None:
            trained.training.estimate_parameters_using_expectation_maximisation(rule)

        linker = _or_as_before(linker, sample, f"training on {rule}", session)
    if not sampled:
        return linker
    whole = Linker(table, linker.misc.save_model_to_json(), log_level=logging.ERROR)
    whole.training.estimate_probability_two_random_records_match(list(_PRIOR_RULES), recall=0.7)
    return whole


def _or_as_before(linker: Linker, table: Any, what: str, step: Callable[[Linker], object]) -> Linker:
    """The linker after a training ``step``, or the model before it where the step fails:
    a level no pair reaches drives its m to nothing, and a failed session leaves the model
    without the comparisons it set aside."""
    before = linker.misc.save_model_to_json()
    try:
        step(linker)
    except ValueError as error:
        log.info("%s left off: %s", what, error)
        return Linker(table, before, log_level=logging.ERROR)
    return linker


#: Pairs officers found to be one man needed before they tune the model: fewer say more
#: about the officers' choice of pairs than about how one man's copies differ.
MIN_SAME_PAIRS = 20


def _learn_from_officers(linker: Linker, table: Any, api: DatabaseAPISubClass, records: Records,
                         same: Sequence[tuple[str, str]]) -> Linker:
    """The model with each level's share of one man's copies (its m) estimated once more,
    from the pairs officers found to be one man. Splink keeps each estimate and uses their
    mean, so the officers' pairs weigh as one more training session beside the unlabelled
    ones: enough to correct a level the lists alone mislead, never the whole model."""
    known = [(left, right) for left, right in same if left in records and right in records]
    if len(known) < MIN_SAME_PAIRS:
        return linker
    labels = register_table(api, pa.table({"unique_id_l": [left for left, _ in known],
                                           "unique_id_r": [right for _, right in known]}), "officers_same")
    def tuning(tuned: Linker) -> None:
        tuned.training.estimate_m_from_pairwise_labels(labels)  # type: ignore[no-untyped-call]

    return _or_as_before(linker, table, f"tuning on {len(known)} officers' pairs", tuning)


def _pair(values: tuple[Any, ...]) -> ScoredPair:
    count = len(FIELDS)
    left, right = sorted((str(values[0]), str(values[1])))
    levels = tuple(-1 if gamma is None else int(gamma) for gamma in values[4:4 + count])
    weights = tuple(round(float(weight), 2) if weight is not None else 0.0 for weight in values[4 + count:])
    return ScoredPair(left, right, float(values[2]), float(values[3]), levels, weights)


def readings(pair: ScoredPair, records: Records) -> tuple[FieldReading, ...]:
    """A pair field by field, as an officer reads it: what each side says, how they
    compare, and the match weight of that."""
    left, right = records.row(pair.left), records.row(pair.right)
    return tuple(FieldReading(field.name, _shown(left, field), _shown(right, field), _level(field, gamma),
                              weight)
                 for field, gamma, weight in zip(FIELDS, pair.levels, pair.weights, strict=True))


def _level(field: Field, gamma: int) -> str:
    if gamma < 0:
        return "unknown"
    return "different" if gamma == 0 else field.labels[len(field.labels) - gamma]


def _shown(row: dict[str, Any], field: Field) -> str | None:
    values = [row.get(column) for column in field.shows]
    parts = [", ".join(value) if isinstance(value, list) else str(value) for value in values if value]
    return " · ".join(parts) or None

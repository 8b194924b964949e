"""The parser never raises: random text, truncated real files, odd unicode."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.lean_source import parse_file

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "lean_project").rglob("*.lean"))
TEXTS = [f.read_text() for f in FIXTURES]
LEAN_BITS = [
    "theorem ",
    "def ",
    "@[",
    "]",
    "/--",
    "-/",
    "/-",
    "--",
    "namespace ",
    "end ",
    "section",
    "open ",
    " in\n",
    ":=",
    " where\n",
    "|",
    "«",
    "»",
    '"',
    "'",
    "(",
    ")",
    "{",
    "}",
    "⟨",
    "⟩",
    "variable ",
    "mutual\n",
    "structure ",
    "extends ",
    "alias ",
    "⟨a, b⟩",
    "_root_.",
    ".{u}",
    "\n",
    "  ",
    "∀ x, ",
    "fun x => ",
    "ℝ",
    "𝓝",
    "\u0000",
    "\ud7ff",
    "\U0010ffff",
    "to_additive",
    "deprecated",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_random_text(text: str) -> None:
    parse_file(text, "Fuzz.lean")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LEAN_BITS) | st.text(max_size=5), max_size=60))
def test_random_lean_fragments(parts: list[str]) -> None:
    parse_file("".join(parts), "Fuzz.lean")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TEXTS), st.data())
def test_truncated_and_spliced_real_files(text: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(text)))
    parse_file(text[:cut], "Cut.lean")
    other = data.draw(st.integers(0, len(text)))
    parse_file(text[other:] + text[:cut], "Spliced.lean")

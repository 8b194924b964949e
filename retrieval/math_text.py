"""Math-aware text normalisation and tokenisation, shared by queries and documents.

Natural-language statements say "real numbers", "\\mathbb{R}" or "ℝ"; Lean names say `Real`,
`IsCompact`, `Fintype.card`. Both sides are mapped to the same lower-case, lightly stemmed words,
so BM25 and the concept lexicon can match them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from retrieval.symbols import LATEX_SPELLING

# LaTeX commands -> words (applied before the unicode table; `\mathbb{R}` first).
_LATEX_BLACKBOARD = {
    "R": "real",
    "N": "natural",
    "Z": "integer",
    "Q": "rational",
    "C": "complex",
    "F": "field",
    "P": "projective",
}
_LATEX = {
    "sum": "sum",
    "prod": "product",
    "int": "integral",
    "oint": "integral",
    "lim": "limit",
    "limsup": "limsup",
    "liminf": "liminf",
    "sup": "supremum",
    "inf": "infimum",
    "max": "maximum",
    "min": "minimum",
    "subseteq": "subset",
    "subset": "subset",
    "supseteq": "superset",
    "in": "in",
    "notin": "not mem",
    "cup": "union",
    "cap": "inter",
    "bigcup": "union",
    "bigcap": "inter",
    "emptyset": "empty",
    "varnothing": "empty",
    "le": "le",
    "leq": "le",
    "ge": "ge",
    "geq": "ge",
    "lt": "lt",
    "gt": "gt",
    "neq": "ne",
    "ne": "ne",
    "infty": "infinity",
    "sqrt": "sqrt",
    "frac": "div",
    "cdot": "mul",
    "times": "prod",
    "circ": "comp",
    "to": "to",
    "mapsto": "to",
    "rightarrow": "to",
    "Rightarrow": "to",
    "implies": "to",
    "iff": "iff",
    "Leftrightarrow": "iff",
    "forall": "forall",
    "exists": "exists",
    "neg": "not",
    "lnot": "not",
    "land": "and",
    "wedge": "and",
    "lor": "or",
    "vee": "or",
    "mid": "dvd",
    "nmid": "not dvd",
    "equiv": "equiv",
    "cong": "congruent",
    "pmod": "mod",
    "bmod": "mod",
    "mod": "mod",
    "gcd": "gcd",
    "lcm": "lcm",
    "det": "determinant",
    "dim": "dimension",
    "ker": "kernel",
    "deg": "degree",
    "log": "log",
    "ln": "log",
    "exp": "exp",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "arctan": "arctan",
    "pi": "pi",
    "partial": "deriv",
    "nabla": "gradient",
    "binom": "choose",
    "choose": "choose",
    "overline": "closure",
    "bar": "conj",
    "lfloor": "floor",
    "rfloor": "",
    "lceil": "ceil",
    "rceil": "",
    "langle": "inner",
    "rangle": "",
    "otimes": "tensor",
    "oplus": "sum",
    "cong_mod": "mod",
    "mathrm": "",
    "text": "",
    "operatorname": "",
    "left": "",
    "right": "",
    "quad": "",
    "qquad": "",
    "displaystyle": "",
    "mathcal": "",
    "mathbf": "",
    "mathfrak": "",
    "ldots": "",
    "cdots": "",
    "dots": "",
    "prime": "prime",
    "alpha": "alpha",
    "beta": "beta",
    "gamma": "gamma",
    "delta": "delta",
    "epsilon": "epsilon",
    "varepsilon": "epsilon",
    "lambda": "lambda",
    "mu": "mu",
    "sigma": "sigma",
    "phi": "phi",
    "varphi": "phi",
    "omega": "omega",
    "Omega": "omega",
    "zeta": "zeta",
    "chi": "chi",
    "tau": "tau",
}
_UNICODE = {
    "ℝ": " real ",
    "ℕ": " natural ",
    "ℤ": " integer ",
    "ℚ": " rational ",
    "ℂ": " complex ",
    "∑": " sum ",
    "∏": " product ",
    "∫": " integral ",
    "⊆": " subset ",
    "⊂": " subset ",
    "⊇": " superset ",
    "∈": " mem ",
    "∉": " not mem ",
    "∀": " forall ",
    "∃": " exists ",
    "→": " to ",
    "↔": " iff ",
    "≤": " le ",
    "≥": " ge ",
    "<": " lt ",
    ">": " gt ",
    "≠": " ne ",
    "∣": " dvd ",
    "⁻¹": " inv ",
    "√": " sqrt ",
    "π": " pi ",
    "∞": " infinity ",
    "∩": " inter ",
    "∪": " union ",
    "∅": " empty ",
    "𝒫": " powerset ",  # Mathlib's notation for `Set.powerset`
    "×": " prod ",
    "‖": " norm ",
    "∘": " comp ",
    "⊗": " tensor ",
    "⊕": " sum ",
    "≃": " equiv ",
    "≅": " iso ",
    "¬": " not ",
    "∧": " and ",
    "∨": " or ",
    "⋃": " union ",
    "⋂": " inter ",
    "∂": " deriv ",
    "•": " smul ",
    "⊤": " top ",
    "⊥": " bot ",
    "⊔": " sup ",
    "⊓": " inf ",
    "⨆": " supr ",
    "⨅": " infi ",
    "𝓝": " nhds ",
    "ᶜ": " compl ",
    "⌊": " floor ",
    "⌈": " ceil ",
    "∠": " angle ",
    "°": " degree ",
    "²": " sq ",
    "³": " cube ",
}
# A LaTeX command this table lacks reads as the word of the symbol it writes (`\\sqcup` is `⊔`:
# "sup"), so a query in LaTeX meets a statement in Lean symbols (`symbols.py` spells them).
_LATEX.update(
    {
        cmd[1:]: _UNICODE[sym].strip()
        for sym, cmd in LATEX_SPELLING.items()
        if sym in _UNICODE and re.fullmatch(r"\\[A-Za-z]+", cmd) and cmd[1:] not in _LATEX
    }
)
# Words that carry no retrieval signal in statements (kept small: "prime", "open" matter).
STOPWORDS = frozenset(
    """a an the of and or to in is are be that this it its for on by with as at from let
    then there such any all each every some if prove show suppose assume given we has have
    which where when whose than into over under one two s t i e g x y z n m k f p q r u v w
    also can not no does do true false theorem lemma statement following holds""".split()
)
# ASCII operators, read as Mathlib names them (`add_pow`, `mul_le_mul`, `dvd_trans`): a
# formula query `(x + y)^n` then meets the words of `add_pow`. The two-character ones are read
# before the Unicode table (which reads a lone `<` as `lt`), the one-character ones after it;
# a hyphen only between spaces or before a digit or bracket is a minus ("Cauchy-Schwarz" stays
# a word).
_TWO_CHAR_OPERATORS = (
    ("<->", " iff "),
    ("->", " to "),
    ("=>", " to "),
    ("<=", " le "),
    (">=", " ge "),
    ("!=", " ne "),
)
_ONE_CHAR_OPERATORS = (
    ("+", " add "),
    ("*", " mul "),
    ("·", " mul "),
    ("/", " div "),
    ("^", " pow "),
    ("|", " abs "),
)
_MINUS = re.compile(r"(?:(?<=\s)|^)-(?=[\s\d(])|(?<=[\w)])\s*-\s*(?=[\d(])")
_FACTORIAL = re.compile(r"(?<=[\w)])!")
_LATEX_CMD = re.compile(r"\\([A-Za-z]+)")
# the power set: `\mathcal{P}(X)`, `\wp(X)` (Lean: `𝒫 X`, `Set.powerset`)
_POWERSET = re.compile(r"\\mathcal\s*\{?\s*P\s*\}?|\\wp\b")
_BLACKBOARD = re.compile(r"\\(?:mathbb|Bbb)\s*\{?\s*([A-Za-z])\s*\}?")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_WORD = re.compile(r"[^\W_]+")
# one `str.translate` for the one-character symbols (a regex alternation of them all cost a
# third of every search's reranking), then the few longer ones
_UNICODE_LONG = tuple((k, v) for k, v in _UNICODE.items() if len(k) > 1)
_UNICODE_TABLE = str.maketrans({k: v for k, v in _UNICODE.items() if len(k) == 1})


# Interval notation in LaTeX math mode (`$[a, b]$`, `\\( (0, 1] \\)`): Lean names the interval
# (`Set.Icc a b`), so the text gets that word. Only inside math delimiters: a Lean statement's
# `[a, b]` is a list and its `(a, b)` a pair (and its `<$>` is no delimiter). A bracket after a
# word, `)` or `}` is an application (`f(x, y)`, `\\mathrm{Cov}(X, Y)`), not an interval.
_MATH_MODE = re.compile(r"(?<!<)\$(?!>)[^$]+?(?<!<)\$(?!>)|\\\(.+?\\\)")
_ENDPOINT = r"(?:[^\[\](),$]|\([^()]*\))+"
_INTERVAL = re.compile(rf"(?<![\w)\]}}])([\[(])\s*({_ENDPOINT}),\s*({_ENDPOINT})([\])])")
_INTERVAL_NAMES = {"[]": "Icc", "[)": "Ico", "(]": "Ioc", "()": "Ioo"}
# `$|G|$`, `|A ∪ B|`: bars around capital letters (sets, groups) are a cardinality, which Lean
# writes `#s`, `s.card` or `Nat.card G`, when in math mode or around a set operation; elsewhere
# (`|x|`, `|a - b|`, a Lean statement's `|R|` for a real radius) they stay an absolute value.
_BARS = re.compile(r"\|([^|\n]{1,60})\|")
_SET_OPERATION = re.compile(r"\\(?:cup|cap|setminus)\b|[∪∩]")
_NOT_A_LETTER = re.compile(r"\\(?:cup|cap|times|setminus)\b|[∪∩×\\\s_{}()'0-9^]")


def _interval(m: re.Match[str]) -> str:
    name = _INTERVAL_NAMES[m.group(1) + m.group(4)]
    return f" {name} {m.group(2)} , {m.group(3)} "


def _capitals(inner: str) -> bool:
    letters = _NOT_A_LETTER.sub(" ", inner).split()
    return bool(letters) and all(len(w) == 1 and w.isupper() for w in letters)


def _read_bars(text: str, math: bool) -> str:
    """Bars read as a cardinality (see `_BARS`); one around a set operation makes the text's
    other bars around capitals cardinalities too (`|A ∪ B| = |A| + |B| - |A ∩ B|`)."""
    if "|" not in text:
        return text
    groups = [g for g in _BARS.findall(text) if _capitals(g)]
    if not groups or not (math or any(_SET_OPERATION.search(g) for g in groups)):
        return text
    return _BARS.sub(
        lambda m: f" card {m.group(1)} " if _capitals(m.group(1)) else m.group(0), text
    )


def _read_math(m: re.Match[str]) -> str:
    return " " + _read_bars(_INTERVAL.sub(_interval, m.group(0)), math=True) + " "


def normalize_notation(text: str) -> str:
    """Read notation whose meaning its symbols alone do not give: intervals in math mode as
    Lean names them (`$[a, b]$` -> `Icc`), bars around sets as a cardinality."""
    if "$" in text or "\\(" in text:
        text = _MATH_MODE.sub(_read_math, text)
    return _read_bars(text, math=False)


def normalize_latex(text: str) -> str:
    """Replace LaTeX math by words; drop `$` and braces."""
    if "\\" not in text:  # no command: `$` and braces are not word characters anyway
        return text
    text = _BLACKBOARD.sub(lambda m: f" {_LATEX_BLACKBOARD.get(m.group(1), m.group(1))} ", text)
    text = _POWERSET.sub(" powerset ", text)

    def cmd(m: re.Match[str]) -> str:
        return f" {_LATEX.get(m.group(1), m.group(1))} "

    text = _LATEX_CMD.sub(cmd, text)
    return text.replace("$", " ").replace("{", " ").replace("}", " ")


def normalize_unicode(text: str) -> str:
    for k, v in _UNICODE_LONG:
        text = text.replace(k, v)
    return text.translate(_UNICODE_TABLE)


def normalize_operators(text: str) -> str:
    """Unicode symbols and ASCII operators -> Mathlib's naming words: `≤` and `<=` both read
    `le` (the two-character operators go first, before `<` is read as `lt`)."""
    for op, word in _TWO_CHAR_OPERATORS:
        text = text.replace(op, word)
    text = normalize_unicode(text)
    text = _FACTORIAL.sub(" factorial ", _MINUS.sub(" sub ", text))
    for op, word in _ONE_CHAR_OPERATORS:
        text = text.replace(op, word)
    return text


def split_identifier(word: str) -> list[str]:
    """Split a Lean name: `Fintype.card` -> [Fintype, card], `IsCompact` -> [Is, Compact]."""
    out: list[str] = []
    for part in re.split(r"[._'!?]+", word):
        pieces = _CAMEL.findall(part)
        out.extend(pieces if pieces else ([part] if part else []))
    return out


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer: plurals and a few verb/adjective endings."""
    w = word
    if len(w) <= 3:
        return w
    for suffix, repl in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ness", ""),
        ("ings", ""),
        ("ing", ""),
        ("ally", "al"),
        ("ly", ""),
        ("ed", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                return w
            return w[: len(w) - len(suffix)] + repl
    return w


def tokenize(text: str, *, stopwords: bool = True) -> list[str]:
    """Normalised, split, lower-cased, stemmed tokens of prose, LaTeX or Lean text."""
    text = normalize_operators(normalize_latex(normalize_notation(text)))
    out: list[str] = []
    for raw in _WORD.findall(text.replace(".", " . ").replace("_", " _ ")):
        out.extend(_word_tokens(raw, stopwords))
    return out


@lru_cache(maxsize=500_000)
def _word_tokens(raw: str, stopwords: bool) -> tuple[str, ...]:
    """One word's tokens (cached: the same words recur across every statement)."""
    out = []
    for piece in split_identifier(raw):
        w = piece.lower()
        if w and not (stopwords and w in STOPWORDS):
            out.append(stem(w))
    return tuple(out)


def name_words(name: str) -> str:
    """`Subgroup.Normal` -> "subgroup normal": a Lean name as plain words."""
    return " ".join(w.lower() for w in split_identifier(name))

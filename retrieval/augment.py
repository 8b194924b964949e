"""Query augmentation (CRAMF's application- and domain-level signals), without an LLM.

* LaTeX and Unicode normalisation (`math_text`);
* concept mentions: n-grams of the query that name a concept of the knowledge base ("normal
  subgroup" -> `Subgroup.Normal`, "vector space" -> `Module`, "compact" -> `IsCompact`), from
  Mathlib's curated concept lists and from every definition's name;
* a domain prediction (topology, algebra, analysis, ...), a multinomial naive Bayes model over
  the definitions' texts, used as a prior on candidates' domains.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.documents import Doc
from retrieval.math_text import STOPWORDS, split_identifier, stem, tokenize

_MAX_NGRAM = 4
# Name parts that say what kind of thing a name is rather than which concept it is.
_NAME_NOISE = frozenset({"is", "has", "to", "of", "mk", "def", "fun", "apply"})


def coarse_domain(domain: str) -> str:
    return domain.split(".", 1)[0] if domain else ""


def _key(tokens: Iterable[str]) -> str:
    return " ".join(tokens)


# How a docstring names the result it states: "**Bernoulli's inequality** for ...", "...
# This is known as Cauchy's theorem.", "Jensen's inequality for ..."
_RESULT_WORDS = (
    "theorem|lemma|inequality|identity|formula|criterion|principle|law|conjecture|"
    "equality|bound|estimate|trick|argument"
)
# a possessive ("Hölder's") or hyphenated names ("Cauchy-Schwarz"), up to two lower-case words,
# a result word; a capital alone does not do ("By this theorem" starts a sentence)
_NAMED_RESULT = re.compile(
    rf"\b((?:[A-Z][\w-]*\s+(?:and\s+)?){{0,2}}"
    rf"(?:[A-Z][\w-]*['’]s?|[A-Z][a-zà-ÿ]+[-–][A-Z][\w-]*)\s+"
    rf"(?:[a-z]+\s+){{0,2}}(?:{_RESULT_WORDS}))\b"
)
_KNOWN_AS = re.compile(r"\b(?:known as|called)\s+(?:the\s+)?\*{0,2}([A-Z][^.,;:`*()\n]{2,60})")


def named_results(docstring: str) -> list[str]:
    """The names a docstring gives the result it states (a person's result: "Bernoulli's
    inequality", or one it is "known as"); what people type to look the result up."""
    found = [m.group(1) for m in _NAMED_RESULT.finditer(docstring)]
    found += [m.group(1).strip() for m in _KNOWN_AS.finditer(docstring)]
    return list(dict.fromkeys(" ".join(f.split()) for f in found))


def _name_keys(name: str) -> list[str]:
    """Lexicon keys for a declaration name: its last component, and with its namespace."""
    parts = name.split(".")
    last = [stem(w.lower()) for w in split_identifier(parts[-1])]
    last = [w for w in last if w not in _NAME_NOISE]
    keys = []
    if last and len(last) <= _MAX_NGRAM:
        keys.append(_key(last))
    if len(parts) >= 2 and last:
        ns = [stem(w.lower()) for w in split_identifier(parts[-2])]
        for combo in (ns + last, last + ns):
            if len(combo) <= _MAX_NGRAM:
                keys.append(_key(combo))
    return [k for k in keys if k and k not in STOPWORDS]


@dataclass
class Lexicon:
    """Concept phrase (stemmed words) -> declaration names, most used first."""

    entries: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, docs: list[Doc], curated: Iterable[tuple[str, str]] = ()) -> Lexicon:
        weight: dict[str, Counter[str]] = defaultdict(Counter)
        for d in docs:
            if d.corpus != "definitions":
                continue
            for k in _name_keys(d.name):
                weight[k][d.name] += 1 + d.in_degree
        # Curated titles ("normal subgroup") point at their declarations, above name matches;
        # then the names theorems' docstrings give them ("Bernoulli's inequality").
        known = {d.name for d in docs}
        for title, name in curated:
            toks = tokenize(title)
            if toks and len(toks) <= _MAX_NGRAM and name in known:
                weight[_key(toks)][name] += 10**9
        for d in docs:
            if d.corpus != "theorems" or not d.docstring:
                continue
            for phrase in named_results(d.docstring):
                toks = tokenize(phrase)
                if toks and len(toks) <= _MAX_NGRAM:
                    weight[_key(toks)][d.name] += 10**6 + d.in_degree
        return cls({k: [n for n, _ in c.most_common(8)] for k, c in weight.items()})

    def mentions(self, tokens: list[str]) -> dict[str, tuple[int, int]]:
        """Names mentioned by the query: name -> (longest n-gram length, ambiguity rank)."""
        found: dict[str, tuple[int, int]] = {}
        for n in range(min(_MAX_NGRAM, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                names = self.entries.get(_key(tokens[i : i + n]))
                if not names:
                    continue
                for rank, name in enumerate(names):
                    if name not in found:
                        found[name] = (n, rank)
        return found

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.entries, ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        return cls(json.loads(path.read_text()))


@dataclass
class DomainModel:
    """Multinomial naive Bayes: P(domain | query words), trained on definition texts."""

    domains: list[str]
    vocab: dict[str, int]
    log_prior: np.ndarray  # (D,)
    log_likelihood: np.ndarray  # (V, D)

    @classmethod
    def build(cls, docs: list[Doc], max_vocab: int = 20000) -> DomainModel:
        per_domain: dict[str, Counter[str]] = defaultdict(Counter)
        df: Counter[str] = Counter()
        for d in docs:
            dom = coarse_domain(d.domain)
            if d.corpus != "definitions" or not dom:
                continue
            toks = tokenize(d.text("informal"))
            per_domain[dom].update(toks)
            df.update(set(toks))
        domains = sorted(per_domain)
        vocab_list = [t for t, _ in df.most_common(max_vocab)]
        vocab = {t: i for i, t in enumerate(vocab_list)}
        counts = np.ones((len(vocab), len(domains)), dtype=np.float64)  # Laplace smoothing
        for j, dom in enumerate(domains):
            for tok, c in per_domain[dom].items():
                i = vocab.get(tok)
                if i is not None:
                    counts[i, j] += c
        totals = np.array([sum(per_domain[d].values()) for d in domains], dtype=np.float64)
        log_prior = np.log(totals / totals.sum())
        log_likelihood = np.log(counts / counts.sum(axis=0, keepdims=True))
        return cls(domains, vocab, log_prior, log_likelihood.astype(np.float32))

    def predict(self, tokens: list[str]) -> dict[str, float]:
        rows = [self.vocab[t] for t in tokens if t in self.vocab]
        logits = self.log_prior + (self.log_likelihood[rows].sum(axis=0) if rows else 0.0)
        logits = logits - logits.max()
        p = np.exp(logits)
        p /= p.sum()
        return {d: float(x) for d, x in zip(self.domains, p, strict=True)}

    def save(self, directory: Path) -> None:
        np.save(directory / "domain_loglik.npy", self.log_likelihood)
        (directory / "domain_model.json").write_text(
            json.dumps(
                {
                    "domains": self.domains,
                    "vocab": list(self.vocab),
                    "log_prior": self.log_prior.tolist(),
                },
                ensure_ascii=False,
            )
        )

    @classmethod
    def load(cls, directory: Path) -> DomainModel:
        meta = json.loads((directory / "domain_model.json").read_text())
        return cls(
            meta["domains"],
            {t: i for i, t in enumerate(meta["vocab"])},
            np.array(meta["log_prior"]),
            np.load(directory / "domain_loglik.npy"),
        )


@dataclass
class AugmentedQuery:
    text: str
    tokens: list[str]
    mentions: dict[str, tuple[int, int]]
    domains: dict[str, float]

    def top_domains(self, n: int = 3) -> list[tuple[str, float]]:
        return sorted(self.domains.items(), key=lambda x: -x[1])[:n]


# an order to prove at the start: "Prove that", "Show:", never "Proven ..." or "showing ..."
_INSTRUCTION = re.compile(
    r"^\s*(?:prove|show|verify|demonstrate)(?:\s+that\b|(?!\s+that\b))\s*[:,.]?\s+(?=\S)", re.I
)
# a symbol in quotes ('a', "f"), the way people write variables in prose; never a word's
# apostrophe (Euler's, f')
_QUOTED = re.compile(r"(?<![\w'])(['\"])([^\s'\"]{1,40})\1(?![\w'])")
_PAREN_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)


def statement_text(query: str) -> str:
    """What the encoder reads of a query: without a leading instruction ("Prove that ...",
    "Show that ..."), since the encoders learned from statements and docstrings, which state a
    fact (4 of 5 FormL4 queries open with one); and with `\\( … \\)` / `\\[ … \\]` math
    written bare: Mathlib's docstrings write math in `$ … $` (5,427 lines) and almost never
    so (1 line), while a fifth of FormL4's queries do. `$` stays, read as the docstrings use
    it. Likewise a symbol in quotes is written bare ('a' -> a; no docstring quotes one, a
    quarter of FormL4's queries do); backticks stay (`f`, as docstrings write code)."""
    rest = _INSTRUCTION.sub("", query, count=1)
    text = rest if rest.strip() else query
    if "'" in text or '"' in text:
        text = _QUOTED.sub(lambda m: m.group(2), text)
    if "\\" in text:
        text = _PAREN_MATH.sub(lambda m: f" {(m.group(1) or m.group(2) or '').strip()} ", text)
        text = " ".join(text.split())
    return text if text.strip() else query


def augment(
    query: str, lexicon: Lexicon | None, domain_model: DomainModel | None
) -> AugmentedQuery:
    """`text` is what the encoder reads (`statement_text`); `tokens` what BM25 and the
    features read, from the query as written."""
    tokens = tokenize(query)
    mentions = lexicon.mentions(tokens) if lexicon else {}
    domains = domain_model.predict(tokens) if domain_model else {}
    return AugmentedQuery(statement_text(query), tokens, mentions, domains)

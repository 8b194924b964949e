"""English descriptions of declarations, written by a language model (LeanSearch-style).

Most Mathlib theorems have no docstring; a description lets a sentence query meet them.
Declarations are described dependencies first, in waves, so that the prompt for a theorem can
quote what the constants its statement mentions mean (their docstrings, or the descriptions
written in an earlier wave). Every answer is appended at once to a JSONL cache keyed by a hash
of the model and the whole prompt (which holds the declaration's text), so an interrupted run
resumes where it stopped and a rebuilt index reuses every description whose declaration did not
change. The descriptions go into the knowledge base (`knowledge_base.descriptions`), marked with
the model that wrote them; `autoformalizer index --from-index` then lets BM25, the encoder and
the reranker read them. Nothing else needs them.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from formalizer.llm import ChatMessage, LLMBackend
from indexer.lean_terms import parse_signature
from knowledge_base import KnowledgeBase
from knowledge_base.concepts import first_sentence
from knowledge_base.descriptions import Description, read_descriptions, write_descriptions
from knowledge_base.rendering import concept_glosses, render
from knowledge_base.store import select_in
from retrieval.documents import load_docs

PROMPT_VERSION = "1"
SYSTEM = (
    "You describe declarations of Lean 4's Mathlib library in plain English for a search "
    "engine. Answer with one to three sentences that state what the declaration says or "
    "defines, mathematically, in the words a mathematician would use: name the concepts "
    "(e.g. 'greatest common divisor', 'compact set'), say what is assumed and what follows. "
    "No Lean syntax, no proof, no preamble."
)
_MENTIONS_SHOWN = 8
_MAX_CHARS = 600


@dataclass(frozen=True, slots=True)
class Target:
    """A declaration to describe, and the constants its signature mentions."""

    decl_id: int
    name: str
    kind: str
    signature: str
    docstring: str
    mentions: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What one declaration got: a description (`text`) or, when None, an `error`."""

    target: Target
    key: str
    text: str | None
    source: str  # "model" or "cache"
    error: str = ""


@dataclass
class Report:
    selected: int = 0
    from_cache: int = 0
    from_model: int = 0
    stored: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def select_targets(
    kb: KnowledgeBase,
    *,
    undocumented_only: bool = True,
    module_prefix: str | None = None,
    names: set[str] | None = None,
    limit: int | None = None,
) -> list[Target]:
    """Searchable declarations with a statement, by default only those without a docstring."""
    picked = []
    for d in load_docs(kb):
        if not d.signature or (undocumented_only and d.docstring.strip()):
            continue
        if module_prefix and not d.module.startswith(module_prefix):
            continue
        if names is not None and d.name not in names:
            continue
        picked.append(d)
        if limit is not None and len(picked) >= limit:
            break
    mentions: dict[int, list[int]] = {d.decl_id: [] for d in picked}
    query = "SELECT src, dst FROM dependencies WHERE src IN ({ids}) ORDER BY src, dst"
    for src, dst in select_in(kb.con, query, list(mentions)):
        if dst != src:
            mentions[src].append(dst)
    return [
        Target(d.decl_id, d.name, d.kind, d.signature, d.docstring, tuple(mentions[d.decl_id]))
        for d in picked
    ]


def dependency_waves(targets: list[Target]) -> list[list[Target]]:
    """`targets` in waves: each mentions targets of earlier waves only (a cycle, which Lean's
    mutual declarations can make, is broken by putting what is left in one last wave)."""
    by_id = {t.decl_id: t for t in targets}
    waiting = {t.decl_id: {m for m in t.mentions if m in by_id} for t in targets}
    waves: list[list[Target]] = []
    while waiting:
        ready = [i for i, deps in waiting.items() if not deps]
        if not ready:
            waves.append([by_id[i] for i in sorted(waiting)])
            break
        waves.append([by_id[i] for i in sorted(ready)])
        for i in ready:
            del waiting[i]
        done = set(ready)
        for deps in waiting.values():
            deps -= done
    return waves


def build_prompt(
    target: Target, known: dict[int, tuple[str, str]], glosses: dict[str, str]
) -> list[ChatMessage]:
    """The conversation for one declaration. `known`: decl_id -> (name, what it means) for
    the constants it may mention."""
    lines = [f"Declaration ({target.kind}):", f"{target.name} {target.signature}"]
    if target.docstring.strip():
        lines += ["", f"Its docstring: {first_sentence(target.docstring, limit=400)}"]
    literal = render(parse_signature(target.signature), glosses.get)
    if literal:
        lines += ["", f"A literal reading: {literal}"]
    mentioned = [known[m] for m in target.mentions if m in known][:_MENTIONS_SHOWN]
    if mentioned:
        lines += ["", "Constants it uses:"]
        lines += [f"- {name}: {text}" for name, text in mentioned]
    lines += ["", "Describe it in plain English."]
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "\n".join(lines)},
    ]


def cache_key(model: str, messages: list[ChatMessage]) -> str:
    blob = json.dumps([PROMPT_VERSION, model, messages], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_PREAMBLE = re.compile(r"^(description|answer|english)\s*:\s*", re.IGNORECASE)


def clean_answer(text: str) -> str | None:
    """The description in a model's answer: fences, a "Description:" preamble and extra
    whitespace removed, cut at a sentence end near `_MAX_CHARS`; None when nothing is left."""
    text = re.sub(r"```[a-z]*", " ", text)
    text = _PREAMBLE.sub("", " ".join(text.split())).strip().strip('"')
    if not text or not re.search(r"[A-Za-z]{3}", text):
        return None
    if len(text) > _MAX_CHARS:
        cut = text.rfind(". ", 0, _MAX_CHARS)
        text = text[: cut + 1] if cut > 0 else text[:_MAX_CHARS].rstrip() + "…"
    return text


class DescriptionCache:
    """Answers by cache key, in an append-only JSONL file (a half-written last line, left by
    a crash, is dropped)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, str] = {}
        self._lock = threading.Lock()
        if path.is_file():
            data = path.read_bytes()
            if data and not data.endswith(b"\n"):
                data = data[: data.rfind(b"\n") + 1]
                path.write_bytes(data)
            for line in data.decode("utf-8", "replace").splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(row, dict) and isinstance(row.get("text"), str):
                    self.entries[str(row.get("key"))] = row["text"]

    def get(self, key: str) -> str | None:
        return self.entries.get(key)

    def add(self, key: str, name: str, text: str) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps({"key": key, "name": name, "text": text}) + "\n")
            self.entries[key] = text


def informalize(
    index: Path,
    backend: LLMBackend,
    cache: DescriptionCache,
    *,
    targets: list[Target] | None = None,
    concurrency: int = 8,
    temperature: float = 0.2,
    max_tokens: int = 256,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Describe `targets` (default: every undocumented declaration of `index`) and store the
    descriptions in its knowledge base; on Ctrl-C, what was described is stored first."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    with KnowledgeBase.open(index) as kb:
        if targets is None:
            targets = select_targets(kb)
        glosses = concept_glosses(kb.con)
        known = _known_meanings(kb, targets)
    report = Report(selected=len(targets))
    written: list[Description] = []
    model = backend.identity

    def one(t: Target) -> _Outcome:
        messages = build_prompt(t, known, glosses)
        key = cache_key(model, messages)
        hit = cache.get(key)
        if hit is not None:
            return _Outcome(t, key, hit, "cache")
        try:
            answers = backend.complete(
                messages, n=1, temperature=temperature, max_tokens=max_tokens
            )
        except Exception as e:  # one failure must not stop the run
            return _Outcome(t, key, None, "model", f"{type(e).__name__}: {e}")
        text = clean_answer(answers[0]) if answers else None
        if text is None:
            return _Outcome(t, key, None, "model", "the model's answer held no description")
        cache.add(key, t.name, text)
        return _Outcome(t, key, text, "model")

    # Answers are handled here, in the calling thread only; workers just ask and cache.
    pool = ThreadPoolExecutor(concurrency, thread_name_prefix="informalize")
    done = 0
    try:
        for wave in dependency_waves(targets):
            pending: set[Future] = {pool.submit(one, t) for t in wave}
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                interrupted = False
                for fut in finished:
                    try:
                        got = fut.result()
                    except KeyboardInterrupt:  # keep the other answers that came with it
                        interrupted = True
                        continue
                    done += 1
                    t = got.target
                    if got.text is None:
                        report.failures.append((t.name, got.error))
                    else:
                        report.from_model += got.source == "model"
                        report.from_cache += got.source == "cache"
                        known[t.decl_id] = (t.name, got.text)
                        written.append(Description(t.decl_id, got.text, model, got.key))
                    if progress is not None:
                        progress(done, len(targets))
                if interrupted:
                    raise KeyboardInterrupt
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        stored = write_descriptions(index, written)
        raise KeyboardInterrupt(
            f"{stored} descriptions stored in {index}; run the same command again to resume"
        ) from None
    pool.shutdown(wait=True)
    report.stored = write_descriptions(index, written)
    return report


def _known_meanings(kb: KnowledgeBase, targets: list[Target]) -> dict[int, tuple[str, str]]:
    """decl_id -> (name, first docstring sentence or stored description) of every constant the
    targets mention that has one."""
    ids = sorted({m for t in targets for m in t.mentions})
    described = read_descriptions(kb.con, ids)
    out: dict[int, tuple[str, str]] = {}
    query = "SELECT id, name, docstring FROM declarations WHERE id IN ({ids})"
    for i, name, doc in select_in(kb.con, query, ids):
        text = first_sentence(doc.replace("`", ""), limit=200) if doc else described.get(i)
        if text:
            out[i] = (name, text)
    return out

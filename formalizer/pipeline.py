"""`formalize(text)`: retrieve, prompt, sample, extract, check, repair, select.

    from formalizer import formalize
    result = formalize("Every finite integral domain is a field", index="index", llm="smollm2")
    print(result.statement)

The opened index, example bank and model are kept in a `Resources` object; pass one (from
`open_resources`) to formalize many statements without reopening anything.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from formalizer.checks import Check, check_statement
from formalizer.examples import ExampleBank, build_bank
from formalizer.extract import extract_candidates
from formalizer.identifiers import IdentifierChecker
from formalizer.lean_checker import LeanChecker
from formalizer.llm import LLMBackend, LLMError
from formalizer.llm_config import load_config, make_backend
from formalizer.models import Candidate, Formalization, RetrievedContext
from formalizer.prompt import (
    DEFAULT_HEADER,
    ContextDefinition,
    build_prompt,
    repair_messages,
)
from formalizer.selection import Scored, rank_groups
from formalizer.statement_names import qualified_or_same
from retrieval.retriever import Retriever

_LAZY_LOCK = threading.Lock()


@dataclass
class Resources:
    """Everything `formalize` reads, opened once."""

    retriever: Retriever
    llm: LLMBackend
    bank: ExampleBank
    idents: IdentifierChecker
    checker: LeanChecker | None = None
    index_dir: str = ""
    similarity_model: str | None = None  # the joint NL/Lean model when one is shipped
    _similarity_embedder: object | None = field(default=None, repr=False)
    _statement_vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def similarity_embedder(self):
        """The joint NL/Lean embedding when shipped (it was trained to put a statement next to
        its formalization), else the retriever's base encoder."""
        if self.similarity_model is None:
            return self.retriever.embedder
        with _LAZY_LOCK:  # batch threads may all ask first at once
            if self._similarity_embedder is None:
                from retrieval.embedder import Embedder

                self._similarity_embedder = Embedder(self.similarity_model)
        return self._similarity_embedder

    @property
    def index_identity(self) -> dict[str, object]:
        m = self.retriever.kb.manifest
        return {
            "path": self.index_dir,
            "created_at": m.created_at,
            "roots": [{"name": r.name, "commit": r.commit} for r in m.roots],
        }


def open_resources(
    index: str | Path,
    llm: str | LLMBackend | None = None,
    checker: LeanChecker | None = None,
    examples: list[Path] | None = None,
    mathlib_examples: bool = True,
) -> Resources:
    """Open the index and the model. `llm`: a backend, a spec (`openai:MODEL@URL`,
    `transformers:PATH`, `smollm2`), or None to read the environment / config file.
    `examples`: JSONL files of NL/Lean pairs (default: `AUTOFORMALIZER_EXAMPLES`, paths
    separated by `:`); the index's Mathlib docstring/theorem pairs are added unless
    `mathlib_examples` is False."""
    backend = llm if llm is not None and not isinstance(llm, str) else None
    if backend is None:
        backend = make_backend(load_config(llm if isinstance(llm, str) else None))
    if examples is None:  # e.g. AUTOFORMALIZER_EXAMPLES=minif2f_lean4.jsonl (its valid split)
        env = os.environ.get("AUTOFORMALIZER_EXAMPLES", "")
        examples = [Path(p) for p in env.split(os.pathsep) if p]
    retriever = Retriever.open(index)
    bank = build_bank(retriever.kb if mathlib_examples else None, examples)
    from retrieval.joint_embedding import JOINT_MODEL_DIR

    joint = JOINT_MODEL_DIR if (JOINT_MODEL_DIR / "model.safetensors").is_file() else None
    return Resources(
        similarity_model=str(joint) if joint else None,
        retriever=retriever,
        llm=backend,
        bank=bank,
        idents=IdentifierChecker(retriever.kb),
        checker=checker,
        index_dir=str(index),
    )


@lru_cache(maxsize=4)
def _cached_resources(index: str, llm: str | None) -> Resources:
    """Repeated `formalize(text, index=path)` calls share one opened index and model."""
    return open_resources(index, llm)


@dataclass
class Settings:
    n: int = 8  # answers sampled from the prompt
    temperature: float = 0.7
    max_tokens: int = 768  # per answer
    definitions: int = 12  # retrieved definitions offered
    examples: int = 4  # retrieved NL/Lean examples offered
    prompt_tokens: int = 3000  # budget for the prompt; context is trimmed to fit
    repair_rounds: int = 2
    repair_width: int = 2  # failed candidates sent back per round
    similarity_weight: float = 0.5
    deadline: float | None = None  # seconds for the whole item, model retries included


def formalize(
    text: str,
    *,
    index: str | Path | Resources = "index",
    llm: str | LLMBackend | None = None,
    n: int = 8,
    checker: LeanChecker | None = None,
    header: str = DEFAULT_HEADER,
    item_id: str | None = None,
    settings: Settings | None = None,
) -> Formalization:
    """A Lean 4 statement of `text`, with the candidates, context and checks behind it."""
    if not text or not text.strip():
        raise ValueError("nothing to formalize: the text is empty")
    if isinstance(index, Resources):
        res = index
    elif llm is None or isinstance(llm, str):
        res = _cached_resources(str(Path(index).expanduser().resolve()), llm)
    else:
        res = open_resources(index, llm, checker)
    if checker is not None and res.checker is not checker:
        res = replace(res, checker=checker)  # never change a shared Resources
    cfg = settings or Settings()
    if n != cfg.n and settings is None:
        cfg.n = n
    return _run(text.strip(), res, cfg, header, item_id)


def _run(
    text: str, res: Resources, cfg: Settings, header: str, item_id: str | None
) -> Formalization:
    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    deadline = time.monotonic() + cfg.deadline if cfg.deadline else None
    out = Formalization(
        id=item_id,
        input=text,
        header=header,
        backend=res.llm.identity,
        index=res.index_identity,
        lean=res.checker.identity if res.checker else "skipped: no Lean checker configured",
    )

    t = time.perf_counter()
    hits = res.retriever.search(text, k=cfg.definitions, corpus="definitions")
    definitions = [
        ContextDefinition(
            name=h.name,
            kind=h.kind,
            signature=h.signature,
            description=h.description,
            score=h.score,
        )
        for h in hits
    ]
    timings["retrieve_definitions"] = time.perf_counter() - t

    t = time.perf_counter()
    examples = res.bank.search(text, cfg.examples, exclude_id=item_id)
    timings["retrieve_examples"] = time.perf_counter() - t

    t = time.perf_counter()
    count = getattr(res.llm, "count_tokens", None)
    prompt = (
        build_prompt(text, header, definitions, examples, cfg.prompt_tokens, count)
        if count
        else build_prompt(text, header, definitions, examples, cfg.prompt_tokens)
    )
    out.context = RetrievedContext(
        definitions=prompt.definitions,
        examples=prompt.examples,
        prompt_tokens=prompt.tokens,
        messages=prompt.messages,
    )
    timings["prompt"] = time.perf_counter() - t

    t = time.perf_counter()
    try:
        answers = res.llm.complete(
            prompt.messages,
            n=cfg.n,
            temperature=cfg.temperature,
            max_tokens=cfg.max_tokens,
            deadline=deadline,
        )
    except LLMError as e:
        out.error = str(e)
        timings["generate"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t_all
        out.timings = timings
        return out
    timings["generate"] = time.perf_counter() - t

    t = time.perf_counter()
    name = _theorem_name(item_id)
    for a, answer in enumerate(answers):
        _add_candidates(out, res, answer, a, name, header, round_=0, parent=None)
    timings["extract_and_check"] = time.perf_counter() - t

    t = time.perf_counter()
    _lean_check(out, res)
    timings["lean"] = time.perf_counter() - t

    t = time.perf_counter()
    for round_ in range(1, cfg.repair_rounds + 1):
        if any(_passes(c, res) for c in out.candidates):
            break
        failed = _worth_repairing(out.candidates, cfg.repair_width)
        if not failed:
            break
        for cand in failed:
            problems = _problems(cand)
            previous = answers[cand.answer]
            msgs = repair_messages(
                prompt.messages,
                previous,
                cand.statement or "",
                problems,
                lean=cand.lean is not None,
            )
            try:
                fixed = res.llm.complete(
                    msgs,
                    n=1,
                    temperature=cfg.temperature,
                    max_tokens=cfg.max_tokens,
                    deadline=deadline,
                )
            except LLMError as e:
                out.reasons.append(f"repair round {round_} failed: {e}")
                continue
            answers.extend(fixed)
            _add_candidates(
                out,
                res,
                fixed[0],
                len(answers) - 1,
                name,
                header,
                round_=round_,
                parent=cand.index,
            )
        _lean_check(out, res)
    timings["repair"] = time.perf_counter() - t

    t = time.perf_counter()
    _select(out, res, cfg)
    timings["select"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t_all
    out.timings = timings
    return out


def _theorem_name(item_id: str | None) -> str:
    if not item_id:
        return "formalized"
    clean = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in item_id)
    return clean if clean[:1].isalpha() else f"t_{clean}"


def _add_candidates(
    out: Formalization,
    res: Resources,
    answer: str,
    a: int,
    name: str,
    header: str,
    round_: int,
    parent: int | None,
) -> None:
    extracted = extract_candidates(answer, name)
    usable = [e for e in extracted if e.statement]
    if not usable:
        notes = [n for e in extracted for n in e.notes] or ["no theorem found in the answer"]
        out.candidates.append(
            Candidate(
                index=len(out.candidates),
                round=round_,
                repairs=parent,
                answer=a,
                statement=None,
                notes=notes,
                checks=[Check(name="parse", passed=False, problems=notes)],
            )
        )
        return
    for e in usable:
        full_header = f"{header.rstrip()}\n{e.preamble}".strip() if e.preamble else header
        checked = check_statement(e.statement, full_header, res.idents)
        out.candidates.append(
            Candidate(
                index=len(out.candidates),
                round=round_,
                repairs=parent,
                answer=a,
                statement=checked.statement or e.statement,
                preamble=e.preamble,
                notes=e.notes,
                checks=checked.checks,
                identifiers=checked.identifiers,
                rewritten=checked.rewritten,
            )
        )


def _lean_check(out: Formalization, res: Resources) -> None:
    """Type-check candidates that passed the Lean-free checks, each distinct text once."""
    if res.checker is None:
        return
    done: dict[str, object] = {}
    for c in out.candidates:
        if c.lean is not None or not c.lean_free_ok or c.statement is None:
            continue
        key = f"{c.preamble}\n{c.statement}"
        if key not in done:
            code = f"{c.preamble}\n\n{c.statement}".strip() if c.preamble else c.statement
            done[key] = res.checker.check(code, out.header)
        c.lean = done[key]  # type: ignore[assignment]
        c.checks.append(
            Check(
                name="lean",
                passed=c.lean.ok,
                problems=[] if c.lean.ok else [c.lean.error_text()],
            )
        )


def _passes(c: Candidate, res: Resources) -> bool:
    if not c.lean_free_ok:
        return False
    return c.lean is not None and c.lean.ok if res.checker else True


def _problems(c: Candidate) -> str:
    if c.statement is None:
        return "- the answer holds no `theorem ... := by sorry` statement in a ```lean block"
    lines = [p for check in c.checks if check.passed is False for p in check.problems]
    return "\n".join(f"- {p}" for p in lines) or "- the statement could not be read"


def _worth_repairing(cands: list[Candidate], width: int) -> list[Candidate]:
    """Failed candidates not yet repaired, security-clean, distinct, in answer order; when no
    answer held a statement at all, the first such answer (to ask for the right format)."""
    repaired = {c.repairs for c in cands if c.repairs is not None}
    fresh = [c for c in cands if c.index not in repaired]
    pool = [
        c
        for c in fresh
        if c.statement and all(ch.passed is not False for ch in c.checks if ch.name == "security")
    ]
    if not any(c.statement for c in cands):
        return fresh[-1:]  # the latest answer without a statement
    seen: set[str] = set()
    out = []
    for c in pool:
        if c.statement in seen:
            continue
        seen.add(c.statement or "")
        out.append(c)
        if len(out) == width:
            break
    return out


def _select(out: Formalization, res: Resources, cfg: Settings) -> None:
    usable = [
        c
        for c in out.candidates
        if c.statement and all(ch.passed is not False for ch in c.checks if ch.name == "security")
    ]
    if not usable:
        out.reasons.append("no usable statement among the answers")
        return
    _similarities(out.input, usable, res)
    scored = [
        Scored(
            index=c.index,
            statement=c.statement or "",
            lean_free_ok=c.lean_free_ok,
            lean_ok=None if c.lean is None else c.lean.ok,
            similarity=c.similarity,
        )
        for c in usable
    ]
    groups = rank_groups(
        scored,
        cfg.similarity_weight,
        res.idents.kb.operators(),
        lambda s: qualified_or_same(s, out.header, res.idents),
    )
    for rank, g in enumerate(groups):
        for i in g.members:
            out.candidates[i].group = rank
            out.candidates[i].votes = g.votes
            out.candidates[i].score = g.score
    best = groups[0]
    members = [out.candidates[i] for i in best.members]
    chosen = max(
        members, key=lambda c: (c.lean is not None and c.lean.ok, c.lean_free_ok, c.similarity)
    )
    chosen.selected = True
    out.statement = chosen.statement
    out.preamble = chosen.preamble
    out.ok = _passes(chosen, res)
    total = len(usable)
    out.reasons.append(
        f"chosen group: {best.votes} of {total} usable candidates agree "
        f"({len(groups)} distinct statements)"
    )
    if best.lean_ok:
        out.reasons.append("it type-checks in Lean")
    elif res.checker is not None:
        out.reasons.append("no candidate type-checked in Lean; best by the other checks")
    if best.lean_free_ok:
        out.reasons.append("it passes the Lean-free checks (parse, syntax, security, identifiers)")
    else:
        out.reasons.append("no candidate passed the Lean-free checks; best effort")
    out.reasons.append(f"similarity to the input {best.similarity:.3f}")
    if chosen.rewritten:
        out.reasons.append(
            "deprecated names rewritten: "
            + ", ".join(f"{a} -> {b}" for a, b in chosen.rewritten.items())
        )


def _similarities(text: str, cands: list[Candidate], res: Resources) -> None:
    """Cosine of input and statement (without its proof), one batch per call."""
    from retrieval.joint_embedding import formal_text

    embedder = res.similarity_embedder
    todo = sorted({c.statement for c in cands if c.statement} - set(res._statement_vectors))
    if todo:
        vecs = embedder.encode_documents([formal_text(s) for s in todo])
        for s, v in zip(todo, vecs):
            res._statement_vectors[s] = v
    q = embedder.encode_queries([text])[0]
    for c in cands:
        v = res._statement_vectors.get(c.statement or "")
        c.similarity = float(np.dot(q, v)) if v is not None else 0.0

"""Renames across a Lean project's git history (CRAMF's "version incompatibility" errors).

LLMs and older benchmarks write names of older Mathlib (`IsROrC`, `FiniteDimensional.finrank`),
and Mathlib deletes deprecated aliases after some months, so the current source no longer maps
them. This module reads snapshots of the repository (one commit per period, back to a start
date), parses each file version once (by blob id; not at all when its `outline` is that of
the version it replaces), and derives an old -> new map from
  * deprecations: `@[deprecated] alias old := new`, `@[deprecated new] theorem old ...`;
  * renames without an alias: a definition that disappears between two snapshots while one of
    the same kind appears with the same docstring, or in the same file with the same
    signature (`IsROrC` -> `RCLike`), and the names in its namespace with it (`IsROrC.re` ->
    `RCLike.re`).
Chains are followed to names that exist now. Results are cached per HEAD commit and settings.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.lean_source import parse_file
from indexer.models import DEFINITION_KINDS
from indexer.name_translation import GuessNameData, target_name
from indexer.workers import worker_pool

Log = Callable[[str], None]

# (name, kind, doc hash, signature hash, deprecated?, target as written, since, namespace,
#  to_additive name argument, deprecation message)
Record = tuple[str, str, str, str, bool, str | None, str | None, str, str | None, str | None]
_CACHE_VERSION = 2


@dataclass(frozen=True)
class Rename:
    """`old` is now `new`; `new` is "" when `old` was removed with no replacement."""

    old: str
    new: str
    since: str | None
    # "deprecated alias @ <commit>", "renamed @ ...", "namespace @ ...", "removed @ ..."
    source: str
    message: str | None = None  # the deprecation message, if any


def _digest(text: str | None) -> str:
    if not text:
        return ""
    return hashlib.blake2b(" ".join(text.split()).encode(), digest_size=8).hexdigest()


def file_records(text: str, rel: str) -> list[Record]:
    """The facts about each declaration of one file version that rename detection needs."""
    # only definitions' signatures are compared (`_silent_renames`): theorems skip the work
    result = parse_file(
        text,
        rel,
        references=False,
        section_variables=DEFINITION_KINDS,
        signatures=DEFINITION_KINDS,
    )
    out: list[Record] = []
    for d in result.declarations:
        dep = d.deprecated
        target = (dep.target if dep else None) or (d.alias_of if dep else None)
        additive = None
        for a in d.attributes:
            if a.startswith("to_additive"):
                words = a.split()
                explicit = next(
                    (
                        w
                        for w in words[1:]
                        if w[:1].isalpha() and w not in ("existing", "self", "none")
                    ),
                    None,
                )
                additive = explicit or ""
        out.append(
            (
                d.name,
                d.kind,
                _digest(d.docstring),
                _digest(d.signature),
                dep is not None,
                target,
                dep.since if dep else None,
                d.namespace,
                additive,
                dep.message if dep else None,
            )
        )
    return out


# A line that opens a theorem: what follows its name (statement, proof) never reaches a record.
_PROOF_HEAD = re.compile(
    r"(?:@\[[^\]]*\]\s*)*"
    r"(?:(?:private|protected|public|meta|noncomputable|nonrec|scoped|local)\s+)*"
    r"(?:theorem|lemma|example)\b"
)
_INFORMATIONAL = ("import ", "#align ", "#align_import ", "#noalign ")
# Whole lines that change no record: the module system's header and file-wide section, and an
# option set on its own line (`set_option x false in` before a theorem; not one that carries
# the declaration on the same line).
_MODIFIERS_END = re.compile(r"(?:-/|^\s*@\[.*)\s*$")
_NO_NAMES = re.compile(
    r"(?:module|(?:(?:public|private)\s+)?(?:meta\s+)?import\s.*|(?:@\[expose\]\s+)?public\s+section"
    r"|set_option\s+\S+\s+\S+(?:\s+in)?)\s*$"
)


def outline(text: str) -> bytes:
    """A digest of what `file_records` reads: two versions of a file with the same outline
    have the same records, so history parses only one of them. Kept: every line of
    definitions, scope commands and doc comments, each theorem's line up to its name, any line
    that mentions `deprecated`. Left out: blank lines, comments, imports, `#align`, and the
    statements and proofs of theorems (most edits between two snapshots; a version that
    changed nothing else is 1 in 5 of those history would parse); lines that never change a
    name: the module system's header (`module`, `public import`, `@[expose] public section`:
    Mathlib's move to it touched every file at once) and a `set_option` line of its own."""
    kept: list[str] = []
    in_theorem = in_doc = in_comment = False
    for line in text.split("\n"):
        if in_doc:
            kept.append(line)
            in_doc = "-/" not in line
            continue
        if in_comment:
            in_comment = "-/" not in line
            continue
        if line.startswith("/-") and not line.startswith("/--"):
            in_comment = "-/" not in line[2:]
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("--") or line.startswith(_INFORMATIONAL):
            continue
        if _NO_NAMES.match(line) and not (kept and _MODIFIERS_END.search(kept[-1])):
            continue  # (not after a doc comment or attributes: it parts them from their command)
        if not line[0].isspace():
            head = _PROOF_HEAD.match(line)
            in_theorem = head is not None
            if head is not None:
                line = " ".join([line[: head.end()], *line[head.end() :].split(None, 1)[:1]])
            kept.append(line)
        elif not in_theorem or "/--" in line or "deprecated" in line:
            kept.append(line)
        doc_at = line.rfind("/--")
        in_doc = doc_at >= 0 and "-/" not in line[doc_at + 3 :]
    return hashlib.blake2b("\n".join(kept).encode(), digest_size=16).digest()


def _records_job(job: tuple[str, str, bytes | None]) -> tuple[bytes, list[Record] | None]:
    """(outline, records) of one file version; records None when the outline is `before`'s,
    the outline of the version this one replaces (whose records then stand)."""
    text, rel, before = job
    digest = outline(text)
    if digest == before:
        return digest, None
    try:
        return digest, file_records(text, rel)
    except Exception:
        return digest, []


def _git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def sample_commits(repo: Path, since: str, months: int) -> list[tuple[str, str]]:
    """(commit, date) of the first first-parent commit of every `months`-th month since `since`."""
    log = _git(repo, "log", "--first-parent", "--format=%H %cs", "HEAD").split("\n")
    picked: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in reversed([x for x in log if x.strip()]):
        commit, date = line.split()
        if date < since:
            continue
        year, month = int(date[:4]), int(date[5:7])
        period = f"{year}-{(month - 1) // months}"
        if period not in seen:
            seen.add(period)
            picked.append((commit, date))
    return picked


class _BlobReader:
    """`git cat-file --batch`, kept open for the whole scan."""

    def __init__(self, repo: Path):
        self.proc = subprocess.Popen(
            ["git", "-C", str(repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def read(self, blob: str) -> str:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(blob.encode() + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        size = int(header[2]) if len(header) == 3 else 0
        data = self.proc.stdout.read(size)
        self.proc.stdout.read(1)
        return data.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


def _tree(repo: Path, commit: str, subdir: str) -> dict[str, str]:
    """path -> blob id of the `.lean` files under `subdir` at `commit`."""
    out = _git(repo, "ls-tree", "-r", commit, "--", subdir)
    files: dict[str, str] = {}
    for line in out.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and path.endswith(".lean"):
            files[path] = parts[2]
    return files


@dataclass
class _Snapshot:
    commit: str
    date: str
    names: dict[str, Record]  # full name -> record
    files: dict[str, str]  # full name -> file path


def _snapshots(
    repo: Path, commits: list[tuple[str, str]], subdir: str, workers: int, log: Log
) -> Iterator[_Snapshot]:
    cache: dict[str, list[Record]] = {}  # blob -> records
    outlines: dict[str, bytes] = {}  # blob -> outline, for the blobs in `cache`
    previous: dict[str, str] = {}  # path -> blob in the snapshot before
    reader = _BlobReader(repo)
    try:
        with worker_pool(workers) as pool:
            for commit, date in commits:
                tree = _tree(repo, commit, subdir)
                todo = [(p, b) for p, b in tree.items() if b not in cache]
                jobs = ((reader.read(b), p, outlines.get(previous.get(p, ""))) for p, b in todo)
                parsed = 0
                for (p, b), (digest, recs) in zip(
                    todo, pool.map(_records_job, jobs, chunksize=32), strict=True
                ):
                    outlines[b] = digest
                    if recs is None:  # only theorems' statements or proofs changed
                        cache[b] = cache[previous[p]]
                    else:
                        cache[b], parsed = recs, parsed + 1
                live = set(tree.values())
                for b in [b for b in cache if b not in live]:
                    del cache[b], outlines[b]
                previous = tree
                names: dict[str, Record] = {}
                files: dict[str, str] = {}
                for path, blob in tree.items():
                    for rec in cache.get(blob, []):
                        names.setdefault(rec[0], rec)
                        files.setdefault(rec[0], path)
                log(
                    f"history: {date} {commit[:10]}: {len(tree)} files ({parsed} parsed), "
                    f"{len(names)} declarations"
                )
                yield _Snapshot(commit, date, names, files)
    finally:
        reader.close()


def _resolve_in(name: str, namespace: str, names: dict[str, Record]) -> str | None:
    if name.startswith("_root_."):
        name = name[7:]
        return name if name in names else None
    parts = namespace.split(".") if namespace else []
    for k in range(len(parts), -1, -1):
        candidate = ".".join([*parts[:k], name])
        if candidate in names:
            return candidate
    return None


def _deprecations(snap: _Snapshot, additive: GuessNameData | None) -> Iterator[Rename]:
    for name, rec in snap.names.items():
        _, _, _, _, deprecated, target, since, namespace, add, _ = rec
        if not deprecated or not target:
            continue
        resolved = _resolve_in(target, namespace, snap.names)
        if resolved is None or resolved == name:
            continue
        yield Rename(name, resolved, since, f"deprecated alias @ {snap.commit[:12]}")
        if add is not None and additive is not None:
            old_add = target_name(additive, name, add or None, {})
            new_add = target_name(additive, resolved, None, {})
            if old_add != name and new_add != resolved:
                yield Rename(old_add, new_add, since, f"deprecated alias @ {snap.commit[:12]}")


def _silent_renames(old: _Snapshot, new: _Snapshot, deprecated: set[str]) -> Iterator[Rename]:
    """Definitions that vanished without a deprecation and reappeared under another name."""
    removed = [n for n in old.names if n not in new.names and n not in deprecated]
    added = [n for n in new.names if n not in old.names]
    by_doc: dict[tuple[str, str], list[str]] = {}
    by_sig: dict[tuple[str, str, str], list[str]] = {}
    for n in added:
        _, kind, doc, sig, *_ = new.names[n]
        if doc:
            by_doc.setdefault((kind, doc), []).append(n)
        if sig:
            by_sig.setdefault((kind, sig, new.files[n]), []).append(n)
    tag = f"renamed @ {new.commit[:12]}"
    type_renames: dict[str, str] = {}
    for n in removed:
        _, kind, doc, sig, *_ = old.names[n]
        if kind not in DEFINITION_KINDS:
            continue
        match = by_doc.get((kind, doc), []) if doc else []
        if len(match) != 1:
            match = by_sig.get((kind, sig, old.files[n]), []) if sig else []
        if len(match) == 1:
            yield Rename(n, match[0], new.date, tag)
            type_renames[n] = match[0]
    # Names inside a renamed type's namespace follow it: `IsROrC.re` -> `RCLike.re`.
    for n in removed:
        parts = n.split(".")
        for k in range(len(parts) - 1, 0, -1):
            new_ns = type_renames.get(".".join(parts[:k]))
            moved = f"{new_ns}.{'.'.join(parts[k:])}" if new_ns else None
            if moved and moved in new.names:
                yield Rename(n, moved, new.date, f"namespace @ {new.commit[:12]}")
                break


def rename_history(
    repo: Path,
    subdir: str,
    current_names: set[str],
    *,
    since: str = "2023-01-01",
    months: int = 2,
    workers: int | None = None,
    additive: GuessNameData | None = None,
    cache_dir: Path | None = None,
    log: Log | None = None,
) -> list[Rename]:
    """old -> new renames of declarations under `subdir` of the git repository `repo`.

    Only names absent from `current_names` are kept, each mapped (through chains) to a name
    that exists now where possible.
    """
    log = log or (lambda _m: None)
    head = _git(repo, "rev-parse", "HEAD").strip()
    cache_file = None
    if cache_dir is not None:
        key = f"{head[:16]}-{subdir.replace('/', '_')}-{since}-{months}-v{_CACHE_VERSION}"
        cache_file = cache_dir / f"renames-{key}.json"
        if cache_file.is_file():
            raw = json.loads(cache_file.read_text())
            log(f"history: {len(raw)} renames from cache {cache_file}")
            return _finish([Rename(*r) for r in raw], current_names)
    commits = sample_commits(repo, since, months)
    if not commits or commits[-1][0] != head:
        commits.append((head, _git(repo, "log", "-1", "--format=%cs", "HEAD").strip()))
    found: list[Rename] = []
    previous: _Snapshot | None = None
    for snap in _snapshots(repo, commits, subdir, workers or os.cpu_count() or 1, log):
        deps = list(_deprecations(snap, additive))
        found.extend(deps)
        if previous is not None:
            found.extend(_silent_renames(previous, snap, {r.old for r in deps}))
            found.extend(_removals(previous, snap))
        previous = snap
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(
            json.dumps([[r.old, r.new, r.since, r.source, r.message] for r in found])
        )
    return _finish(found, current_names)


def _removals(old: _Snapshot, new: _Snapshot) -> Iterator[Rename]:
    """Names that disappear between two snapshots (renames found elsewhere take precedence)."""
    tag = f"removed @ {new.commit[:12]}"
    for n, rec in old.names.items():
        if n not in new.names:
            deprecated, since, message = rec[4], rec[6], rec[9]
            note = message if message else ("deprecated" if deprecated else None)
            yield Rename(n, "", since or old.date, tag, note)


def _finish(found: list[Rename], current: set[str]) -> list[Rename]:
    """For each old name that no longer exists: its latest rename, chained to a live name, or
    else the record of its removal."""
    latest: dict[str, Rename] = {}
    removed: dict[str, Rename] = {}
    for r in found:
        if r.old in current:
            continue
        if r.new:
            latest[r.old] = r
        else:
            removed[r.old] = r
    out: list[Rename] = []
    for old, r in latest.items():
        target, seen = r.new, {old}
        while target not in current and target in latest and target not in seen:
            seen.add(target)
            target = latest[target].new
        out.append(Rename(old, target, r.since, r.source, r.message))
    out.extend(r for old, r in removed.items() if old not in latest)
    return sorted(out, key=lambda r: r.old)

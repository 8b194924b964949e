"""How much of Lean's notation the encoder can read: the share of non-ASCII symbols that
MiniLM's tokenizer turns into `[UNK]` or into another symbol (`≠` -> `=`), on raw texts and
on texts spelled by `retrieval.symbols` (the joint model's `latex-symbols` view).

    python benchmarks/symbol_coverage.py --index DIR [--pairs FILE.jsonl ...] [--top 15]

Texts: the index's documented declaration texts (the cross-modal pool's distractors), and the
formal side of each pairs file.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from eval.crossmodal import distractor_texts, read_pairs
from knowledge_base import KnowledgeBase
from retrieval.embedder import default_model_path
from retrieval.joint_embedding import formal_text
from retrieval.symbols import spell_symbols


def lost_symbols(texts: list[str], read: Callable[[str], list[str]]) -> tuple[int, Counter]:
    """(all non-ASCII symbols, those the tokenizer does not read as themselves)."""
    counts = Counter(ch for t in texts for ch in t if ord(ch) > 127)
    lost = Counter({ch: n for ch, n in counts.items() if read(ch) != [ch]})
    return sum(counts.values()), lost


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--pairs", action="append", default=[])
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(default_model_path())
    with KnowledgeBase.open(args.index) as kb:
        sets = {"Mathlib documented declarations": distractor_texts(kb)}
    for f in args.pairs:
        sets[f"{Path(f).name} (formal)"] = [formal_text(r["formal"]) for r in read_pairs(Path(f))]
    print("| texts | symbols | lost, raw | lost, latex-symbols | most lost (raw) |")
    print("|---|---|---|---|---|")
    for name, texts in sets.items():
        total, lost = lost_symbols(texts, tokenizer.tokenize)
        spelled_total, spelled_lost = lost_symbols(
            [spell_symbols(t) for t in texts], tokenizer.tokenize
        )
        top = " ".join(f"{ch}×{n}" for ch, n in lost.most_common(args.top))
        print(
            f"| {name} ({len(texts):,}) | {total:,} | {sum(lost.values()) / max(total, 1):.1%} "
            f"| {sum(spelled_lost.values()) / max(spelled_total, 1):.1%} | {top} |"
        )


if __name__ == "__main__":
    main()

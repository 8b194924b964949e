"""Time per stage of one `formalize` call with a local model.

    python benchmarks/formalize_stages.py --index DIR [--llm smollm2] [--n 4] [--max-tokens 256]
        [--statements 3]

Loads everything once (reported separately), then formalizes a few statements and prints the
median of each stage. With the default `smollm2` (SmolLM2-135M, CPU) this measures the
plumbing, not formalization quality: the model is far too small to write Lean.
"""

from __future__ import annotations

import argparse
import statistics
import time

from formalizer import Settings, open_resources
from formalizer.pipeline import formalize
from formalizer.prompt import DEFAULT_HEADER

STATEMENTS = [
    "Every finite integral domain is a field.",
    "If p is a prime number greater than 2, then p is odd.",
    "The sum of the first n odd numbers is n squared.",
    "A continuous function on a closed bounded interval attains its maximum.",
    "For all real x, x squared is nonnegative.",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index", required=True)
    ap.add_argument("--llm", default="smollm2")
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--max-tokens", type=int, default=256)
    ap.add_argument("--statements", type=int, default=3)
    args = ap.parse_args()

    t = time.perf_counter()
    res = open_resources(args.index, args.llm)
    t_open = time.perf_counter() - t
    t = time.perf_counter()
    res.retriever.search("warm up", k=5)
    t_embedder = time.perf_counter() - t
    print(f"load: index + example bank + model {t_open:.1f} s, embedder {t_embedder:.1f} s")
    print(f"model {res.llm.identity}, n={args.n}, max_tokens={args.max_tokens}")
    settings = Settings(n=args.n, max_tokens=args.max_tokens)
    timings: dict[str, list[float]] = {}
    for text in STATEMENTS[: args.statements]:
        r = formalize(text, index=res, header=DEFAULT_HEADER, settings=settings)
        usable = sum(c.statement is not None for c in r.candidates)
        print(
            f"- {text!r}: {r.timings['total']:.1f} s, {len(r.candidates)} candidates, "
            f"{usable} usable, prompt {r.context.prompt_tokens} tokens"
        )
        for k, v in r.timings.items():
            timings.setdefault(k, []).append(v)
    print("median seconds per stage:")
    for k, v in timings.items():
        print(f"  {k:22} {statistics.median(v):8.3f}")


if __name__ == "__main__":
    main()

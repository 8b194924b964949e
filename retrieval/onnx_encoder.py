"""The sentence encoder as an ONNX graph: queries encoded without importing torch.

`autoformalizer search` from a cold process spent ~7 s importing torch and
sentence-transformers and loading the model before it could encode one query. The index build
exports the whole sentence-transformers pipeline (transformer, pooling, any projection head,
normalisation) to one ONNX file, kept in the cache under the weights' fingerprint; a search
then needs only ONNX Runtime and the Rust `tokenizers`, and its vectors agree with the
PyTorch ones to ~1e-6 (checked when exported).
"""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from indexer.errors import UserError

ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OnnxExportError(UserError):
    """The model could not be exported (the PyTorch encoder is used instead)."""


def export(model: object, source: Path, directory: Path, check: Sequence[str] = ()) -> Path:
    """Write `model` (a `SentenceTransformer` loaded from `source`) as `directory/model.onnx`
    with its tokenizer, atomically; `check` texts must encode as PyTorch encodes them."""
    import torch

    tokenizer = Path(source) / TOKENIZER_FILE
    if not tokenizer.is_file():
        raise OnnxExportError(f"{source} has no {TOKENIZER_FILE} to encode with outside torch")

    class Pipeline(torch.nn.Module):
        def __init__(self, st: torch.nn.Module) -> None:
            super().__init__()
            self.st = st

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            features = {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": token_type_ids,
            }
            vec = self.st(features)["sentence_embedding"]
            return torch.nn.functional.normalize(vec, dim=-1)

    tmp = directory.with_name(directory.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    sample = model.preprocess(["a finite group of prime order is cyclic"])  # type: ignore[attr-defined]
    args = tuple(sample[k] for k in _INPUTS)
    axes = {k: {0: "batch", 1: "tokens"} for k in _INPUTS}
    try:
        with warnings.catch_warnings():  # the tracer's notes on the shapes it fixes
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pipeline(model).eval(),  # type: ignore[arg-type]
                args,
                str(tmp / ONNX_FILE),
                input_names=list(_INPUTS),
                output_names=["embedding"],
                dynamic_axes={**axes, "embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
    except Exception as exc:  # an architecture the exporter cannot trace
        shutil.rmtree(tmp, ignore_errors=True)
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise OnnxExportError(f"cannot export the encoder to ONNX: {first}") from None
    shutil.copy2(tokenizer, tmp / TOKENIZER_FILE)
    max_len = int(getattr(model, "max_seq_length", 128) or 128)
    (tmp / "encoder.json").write_text(json.dumps({"max_seq_length": max_len}))
    if check:
        got = OnnxEncoder(tmp).encode(list(check))
        want = model.encode(list(check), normalize_embeddings=True, convert_to_numpy=True)  # type: ignore[attr-defined]
        if float(np.abs(got - want).max()) > 1e-4:
            shutil.rmtree(tmp, ignore_errors=True)
            raise OnnxExportError("the exported encoder disagrees with PyTorch")
    shutil.rmtree(directory, ignore_errors=True)
    tmp.rename(directory)
    return directory / ONNX_FILE


INT8_SUFFIX = "-int8"


def quantized(directory: Path) -> Path:
    """The int8 copy of an exported encoder, made once beside it: every MatMul's weights
    quantized per output channel, activations quantized on the fly. Per channel matters: on
    Mathlib theorems a per-tensor copy kept 0.75 of the fp32 top-10 neighbours, the
    per-channel one 0.90 at the same speed, 2.1x the fp32 throughput on this machine's
    AVX-512 VNNI cores (`benchmarks/encoder_speed.py`)."""
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = directory.with_name(directory.name + INT8_SUFFIX)
    if (out / ONNX_FILE).is_file():
        return out
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantizer's advice to pre-process, on every call
    try:
        quantize_dynamic(
            str(directory / ONNX_FILE),
            str(tmp / ONNX_FILE),
            per_channel=True,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul"],
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    except Exception as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise OnnxExportError(f"cannot quantize the encoder: {first}") from None
    finally:
        root.setLevel(level)
    for name in (TOKENIZER_FILE, "encoder.json"):
        shutil.copy2(directory / name, tmp / name)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


class OnnxEncoder:
    """Normalised sentence vectors from an exported model, on ONNX Runtime's CPU provider."""

    def __init__(self, directory: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.directory = Path(directory)
        settings = json.loads((self.directory / "encoder.json").read_text())
        self.max_seq_length = int(settings.get("max_seq_length", 128))
        self.tokenizer = Tokenizer.from_file(str(self.directory / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(self.max_seq_length)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(self.directory / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """One row per text; texts batched by length, each batch padded only to its longest
        text (on two cores, batches of 32 ran ~10% faster than 64)."""
        if len(texts) > batch_size:
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            vecs = self._encode([texts[i] for i in order], batch_size)
            out = np.empty_like(vecs)
            out[order] = vecs
            return out
        return self._encode(texts, batch_size)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            if len(batch) > 1:
                self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            else:
                self.tokenizer.no_padding()
            encs = self.tokenizer.encode_batch(batch)
            feed = {
                "input_ids": np.array([e.ids for e in encs], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64),
            }
            out = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})
            parts.append(np.asarray(out[0], dtype=np.float32))
        return np.vstack(parts) if parts else np.zeros((0, 0), np.float32)


def query_encoder(
    directory: Path, view: Callable[[str], str], prefix: str = ""
) -> Callable[[str], np.ndarray]:
    """`text -> vector` for queries, read the way the stored vectors were made. One thread:
    a single query gains nothing from two, and `--corpus all` runs two encoders side by side
    (ProofNet-dev p50 14 ms with one thread each, 20 ms with two)."""
    encoder = OnnxEncoder(directory, threads=1)
    return lambda text: encoder.encode([prefix + view(text)])[0]

"""Run the policy classifier's encoder: an int8 ONNX MiniLM and its tokenizer, on one core.

The model folder (``policy_rules/<university>/models/<name>/``) holds ``model.onnx`` (text in,
one probability per head out), ``tokenizer.json`` and ``card.json``, which names the heads in
output order and records how the model was trained. Everything is read from disk: no model hub,
no network. ``onnxruntime`` and ``tokenizers`` are the only libraries it needs; torch is for
training only (``python -m bench.train_classifier``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Tokens read per message; chat messages are short, and a long one is read in pieces.
MAX_TOKENS = 64
CARD_FORMAT = "policybot-classifier"

# onnxruntime (1.32 on Linux) starts Microsoft's telemetry when it is imported: it writes the
# machine's and the process's description to ~/.cache/Microsoft/DeveloperTools and tries to upload
# it. A bot that reads students' messages locally sends nothing anywhere, and this switch only
# works before the first import, so it is set when this module loads (an operator who wants the
# telemetry sets ORT_DISABLE_TELEMETRY=0 themselves).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


class EncoderError(Exception):
    """A model folder that cannot be used; the message is one line naming the file."""


class Encoder:
    """Score texts with the exported model: a probability per head, in the card's order."""

    def __init__(self, folder: Path, *, threads: int = 1) -> None:
        card_path = folder / "card.json"
        try:
            card = json.loads(card_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise EncoderError(f"{card_path}: file not found") from None
        except (OSError, ValueError) as exc:
            raise EncoderError(f"{card_path}: cannot read ({exc})") from None
        if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
            raise EncoderError(f"{card_path}: not a policybot classifier card")
        heads = card.get("heads")
        if not isinstance(heads, list) or not all(isinstance(h, str) for h in heads):
            raise EncoderError(f"{card_path}: heads: expected a list of names")
        self.card: dict[str, Any] = card
        self.heads: tuple[str, ...] = tuple(heads)
        self.folder = folder
        self._tokenizer = _tokenizer(
            folder / "tokenizer.json", int(card.get("max_tokens", MAX_TOKENS))
        )
        self._session = _session(folder / "model.onnx", threads)

    def score(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        """Return one tuple of head probabilities per text (batched when given several)."""
        import numpy as np

        if not texts:
            return []
        encodings = self._tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        (probabilities,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
        return [tuple(float(p) for p in row) for row in probabilities]


def _tokenizer(path: Path, max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises its own exception types for bad files
        raise EncoderError(f"{path}: cannot load the tokenizer ({exc})") from None
    # The packaged tokenizer pads everything to 128: one message needs no padding, and a batch
    # is padded by score() to its longest text, with the attention mask saying which is which.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


def _session(path: Path, threads: int) -> Any:
    import onnxruntime

    if not path.is_file():
        raise EncoderError(f"{path}: file not found")
    options = onnxruntime.SessionOptions()
    # One core per message: a bot process serves many communities, and the cascade keeps most
    # messages away from the encoder; more threads only add contention on a small machine.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        return onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own exception types for bad files
        raise EncoderError(f"{path}: cannot load the model ({str(exc).splitlines()[0]})") from None

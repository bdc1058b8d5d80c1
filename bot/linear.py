"""A fitted linear model over :mod:`bot.features`: stored, loaded and applied in pure Python.

Fitting needs scikit-learn (``bot.training``); answering needs only this module, so the
bot starts fast and a model is a small data file. The file is a JSON header line (classes,
thresholds, a fingerprint of what it was fitted on) followed by zlib-compressed arrays:
the buckets the model uses (uint32) and, per bucket, one weight per class (float32).
"""

from __future__ import annotations

import json
import math
import zlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.features import FEATURES_VERSION, Features


class ModelFileError(Exception):
    """A model file that cannot be used; names the file and what is wrong."""


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Per class, a weight per feature bucket and a bias; scores are logits.

    ``classes`` names the columns: either independent yes/no models, read with
    :meth:`sigmoids`, or the classes of one multiclass model, read with :meth:`probabilities`.
    """

    classes: tuple[str, ...]
    rows: dict[int, int]  # bucket -> row in weights
    weights: array  # row-major: len(rows) x len(classes)
    biases: tuple[float, ...]
    meta: dict[str, Any] = field(default_factory=dict)  # thresholds, fingerprint, ...

    def logits(self, features: Features) -> list[float]:
        width = len(self.classes)
        totals = list(self.biases)
        rows, weights = self.rows, self.weights
        for bucket, value in features.items():
            row = rows.get(bucket)
            if row is not None:
                start = row * width
                for column in range(width):
                    totals[column] += value * weights[start + column]
        return totals

    def sigmoids(self, features: Features) -> dict[str, float]:
        """Each column's probability, the columns read as independent yes/no models."""
        return {
            name: _sigmoid(v) for name, v in zip(self.classes, self.logits(features), strict=True)
        }

    def probabilities(self, features: Features) -> dict[str, float]:
        """Each class's probability (multiclass models: softmax over the logits)."""
        logits = self.logits(features)
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {name: e / total for name, e in zip(self.classes, exps, strict=True)}

    def save(self, path: Path) -> None:
        header = {
            "format": 1,
            "features_version": FEATURES_VERSION,
            "classes": list(self.classes),
            "biases": list(self.biases),
            "meta": self.meta,
        }
        buckets = array("I", sorted(self.rows, key=self.rows.__getitem__))
        body = zlib.compress(buckets.tobytes() + self.weights.tobytes(), 9)
        path.write_bytes(json.dumps(header).encode() + b"\n" + body)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        try:
            raw = path.read_bytes()
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if header.get("features_version") != FEATURES_VERSION:
                raise ModelFileError(
                    f"{path}: fitted for features version {header.get('features_version')}, "
                    f"this bot reads version {FEATURES_VERSION}: fit it again"
                )
            data = zlib.decompress(body)
        except (OSError, ValueError, zlib.error) as error:
            raise ModelFileError(f"{path}: not a readable model file: {error}") from None
        classes = tuple(header["classes"])
        buckets = array("I")
        item = buckets.itemsize
        count = len(data) // (item + 4 * len(classes))
        buckets.frombytes(data[: count * item])
        weights = array("f")
        weights.frombytes(data[count * item :])
        if len(weights) != count * len(classes):
            raise ModelFileError(f"{path}: truncated model file")
        return cls(
            classes=classes,
            rows={bucket: row for row, bucket in enumerate(buckets)},
            weights=weights,
            biases=tuple(header["biases"]),
            meta=header.get("meta", {}),
        )


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)

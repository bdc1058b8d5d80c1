"""Fitting the linear models of :mod:`bot.linear` with scikit-learn.

Imported only to fit a model (``sro-bot fit-safety``, or a knowledge base whose matcher
model is not cached yet), so answering never pays for importing NumPy and scikit-learn.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from bot.features import Features, features
from bot.linear import LinearModel

REGULARISATION = 10.0  # scikit-learn C: the texts are short, so fit them closely
FOLDS = 5
SEED = 0


def matrix(rows: Sequence[Features]) -> tuple[csr_matrix, np.ndarray]:
    """The rows as a matrix over only the buckets they use (fitting time grows with the
    width), and those buckets, column by column."""
    indptr, indices, values = [0], [], []
    for row in rows:
        indices.extend(row)
        values.extend(row.values())
        indptr.append(len(indices))
    buckets, columns = np.unique(np.array(indices, dtype=np.int64), return_inverse=True)
    x = csr_matrix(
        (np.array(values, dtype=np.float64), columns, np.array(indptr)),
        shape=(len(rows), len(buckets)),
    )
    return x, buckets


def _regression() -> LogisticRegression:
    return LogisticRegression(C=REGULARISATION, max_iter=5000, class_weight="balanced")


def fit_columns(
    texts: Sequence[str], columns: dict[str, tuple[Sequence[bool], Sequence[bool]]]
) -> tuple[LinearModel, dict[str, np.ndarray]]:
    """One yes/no regression per column, fitted on the rows its mask selects.

    ``columns`` maps a name to (labels, mask): column "self_harm" may be fitted on the
    emergencies only. Returns the model and, per column, out-of-fold probabilities for
    every text (NaN outside the mask), for choosing thresholds on unseen wording.
    """
    x, buckets = matrix([features(t) for t in texts])
    coefs, biases, held_out = [], [], {}
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    for name, (labels, mask) in columns.items():
        rows = np.flatnonzero(np.asarray(mask))
        y = np.asarray(labels, dtype=bool)[rows]
        model = _regression().fit(x[rows], y)
        coefs.append(model.coef_[0])
        biases.append(float(model.intercept_[0]))
        scores = np.full(len(texts), np.nan)
        scores[rows] = cross_val_predict(
            _regression(), x[rows], y, cv=folds, method="predict_proba"
        )[:, 1]
        held_out[name] = scores
    return _linear(list(columns), np.vstack(coefs), biases, buckets), held_out


def fit_classes(texts: Sequence[str], labels: Sequence[str]) -> LinearModel:
    """One multinomial regression over the labels' classes."""
    x, buckets = matrix([features(t) for t in texts])
    model = _regression().fit(x, np.asarray(labels))
    classes = [str(c) for c in model.classes_]
    return _linear(classes, model.coef_, model.intercept_.tolist(), buckets)


def _linear(
    classes: list[str], coef: np.ndarray, biases: list[float], buckets: np.ndarray
) -> LinearModel:
    used = np.flatnonzero(np.any(coef != 0, axis=0))
    weights = array("f", coef[:, used].T.astype(np.float32).ravel().tobytes())
    return LinearModel(
        classes=tuple(classes),
        rows={int(buckets[column]): row for row, column in enumerate(used)},
        weights=weights,
        biases=tuple(float(b) for b in biases),
    )


# The safety model's thresholds: the share of the corpus's look-alikes and everyday
# messages (held out by cross-validation) that each may flag.
CRISIS_FLAGS = 0.01
NOTICE_FLAGS = 0.065


def fit_safety(corpus: Path) -> LinearModel:
    """The safety model of a corpus of ``text<TAB>label<TAB>category`` lines.

    label is ``crisis`` or ``ok``; a crisis's category ``self_harm`` trains the self-harm
    column; the ok lines of categories ``lookalike`` and ``everyday`` (not the ordinary
    questions, which are far from any emergency) set the thresholds.
    """
    raw = corpus.read_bytes()
    rows = [line.split("\t") for line in raw.decode("utf-8").splitlines()[1:] if line.strip()]
    texts = [r[0] for r in rows]
    crisis = [r[1] == "crisis" for r in rows]
    self_harm = [r[1] == "crisis" and r[2] == "self_harm" for r in rows]
    lookalike = np.array([r[1] == "ok" and r[2] == "lookalike" for r in rows])
    model, held_out = fit_columns(
        texts, {"crisis": (crisis, [True] * len(rows)), "self_harm": (self_harm, crisis)}
    )
    unseen = held_out["crisis"]
    thresholds = {
        "crisis": float(np.quantile(unseen[lookalike], 1 - CRISIS_FLAGS)),
        "notice": float(np.quantile(unseen[lookalike], 1 - NOTICE_FLAGS)),
    }
    emergencies = unseen[np.asarray(crisis)]
    meta = {
        "thresholds": thresholds,
        "corpus_sha256": hashlib.sha256(raw).hexdigest(),
        "corpus_rows": {"crisis": int(sum(crisis)), "ok": len(rows) - int(sum(crisis))},
        "cross_validated_caught": {
            level: f"{int((emergencies >= t).sum())}/{len(emergencies)}"
            for level, t in thresholds.items()
        },
    }
    return replace(model, meta=meta)

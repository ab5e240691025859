"""MinHash implementations compared on the development corpora: speed and estimation error.

    .venv/bin/pip install datasketch   # only for this comparison; wirestream uses rensa
    .venv/bin/python bench/syndication_minhash.py [--corpus ../shared/corpus]

Each implementation signs the same 5-word shingle sets (wirestream's 32-bit shingle hashes)
of every ground-truth body with 128 permutations; the error is that of the Jaccard estimate
against the exact Jaccard, over pairs of a body and an edited copy (first half plus a foreign
paragraph) and over all pairs of unrelated bodies. "wirestream" is rensa called one document at
a time, as the stage signs; "rensa" signs all documents in one call.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from wirestream.core.syndication import MinHasher, Params, containment, shingles

HERE = Path(__file__).resolve().parent


def _bodies(corpus: Path) -> list[str]:
    texts = []
    for name in ("aeb", "fundus"):
        texts += [p.read_text(encoding="utf-8") for p in sorted((corpus / name / "truth").glob("*.txt"))]
    return [t for t in texts if len(t.split()) >= 50]


def _edited(texts: list[str]) -> list[str]:
    out = []
    for i, text in enumerate(texts):
        paras = text.split("\n\n")
        foreign = texts[(i + 7) % len(texts)].split("\n\n")[0]
        out.append("\n\n".join([*paras[: max(1, len(paras) // 2)], foreign]))
    return out


def plain(sets: list[np.ndarray]) -> list[np.ndarray]:
    """Multiply-shift hashes (a * x + b mod 2**64, a odd), the minimum's top 32 bits."""
    rng = np.random.default_rng(1)
    high = np.iinfo(np.uint64).max
    a = (rng.integers(0, high, size=128, dtype=np.uint64, endpoint=True) | np.uint64(1))[:, None]
    b = rng.integers(0, high, size=128, dtype=np.uint64, endpoint=True)[:, None]
    return [((a * s.astype(np.uint64)[None, :] + b).min(axis=1) >> np.uint64(32)).astype(np.uint32) for s in sets]


def wirestream_sigs(sets: list[np.ndarray]) -> list[np.ndarray]:
    hasher = MinHasher(Params())
    return [hasher.signature(s) for s in sets]


def datasketch_sigs(sets: list[np.ndarray]) -> list[np.ndarray]:
    from datasketch import MinHash

    out = []
    for s in sets:
        m = MinHash(num_perm=128, seed=1, hashfunc=int)
        m.update_batch(s.tolist())
        out.append(m.hashvalues)
    return out


def rensa_sigs(sets: list[np.ndarray]) -> list[np.ndarray]:
    from rensa import RMinHash

    flat = np.concatenate(sets).astype(np.uint64)
    offsets = np.concatenate([[0], np.cumsum([s.size for s in sets])]).astype(np.uint64)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, 128, 1)
    return [np.asarray(row) for row in matrix.to_rows()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    args = parser.parse_args()
    texts = _bodies(args.corpus)
    copies = _edited(texts)
    sets = [shingles(t) for t in texts]
    copy_sets = [shingles(t) for t in copies]
    exact_copy = [containment(a, b)[3] for a, b in zip(sets, copy_sets, strict=True)]
    unrelated = [(i, j) for i in range(0, len(sets), 3) for j in range(i + 1, len(sets), 17)]
    exact_unrelated = [containment(sets[i], sets[j])[3] for i, j in unrelated]
    print(f"{len(sets)} bodies, {sum(s.size for s in sets) / len(sets):.0f} shingles on average\n")
    print(f"{'implementation':<12} {'us/article':>10} {'MAE copies':>11} {'MAE unrelated':>14}")
    for name, sign in (
        ("plain numpy", plain),
        ("datasketch", datasketch_sigs),
        ("rensa", rensa_sigs),
        ("wirestream", wirestream_sigs),
    ):
        try:
            sign(sets[:2])
        except ImportError:
            print(f"{name:<12} not installed")
            continue
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            sigs = sign(sets)
            best = min(best, time.perf_counter() - started)
        copy_sigs = sign(copy_sets)
        est_copy = [float(np.mean(a == b)) for a, b in zip(sigs, copy_sigs, strict=True)]
        est_unrel = [float(np.mean(sigs[i] == sigs[j])) for i, j in unrelated]
        mae_copy = statistics.fmean(abs(e - x) for e, x in zip(est_copy, exact_copy, strict=True))
        mae_unrel = statistics.fmean(abs(e - x) for e, x in zip(est_unrel, exact_unrelated, strict=True))
        print(f"{name:<12} {best / len(sets) * 1e6:>10.1f} {mae_copy:>11.4f} {mae_unrel:>14.4f}")


if __name__ == "__main__":
    main()

"""Split an archive's issues into CI shards of similar size."""

from __future__ import annotations

import hashlib
from pathlib import Path

from huikan.build_key import issue_key
from huikan.ingest import article_files


def issue_weight(folder: Path) -> int:
    """Bytes of article files: a fair stand-in for the time an issue takes to build."""
    return sum((folder / name).stat().st_size for name in article_files(folder))


def shard_key(folders: list[str]) -> str:
    """One key for a shard's build/ cache: its issues' keys together."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"{folder}\0{issue_key(Path(folder))}\n".encode())
    return digest.hexdigest()[:32]


def plan_shards(folders: list[Path], shards: int) -> dict:
    """A GitHub Actions matrix: {"include": [{"shard": 1, "issues": "a b", "key": …}, …]}, largest issues
    placed first on the lightest shard. Shards left empty are left out."""
    weights = [0] * shards
    names: list[list[str]] = [[] for _ in range(shards)]
    for folder in sorted(folders, key=lambda f: (-issue_weight(f), str(f))):
        lightest = min(range(shards), key=lambda k: (weights[k], k))
        weights[lightest] += issue_weight(folder)
        names[lightest].append(str(folder))
    return {"include": [{"shard": k + 1, "issues": " ".join(sorted(group)), "key": shard_key(sorted(group))}
                        for k, group in enumerate(names) if group]}

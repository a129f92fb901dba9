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
    loads = [[0, []] for _ in range(shards)]
    for folder in sorted(folders, key=lambda f: (-issue_weight(f), str(f))):
        lightest = min(range(shards), key=lambda k: (loads[k][0], k))
        loads[lightest][0] += issue_weight(folder)
        loads[lightest][1].append(str(folder))
    return {"include": [{"shard": k + 1, "issues": " ".join(sorted(names)), "key": shard_key(sorted(names))}
                        for k, (_, names) in enumerate(loads) if names]}

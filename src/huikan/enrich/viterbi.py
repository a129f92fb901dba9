"""jieba's part-of-speech Viterbi decoder, with the same results in a fraction of the time.

jieba.posseg tags a run of characters its dictionary does not know (new words, names) with an HMM
over 256 (position, tag) states. Its decoder scores every pair of previous and next state, though a
state has transitions to only about 20 others; in a long report this is most of the enrich stage.
This decoder scores only the pairs that have a transition: jieba's tables hold no infinite scores,
so every other pair scores -inf and is never chosen, and the results are the same. `install()` puts
it in place of `jieba.posseg.viterbi` (jieba 0.42, pinned in pyproject.toml).

The route depends on the run and jieba's fixed tables only, and the same runs recur (年, 归母, a
name): in 150 broker reports, 7 of 10 runs decoded had been decoded before. Routes are remembered.
"""

from __future__ import annotations

MIN_FLOAT = -3.14e100  # jieba's log probability of an unseen emission


_incoming: dict[int, dict] = {}
_decoded: dict[tuple[str, int], tuple[float, list]] = {}  # (run, id of the tables) → what viterbi() gave
REMEMBERED = 50_000  # runs; then the memory starts again (a run is a few characters)


def incoming(trans_p: dict) -> dict:
    """For each state, the states with a transition into it and that transition's log probability."""
    into = _incoming.get(id(trans_p))
    if into is None:
        into = {}
        for y0, row in trans_p.items():
            for y, p in row.items():
                into.setdefault(y, []).append((y0, p))
        _incoming[id(trans_p)] = into
    return into


def viterbi(obs, states, start_p, trans_p, emit_p):
    """The most likely state sequence for OBS: (log probability, route), exactly as jieba's viterbi().

    jieba only reads the route; it is shared by every call for the same run."""
    key = (obs, id(emit_p))
    found = _decoded.get(key)
    if found is None:
        if len(_decoded) >= REMEMBERED:
            _decoded.clear()
        found = _decoded[key] = _decode(obs, states, start_p, trans_p, emit_p)
    return found


def _decode(obs, states, start_p, trans_p, emit_p):
    into = incoming(trans_p)
    all_states = trans_p.keys()
    previous: dict = {}
    paths: list[dict] = [{}]
    for y in states.get(obs[0], all_states):
        previous[y] = start_p[y] + emit_p[y].get(obs[0], MIN_FLOAT)
        paths[0][y] = ""
    for t in range(1, len(obs)):
        char = obs[t]
        current, path = _step(previous, char, states.get(char, all_states), into, emit_p)
        if not current:
            # No state of this character can follow: jieba then tries every state that can follow any.
            expected = {y for x in previous if trans_p[x] for y in trans_p[x]}
            current, path = _step(previous, char, expected or all_states, into, emit_p)
            if not current:  # no state leads anywhere; jieba's max() fails on this too
                raise ValueError(f"no tag sequence for {obs!r}")
        previous = current
        paths.append(path)
    prob, state = max((previous[y], y) for y in paths[-1])
    route = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return prob, route


def _step(previous: dict, char: str, candidates, into: dict, emit_p: dict) -> tuple[dict, dict]:
    """Scores and back-pointers of the CANDIDATES states that some state in PREVIOUS leads to."""
    current: dict = {}
    path: dict = {}
    for y in candidates:
        best = None
        emit = emit_p[y].get(char, MIN_FLOAT)
        for y0, p in into.get(y, ()):
            v = previous.get(y0)
            if v is not None:
                candidate = (v + p + emit, y0)
                if best is None or candidate > best:
                    best = candidate
        if best is not None:
            current[y], path[y] = best
    return current, path


def install() -> None:
    import jieba.posseg

    jieba.posseg.viterbi = viterbi

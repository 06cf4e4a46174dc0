"""The wording every message of the stub shares: "did you mean" hints and counted nouns.

Only the standard library here: the plugin's failure paths import it, and plugin load stays
cheap.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice ``value`` most likely misspells, or None when none is close.

    Case is ignored first (``InstanceID`` is ``InstanceId``), as a typo in case is the most
    common one and difflib's ratio would weigh it like any other letter.
    """
    folded = {choice.lower(): choice for choice in choices if choice != value}
    same = folded.get(value.lower())
    if same is not None:
        return same
    import difflib  # only when a name is misspelt: plugin load stays cheap

    close = difflib.get_close_matches(value.lower(), list(folded), n=1)
    return folded[close[0]] if close else None


def counted(number: int, noun: str) -> str:
    """``1 call``, ``2 calls``: a number and its noun, plural unless the number is 1."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest choice, or nothing when none is close."""
    found = closest(value, choices)
    return f" Did you mean {found!r}?" if found is not None else ""

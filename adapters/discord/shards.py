"""Which Discord shards this process serves, when several processes split one bot's servers.

Discord requires sharding past 2,500 servers; each shard carries the servers whose id, shifted
right 22 bits, modulo the shard count, is its number. ``policybot run --shard-ids 0,1
--shard-count 4`` makes this process an ``AutoShardedBot`` over shards 0 and 1 of 4; another
process runs 2,3, and both share one PostgreSQL database, so one ladder, one rate limit and
one record per user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Shards:
    """The shard numbers this process connects, out of ``count`` for the whole bot."""

    ids: tuple[int, ...]
    count: int

    def options(self) -> dict[str, Any]:
        """Return the ``AutoShardedBot`` keyword arguments for these shards."""
        return {"shard_ids": list(self.ids), "shard_count": self.count}


def parse_shards(ids: str | None, count: int | None) -> Shards | None:
    """Read ``--shard-ids 0,1`` and ``--shard-count 4``; None when neither is given.

    Raise ValueError with one line naming the option and what is wrong.
    """
    if ids is None and count is None:
        return None
    if ids is None or count is None:
        raise ValueError("--shard-ids and --shard-count go together: give both or neither")
    if count < 1:
        raise ValueError(f"--shard-count: expected 1 or more, got {count}")
    numbers: list[int] = []
    for part in ids.split(","):
        text = part.strip()
        if not text.isdigit():
            raise ValueError(f"--shard-ids: expected numbers such as 0,1, got {part!r}")
        number = int(text)
        if number >= count:
            raise ValueError(
                f"--shard-ids: shard {number} does not exist with --shard-count {count} "
                f"(shards are numbered 0 to {count - 1})"
            )
        if number in numbers:
            raise ValueError(f"--shard-ids: shard {number} is named twice")
        numbers.append(number)
    return Shards(tuple(sorted(numbers)), count)

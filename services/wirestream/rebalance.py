"""A Faust transport whose consumer commits before it forgets revoked partitions.

Faust 0.15's consumer drops the acked offsets of revoked partitions *before* its revocation
handler waits for in-flight events and commits, so every event processed since the last
periodic commit is processed again by the partition's next owner: duplicates on every
rebalance. Running the handler first (flush, wait for acks, commit while the partitions are
still ours) and forgetting afterwards leaves nothing to redo.
"""

from __future__ import annotations

from typing import Any

import faust
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP


class _Consumer(aiokafka_driver.Consumer):
    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        await self._on_partitions_revoked(revoked)
        if self._active_partitions is not None:
            self._active_partitions.difference_update(revoked)
        self._paused_partitions.difference_update(revoked)
        for tp in revoked:
            for state in (self._gap, self._acked, self._acked_index, self._read_offset, self._committed_offset):
                state.pop(tp, None)


class _Transport(aiokafka_driver.Transport):
    Consumer = _Consumer


class App(faust.App):
    """`faust.App` on the transport above."""

    def _new_transport(self) -> Any:
        return _Transport(self.conf.broker_consumer, self)

"""A minimal progress bar on stderr for long demo generations."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None, width: int = 30):
        self.total = max(total, 1)
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.label = ""

    def stage(self, label: str) -> None:
        self.label = label
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.done + count, self.total)
        self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        filled = int(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {100 * self.done // self.total:3d}% {self.done:,}/{self.total:,} MSMEs  {self.label:<28}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

"""An executor wrapper that simulates Ctrl-C, for resume tests under any executor."""

from __future__ import annotations

from arc_harness.executor import Executor


class InterruptAfter:
    """Wraps a real executor and raises KeyboardInterrupt after ``n`` finished tasks."""

    def __init__(self, n: int, inner: Executor) -> None:
        self.n, self.inner = n, inner

    def run(self, jobs, on_result):
        def counted(result):
            on_result(result)
            self.n -= 1
            if self.n == 0:
                raise KeyboardInterrupt

        self.inner.run(jobs, counted)

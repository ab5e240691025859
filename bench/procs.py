"""Processes under test: start, freeze while the backlog is published, thaw, measure CPU, stop."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import psutil


class Processes:
    """Commands (several copies of one, or one of each), each logging to its own file."""

    def __init__(
        self, argvs: Sequence[Sequence[str]], envs: Sequence[Mapping[str, str]], logdir: Path, name: str
    ) -> None:
        self.logs = [logdir / f"{name}-{n}.log" for n in range(len(envs))]
        self.procs = []
        for argv, env, log in zip(argvs, envs, self.logs, strict=True):
            with open(log, "wb") as out:
                self.procs.append(subprocess.Popen(list(argv), env=dict(env), stdout=out, stderr=subprocess.STDOUT))
        self._ps = [psutil.Process(p.pid) for p in self.procs]

    def check_alive(self) -> None:
        for proc, log in zip(self.procs, self.logs, strict=True):
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{log.name} exited with {proc.returncode}:\n{tail}")

    def freeze(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGCONT)

    def cpu_seconds(self) -> float:
        """User plus system time of the processes and their threads so far."""
        total = 0.0
        for ps in self._ps:
            times = ps.cpu_times()
            total += times.user + times.system
        return total

    def stop(self, timeout: float = 20.0) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGCONT)
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

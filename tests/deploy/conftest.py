"""Servers in subprocesses on PostgreSQL and Redis, stopped after each test."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import servers


class Launcher:
    """Starts real processes for one test; each starts with ``env()`` unless given another."""

    def __init__(self, root: Path) -> None:
        self.var_dir = root / "var"
        self.log_dir = root / "logs"
        self.var_dir.mkdir()
        (self.var_dir / "static").mkdir()
        self.log_dir.mkdir()
        self.started: list[servers.Process] = []
        self._env: dict[str, str] | None = None

    def env(self, **overrides: str) -> dict[str, str]:
        """The shared production environment; the first call fixes its cache prefix."""
        if self._env is None:
            self._env = servers.production_env(self.var_dir)
        return {**self._env, **overrides}

    def _track(self, start: Callable[..., servers.Process], env, **kwargs) -> servers.Process:
        process = start(env if env is not None else self.env(), self.log_dir, **kwargs)
        self.started.append(process)
        return process

    def gunicorn(self, env: dict[str, str] | None = None, **kwargs) -> servers.Process:
        return self._track(servers.start_gunicorn, env, **kwargs)

    def dev_server(self, env: dict[str, str] | None = None, **kwargs) -> servers.Process:
        return self._track(servers.start_dev_server, env, **kwargs)

    def worker(self, env: dict[str, str] | None = None, **kwargs) -> servers.Process:
        return self._track(servers.start_worker, env, **kwargs)

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()


@pytest.fixture
def launch(tmp_path, require_postgres, require_redis, transactional_db) -> Iterator[Launcher]:
    launcher = Launcher(tmp_path)
    try:
        yield launcher
    finally:
        launcher.stop_all()


@pytest.fixture(autouse=True)
def fast_password_hasher() -> None:
    """Not here: staff made by these tests log in to real server processes, whose
    settings know only the production hashers."""

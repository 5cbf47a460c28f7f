"""The mutation run's configuration (mutation/config.toml) as typed values."""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# MUTATION_CONFIG points at another file (a trial with a smaller pool, say).
CONFIG_PATH = Path(os.environ.get("MUTATION_CONFIG") or Path(__file__).with_name("config.toml"))


@dataclass(frozen=True)
class Module:
    path: str
    tests: list[str]

    @property
    def slug(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")


@dataclass(frozen=True)
class Equivalent:
    module: str
    line: str
    mutant: str
    reason: str


@dataclass(frozen=True)
class Config:
    modules: list[Module]
    equivalents: list[Equivalent]
    binary: frozenset[str]
    comparison: frozenset[str]
    timeout_constant: float = 120.0
    timeout_multiplier: float = 10.0
    pytest_plugins: list[str] = field(default_factory=list)
    markers: str = ""
    workers: int = 1

    def module(self, path: str) -> Module:
        for module in self.modules:
            if path in (module.path, module.slug):
                return module
        known = ", ".join(m.path for m in self.modules)
        raise SystemExit(f"{path} is not a module of mutation/config.toml (known: {known})")


def load(path: Path = CONFIG_PATH) -> Config:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    run = data.get("run", {})
    return Config(
        modules=[Module(m["path"], list(m["tests"])) for m in data["module"]],
        equivalents=[
            Equivalent(e["module"], e["line"].strip(), e["mutant"].strip(), e["reason"])
            for e in data.get("equivalent", [])
        ],
        binary=frozenset(data["operators"]["binary"]),
        comparison=frozenset(data["operators"]["comparison"]),
        timeout_constant=float(run.get("timeout_constant", 120)),
        timeout_multiplier=float(run.get("timeout_multiplier", 10)),
        pytest_plugins=list(run.get("pytest_plugins", [])),
        markers=run.get("markers", ""),
        workers=int(run.get("workers", 1)),
    )

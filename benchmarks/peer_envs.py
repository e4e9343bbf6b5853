"""Private virtual environments for the dedup peers that cannot share ours.

datatrove and text-dedup are measured in their own environments, each
installed from PyPI with the requirements its authors declare, because
neither can live in the ``bench`` environment without changing what we
measure there:

- text-dedup 0.4 pins ``urllib3<=2.0`` while trafilatura 2 (the cleaning
  suites' peer) needs ``urllib3>=2.8``; pip installs it only by breaking
  trafilatura.
- datatrove's minhash stages need its ``processing`` extra (``regex``,
  ``tokenizers``, ``xxhash<4``: with xxhash 4 its default xxhash config fails
  on ``str`` input) and ``io`` (``orjson`` for ``JsonlReader``); that extra
  also pins ``trafilatura<1.12``, and its English word tokenizer is spaCy's
  blank ``en`` pipeline (no model download).

Create them once with ``python -m benchmarks.peer_envs`` (all peers) or
``python -m benchmarks.peer_envs datatrove``; they live under ``.peer-envs/``
in the repository, or where ``DEDUPE_PEER_ENVS`` points. A suite asks
:func:`python_for` and skips a peer whose environment is missing, saying so.

>>> sorted(REQUIREMENTS)
['datatrove', 'text-dedup']
>>> python_for("no-such-peer") is None
True
"""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

from .data import ROOT

REQUIREMENTS: dict[str, list[str]] = {
    "datatrove": ["datatrove[io,processing]>=0.10.1", "spacy>=3.8"],
    "text-dedup": ["text-dedup>=0.4.0"],
}
_MARKER = "dedupe-peer.json"


def root() -> Path:
    """Where the peers' environments live: ``$DEDUPE_PEER_ENVS`` or ``.peer-envs/`` in the repository."""
    env = os.environ.get("DEDUPE_PEER_ENVS")
    return Path(env) if env else ROOT / ".peer-envs"


def _env_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def python_for(peer: str) -> Path | None:
    """The interpreter of ``peer``'s environment, or None when it was not (completely) installed."""
    env = root() / peer
    if peer not in REQUIREMENTS or not (env / _MARKER).is_file():
        return None
    py = _env_python(env)
    return py if py.exists() else None


def versions(peer: str) -> dict[str, str]:
    """Versions of the packages installed for ``peer`` (empty when it is not installed)."""
    marker = root() / peer / _MARKER
    if not marker.is_file():
        return {}
    return dict(json.loads(marker.read_text())["versions"])


def missing_message(peer: str) -> str:
    """Why ``peer`` is skipped and the command that makes it available."""
    return (f"{peer} skipped: its environment is not installed under {root()} "
            f"(create it with `python -m benchmarks.peer_envs {peer}`)")


def install(peer: str) -> Path:
    """Create ``peer``'s environment (a venv with pip) and install its requirements; returns its python."""
    if peer not in REQUIREMENTS:
        raise ValueError(f"unknown peer {peer!r}: choose one of {', '.join(sorted(REQUIREMENTS))}")
    env = root() / peer
    (env / _MARKER).unlink(missing_ok=True)
    venv.create(env, with_pip=True, clear=True)
    py = _env_python(env)
    subprocess.run([str(py), "-m", "pip", "install", "-q", *REQUIREMENTS[peer]], check=True)
    names = [r.split("[")[0].split(">")[0].split("=")[0].split("<")[0] for r in REQUIREMENTS[peer]]
    probe = ("import json, sys\nfrom importlib.metadata import version\n"
             "print(json.dumps({n: version(n) for n in sys.argv[1:]}))")
    found = subprocess.run([str(py), "-c", probe, *names], check=True, capture_output=True, text=True)
    (env / _MARKER).write_text(json.dumps({"peer": peer, "requirements": REQUIREMENTS[peer],
                                           "versions": json.loads(found.stdout)}, indent=1))
    return py


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.peer_envs [PEER ...]``: install the named peers (default: all)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.peer_envs", description=main.__doc__)
    parser.add_argument("peers", nargs="*", metavar="PEER", help=f"one of {', '.join(sorted(REQUIREMENTS))} (default: all)")
    peers = parser.parse_args(argv).peers or sorted(REQUIREMENTS)
    if unknown := [p for p in peers if p not in REQUIREMENTS]:
        parser.error(f"unknown peer {unknown[0]!r}: pick from {', '.join(sorted(REQUIREMENTS))}")
    for peer in peers:
        py = install(peer)
        print(f"{peer}: {py} ({', '.join(f'{k} {v}' for k, v in versions(peer).items())})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

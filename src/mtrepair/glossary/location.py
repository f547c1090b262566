"""Which glossary folder a command uses, and where that choice came from.

Installed with pip or pipx outside the repository, mtrepair used to run with no glossary at all
and turned "408 pesos" into "408 weights" (issue 11 part 5). Now the reviewed glossary ships
inside the package as a read-only default, and the user can point elsewhere. First match wins:

1. ``--glossary DIR`` on the command line;
2. the ``MTREPAIR_GLOSSARY`` environment variable;
3. ``[glossary] path`` in ``./mtrepair.toml`` (the working directory);
4. ``[glossary] path`` in the user's ``$XDG_CONFIG_HOME/mtrepair/mtrepair.toml`` (``~/.config/...``);
5. ``./glossary`` when it holds ``glossary.tsv`` (the repository's own workflow: README command 1);
6. the shipped default, ``mtrepair/data/glossary`` (read-only).

The order runs from the most specific (this command) to the most general (this install), as
git and pip resolve their settings. ``resolve_glossary`` only decides; it reads no glossary.
Reviewer writes check ``require_writable`` first so the shipped copy is never edited in place:
a pip upgrade would silently discard those edits.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_FILE, expand_home, read_config, user_config_file
from ..errors import GlossaryError
from .tsvfile import GLOSSARY_FILE, HISTORY_FILE

ENV_VAR = "MTREPAIR_GLOSSARY"
LOCAL_DIR = "glossary"
# In the repository this folder is a symlink to the top-level glossary/ that reviewers edit, so
# the wheel ships exactly the reviewed file (one source of truth); setuptools copies the files
# it points at into the wheel.
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "glossary"
SHIPPED_FILES = (GLOSSARY_FILE, HISTORY_FILE)

# The ``source`` names, one per rule above; ``mtrepair glossary where`` prints them.
SOURCE_CLI = "--glossary"
SOURCE_ENV = ENV_VAR
SOURCE_LOCAL = "./glossary"
SOURCE_SHIPPED = "shipped default"


@dataclass(frozen=True, slots=True)
class GlossaryLocation:
    """The glossary folder in use: ``path``, ``source`` (which rule chose it), ``read_only`` (the shipped copy)."""

    path: Path
    source: str
    read_only: bool = False

    def describe(self) -> str:
        """One line for ``mtrepair glossary where``: the folder, then where the choice came from."""
        suffix = ", read-only" if self.read_only else ""
        return f"{self.path}\t({self.source}{suffix})"


def toml_source(file: Path) -> str:
    """The ``source`` of a glossary named by a settings file: ``mtrepair.toml (PATH)``."""
    return f"{CONFIG_FILE} ({file})"


def _under(cwd: Path, value: str | Path, env: Mapping[str, str]) -> Path:
    path = expand_home(str(value), env)
    return path if path.is_absolute() else cwd / path


def resolve_glossary(cli_value: str | Path | None, *, cwd: Path, env: Mapping[str, str]) -> GlossaryLocation:
    """The glossary folder a command should use; see the module docstring for the order.

    ``cwd`` and ``env`` are passed in (the CLI gives ``Path.cwd()`` and ``os.environ``) so the
    choice is a pure function of them. An empty ``MTREPAIR_GLOSSARY`` counts as unset, as shells
    leave it after ``export MTREPAIR_GLOSSARY=``. A settings file that is present but broken raises
    ConfigError (one line naming the file and line) rather than being skipped: skipping it would
    quietly apply a different glossary. A settings file without ``[glossary] path`` is passed over.
    """
    if cli_value is not None and str(cli_value) != "":
        return GlossaryLocation(_under(cwd, cli_value, env), SOURCE_CLI)
    from_env = env.get(ENV_VAR, "").strip()
    if from_env:
        return GlossaryLocation(_under(cwd, from_env, env), SOURCE_ENV)
    for file in (cwd / CONFIG_FILE, user_config_file(env)):
        if file is None or not file.is_file():
            continue
        config = read_config(file, env)
        if config.glossary is not None:
            return GlossaryLocation(config.glossary, toml_source(file))
    local = cwd / LOCAL_DIR
    if (local / GLOSSARY_FILE).is_file():
        return GlossaryLocation(local, SOURCE_LOCAL)
    return GlossaryLocation(SHIPPED_DIR, SOURCE_SHIPPED, read_only=True)


def require_writable(location: GlossaryLocation) -> Path:
    """The folder to write, or GlossaryError when it is the shipped read-only default."""
    if location.read_only:
        raise GlossaryError(
            "the shipped glossary is read-only; copy it with `mtrepair glossary init DIR`, "
            f"then pass --glossary DIR or set {ENV_VAR}=DIR",
            path=str(location.path),
        )
    return location.path


def init_glossary(directory: str | Path, *, shipped: Path = SHIPPED_DIR) -> list[Path]:
    """Copy the shipped glossary (glossary.tsv and its history) into ``directory`` to edit it there.

    Refuses (GlossaryError) when ``directory`` already holds a glossary.tsv, so a reviewed
    glossary is never overwritten by the default. Returns the files written. Each file is
    created exclusively (mode ``x``), so two concurrent inits cannot both win.
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise GlossaryError("not a directory; name a folder to copy the glossary into", path=str(target))
    for name in SHIPPED_FILES:
        if (target / name).exists():
            raise GlossaryError(f"already holds a {name}; nothing copied", path=str(target))
    if not (shipped / GLOSSARY_FILE).is_file():
        raise GlossaryError("the shipped glossary is missing from this install; reinstall mtrepair", path=str(shipped))
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in SHIPPED_FILES:
        source = shipped / name
        if not source.is_file():
            continue
        destination = target / name
        try:
            with source.open("rb") as reader, destination.open("xb") as writer:
                shutil.copyfileobj(reader, writer)
        except FileExistsError:
            raise GlossaryError(f"already holds a {name}; nothing more copied", path=str(target)) from None
        written.append(destination)
    return written

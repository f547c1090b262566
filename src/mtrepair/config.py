"""``mtrepair.toml``: the settings file a user keeps beside their articles or in their config folder.

Installed with pip or pipx outside the repository, mtrepair had no way to be pointed at a
glossary except ``--glossary`` on every command (issue 11 part 5). The file is TOML, read with
the standard ``tomllib`` (``tomli`` on Python 3.10)::

    [glossary]
    path = "../reviewed-glossary"   # relative to this file's folder; ~ is the home folder

Every problem is one line naming the file and, where known, the line. Sections and keys are a
registry (``SECTIONS``): an unknown one is an error rather than silently ignored, because a
misspelt ``[glosary]`` would otherwise fall back to another glossary without a word.
Nothing here reads the environment: callers pass ``env`` (the CLI passes ``os.environ``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MtrepairError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

CONFIG_FILE = "mtrepair.toml"
APP_DIR = "mtrepair"

# section -> the keys it may hold. Add a section here when a setting is added.
SECTIONS: dict[str, frozenset[str]] = {"glossary": frozenset({"path"})}

# tomllib's messages end "(at line 3, column 5)"; TOMLDecodeError has no lineno before 3.14.
_AT_LINE = re.compile(r"\s*\(at line (\d{1,9}), column (\d{1,9})\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


class ConfigError(MtrepairError):
    """An ``mtrepair.toml`` that cannot be read or holds a setting mtrepair does not know."""


@dataclass(frozen=True, slots=True)
class Config:
    """One settings file, read and checked. ``glossary`` is absolute (resolved against ``file``'s folder)."""

    file: Path
    glossary: Path | None = None


def user_config_file(env: Mapping[str, str]) -> Path | None:
    """``$XDG_CONFIG_HOME/mtrepair/mtrepair.toml``, else ``$HOME/.config/mtrepair/mtrepair.toml``.

    The XDG spec says a relative ``XDG_CONFIG_HOME`` is invalid and must be ignored. With neither
    variable set (a bare service account) there is no user config folder: None.
    """
    xdg = env.get("XDG_CONFIG_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / APP_DIR / CONFIG_FILE
    home = env.get("HOME", "")
    if home:
        return Path(home) / ".config" / APP_DIR / CONFIG_FILE
    return None


def expand_home(value: str, env: Mapping[str, str]) -> Path:
    """``~`` and ``~/x`` against ``env['HOME']`` (not the process's own), so tests and callers stay pure."""
    home = env.get("HOME", "")
    if home and (value == "~" or value.startswith("~/")):
        return Path(home) / value[2:]
    return Path(value)


def _decode_error(exc: tomllib.TOMLDecodeError, file: Path, text: str) -> ConfigError:
    message = str(exc)
    found = _AT_LINE.search(message)
    if found is not None:
        reason = message[: found.start()]
        line = int(found.group(1))
        return ConfigError(f"invalid TOML: {reason} (column {found.group(2)})", path=str(file), line=line)
    if _AT_END.search(message):
        last = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        return ConfigError(f"invalid TOML: {_AT_END.sub('', message)}", path=str(file), line=max(last, 1))
    return ConfigError(f"invalid TOML: {message}", path=str(file))


def _key_line(text: str, section: str, key: str | None) -> int | None:
    """The line of ``[section]`` (or of ``key`` inside it), to point the user at a bad setting.

    tomllib returns plain dicts without positions, so this scans the text: enough for the
    flat tables this file holds, and only ever used to decorate an error.
    """
    header = re.compile(r"^\s*\[\s*" + re.escape(section) + r"\s*\]")
    assign = re.compile(r"^\s*" + re.escape(key) + r"\s*=") if key is not None else None
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if header.match(line):
            if assign is None:
                return number
            inside = True
        elif line.lstrip().startswith("["):
            inside = False
        elif inside and assign is not None and assign.match(line):
            return number
    return None


def _check(data: dict[str, Any], file: Path, text: str) -> None:
    for section, value in data.items():
        if section not in SECTIONS:
            known = ", ".join(f"[{s}]" for s in SECTIONS)
            raise ConfigError(
                f"unknown setting {section!r}; mtrepair.toml knows {known}",
                path=str(file),
                line=_key_line(text, section, None),
            )
        if not isinstance(value, dict):
            raise ConfigError(
                f"{section!r} must be a table: [{section}]", path=str(file), line=_key_line(text, section, None)
            )
        for key in value:
            if key not in SECTIONS[section]:
                known = ", ".join(sorted(SECTIONS[section]))
                raise ConfigError(
                    f"unknown key {key!r} in [{section}]; it takes {known}",
                    path=str(file),
                    line=_key_line(text, section, key),
                )


def read_config(file: Path, env: Mapping[str, str]) -> Config:
    """Read and check one ``mtrepair.toml``; raises ConfigError (one line: file, line, what is wrong)."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read settings file: {exc.strerror or exc}", path=str(file)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError("settings file is not UTF-8 text", path=str(file)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _decode_error(exc, file, text) from None
    _check(data, file, text)
    glossary = data.get("glossary", {}).get("path")
    if glossary is None:
        return Config(file=file)
    if not isinstance(glossary, str) or not glossary.strip():
        raise ConfigError(
            '[glossary] path must be a non-empty string, e.g. path = "glossary"',
            path=str(file),
            line=_key_line(text, "glossary", "path"),
        )
    folder = expand_home(glossary.strip(), env)
    if not folder.is_absolute():
        # Relative to the file, not to wherever the command happens to run: the file travels with its glossary.
        folder = file.parent / folder
    return Config(file=file, glossary=folder)

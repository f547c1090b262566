"""The content id of a (source, target) pair: the TMX ``tuid``, stable across exports.

BLAKE2b (80 bits, 20 hex digits) over ``{bytes in source}:{source}`` followed,
unless the target is null, by ``\\x00{target}``: the length prefix makes the
encoding unambiguous, so two different pairs never hash the same bytes, and a
null target differs from an empty one. Segment pairs get theirs when they are
written (the store's ``segments.pair_id``), so a million-segment TMX export does
not hash them again; span and term pairs, whose target a review can change, are
hashed at export time.
"""

from __future__ import annotations

import hashlib

import polars as pl


def pair_id(source: str | None, target: str | None) -> str:
    src = (source or "").encode("utf-8")
    data = f"{len(src)}:".encode() + src
    if target is not None:
        data += b"\x00" + target.encode("utf-8")
    return hashlib.blake2b(data, digest_size=10).hexdigest()


def pair_ids(source: pl.Series, target: pl.Series) -> pl.Series:
    """``pair_id`` of every row; polars builds the bytes, so Python only hashes (1 µs a row)."""
    frame = pl.DataFrame({"s": source, "t": target})
    s, t = pl.col("s").fill_null(""), pl.col("t")
    data = frame.select(
        pl.concat_str(
            [
                s.str.len_bytes().cast(pl.String),
                pl.lit(":"),
                s,
                pl.when(t.is_null()).then(pl.lit("")).otherwise(pl.lit("\x00") + t),
            ]
        ).cast(pl.Binary)
    ).to_series()
    blake2b = hashlib.blake2b
    return pl.Series("pair_id", [blake2b(b, digest_size=10).hexdigest() for b in data.to_list()], dtype=pl.String)

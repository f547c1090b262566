"""Scoring the whole ``clean`` pipeline on segment gold, and fitting confidence calibration."""

from .clean import CleanScore, evaluate_clean, score_pipeline
from .gold import GoldSet, read_gold

__all__ = ["CleanScore", "GoldSet", "evaluate_clean", "read_gold", "score_pipeline"]

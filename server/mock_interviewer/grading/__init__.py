"""Grading a candidate's answer against a question's reference answer and key points."""

from .models import Criterion, CriterionScore, GradeResult, band_for

__all__ = ["Criterion", "CriterionScore", "GradeResult", "band_for"]

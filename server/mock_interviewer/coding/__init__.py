"""Coding questions: the in-sandbox harness, the sandbox that runs it, and grading code by its test results."""

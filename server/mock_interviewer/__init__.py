"""A mock interviewer for ML/AI engineering interviews."""

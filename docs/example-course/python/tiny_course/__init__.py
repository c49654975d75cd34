"""The example course's own Python: an experiment, a reference, case generators, a known mistake."""

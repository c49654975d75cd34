"""Tests of tutor.progress and the progress commands (a package, so its conftest is not `conftest`)."""

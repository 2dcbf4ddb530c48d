"""Extraction, one document at a time, stage by stage: header -> references -> tasks.

:mod:`cascade.extract.pipeline` runs the stages in order."""

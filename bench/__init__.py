"""Benchmarks of detection quality and speed, policybot side by side with its peers.

Run ``python -m bench.quality`` and ``python -m bench.speed``; both read the labelled
third-party data from ``../shared/eval/`` at run time and never copy it into the repo.
"""

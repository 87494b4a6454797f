"""Detectors: small objects built from rule data that turn a message context into findings.

Each kind of detector lives in its own module and registers itself in
:data:`bot.detectors.registry.DETECTOR_KINDS`; ``policy_rules/<university>/rules.yaml`` says
which kinds run with which data. See ``docs/adding-a-detector.md``.
"""

"""policybot's platform-free core: policy, rules, detectors, escalation and storage.

Nothing in this package imports a chat platform's library; adapters translate platform events
into :class:`bot.message.Message` and render :class:`bot.decision.Decision` back.
"""

"""The Discord adapter: discord.py events in, core decisions out (see docs/discord.md).

``adapters.discord.cli.run`` and ``invite_url_command`` are what ``policybot`` calls;
``adapters.discord.bot.run_discord(core, token)`` runs the bot with a token in hand.
"""

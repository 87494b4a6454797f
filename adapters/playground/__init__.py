"""The playground: a local web page that looks like a society channel, with the real core behind it."""

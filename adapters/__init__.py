"""Platform adapters: each turns one chat platform's events into core messages and back."""

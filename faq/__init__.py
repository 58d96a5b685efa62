"""FAQ knowledge base and matching engine (no Telegram code here)."""

"""Telegram layer and the `faqbot` command line."""

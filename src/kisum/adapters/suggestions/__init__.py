"""Suggestion providers behind the ai backend's ``SuggestionProvider`` port."""

"""Hosted models: their prices (catalogue), the API-versus-self-hosting economics (compare) and the
comparison of one resource scenario with one hosted model (versus)."""

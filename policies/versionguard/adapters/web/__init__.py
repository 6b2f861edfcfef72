"""Public web pages fetched over HTTPS (Microsoft's published retirement schedule)."""

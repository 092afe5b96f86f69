"""`comunidad fund ...`: competitive funds (fondos concursables)."""

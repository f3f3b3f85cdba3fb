"""salesdash: analytics and forecasting for companies selling through their own channels."""

"""Operations signals: structured logs with request context, Prometheus metrics, Sentry, shutdown state."""

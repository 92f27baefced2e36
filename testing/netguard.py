"""The outbound allow-list a production deployment runs with (public networks, web and high ports)."""

PRODUCTION = {"WEBHOOK_ALLOWED_NETWORKS": ["public"], "WEBHOOK_ALLOWED_PORTS": ["80", "443", "1024-65535"]}

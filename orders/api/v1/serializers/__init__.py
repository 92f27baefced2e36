"""Request and response serializers of the orders API, one module per resource."""

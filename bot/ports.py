"""Where the health endpoint is: standard library only, so the health probe starts fast."""

HEALTH_PATH = "/healthz"
DEFAULT_HEALTH_PORT = 8080
DEFAULT_WEBHOOK_PORT = 8443

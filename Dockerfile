# faqbot: Telegram FAQ bot. Polling by default; set WEBHOOK_URL and WEBHOOK_SECRET for webhooks.
#   docker build -t faqbot .
#   docker run -e TELEGRAM_BOT_TOKEN=... -v faqbot-data:/data faqbot
FROM python:3.11.10-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/faqbot.sqlite3 \
    HEALTH_PORT=8080

WORKDIR /app
# Only what the package needs at run time: the FAQ ships inside it (faq/data/faq.yaml).
COPY pyproject.toml README.md ./
COPY faq ./faq
COPY bot ./bot
# The local package, not a registry name: its dependencies are bounded in pyproject.toml.
# hadolint ignore=DL3013
RUN pip install --no-cache-dir .
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin faqbot \
    && mkdir -p /data \
    && chown faqbot /data

USER 10001
VOLUME ["/data"]
# Webhook mode listens on WEBHOOK_PORT (8443); polling mode serves /healthz on 127.0.0.1:8080.
EXPOSE 8443

# `faqbot health` asks /healthz (HEALTH_PORT, or WEBHOOK_PORT in webhook mode): unhealthy when
# the bot stopped running or, in polling mode, Telegram has not answered for two minutes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["faqbot", "health"]

# On SIGTERM the bot finishes the update in hand, closes the database and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["faqbot"]
CMD ["run"]

# faqbot: Telegram FAQ bot. Polling by default; set WEBHOOK_URL and WEBHOOK_SECRET for webhooks.
FROM python:3.11.10-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/faqbot.sqlite3 \
    HEALTH_FILE=/tmp/faqbot.alive

WORKDIR /app
COPY pyproject.toml README.md ./
COPY faq ./faq
COPY bot ./bot
RUN pip install ".[webhooks]" \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin faqbot \
    && mkdir -p /data && chown faqbot /data

USER faqbot
VOLUME ["/data"]
EXPOSE 8443

# The bot touches HEALTH_FILE while its update loop is alive; stale for 2 minutes = unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["faqbot", "health"]

# python-telegram-bot stops cleanly on SIGTERM: it finishes the update in hand, then exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["faqbot"]
CMD ["run"]

# faqbot: Telegram FAQ bot. Polling by default; set WEBHOOK_URL and WEBHOOK_SECRET for webhooks.
#   docker build -t faqbot .
#   docker run -e TELEGRAM_BOT_TOKEN=... -v faqbot-data:/data faqbot
# The base is pinned by digest (bump tag and digest together, e.g. with Renovate); another
# base with Python 3.11 at /usr/local or /usr can be given with --build-arg BASE_IMAGE=...
# (scripts/build_image.py builds on a debootstrap Debian bookworm that way).
ARG BASE_IMAGE=python:3.11-slim-bookworm@sha256:528257d48c1da0dcecc2e725d1ae34498d60c965f1241e39cd6a85a8859bdf84

# -- build: a virtualenv with the locked dependencies, then the package, as one directory ----
FROM ${BASE_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PATH=/opt/faqbot/bin:$PATH
WORKDIR /src
RUN python3 -m venv /opt/faqbot
# Dependencies first, from the hashed lock files (pip-compile, see README): a change in the
# sources reuses this layer.
COPY requirements.lock requirements-build.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements-build.lock -r requirements.lock
COPY pyproject.toml README.md ./
COPY faq ./faq
COPY bot ./bot
# The package alone (its dependencies are in already); the build tools leave the venv.
RUN pip install --no-cache-dir --no-deps --no-build-isolation . \
    && pip uninstall --yes setuptools wheel packaging

# -- run: the base, a user, the venv; no sources, no build tools ------------------------------
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="faqbot" \
      org.opencontainers.image.description="Telegram FAQ bot for BPO and call-centre trainees (id, ms, en)"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/faqbot/bin:$PATH \
    DATABASE_PATH=/data/faqbot.sqlite3 \
    FAQBOT_CACHE_DIR=/data/cache
RUN groupadd --system --gid 10001 faqbot \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin faqbot \
    && install -d -o 10001 -g 10001 /data
COPY --from=build /opt/faqbot /opt/faqbot

USER 10001:10001
VOLUME ["/data"]
# Webhook mode listens on WEBHOOK_PORT (8443); polling mode serves /healthz on 127.0.0.1:8080.
EXPOSE 8443

# Standard library only and no proxies: unhealthy when the bot stopped, Telegram has not
# answered a poll for two minutes, or the database cannot be used (/healthz 'degraded').
# With HEALTH_PORT=0 there is nothing to ask: it reports healthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]

# On SIGTERM (at any moment, connecting included) the bot finishes the updates in hand; the
# rest wait in the database for the next start. Exit code 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["faqbot"]
CMD ["run"]

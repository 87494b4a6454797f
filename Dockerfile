# policybot: the bot for Discord and Slack, with /healthz and /metrics for the operator.
#   docker build -t policybot .
#   docker run -d --name policybot -v policybot-data:/data \
#     -v "$PWD/config.yaml:/config/config.yaml:ro" -e DISCORD_TOKEN policybot
# Config comes from a mounted file (POLICYBOT_CONFIG), secrets from the environment only.
# Built with buildah or podman, pass --format docker: the OCI image format has no HEALTHCHECK.
# scripts/container-smoke.sh builds this file and runs the image, read-only, as its user.

# -- build: policybot and its dependencies installed into a virtualenv, from PyPI's wheels ------
# (every dependency ships manylinux wheels, so this stage needs no compiler and has none)
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY policy_rules ./policy_rules
RUN python -m venv /opt/policybot \
 && /opt/policybot/bin/pip install --no-compile . \
 && /opt/policybot/bin/python -m compileall -q /opt/policybot/lib

# -- run: the virtualenv alone, no build tools, as an unprivileged user ------------------------
FROM python:3.11-slim
LABEL org.opencontainers.image.title="policybot" \
      org.opencontainers.image.description="Moderation bot for student societies, citing the university's social media policy" \
      org.opencontainers.image.licenses="MIT"
ENV PATH=/opt/policybot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    POLICYBOT_CONFIG=/config/config.yaml \
    XDG_STATE_HOME=/data \
    ORT_DISABLE_TELEMETRY=1
RUN groupadd --system --gid 10001 policybot \
 && useradd --system --uid 10001 --gid policybot --home-dir /data --shell /usr/sbin/nologin policybot \
 && mkdir -p /data /config \
 && chown policybot:policybot /data
COPY --from=build /opt/policybot /opt/policybot
COPY docker/config.yaml /config/config.yaml
WORKDIR /data
USER 10001:10001
VOLUME ["/data"]
# 9108: /healthz, /metrics, /insights (ops.enabled); 8765: the playground; 3000: Slack HTTP mode.
EXPOSE 9108 8765 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["policybot", "healthcheck", "--timeout", "4"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["policybot"]
# With no adapter enabled or a token missing, --stay-up says what to set once and waits,
# unhealthy, rather than exit into the restart policy's loop.
CMD ["run", "--stay-up"]

# sro-bot for Render, Fly.io or any container host: `docker build -t sro-bot .`
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8080 \
    SRO_CACHE_DIR=/tmp/sro-bot-cache

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install . && useradd --create-home sro
USER sro

EXPOSE 8080
CMD ["sro-bot", "serve"]

# The wirestream image: worker by default; also the CLI (topics, publish, tail, dlq).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY services ./services
COPY schemas ./schemas
RUN pip install --no-compile . && useradd --system --home-dir /app wirestream
COPY samples ./samples
COPY tests/fixtures ./tests/fixtures

USER wirestream
ENV WIRESTREAM_DATA_DIR=/tmp/wirestream
EXPOSE 6066
ENTRYPOINT ["wirestream"]
CMD ["worker"]

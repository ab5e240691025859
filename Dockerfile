# The wirestream image: worker by default; also the CLI (topics, publish, tail, dlq).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

WORKDIR /app
# The locked versions first (hash-checked; the same file `make setup` installs), in a layer of
# their own; then wirestream itself, resolving nothing.
COPY requirements.lock ./
RUN pip install --no-compile --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY services ./services
COPY schemas ./schemas
RUN pip install --no-compile --no-deps --no-build-isolation . && pip check && useradd --system --home-dir /app wirestream
COPY samples ./samples
COPY tests/fixtures ./tests/fixtures

USER wirestream
ENV WIRESTREAM_DATA_DIR=/tmp/wirestream
EXPOSE 6066
ENTRYPOINT ["wirestream"]
CMD ["worker"]

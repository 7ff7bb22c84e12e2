# Browser assets from the lockfile (tus-js-client for resumable video uploads).
# deploy/build-static.sh is the same script `make assets` and CI's production smoke
# step run, so what the image ships is what CI checked.
FROM node:22-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
COPY deploy/build-static.sh deploy/build-static.sh
RUN npm ci --omit=dev --no-audit --no-fund \
    && deploy/build-static.sh vendor node_modules vendor

FROM python:3.13-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
# PostgreSQL's client tools for `manage.py backup` and `restore`: the base image's Debian
# ships the same major version as the compose file's postgres:17.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 runstrong

COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY . .
COPY --from=assets /assets/vendor/ static/vendor/
RUN deploy/build-static.sh collect

USER runstrong
EXPOSE 8000
CMD ["gunicorn", "coaching.wsgi:application", "-c", "gunicorn.conf.py"]

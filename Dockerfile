# Browser assets from the lockfile (tus-js-client for resumable video uploads).
FROM node:22-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && mkdir -p vendor && cp node_modules/tus-js-client/dist/tus.min.js vendor/

FROM python:3.13-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --create-home --uid 1000 runstrong

COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY . .
COPY --from=assets /assets/vendor/ static/vendor/
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input

USER runstrong
EXPOSE 8000
CMD ["gunicorn", "coaching.wsgi:application", "-c", "gunicorn.conf.py"]

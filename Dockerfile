FROM python:3.13-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --create-home --uid 1000 runstrong

COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input

USER runstrong
EXPOSE 8000
CMD ["gunicorn", "coaching.wsgi:application", "-c", "gunicorn.conf.py"]

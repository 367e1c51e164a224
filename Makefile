# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# `make serve` listens here (only this machine can reach it).
SERVE_BIND ?= 127.0.0.1:8000

.PHONY: run serve test install lint format demo-images clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Local settings, written once and never overwritten: DEBUG on and a secret key of this
# machine's own, so every manage.py command works as printed. Git-ignored.
.env:
	@printf '%s\n' \
		'# Local settings, read by config/settings.py; real environment variables win.' \
		'# Every variable is described in .env.example.' \
		'DJANGO_DEBUG=1' \
		"DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		> $@
	@echo "Wrote .env (DJANGO_DEBUG=1 and a new secret key)."

run: $(STAMP) .env
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production settings on this machine: DEBUG off, static files collected (hashed names,
# gzip and Brotli) and served by WhiteNoise, gunicorn with WEB_CONCURRENCY workers
# (gunicorn.conf.py). DJANGO_LOCAL_HTTP=1 lets it work over plain HTTP (no redirect to
# HTTPS, cookies not HTTPS-only) and is refused for any host but localhost.
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_LOCAL_HTTP = 1
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: $(STAMP) .env
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/gunicorn --bind $(SERVE_BIND) --access-logfile -

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles

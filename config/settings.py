"""Settings for the site, driven by environment variables.

Safe production defaults: DEBUG is off unless DJANGO_DEBUG=1, and the secret key and allowed
hosts must then be given. Local runs keep their variables in `.env` (written by `make run`,
see config/environment.py and .env.example); the test suite sets DJANGO_DEBUG=1.
"""

import datetime
import importlib.util
import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

from config.environment import MissingSetting, load_env_file
from publishing.links import EMBED_HOSTS

BASE_DIR = Path(__file__).resolve().parent.parent
ENV_FILE = load_env_file(BASE_DIR)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise MissingSetting(
            "DJANGO_SECRET_KEY is not set: run `make run` once to write a local .env, "
            "or set the variables in .env.example (production: deploy/production.env.example)."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise MissingSetting(
        "DJANGO_ALLOWED_HOSTS is not set: the host names the site answers to, comma-separated "
        "(e.g. www.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The site's public address (scheme and host, no path) for canonical links, feeds,
# sitemaps, social metadata and "View on site", read at request time (publishing.site_url).
# Production sets it (a deploy check says so); unset, each request's own scheme and host
# (checked against ALLOWED_HOSTS) is used, so a local run on any port links to itself.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
_site = urlsplit(SITE_URL)
if SITE_URL and (
    _site.scheme not in {"http", "https"} or not _site.netloc or _site.path or _site.query
):
    raise MissingSetting(
        f"SITE_URL must be an origin like https://www.example.org, not {SITE_URL!r}."
    )
SITE_NAME = os.environ.get("SITE_NAME", "Talks & Posts")
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION", "Articles and talks on software, the web and the cloud."
)
# The site's identity (website/theme.py): an accent colour (#rrggbb, readable on the page
# background) for links and the home page, and a logo beside the name (a path on this
# site, e.g. /static/logo.svg or a stored file under /media/). Unset: the default theme.
SITE_ACCENT = os.environ.get("SITE_ACCENT", "").strip()
SITE_LOGO = os.environ.get("SITE_LOGO", "").strip()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "csp",
    "axes",
    "images",
    "publishing",
    "blog",
    "talks",
    "people",
    "frontmatter",
    "search",
    "pagecache",
    "website",
]

SITE_ID = 1

MIDDLEWARE = [
    # First: a cached page is answered before any other work (pagecache.middleware).
    "pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before any other middleware does work for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed when the client accepts it. BREACH (secrets guessed from the sizes of
    # compressed pages) is mitigated: Django masks the CSRF token anew in every response,
    # and GZipMiddleware adds random bytes to each compressed response (Heal-the-BREACH).
    # Compressing a large page costs CPU: a whole-page cache above it stores the result.
    "django.middleware.gzip.GZipMiddleware",
    "publishing.site_url.SiteURLMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "publishing.redirects.PublicRedirectFallbackMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "website.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# SQLite by default (embedded, zero set-up); DATABASE_URL=postgres://... switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username+address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: WhiteNoise serves them from the app (a CDN or proxy may cache them in front).
# Outside DEBUG, `collectstatic` (run by `make serve` and the production start) writes
# content-hashed names, served with a one-year immutable Cache-Control, and gzip and Brotli
# variants, chosen by the request's Accept-Encoding. DEBUG serves the source files as edited.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
if DEBUG:
    # Static files then come from the app folders (finders); STATIC_ROOT may not exist yet.
    warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

# Media: where stored files (uploads, imported files, renditions, social cards) live and the
# address visitors get them from. Local files in MEDIA_ROOT by default; a path MEDIA_URL
# ("/media/") is served by this app (publishing.media). Production gives an origin of its own
# ("https://media.example.org/"), so a stored file can never run script with the site's
# cookies (deploy/README.md). AWS_STORAGE_BUCKET_NAME puts every file in an S3-compatible
# bucket (AWS S3, MinIO, Cloudflare R2) through django-storages; MEDIA_URL is then the
# bucket's public origin: DJANGO_MEDIA_URL (a CDN or the bucket's own domain), else the
# bucket's address at AWS_S3_ENDPOINT_URL, else at AWS. Keys come from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or boto3's other sources (an instance role).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_BUCKET = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if MEDIA_BUCKET:
    if importlib.util.find_spec("storages") is None:
        raise MissingSetting(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages is not installed: "
            "pip install -e '.[s3]'."
        )
    _endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip().rstrip("/")
    _region = os.environ.get("AWS_S3_REGION_NAME", "").strip()
    _addressing = os.environ.get("AWS_S3_ADDRESSING_STYLE", "").strip().lower()
    if _addressing not in {"", "auto", "path", "virtual"}:
        raise MissingSetting("AWS_S3_ADDRESSING_STYLE must be path, virtual or auto.")
    if os.environ.get("DJANGO_MEDIA_URL"):
        MEDIA_URL = os.environ["DJANGO_MEDIA_URL"]
    elif _endpoint and _addressing == "virtual":
        _parts = urlsplit(_endpoint)
        MEDIA_URL = f"{_parts.scheme}://{MEDIA_BUCKET}.{_parts.netloc}/"
    elif _endpoint:
        MEDIA_URL = f"{_endpoint}/{MEDIA_BUCKET}/"
    else:
        _aws_host = f"s3.{_region}.amazonaws.com" if _region else "s3.amazonaws.com"
        MEDIA_URL = f"https://{MEDIA_BUCKET}.{_aws_host}/"
    _media = urlsplit(MEDIA_URL)
    if _media.scheme not in {"http", "https"} or not _media.netloc:
        raise MissingSetting(
            "With AWS_STORAGE_BUCKET_NAME, DJANGO_MEDIA_URL must be the media origin, "
            "such as https://media.example.org/."
        )
    MEDIA_URL = MEDIA_URL.rstrip("/") + "/"
    _media_storage = {
        "BACKEND": "publishing.bucket.MediaBucketStorage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": _endpoint or None,
            "region_name": _region or None,
            "addressing_style": _addressing or None,
            # Files are linked at the public origin, unsigned: a page's links never expire.
            "custom_domain": f"{_media.netloc}{_media.path}".rstrip("/"),
            "url_protocol": f"{_media.scheme}:",
            "querystring_auth": False,
        },
    }
else:
    MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
    _media = urlsplit(MEDIA_URL)
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# What pages may load images, audio and video from besides the site itself (a scheme-less
# "//media.example.org/" gives a bare host source, which takes the page's scheme).
_media_sources = []
if _media.netloc:
    _media_sources.append(f"{_media.scheme}://{_media.netloc}" if _media.scheme else _media.netloc)

TAGGIT_CASE_INSENSITIVE = True

# Images: limits for uploads (images/validation.py) and the widths of header renditions.
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 50_000_000))
IMAGE_MAX_FRAMES = int(os.environ.get("IMAGE_MAX_FRAMES", 1000))
IMAGE_MAX_ANIMATION_SECONDS = int(os.environ.get("IMAGE_MAX_ANIMATION_SECONDS", 600))
IMAGE_RENDITION_WIDTHS = (480, 960, 1440, 1920)
# Uploads pass through Django before our checks: keep them off memory past 2.5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Production hardening; inert while DEBUG is on.
# Behind a TLS-terminating proxy, Django learns that a request came over HTTPS from the
# proxy's X-Forwarded-Proto header. Only a proxy that overwrites that header (never passes
# the client's through) may be trusted with it, else any client can claim HTTPS: opt-in.
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# DJANGO_LOCAL_HTTP=1 runs production settings over plain HTTP on this machine (`make serve`):
# no redirect to HTTPS, no HTTPS-only cookies (so the admin login works), no HSTS. It is
# refused unless the site answers only to localhost: never set it for a site others reach.
LOCAL_HTTP = env_bool("DJANGO_LOCAL_HTTP")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
if LOCAL_HTTP and not set(ALLOWED_HOSTS) <= _LOCAL_HOSTS:
    raise MissingSetting(
        "DJANGO_LOCAL_HTTP=1 is for this machine only: DJANGO_ALLOWED_HOSTS may then name "
        f"only {', '.join(sorted(_LOCAL_HOSTS))}."
    )
_HTTPS_ONLY = not DEBUG and not LOCAL_HTTP
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", _HTTPS_ONLY)
SESSION_COOKIE_SECURE = _HTTPS_ONLY
CSRF_COOKIE_SECURE = _HTTPS_ONLY
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if _HTTPS_ONLY else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS_ONLY
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", _HTTPS_ONLY)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every response. Pages run only the project's own
# scripts and styles (no inline script or style attribute), show images from the site and
# its media origin, and frame only the players a visitor asks for (publishing.links).
# The Django admin works under the same policy. Media responses carry a stricter policy
# of their own (publishing.media).
_embed_sources = sorted(
    source
    for host, path_prefix in EMBED_HOSTS.items()
    for source in (f"https://{host}{path_prefix}", f"https://*.{host}{path_prefix}")
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_media_sources],
        "media-src": [SELF, *_media_sources],
        "frame-src": _embed_sources,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Permissions-Policy (django-permissions-policy): no page needs a device or sensor. Players'
# fullscreen, autoplay and picture-in-picture are left at the browser's default, which the
# iframe's allow attribute delegates to the player (static/js/embeds.js).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Login attempts (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is refused, even with the right password, for the cool-off. Keyed on
# the pair so that a stranger cannot lock an editor out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked_out.html"
# Failed attempts are kept (AccessAttempt, in the admin); a row per successful login is not.
AXES_DISABLE_ACCESS_LOG = True
if BEHIND_TLS_PROXY:
    # Every request then comes from the proxy: the client is the address it appended.
    AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip"

# Shared previews (publishing.previews): how long a signed link to a draft works.
PREVIEW_LINK_DAYS = int(os.environ.get("DJANGO_PREVIEW_LINK_DAYS", "7"))

# Page cache (pagecache): visitors' pages, feeds, calendars and the sitemap are cached whole
# and checked against the site version, which every change of content raises. The cache
# is local memory (one per process; the version lives in the database, so every process
# and server agrees) unless REDIS_URL names a Redis server all of them share.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "pages"
# How long an entry may live at most (a scheduled publication comes sooner).
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# What browsers and a CDN are told (Cache-Control: public, max-age): how long they may show
# a page after it changed.
PAGE_CACHE_MAX_AGE = int(os.environ.get("DJANGO_PAGE_CACHE_MAX_AGE", "60"))
PAGE_CACHE_MAX_BYTES = int(os.environ.get("DJANGO_PAGE_CACHE_MAX_BYTES", 2 * 1024 * 1024))
# Static files and media are never pages: they skip the cache before its version read.
PAGE_CACHE_EXCLUDE = (
    "/admin/",
    f"/{STATIC_URL.lstrip('/')}",
    *([MEDIA_URL] if MEDIA_URL.startswith("/") else []),
)
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": alias,
        }
        for alias in ("default", PAGE_CACHE_ALIAS)
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        PAGE_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

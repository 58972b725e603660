"""WSGI entry point; deployments run with oversight.settings.production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings.production")
application = get_wsgi_application()

from oversight.core.workdays import warm_up  # noqa: E402  (after Django is set up)

warm_up()

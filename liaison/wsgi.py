import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

from liaison.handlers import application_with_intake  # noqa: E402  (after the settings module)

application = application_with_intake(get_wsgi_application())

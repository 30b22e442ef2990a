"""django-q2's own admin pages are not offered: its schedule form runs any importable function
with any arguments (code execution for whoever can open it), and its failure and queue pages
show task arguments. Administrators read the jobs on ``/jobs/``; schedules come from the code
(``liaison/jobs/registry.py``), never from a form."""

from django.contrib import admin
from django_q.models import Failure, OrmQ, Schedule, Success

for model in (Schedule, Success, Failure, OrmQ):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

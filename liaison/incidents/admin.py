from django.contrib import admin

from liaison.incidents.models import EscalationStep


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    """The administrator's way to edit the chain (the duty chief has a page of the desk)."""

    list_display = ("position", "post", "user", "after_minutes")
    ordering = ("position",)

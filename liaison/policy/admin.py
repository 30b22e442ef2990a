"""Read-only in the admin site: versions change only through publishing, reviews through the
review queue, so every change has its service, its checks and its audit entry."""

from django.contrib import admin

from liaison.core.admin import ReadOnlyAdmin
from liaison.policy.models import PolicyReview, RiskListVersion, RulesVersion


@admin.register(RulesVersion, RiskListVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["version", "status", "effective_from", "author", "author_name", "created_at"]
    list_filter = ["status"]


@admin.register(PolicyReview)
class PolicyReviewAdmin(ReadOnlyAdmin):
    list_display = ["arrival", "old_disposition", "new_disposition", "status", "created_at"]
    list_filter = ["status", "new_disposition"]

"""The mixin that makes a model's writes show up in the audit trail (see ``audit``)."""

from django.db import models


class AuditedModel(models.Model):
    """Inherit to have every create, update and delete of the model recorded with field names."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_loaded = dict(zip(field_names, values, strict=True))
        return instance

    def audit_changed_fields(self) -> list[str]:
        loaded = getattr(self, "_audit_loaded", None)
        if loaded is None:
            return []
        return [
            field.name
            for field in self._meta.concrete_fields
            if field.attname in loaded and getattr(self, field.attname) != loaded[field.attname]
        ]

    def _audit_snapshot(self) -> None:
        self._audit_loaded = {
            field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields
        }

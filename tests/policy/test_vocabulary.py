"""One disposition vocabulary: the engine's words, labelled once, used by every model."""

from django.apps import apps
from django.db import models
from django.utils import translation

from liaison.assistance.models import ConsularNotification
from liaison.policy import engine
from liaison.policy.models import DispositionChoice


def test_the_choices_are_the_engines_words_each_labelled():
    assert DispositionChoice.values == [d.value for d in engine.Disposition]
    for value in engine.Disposition:
        label = str(DispositionChoice(value.value).label)
        assert label and label != value.value


def test_every_label_has_its_chinese_translation():
    with translation.override("en"):
        english = {value: str(label) for value, label in DispositionChoice.choices}
    with translation.override("zh-hans"):
        chinese = {value: str(label) for value, label in DispositionChoice.choices}
    assert chinese == {
        "hospital": "定点医院",
        "centralized_quarantine": "集中隔离",
        "home_quarantine": "居家隔离",
        "onward_transfer": "闭环转运出市",
        "diplomatic_arrangement": "按外交安排在居所隔离",
    }
    assert english["onward_transfer"] == "Closed-loop onward transfer"


def test_every_disposition_field_uses_the_one_vocabulary():
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and field.choices
        and {value for value, _label in field.flatchoices} & set(DispositionChoice.values)
    ]
    names = {f"{field.model._meta.label}.{field.name}" for field in fields}
    assert names >= {
        "screening.Disposition.disposition",
        "handover.Batch.disposition",
        "policy.PolicyReview.old_disposition",
        "policy.PolicyReview.new_disposition",
    }
    # A consular notification's reason says the disposition as news ("Sent to a designated
    # hospital"): its own labels, the vocabulary's words.
    reason = ConsularNotification._meta.get_field("reason")
    for field in fields:
        if field is reason:
            # Every reason but an assistance case is a disposition (onward transfers leave
            # the city without a notification).
            assert set(ConsularNotification.Reason.values) - {"assistance_case"} == set(
                DispositionChoice.values
            ) - {"onward_transfer"}
            continue
        assert list(field.choices) == DispositionChoice.choices, field


def test_no_other_choice_class_carries_the_dispositions():
    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    others = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in every(models.TextChoices)
        if cls is not DispositionChoice
        and cls.__module__.startswith("liaison.")
        and cls is not ConsularNotification.Reason
        and set(cls.values) & set(DispositionChoice.values)
    ]
    assert others == []

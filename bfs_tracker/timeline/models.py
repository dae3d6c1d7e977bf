"""One row per dated event of a person's medical history: a visit, an EMG or nerve-conduction study, a blood test
value, imaging, or a diagnosis given. Which fields a kind uses is in timeline/rules.py and timeline/forms.py; the
database keeps the few invariants that every write path must respect (check constraints)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bfs_tracker.timeline import rules


class EventQuerySet(models.QuerySet["Event"]):
    def for_user(self, user) -> "EventQuerySet":
        return self.filter(user=user)


class Event(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timeline_events")
    kind = models.CharField("What", max_length=12, choices=rules.KINDS)
    date = models.DateField("Date")
    clinician = models.CharField("Who you saw", max_length=12, choices=rules.CLINICIANS, blank=True)
    title = models.CharField("Name", max_length=rules.TITLE_MAX, blank=True)
    emg_result = models.CharField("Result", max_length=10, choices=rules.EMG_RESULTS, blank=True)
    lab_test = models.CharField("Test", max_length=20, choices=[(t.key, t.label) for t in rules.LAB_TESTS], blank=True)
    value = models.DecimalField(
        "Value",
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(rules.VALUE_MAX)],
    )
    unit = models.CharField("Unit", max_length=12, choices=rules.UNITS, blank=True)
    reference_range = models.CharField("Reference range, as printed", max_length=rules.RANGE_MAX, blank=True)
    notes = models.TextField("Notes", blank=True, validators=[MaxLengthValidator(rules.TEXT_MAX)])
    questions = models.TextField("My questions", blank=True, validators=[MaxLengthValidator(rules.QUESTIONS_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["user", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k for k, _ in rules.KINDS]), name="timeline_event_kind"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="timeline_value_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind=rules.BLOOD) | (Q(value__isnull=False) & ~Q(unit="") & ~Q(lab_test="")),
                name="timeline_blood_has_value_unit_test",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.summary}"

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS[self.kind]

    @property
    def unit_label(self) -> str:
        return rules.UNIT_LABELS.get(self.unit, self.unit).split(" (")[0]  # "mIU/L (mU/L)" reads "mIU/L" in lists

    @property
    def test_label(self) -> str:
        if self.lab_test == rules.OTHER_TEST:
            return self.title or "Other test"
        return rules.LAB_TEST_BY_KEY[self.lab_test].label if self.lab_test in rules.LAB_TEST_BY_KEY else self.title

    @property
    def value_text(self) -> str:
        if self.value is None:
            return ""
        return f"{self.value.normalize():f}"

    @property
    def summary(self) -> str:
        """One line for lists, chart labels and the report: "Neurologist visit", "EMG / nerve conduction: normal",
        "CK 250 U/L (range 40–320)"."""
        if self.kind == rules.VISIT:
            who = rules.CLINICIAN_LABELS.get(self.clinician, "")
            head = f"{who} visit" if who and self.clinician != "other" else "Visit"
            return f"{head}: {self.title}" if self.title else head
        if self.kind == rules.EMG:
            result = rules.EMG_RESULT_LABELS.get(self.emg_result, "")
            text = f"EMG / nerve conduction: {result.lower()}" if result else "EMG / nerve conduction"
            return f"{text} ({self.title})" if self.title else text
        if self.kind == rules.BLOOD:
            text = f"{self.test_label} {self.value_text} {self.unit_label}"
            return f"{text} (range {self.reference_range})" if self.reference_range else text
        if self.kind == rules.IMAGING:
            return f"Imaging: {self.title}" if self.title else "Imaging"
        return f"Diagnosis: {self.title}" if self.title else "Diagnosis"

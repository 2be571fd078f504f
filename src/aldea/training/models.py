from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aldea.core.models import TimeStamped


class CourseLevel(models.TextChoices):
    # The three steps of the train-the-trainer cascade.
    TRAINER = "trainer", _("Formación de formadores")
    CONSULTANT = "consultant", _("Consultor(a) estudiante")
    MSME_WORKSHOP = "msme_workshop", _("Taller para MIPYMES")


class Course(TimeStamped):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="courses")
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=14, choices=CourseLevel.choices)
    hours = models.PositiveSmallIntegerField(_("hours"), default=20)
    passing_score = models.DecimalField(_("passing score"), max_digits=5, decimal_places=2, default=70)
    min_attendance = models.DecimalField(
        _("minimum attendance share"), max_digits=3, decimal_places=2, default=0.8,
        help_text=_("share of sessions (0–1) a participant must attend to be certified"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["programme", "level", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="course_unique_code"),
            models.CheckConstraint(condition=Q(passing_score__gte=0, passing_score__lte=100), name="course_passing_score_range"),
            models.CheckConstraint(condition=Q(min_attendance__gte=0, min_attendance__lte=1), name="course_min_attendance_range"),
        ]

    def __str__(self):
        return self.title


class Cohort(TimeStamped):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    code = models.SlugField(_("code"), max_length=80, unique=True)
    village = models.ForeignKey(
        "programmes.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="cohorts"
    )
    institution = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="cohorts"
    )
    trainers = models.ManyToManyField("accounts.Person", related_name="cohorts_trained", blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=30)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cohort_dates_ordered"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="cohort_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.course} · {self.code}"


class TrainingSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="session_unique_number")]

    def __str__(self):
        return f"{self.cohort.code} #{self.number}"


class Enrolment(TimeStamped):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Inscrito(a)")
        COMPLETED = "completed", _("Concluido")
        WITHDRAWN = "withdrawn", _("Baja")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="enrolments")
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED)

    class Meta:
        ordering = ["cohort", "person"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="enrolment_unique_person")]

    def __str__(self):
        return f"{self.person} · {self.cohort.code}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Presente")
        ABSENT = "absent", _("Ausente")
        EXCUSED = "excused", _("Justificada")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique")]

    def __str__(self):
        return f"{self.enrolment} @ {self.session}: {self.status}"


class AssessmentResult(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="assessment_results")
    name = models.CharField(_("assessment"), max_length=120)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        "accounts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments_given"
    )

    class Meta:
        ordering = ["enrolment", "assessed_on"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="assessment_score_range"),
            models.UniqueConstraint(fields=["enrolment", "name"], name="assessment_unique_name"),
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.name} {self.score}"


class Certificate(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    # Public, unguessable code printed on the PDF and checked at /verify/<code>/.
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificate_revocation_has_reason",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

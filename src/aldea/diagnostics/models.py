from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aldea.core.models import TimeStamped


class MaturityLevel(models.TextChoices):
    # The five levels of IDB's Chequeo Digital.
    INICIAL = "inicial", _("Inicial")
    NOVATO = "novato", _("Novato")
    COMPETENTE = "competente", _("Competente")
    AVANZADO = "avanzado", _("Avanzado")
    EXPERTO = "experto", _("Experto")


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=20, default="1")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("maturity instrument")
        verbose_name_plural = _("maturity instruments")

    def __str__(self):
        return f"{self.name} v{self.version}"


class Dimension(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["instrument", "position"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="dimension_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="dimension_weight_positive"),
        ]

    def __str__(self):
        return self.name


class AnswerScale(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("answer scale")
        verbose_name_plural = _("answer scales")

    def __str__(self):
        return self.name


class AnswerOption(models.Model):
    scale = models.ForeignKey(AnswerScale, on_delete=models.CASCADE, related_name="options")
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["scale", "value"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [models.UniqueConstraint(fields=["scale", "value"], name="option_unique_value")]

    def __str__(self):
        return f"{self.value}: {self.label}"


class Question(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=60)
    text = models.CharField(_("text"), max_length=400)
    position = models.PositiveSmallIntegerField(default=0)
    scale = models.ForeignKey(AnswerScale, on_delete=models.PROTECT, related_name="questions")
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["dimension", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="question_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
        ]

    def __str__(self):
        return self.text


class Assessment(TimeStamped):
    """A maturity diagnostic of one MSME; scores are computed by scoring.score_assessment on save."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        "accounts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="diagnostics_made"
    )
    dimension_scores = models.JSONField(_("dimension scores"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    level = models.CharField(_("level"), max_length=10, choices=MaturityLevel.choices)

    class Meta:
        ordering = ["enterprise", "-assessed_on"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        constraints = [models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="assessment_score_0_100")]
        indexes = [models.Index(fields=["enterprise", "assessed_on"])]

    def __str__(self):
        return f"{self.enterprise} {self.assessed_on}: {self.level}"


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(_("value"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="answer_unique_question")]

    def __str__(self):
        return f"{self.question.code}={self.value}"

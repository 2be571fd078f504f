"""Read-side queries of the training cascade."""

from dataclasses import dataclass

from aldea.training.models import CourseLevel, Enrolment


@dataclass(frozen=True)
class CascadeLink:
    """One path through the cascade: a trainer taught a consultant cohort, one of whose
    consultants then served an MSME of the village."""

    trainer_id: int
    trainer_name: str
    cohort_code: str
    consultant_id: int
    consultant_name: str
    enterprise_code: str
    enterprise_name: str


def cascade_for_village(village) -> list[CascadeLink]:
    """Which trainer trained which consultants, who then served which of the village's MSMEs.

    A consultant counts as trained by every trainer of every consultant-level cohort of the
    village's programme they were enrolled in (and did not withdraw from), wherever that cohort
    met; an MSME counts as served by every consultant with an engagement with it, dropped or
    not. One query, ordered by trainer, consultant and MSME.

    Example: ``cascade_for_village(teotitlan)[0].trainer_name`` → ``"Ana López"``.
    """
    # The values() below reuse the joins of the filter(), so each row is one enrolment of one
    # consultant who has an engagement with an MSME of this village.
    rows = (
        Enrolment.objects.filter(
            cohort__course__level=CourseLevel.CONSULTANT,
            cohort__course__programme_id=village.programme_id,
            cohort__trainers__isnull=False,
            person__engagements__enterprise__village=village,
        )
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values_list(
            "cohort__trainers__id",
            "cohort__trainers__given_name",
            "cohort__trainers__family_name",
            "cohort__code",
            "person_id",
            "person__given_name",
            "person__family_name",
            "person__engagements__enterprise__code",
            "person__engagements__enterprise__name",
        )
        .distinct()
        .order_by(
            "cohort__trainers__family_name", "cohort__trainers__given_name", "cohort__trainers__id",
            "person__family_name", "person__given_name", "person_id", "person__engagements__enterprise__code",
            "cohort__code",
        )
    )
    return [
        CascadeLink(
            trainer_id=trainer_id,
            trainer_name=f"{trainer_given} {trainer_family}".strip(),
            cohort_code=cohort_code,
            consultant_id=consultant_id,
            consultant_name=f"{consultant_given} {consultant_family}".strip(),
            enterprise_code=enterprise_code,
            enterprise_name=enterprise_name,
        )
        for (
            trainer_id, trainer_given, trainer_family, cohort_code, consultant_id, consultant_given,
            consultant_family, enterprise_code, enterprise_name,
        ) in rows
    ]

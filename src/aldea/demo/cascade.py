"""The demo's people and its training cascade: persons, memberships, courses, cohorts,
enrolments with attendance, scores and certificates (a part of :class:`generator.DemoGenerator`)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from decimal import Decimal

from aldea.accounts.models import Membership, Person
from aldea.demo import catalogue as cat
from aldea.demo import simulation as sim
from aldea.demo.values import (
    AREA_CODES,
    CONSULTANT_COHORT_SIZE,
    PROGRAMME_END,
    TRAINER_COHORT_SIZE,
    ascii_of,
    aware,
    random_days,
    rng_for,
)
from aldea.training.models import (
    AssessmentResult,
    Attendance,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    TrainingSession,
)
from aldea.training.services import gaps_from_counts, new_certificate_code


class TrainingCascade:
    """People and the train-the-trainer cascade, for DemoGenerator (its state: self.writer,
    self.programme, self.plan, the seed)."""

    def person(self, rng: random.Random, *, sex: str | None = None, age: tuple[int, int] = (22, 60),
               speaks: bool = False, language: str = "", consent: bool | None = None,
               consent_on: dt.date | None = None, state_code: str = "20", birth_year: int | None = None) -> Person:
        sex = sex or ("female" if rng.random() < 0.5 else "male")
        given = rng.choice(cat.FEMALE_NAMES if sex == "female" else cat.MALE_NAMES)
        family = f"{rng.choice(cat.FAMILY_NAMES)} {rng.choice(cat.FAMILY_NAMES)}"
        consent = rng.random() < 0.8 if consent is None else consent
        person = Person(given_name=given, family_name=family, sex=sex,
                        birth_year=birth_year or sim.PROGRAMME_START.year - rng.randint(*age),
                        speaks_indigenous_language=speaks, indigenous_language=language if speaks else "",
                        has_contact_consent=consent, contact_consent_on=(consent_on or sim.PROGRAMME_START) if consent else None)
        if consent:
            person.phone = f"+52 {AREA_CODES.get(state_code, '55')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            if rng.random() < 0.5:
                person.email = f"{ascii_of(given)}.{ascii_of(family.split()[0])}{rng.randint(1, 99)}@example.com"
        return self.writer.add(person)

    def membership(self, person, role, *, village=None, organisation=None, starts_on=None, ends_on=None):
        self.writer.row(Membership, person=person, role=role, programme=self.prog, village=village,
                        organisation=organisation, starts_on=starts_on, ends_on=ends_on, is_active=True)

    # --- training -------------------------------------------------------------------------------
    def courses(self):
        self.course = {}
        for code, title, level, hours, sessions, description in cat.COURSES:
            self.course[level] = Course.objects.create(programme=self.prog, code=code, title=title, level=level,
                                                       hours=hours, description=description,
                                                       min_attendance=0.8 if level != "msme_workshop" else 0.75)
            self.course[level].session_count = sessions

    def cohort(self, level: str, code: str, *, village, institution, trainers, starts_on, size) -> Cohort:
        sessions = self.course[level].session_count
        cohort = Cohort.objects.create(course=self.course[level], code=code, village=village,
                                       institution=institution, starts_on=starts_on,
                                       ends_on=starts_on + dt.timedelta(weeks=sessions - 1), capacity=size)
        cohort.trainers.set(trainers)
        cohort.teaching = trainers
        titles = cat.SESSION_TITLES[level]
        cohort.session_list = TrainingSession.objects.bulk_create(
            TrainingSession(cohort=cohort, number=n + 1, title=titles[n % len(titles)],
                            held_on=starts_on + dt.timedelta(weeks=n),
                            duration_minutes=180 if level != "msme_workshop" else 150)
            for n in range(sessions)
        )
        return cohort

    def enrol(self, rng: random.Random, cohort: Cohort, person: Person, *, assessor: Person | None,
              assessments: tuple[str, ...], withdraw: float, mean_score: float,
              attendance: tuple[float, float] = (0.78, 1.0)) -> bool:
        """Enrol, record attendance and scores, and certify if the course's criteria are met."""
        course = cohort.course
        withdrawn = rng.random() < withdraw
        enrolment = self.writer.add(Enrolment(cohort=cohort, person=person, status="withdrawn" if withdrawn else "completed",
                                              enrolled_on=cohort.starts_on - random_days(rng, 5, 20)))
        propensity = rng.uniform(*attendance)
        stop = rng.randint(1, len(cohort.session_list) - 1) if withdrawn else len(cohort.session_list)
        present = 0
        for session in cohort.session_list:
            if session.number > stop:
                status = "absent"
            else:
                roll = rng.random()
                status = "present" if roll < propensity else "excused" if roll < propensity + 0.05 else "absent"
            # An excused absence is still an absence for the certificate (decision P16).
            present += status == "present"
            self.writer.row(Attendance, session=session, enrolment=enrolment, status=status)
        if withdrawn:
            return False
        scores = []
        for name in assessments:
            score = round(sim.clip(rng.gauss(mean_score, 9), 20, 100), 1)
            scores.append(score)
            self.writer.row(AssessmentResult, enrolment=enrolment, name=name, score=Decimal(str(score)),
                            assessor=assessor, assessed_on=cohort.ends_on)
        # The platform's own rule (what issue_certificate applies), on the counts the demo holds.
        average = sum(Decimal(str(score)) for score in scores) / len(scores) if scores else None
        if gaps_from_counts(enrolment=enrolment, course=course, sessions=len(cohort.session_list),
                            attended=present, average=average):
            return False
        code = self._certificate_code(rng)
        issued_on = cohort.ends_on + random_days(rng, 7, 21)
        revoked_at, reason = None, ""
        if rng.random() < 0.005:
            revoked_at = aware(issued_on + dt.timedelta(days=60))
            reason = "Se detectó plagio en el proyecto final."
        self.writer.row(Certificate, enrolment=enrolment, code=code, issued_on=issued_on, revoked_at=revoked_at,
                        revocation_reason=reason)
        return revoked_at is None

    def _certificate_code(self, rng: random.Random) -> str:
        # The platform's one format, drawn from the demo's seeded generator.
        while True:
            code = new_certificate_code(choice=rng.choice)
            if code not in self.certificate_codes:
                self.certificate_codes.add(code)
                return code

    def trainers_and_consultants(self):
        rng = rng_for(self.seed, "staff")
        fundacion = self.orgs["fundacion-aldea"]
        masters = [self.person(rng, age=(35, 55), state_code="09") for _ in range(2)]
        self.writer.flush_model(Person)
        for master in masters:
            self.membership(master, "trainer", organisation=fundacion, starts_on=sim.PROGRAMME_START)
        self.trainers: list[list[Person]] = []
        for village, spec, count in zip(self.villages, cat.VILLAGES, self.plan.trainers, strict=True):
            v_rng = rng_for(self.seed, "trainers", spec.slug)
            people = [self.person(v_rng, age=(30, 62), state_code=spec.state_code,
                                  speaks=v_rng.random() < spec.indigenous_share * 0.3,
                                  language=spec.indigenous_language) for _ in range(count)]
            self.trainers.append(people)
        self.writer.flush_model(Person)
        for village, spec, people in zip(self.villages, cat.VILLAGES, self.trainers, strict=True):
            for person in people:
                self.membership(person, "trainer", village=village, organisation=self.orgs[spec.university],
                                starts_on=dt.date(2024, 2, 1))
        # Train-the-trainer cohorts: all village trainers, in groups of 20, taught by the operator.
        everyone = [p for people in self.trainers for p in people]
        self.counts_certified = defaultdict(int)
        for j in range(math.ceil(len(everyone) / TRAINER_COHORT_SIZE)):
            group = everyone[j * TRAINER_COHORT_SIZE:(j + 1) * TRAINER_COHORT_SIZE]
            cohort = self.cohort("trainer", f"ff-2024-{j + 1:03d}", village=None, institution=fundacion,
                                 trainers=masters, starts_on=dt.date(2024, 1, 15) + dt.timedelta(days=7 * (j % 3)),
                                 size=TRAINER_COHORT_SIZE)
            c_rng = rng_for(self.seed, "trainer-cohort", j)
            for person in group:
                self.counts_certified["trainer"] += self.enrol(
                    c_rng, cohort, person, assessor=masters[0], withdraw=0.03, mean_score=86, attendance=(0.9, 1.0),
                    assessments=("Evaluación final", "Práctica docente"))
        self.writer.flush()
        # Student consultants per village, in cohorts of 30 taught by two village trainers.
        self.consultants: list[list[tuple[Person, Person]]] = []  # (consultant, supervising trainer)
        for v, (village, spec, count) in enumerate(zip(self.villages, cat.VILLAGES, self.plan.consultants, strict=True)):
            trainers = self.trainers[v]
            university = self.orgs[spec.university]
            certified, enrolled = [], []
            for j in range(math.ceil(count / CONSULTANT_COHORT_SIZE)):
                size = min(CONSULTANT_COHORT_SIZE, count - j * CONSULTANT_COHORT_SIZE)
                teaching = [trainers[j % len(trainers)], trainers[(j + 1) % len(trainers)]]
                teaching = list(dict.fromkeys(teaching))
                cohort = self.cohort("consultant", f"ce-{spec.slug}-{j + 1:03d}", village=village,
                                     institution=university, trainers=teaching,
                                     starts_on=village.launched_on + dt.timedelta(days=14), size=CONSULTANT_COHORT_SIZE)
                c_rng = rng_for(self.seed, "consultants", spec.slug, j)
                students = [self.person(c_rng, age=(19, 25), state_code=spec.state_code,
                                        speaks=c_rng.random() < spec.indigenous_share * 0.25,
                                        language=spec.indigenous_language) for _ in range(size)]
                for student in students:
                    enrolled.append((student.pk, teaching[0].pk, cohort.ends_on))
                    self.membership(student, "consultant", village=village, organisation=university,
                                    starts_on=cohort.starts_on, ends_on=PROGRAMME_END)
                    if self.enrol(c_rng, cohort, student, assessor=teaching[0], withdraw=0.07, mean_score=82,
                                  assessments=("Examen de certificación", "Proyecto: diagnóstico de una MIPYME")):
                        certified.append((student.pk, teaching[len(certified) % len(teaching)].pk, cohort.ends_on))
                        self.counts_certified["consultant"] += 1
                self.writer.flush_if_large()
            # Every village needs someone to serve its MSMEs, even at tiny scales.
            self.consultants.append(certified or enrolled)
        self.masters = masters

    # --- MSMEs ----------------------------------------------------------------------------------

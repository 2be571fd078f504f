"""The enrolments registry: a list of people enrolled in a cohort, from a file or a pasted list.

Each row names a cohort (the ``cohort`` column, or the cohort of the page it was pasted on) and a
person: matched by Aldea ``id``, ``external_id`` or ``email``, else by name among the members of
the cohort's programme. Someone the programme does not know yet is registered with the cohort's
student role (trainer, consultant or MSME owner, from the course level, or the ``role`` column)
in the cohort's village, then enrolled. The rules of ``aldea.training.services.enrol`` hold: one
enrolment per person and cohort, and no more participants than places.

Natural key: cohort + person (the same person twice in a file is a duplicate).
"""

from collections import Counter

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.models import Membership, Person, Role
from aldea.accounts.queries import members_of
from aldea.interop.importers.base import Column, Importer, Reason, choice, integer, slug, text
from aldea.interop.importers.people import SEX, email
from aldea.interop.readers import clean_text
from aldea.training.models import CourseLevel, Enrolment

# The role a newcomer gets in the cohort's programme: the step of the cascade the course trains.
ROLE_BY_LEVEL = {CourseLevel.TRAINER: Role.TRAINER, CourseLevel.CONSULTANT: Role.CONSULTANT,
                 CourseLevel.MSME_WORKSHOP: Role.MSME_OWNER}
STUDENT_ROLES = frozenset(ROLE_BY_LEVEL.values())
ROLE = choice(Role, formador="trainer", formadora="trainer", consultor="consultant", consultora="consultant",
              estudiante="consultant", dueno="msme_owner", duena="msme_owner", proprietario="msme_owner",
              empresaria="msme_owner", mipyme="msme_owner")


def _name_key(given, family) -> str:
    return " ".join(f"{given} {family or ''}".casefold().split())


class EnrolmentImporter(Importer):
    kind = "enrolments"
    model = Enrolment
    key_column = "given_name"
    columns = (
        Column("cohort", slug(80), ("cohorte", "grupo", "turma", "cohort_code", "codigo_cohorte")),
        Column("id", integer(1), ("id_aldea", "aldea_id", "person_id")),
        Column("external_id", text(60), ("folio", "id_externo", "matricula", "numero_registro", "curp", "cpf")),
        Column("given_name", text(100), ("nombre", "nombres", "nome", "first_name")),
        Column("family_name", text(100), ("apellidos", "apellido", "sobrenome", "last_name", "surname")),
        Column("sex", SEX, ("sexo", "genero", "gender")),
        Column("birth_year", integer(1900, 2030), ("ano_nacimiento", "ano_de_nacimiento", "ano_de_nascimento", "year_of_birth")),
        Column("email", email, ("correo", "correo_electronico", "e_mail", "mail")),
        Column("phone", text(30), ("telefono", "celular", "telefone", "whatsapp", "mobile")),
        Column("role", ROLE, ("rol", "papel", "funcion")),
    )

    def key(self, row):
        v = row.values
        if v.get("id"):
            who = ("id", v["id"])
        elif v.get("external_id"):
            who = ("external_id", v["external_id"])
        elif v.get("email"):
            who = ("email", v["email"].lower())
        else:
            who = ("name", _name_key(v.get("given_name", ""), v.get("family_name")))
        return (v.get("cohort") or self.defaults.get("cohort"), who)

    def check_row(self, row):
        v = row.values
        if not (v.get("cohort") or self.defaults.get("cohort")):
            row.reject("cohort", Reason.MISSING, "", _("give the cohort's code"))
        if not (v.get("id") or v.get("given_name")):
            row.reject("given_name", Reason.MISSING, "", _("give the person's name (or their Aldea id)"))
        if v.get("role") and v["role"] not in STUDENT_ROLES:
            row.reject("role", Reason.BAD_VALUE, v["role"],
                       _("an enrolment registers trainers, consultants or MSME owners; invite anyone else"))

    def resolve(self, rows):
        from aldea.interop.models import PersonReference

        codes = {r.values.get("cohort") or self.defaults["cohort"] for r in rows}
        cohorts = {c.code: c for c in self.scope.cohorts_to_enrol().filter(code__in=codes)
                   .select_related("course", "village")}
        programme_ids = {c.course.programme_id for c in cohorts.values()}
        members = {}  # programme id → people of the programme, by id
        for person in (members_of(programme_ids).annotate(email_lower=Lower("email"))
                       .prefetch_related("memberships") if programme_ids else []):
            for m in person.memberships.all():
                if m.programme_id in programme_ids and m.is_active:
                    members.setdefault(m.programme_id, {})[person.id] = person
        refs = dict(PersonReference.objects.filter(
            external_id__in={r.values["external_id"] for r in rows if r.values.get("external_id")}
        ).values_list("external_id", "person_id"))
        cohort_ids = [c.id for c in cohorts.values()]
        enrolled = set(Enrolment.objects.filter(cohort_id__in=cohort_ids).values_list("cohort_id", "person_id"))
        taken = self._places_taken(cohort_ids)
        for row in rows:
            v = row.values
            code = v.get("cohort") or self.defaults["cohort"]
            cohort = cohorts.get(code)
            if cohort is None:
                row.reject("cohort", Reason.UNKNOWN, code, _("no cohort %(code)r whose participants you may enrol") % {"code": code})
                continue
            people = members.get(cohort.course.programme_id, {})
            person, problem = self._match(v, people, refs)
            if problem:
                row.reject(*problem)
                continue
            row.cohort, row.person = cohort, person
            if person is not None and (cohort.id, person.id) in enrolled:
                row.model_values = None  # already enrolled: unchanged
                continue
            if taken[cohort.id] >= cohort.capacity:
                row.reject("cohort", Reason.OUT_OF_RANGE, code, _("the cohort is full (%(capacity)s places)")
                           % {"capacity": cohort.capacity})
                continue
            taken[cohort.id] += 1
            row.role = v.get("role") or ROLE_BY_LEVEL.get(cohort.course.level, Role.CONSULTANT)
            row.model_values = {name: v[name] for name in ("given_name", "family_name", "sex", "birth_year", "email", "phone")
                                if v.get(name) not in (None, "")}

    @staticmethod
    def _places_taken(cohort_ids) -> Counter:
        return Counter(Enrolment.objects.filter(cohort_id__in=cohort_ids)
                       .exclude(status=Enrolment.Status.WITHDRAWN).values_list("cohort_id", flat=True))

    @staticmethod
    def _match(v, people, refs):
        """(the programme's person the row names or None for a newcomer, a rejection or None)."""
        if v.get("id"):
            person = people.get(v["id"])
            if person is None:
                return None, ("id", Reason.UNKNOWN, v["id"],
                              _("no member of the cohort's programme with id %(id)s") % {"id": v["id"]})
            return person, None
        if v.get("external_id") and v["external_id"] in refs:
            person = people.get(refs[v["external_id"]])
            if person is None:
                return None, ("external_id", Reason.UNAVAILABLE, v["external_id"],
                              _("this external id belongs to someone outside the cohort's programme"))
            return person, None
        if v.get("email"):
            found = [p for p in people.values() if p.email_lower == v["email"].lower()]
        else:
            wanted = _name_key(v["given_name"], v.get("family_name"))
            found = [p for p in people.values() if _name_key(p.given_name, p.family_name) == wanted]
        if len(found) > 1:
            return None, ("given_name", Reason.DUPLICATE, v.get("email") or v["given_name"],
                          _("several members of the programme match; add their email or external_id"))
        return (found[0] if found else None), None

    def write(self, rows, *, dry_run):
        from aldea.interop.models import PersonReference

        unchanged = sum(1 for r in rows if r.model_values is None)
        todo = [r for r in rows if r.model_values is not None]
        if dry_run:
            return len(todo), 0, unchanged
        today = timezone.localdate()
        newcomers = [r for r in todo if r.person is None]
        made = Person.objects.bulk_create([Person(**r.model_values) for r in newcomers])
        for row, person in zip(newcomers, made, strict=True):
            row.person = person
        PersonReference.objects.bulk_create([PersonReference(person=r.person, external_id=r.values["external_id"])
                                             for r in newcomers if r.values.get("external_id")])
        Membership.objects.bulk_create([
            Membership(person=r.person, role=r.role, programme_id=r.cohort.course.programme_id,
                       village=r.cohort.village, starts_on=today, is_active=True)
            for r in newcomers
        ])
        Enrolment.objects.bulk_create([
            Enrolment(cohort=r.cohort, person=r.person, enrolled_on=today, status=Enrolment.Status.ENROLLED)
            for r in todo
        ])
        return len(todo), 0, unchanged


def paste_to_table(text_value: str) -> str:
    """A pasted list as a table the readers open: kept as it is when its first line names
    columns; otherwise read as names, one person a line (given name, then family names; a second
    cell, tab- or comma-separated, is the family name)."""
    from aldea.interop.readers import normalise_header

    lines = [line for line in (text_value or "").replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        return ""
    known = {name for column in EnrolmentImporter.columns for name in column.all_names()}
    first = [normalise_header(cell) for cell in _cells(lines[0])]
    if any(cell in known for cell in first):
        return "\n".join(lines) + "\n"
    out = ["given_name\tfamily_name"]
    for line in lines:
        cells = [clean_text(c) for c in _cells(line)]
        if len(cells) == 1:
            given, _sep, family = cells[0].partition(" ")
            cells = [given, family]
        out.append("\t".join(c.replace("\t", " ") for c in cells[:2]))
    return "\n".join(out) + "\n"


def _cells(line: str) -> list[str]:
    for separator in ("\t", ";", ","):
        if separator in line:
            return line.split(separator)
    return [line]



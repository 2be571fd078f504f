"""The people registry: matched by Aldea id, else external id (PersonReference), else email."""


from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from aldea.accounts.models import Person, Sex
from aldea.interop.importers.base import (
    Column,
    Importer,
    Reason,
    boolean,
    choice,
    date,
    integer,
    text,
)
from aldea.interop.importers.common import (
    LOCALITY_CODE,
    code_not_available,
    localities_by_code,
    unknown_locality,
)
from aldea.interop.readers import clean_text

SEX = choice(Sex, f="female", m="male", h="male", mujer="female", mulher="female", feminino="female", femenino="female",
             hombre="male", homem="male", masculino="male", otro="other", outro="other",
             prefiero_no_decir="undisclosed", prefiro_nao_dizer="undisclosed", nd="undisclosed")


def email(value, ctx):
    result = clean_text(value)
    if len(result) > 254 or result.count("@") != 1 or "." not in result.split("@")[1] or " " in result:
        raise ValueError(_("%(value)r is not an email address") % {"value": result})
    return result


class PersonImporter(Importer):
    kind = "people"
    model = Person
    key_column = "external_id"
    columns = (
        Column("id", integer(1), ("id_aldea", "aldea_id")),
        Column("external_id", text(60), ("folio", "id_externo", "identificador", "numero_registro", "registro", "matricula", "external_id", "curp", "cpf")),
        Column("given_name", text(100), ("nombre", "nombres", "nome", "primeiro_nome", "first_name", "given_name"), required=True),
        Column("family_name", text(100), ("apellidos", "apellido", "sobrenome", "last_name", "surname")),
        Column("sex", SEX, ("sexo", "genero", "gender")),
        Column("birth_year", integer(1900, 2030), ("ano_nacimiento", "ano_de_nacimiento", "ano_de_nascimento", "ano_nascimento", "year_of_birth")),
        Column("speaks_indigenous_language", boolean, ("habla_lengua_indigena", "hablante_lengua_indigena", "fala_lingua_indigena", "indigenous_language_speaker")),
        Column("indigenous_language", text(60), ("lengua_indigena", "lingua_indigena")),
        Column("email", email, ("correo", "correo_electronico", "e_mail", "mail")),
        Column("phone", text(30), ("telefono", "celular", "telefone", "whatsapp", "mobile")),
        Column("has_contact_consent", boolean, ("consentimiento_contacto", "acepta_contacto", "consentimento_contato", "contact_consent")),
        Column("contact_consent_on", date, ("fecha_consentimiento", "data_consentimento", "consent_date")),
        Column("locality", LOCALITY_CODE, ("localidad", "localidade", "cve_loc", "clave_localidad", "codigo_localidad", "locality_code")),
    )

    def key(self, row):
        v = row.values
        if v.get("id"):
            return ("id", v["id"])
        if v.get("external_id"):
            return ("external_id", v["external_id"])
        return ("email", v["email"].lower())

    def check_row(self, row):
        v = row.values
        if not (v.get("id") or v.get("external_id") or v.get("email")):
            row.reject("external_id", Reason.MISSING, "", _("each person needs an id, an external_id or an email so re-imports update them"))
        if v.get("has_contact_consent") and not v.get("contact_consent_on"):
            row.reject("contact_consent_on", Reason.MISSING, "", _("consent needs the date it was recorded"))

    def resolve(self, rows):
        from aldea.interop.models import PersonReference

        localities = localities_by_code(r.values["locality"] for r in rows if r.values.get("locality"))
        ids = {r.values["id"] for r in rows if r.values.get("id")}
        refs = {r.values["external_id"] for r in rows if r.values.get("external_id")}
        emails = {r.values["email"].lower() for r in rows if r.values.get("email") and not r.values.get("id") and not r.values.get("external_id")}
        by_ref = dict(PersonReference.objects.filter(external_id__in=refs).values_list("external_id", "person_id"))
        # A person's external id, to know whether a reference must be created or changed.
        ref_of = dict(PersonReference.objects.filter(person_id__in=ids | set(by_ref.values())).values_list("person_id", "external_id"))
        # Only people the importer may change are matched, by id, external id or email: anyone
        # else is as unknown as nobody, and an external id they hold is not available. Emails
        # are compared lower-cased in one IN list (an OR per address overflows SQLite's
        # expression depth at a batch of 2,000).
        people = (self.scope.persons_to_change().annotate(email_lower=Lower("email"))
                  .filter(Q(id__in=ids | set(by_ref.values())) | Q(email_lower__in=emails))
                  if (ids or by_ref or emails) else [])
        by_id = {p.id: p for p in people}
        by_email = {}
        for person in by_id.values():
            if person.email:
                by_email.setdefault(person.email.lower(), []).append(person)
        self._existing = {}
        for row in rows:
            v = row.values
            person = None
            holder = by_ref.get(v.get("external_id"))
            if v.get("id"):
                person = by_id.get(v["id"])
                if person is None:
                    row.reject("id", Reason.UNKNOWN, v["id"], _("no person with id %(id)s that you may change") % {"id": v["id"]})
                    continue
                if v.get("external_id") and holder and holder != person.id:
                    row.reject("external_id", Reason.UNAVAILABLE, v["external_id"], code_not_available())
                    continue
            elif v.get("external_id"):
                person = by_id.get(holder)
                if holder and person is None:
                    row.reject("external_id", Reason.UNAVAILABLE, v["external_id"], code_not_available())
                    continue
            else:
                matches = by_email.get(v["email"].lower(), [])
                if len(matches) > 1:
                    row.reject("email", Reason.DUPLICATE, v["email"], _("several people share this email; use id or external_id"))
                    continue
                person = matches[0] if matches else None
            values = {"given_name": v["given_name"]}
            for name, default in (("family_name", ""), ("sex", "undisclosed"), ("birth_year", None),
                                  ("speaks_indigenous_language", False), ("indigenous_language", ""), ("email", ""),
                                  ("phone", ""), ("has_contact_consent", False), ("contact_consent_on", None)):
                if name in v:
                    values[name] = default if v[name] is None else v[name]
            if person is not None and not values.get("has_contact_consent", person.has_contact_consent):
                # Exports withhold the contact details of people without consent: an empty cell
                # there is withheld, not erased.
                for name in ("email", "phone"):
                    if name in values and not values[name]:
                        del values[name]
            if "locality" in v:
                if v["locality"]:
                    found = localities.get(v["locality"])
                    if found is None:
                        row.reject("locality", Reason.UNKNOWN, v["locality"], unknown_locality(v["locality"]))
                        continue
                    values["locality_id"] = found[0]
                else:
                    values["locality_id"] = None
            row.model_values = values
            row.person = person
            row.current_ref = ref_of.get(person.id) if person else None

    def write(self, rows, *, dry_run):
        from aldea.interop.models import PersonReference

        created = updated = unchanged = 0
        new_people, new_refs, changed = [], [], []
        for row in rows:
            values, person = row.model_values, row.person
            wanted_ref = row.values.get("external_id")
            if person is None:
                created += 1
                new_people.append((Person(**values), wanted_ref))
                continue
            diff = [k for k, val in values.items() if getattr(person, k) != val]
            ref_changes = bool(wanted_ref) and wanted_ref != row.current_ref
            if not diff and not ref_changes:
                unchanged += 1
                continue
            updated += 1
            for k in diff:
                setattr(person, k, values[k])
            if diff:
                changed.append((person, diff))
            if ref_changes:
                new_refs.append((person, wanted_ref))
        if dry_run:
            return created, updated, unchanged
        made = Person.objects.bulk_create([p for p, _ref in new_people])
        for person, (_person, ref) in zip(made, new_people, strict=True):
            if ref:
                new_refs.append((person, ref))
        for person, fields in changed:
            person.save(update_fields=[*fields, "updated_at"])
        if new_refs:
            PersonReference.objects.filter(person__in=[p for p, _ in new_refs]).delete()
            PersonReference.objects.bulk_create([PersonReference(person=p, external_id=r) for p, r in new_refs])
        return created, updated, unchanged



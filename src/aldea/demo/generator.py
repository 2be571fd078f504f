"""Deterministic generator of the demo programme: one programme in Mexico on real municipalities.

``generate_demo(seed=2026)`` always writes the same content for the same seed and scale: every
random draw comes from ``random.Random`` streams seeded by strings such as ``"2026|msme|teo|17"``
(string seeds are hashed with SHA-512, so they do not depend on PYTHONHASHSEED), dates are fixed
relative to the programme start (2024-01-01) and nothing reads the clock or database ids.
Only ``created_at``/``updated_at`` timestamps and password hashes differ between runs.

Shape by default: 8 villages × 50 participant MSMEs, 200 comparison MSMEs, 40 trainers,
800 student consultants. ``scale=N`` keeps the shape with N MSMEs in total (two thirds
participants, one third comparison group; trainers and consultants in proportion) and writes in
chunks of 500 MSMEs through writer.Writer (executemany on SQLite, COPY on PostgreSQL, ids
assigned in Python), so memory stays flat. Run it on a database nobody else is writing to.

The behavioural model (who drops out, who gains how much) is documented in simulation.py; the
fixed content (villages, partners, channels, names, products) lives in catalogue.py.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.text import slugify

from aldea.accounts.models import Membership, Person
from aldea.consulting.models import ActionItem, Engagement, Meeting, StageChange
from aldea.demo import catalogue as cat
from aldea.demo import simulation as sim
from aldea.demo.cascade import TrainingCascade
from aldea.demo.progress import Progress
from aldea.demo.values import (
    CHUNK,
    CODES,
    CONSULTANTS_PER_PARTICIPANT,
    DEFAULT_COMPARISON,
    DEFAULT_PARTICIPANTS_PER_VILLAGE,
    DEFAULT_SEED,
    FEMALE_SHARE,
    PREFIXES,
    PROGRAMME_END,
    TRAINERS_PER_PARTICIPANT,
    WORKSHOP_COHORT_SIZE,
    aware,
    base36,
    money,
    owner_person_age,
    random_days,
    random_gtin,
    rng_for,
    similar_municipalities,
    weighted_sample,
)
from aldea.demo.writer import Writer
from aldea.diagnostics.models import Answer, Assessment, Question
from aldea.enterprises.models import Enterprise, Product
from aldea.outcomes.models import Listing, OutcomeRecord, SalesChannel
from aldea.partners.models import Agreement, Organisation, VillagePartnerRole
from aldea.programmes.models import (
    Programme,
    Village,
    VillageStatusChange,
)
from aldea.territories.models import AdministrativeArea, Country


class ReferenceDataMissing(RuntimeError):
    """The territories the demo needs are not in the database (run load_territories)."""


@dataclass
class Plan:
    participants: list[int]  # per village, in catalogue order
    comparison: int
    trainers: list[int]
    consultants: list[int]

    @property
    def total(self) -> int:
        return sum(self.participants) + self.comparison


def plan_for(scale: int | None) -> Plan:
    villages = len(cat.VILLAGES)
    if scale is None:
        participants = [DEFAULT_PARTICIPANTS_PER_VILLAGE] * villages
        comparison = DEFAULT_COMPARISON
    else:
        if scale < villages:
            raise ValueError(f"scale must be at least {villages} (one MSME per village)")
        total_participants = max(villages, round(scale * 2 / 3))
        comparison = scale - total_participants
        participants = [total_participants // villages + (1 if i < total_participants % villages else 0)
                        for i in range(villages)]
    trainers = [max(1, round(n * TRAINERS_PER_PARTICIPANT)) for n in participants]
    consultants = [max(2, round(n * CONSULTANTS_PER_PARTICIPANT)) for n in participants]
    return Plan(participants, comparison, trainers, consultants)


class DemoGenerator(TrainingCascade):
    def __init__(self, seed: int, scale: int | None, progress: bool | None):
        if not connection.features.can_return_rows_from_bulk_insert:
            raise RuntimeError("the demo generator needs a database that returns ids from bulk inserts")
        self.seed = seed
        self.plan = plan_for(scale)
        show = progress if progress is not None else self.plan.total >= 5000
        self.progress = Progress(self.plan.total, enabled=show)
        self.writer = Writer()
        self.certificate_codes: set[str] = set()
        self.msme_counter = 0

    # --- reference data ------------------------------------------------------------------------
    def _municipalities(self):
        self.country = Country.objects.filter(code="MX").first()
        if self.country is None:
            raise ReferenceDataMissing("Mexico is not loaded; run `aldea load_territories` first")
        areas = AdministrativeArea.objects.filter(country=self.country, level=AdministrativeArea.Level.MUNICIPALITY)
        self.municipalities = {(a.code[:2], a.name): a for a in areas}
        self.by_code = {a.code: a for a in areas}
        if not self.municipalities:
            raise ReferenceDataMissing("no Mexican municipalities; run `aldea load_territories` first")

    def municipality(self, state_code: str, name: str) -> AdministrativeArea:
        try:
            return self.municipalities[(state_code, name)]
        except KeyError:
            raise ReferenceDataMissing(f"municipality {name!r} of state {state_code} not found") from None

    # --- programme, partners, channels ----------------------------------------------------------
    def programme(self):
        self.prog = Programme.objects.create(
            slug=cat.PROGRAMME_SLUG, name=cat.PROGRAMME_NAME, country=self.country, currency="MXN",
            starts_on=sim.PROGRAMME_START, ends_on=PROGRAMME_END, status=Programme.Status.ACTIVE,
            description="Programa de demostración: ocho aldeas digitales en seis estados, con la cascada "
            "formadores → consultores estudiantes → MIPYMES y un grupo de comparación. Datos sintéticos "
            "sobre municipios reales (INEGI 2020, CONAPO 2020).",
            iati_identifier="XM-DAC-ALDEA-DEMO-2024",
        )
        self.orgs = {}
        for spec in cat.ORGANISATIONS:
            muni = self.municipality(spec.state_code, spec.municipality_name) if spec.state_code else None
            self.orgs[spec.slug] = Organisation(slug=spec.slug, name=spec.name, kind=spec.kind, helix=spec.helix,
                                                country=self.country, municipality=muni, website=spec.website)
        Organisation.objects.bulk_create(self.orgs.values())
        self.villages = []
        changes = []
        for position, spec in enumerate(cat.VILLAGES):
            launched = dt.date.fromisoformat(spec.launched_on)
            status = "graduated" if position == 0 else "active"
            village = Village.objects.create(
                programme=self.prog, slug=spec.slug, name=spec.name,
                municipality=self.municipality(spec.state_code, spec.municipality_name),
                speciality=spec.speciality, status=status, launched_on=launched,
                target_msmes=self.plan.participants[position], story=spec.story,
            )
            self.villages.append(village)
            history = [("", "candidate", dt.date(2023, 10, 2)), ("candidate", "selected", dt.date(2023, 12, 4)),
                       ("selected", "active", launched)]
            if status == "graduated":
                history.append(("active", "graduated", dt.date(2025, 12, 15)))
            for from_status, to_status, day in history:
                changes.append(VillageStatusChange(village=village, from_status=from_status, to_status=to_status,
                                                   changed_at=aware(day), note="Demo"))
        VillageStatusChange.objects.bulk_create(changes)
        self._agreements()
        self._partner_roles()
        self.channels = {}
        for code, name, kind, website in cat.CHANNELS:
            channel, _ = SalesChannel.objects.get_or_create(code=code, defaults={"name": name, "kind": kind,
                                                                                 "website": website})
            self.channels[code] = channel

    def _agreements(self):
        through = Agreement.parties.through
        links = []
        specs = list(cat.AGREEMENTS)
        for spec in cat.VILLAGES:
            code = f"convenio-estatal-{spec.state_code}"
            if any(s[0] == code for s in specs):
                continue
            specs.append((code, f"Convenio de colaboración estatal ({self.orgs[spec.state_government].name})",
                          (spec.state_government, spec.university, "fundacion-aldea"),
                          "Selección de aldeas, servicio social de estudiantes consultores y sedes de formación.",
                          "2023-12-11", "2024-01-15", "2025-12-31", "signed"))
        for code, title, parties, scope, signed, starts, ends, status in specs:
            agreement = Agreement.objects.create(
                programme=self.prog, code=code, title=title, scope=scope,
                signed_on=dt.date.fromisoformat(signed) if signed else None,
                starts_on=dt.date.fromisoformat(starts), ends_on=dt.date.fromisoformat(ends) if ends else None,
                status=status,
            )
            links += [through(agreement_id=agreement.pk, organisation_id=self.orgs[p].pk) for p in parties]
        through.objects.bulk_create(links)

    def _partner_roles(self):
        roles = []
        for village, spec in zip(self.villages, cat.VILLAGES, strict=True):
            start = village.launched_on
            for slug, role in ((spec.university, "host_institution"), (spec.university, "trainer_provider"),
                               ("tecnm", "trainer_provider"), (spec.state_government, "government_liaison"),
                               ("mercado-libre", "marketplace"), ("amazon-mexico", "marketplace"),
                               ("fundacion-aldea", "sponsor"), ("fonart", "sponsor")):
                roles.append(VillagePartnerRole(village=village, organisation=self.orgs[slug], role=role,
                                                starts_on=start))
        VillagePartnerRole.objects.bulk_create(roles)

    # --- people ---------------------------------------------------------------------------------
    def participants(self, questions, instrument, definition):
        from aldea.diagnostics.scoring import score_answers

        self.score_answers = score_answers
        self.questions, self.instrument, self.definition = questions, instrument, definition
        self.persona_candidates = []
        # (village id, month) -> [participants, online cents, total cents, jobs] the programme added.
        self.planted = defaultdict(lambda: [0, 0, 0, 0])
        for v, (village, spec) in enumerate(zip(self.villages, cat.VILLAGES, strict=True)):
            count = self.plan.participants[v]
            workshops = []
            for j in range(math.ceil(count / WORKSHOP_COHORT_SIZE)):
                teaching = [self.trainers[v][j % len(self.trainers[v])]]
                workshops.append(self.cohort(
                    "msme_workshop", f"tm-{spec.slug}-{j + 1:03d}", village=village, institution=self.orgs[spec.university],
                    trainers=teaching, starts_on=village.launched_on + dt.timedelta(days=100 + 7 * (j % 4)),
                    size=WORKSHOP_COHORT_SIZE))
            self.progress.stage(f"participantes: {spec.name}")
            for start in range(0, count, CHUNK):
                for i in range(start, min(start + CHUNK, count)):
                    self.participant(v, village, spec, i, workshops[i // WORKSHOP_COHORT_SIZE])
                self.writer.flush()
                self.progress.advance(min(CHUNK, count - start))

    def _enterprise(self, rng, *, code, village, spec, municipality, owner_person, business, showcase) -> Enterprise:
        prefix = rng.choice(PREFIXES.get(spec.slug, cat.BUSINESS_PREFIXES))
        family = owner_person.family_name.split()[0]
        name = f"{prefix} {family}" if rng.random() < 0.6 else f"{prefix} {owner_person.given_name} {family}"
        founded = sim.PROGRAMME_START.year - min(int(rng.expovariate(1 / 12)) + 1, owner_person_age(owner_person) - 16)
        return self.writer.add(Enterprise(
            programme=self.prog, village=village, group="participant" if village else "comparison", code=code,
            name=name, owner=owner_person, municipality=municipality, sector=spec.sector, speciality=spec.speciality,
            formal_status=business.formal_status, employees=business.employees, founded_year=founded,
            is_women_led=business.is_women_led, baseline_channels=business.baseline_channels,
            has_showcase_consent=showcase,
        ))

    def _owner(self, rng, spec, municipality, consent_on):
        owner = sim.draw_owner(rng, female_share=FEMALE_SHARE[spec.sector], indigenous_share=spec.indigenous_share)
        person = self.person(rng, sex=owner.sex if owner.sex in ("female", "male") else "female",
                             birth_year=owner.birth_year, speaks=owner.speaks_indigenous_language,
                             language=spec.indigenous_language, consent=owner.has_contact_consent,
                             consent_on=consent_on, state_code=spec.state_code)
        person.sex = owner.sex
        return owner, person

    def _assess(self, rng, enterprise, maturity, day, assessor):
        answers = sim.draw_answers(rng, maturity, self.questions)
        scores = self.score_answers(self.definition, answers)
        assessment = self.writer.add(Assessment(
            enterprise=enterprise, instrument=self.instrument, assessed_on=day, assessor_id=assessor,
            dimension_scores=scores.dimension_scores, score=scores.score, level=scores.level))
        for code, value in answers.items():
            self.writer.row(Answer, assessment=assessment, question=self.question_ids[code], value=value)

    def participant(self, v, village, spec, i, workshop):
        rng = rng_for(self.seed, "msme", spec.slug, i)
        certified = self.consultants[v]
        if v == 0 and i < 3:
            consultant, supervisor, ready = certified[0]  # the demo consultant follows three MSMEs
        else:
            consultant, supervisor, ready = certified[rng.randrange(len(certified))]
        started = max(ready, village.launched_on + dt.timedelta(days=90)) + random_days(rng, 7, 70)
        owner, person = self._owner(rng, spec, village.municipality, started)
        business = sim.draw_business(rng, sector=spec.sector, degree=village.municipality.marginalisation_degree,
                                     owner=owner)
        self.msme_counter += 1
        code = f"{CODES[spec.slug]}-{i + 1:05d}"
        enterprise = self._enterprise(rng, code=code, village=village, spec=spec, municipality=village.municipality,
                                      owner_person=person, business=business, showcase=rng.random() < 0.6)
        self.membership(person, "msme_owner", village=village, starts_on=started)
        path = sim.draw_path(rng, business, started, cat.DROP_REASONS)
        engagement = self.writer.add(Engagement(
            enterprise=enterprise, consultant_id=consultant, supervisor_id=supervisor, stage=path.stage,
            drop_reason=path.drop_reason, drop_reason_code=cat.DROP_REASON_CODES.get(path.drop_reason, "other") if path.drop_reason else "",
            started_on=started, closed_on=path.closed_on))
        previous = ""
        for stage, day in path.stages:
            self.writer.row(StageChange, engagement=engagement, from_stage=previous, to_stage=stage,
                            changed_at=aware(day), reason=path.drop_reason if stage == "dropped" else "")
            previous = stage
        end = path.closed_on or sim.AS_OF
        for _ in range(1 + len(path.stages) + rng.randint(0, 2)):
            span = max((end - started).days, 1)
            self.writer.row(Meeting, engagement=engagement, held_on=started + random_days(rng, 0, span),
                            mode="in_person" if rng.random() < 0.7 else "remote",
                            duration_minutes=rng.choice((45, 60, 60, 90, 120)), notes=rng.choice(cat.MEETING_NOTES))
        implementation = sim.clip(0.3 + business.maturity + rng.gauss(0, 0.15), 0.05, 0.98)
        for title in rng.sample(cat.ACTION_ITEMS, rng.randint(2, 6)):
            due = (path.reached("action_plan") or started) + random_days(rng, 7, 90)
            if due <= end and rng.random() < implementation:
                status, done_on = "done", min(due + random_days(rng, -10, 10), end)
            elif path.stage == "dropped" and due > end:
                status, done_on = "cancelled", None
            else:
                status, done_on = "open", None
            self.writer.row(ActionItem, engagement=engagement, title=title, due_on=due, status=status,
                            completed_on=done_on)
        self._assess(rng, enterprise, business.maturity, started, consultant)
        follow_up = dt.date(2025, 9, 1) + random_days(rng, 0, 60)
        if path.stage != "dropped" or (path.closed_on and path.closed_on > follow_up):
            gain = sim.maturity_gain(rng, path)
            self._assess(rng, enterprise, sim.clip(business.maturity + gain, 0, 1), follow_up, consultant)
        # Products and listings.
        lines = rng.sample(spec.products, min(len(spec.products), rng.randint(2, 5)))
        prices = []
        listing_day = path.reached("listing")
        plan_day = path.reached("action_plan")
        has_amazon = False
        for j, line in enumerate(lines):
            price = round(math.exp(rng.uniform(math.log(line.price_min), math.log(line.price_max))), -1)
            prices.append(price)
            formal = business.formal_status != "informal"
            gtin = random_gtin(rng) if spec.sector == "food" and formal else ""
            sku = f"{code.upper()}-{j + 1:02d}"
            product = self.writer.add(Product(
                enterprise=enterprise, sku=sku, title=line.title, category=line.category, price=price,
                description=f"{line.title}. Hecho en {village.name} por {enterprise.name}. {spec.speciality}.",
                stock=rng.randint(0, 30), brand=enterprise.name if formal else "", gtin=gtin,
                is_handmade=spec.sector != "food" or not formal,
            ))
            if listing_day is None and plan_day is None:
                continue
            n_channels = 1 + (rng.random() < 0.55) + (rng.random() < 0.25)
            channels = weighted_sample(rng, [c[0] for c in cat.CHANNELS], cat.CHANNEL_WEIGHTS, n_channels)
            for channel_code in channels:
                status = self._listing(rng, product, channel_code, listing_day, path)
                has_amazon |= channel_code == "amazon-mx" and status == "live"
        average_price = sum(prices) / len(prices)
        for m in sim.draw_months(rng, business, path=path, average_price=average_price, exports_possible=has_amazon):
            self._outcome(enterprise, m)
            planted = self.planted[(village.pk, m.month)]
            planted[0] += 1
            planted[1] += m.added_online_cents
            planted[2] += m.added_total_cents
            planted[3] += m.added_jobs
        # The MSME workshop: most owners take it, unless they dropped out early.
        stayed = path.stage != "dropped" or path.closed_on > workshop.starts_on
        if stayed and rng.random() < 0.85:
            self.counts_certified["msme_workshop"] += self.enrol(
                rng, workshop, person, assessor=workshop.teaching[0],
                assessments=("Ejercicio práctico",), withdraw=0.08, mean_score=85)
        if v == 0 and i < 50:
            self.persona_candidates.append((i, person, path.stage))

    def planted_effects(self):
        from aldea.demo.models import PlantedEffect

        PlantedEffect.objects.bulk_create(
            PlantedEffect(village_id=village_id, month=month, participants=n, added_online_sales=money(online),
                          added_total_sales=money(total), added_jobs=jobs)
            for (village_id, month), (n, online, total, jobs) in sorted(self.planted.items())
        )

    def _listing(self, rng, product, channel_code, listing_day, path):
        number = self.msme_counter * 100 + int(product.sku[-2:]) * 10
        slug = slugify(product.title)[:60]
        status, live_on = "draft", None
        if listing_day is not None:
            roll = rng.random()
            live_on = min(listing_day + random_days(rng, 0, 30), sim.AS_OF)
            if channel_code == "amazon-mx" and roll < 0.12:
                status, live_on = "rejected", None
            elif path.stage == "dropped":
                status = "paused" if roll < 0.5 else "closed"
            elif roll < 0.05:
                status = "paused"
            elif roll < 0.09:
                status, live_on = "submitted", None
            else:
                status = "live"
        external = {
            "mercado-libre": (f"MLM{1_900_000_000 + number}",
                              f"https://articulo.mercadolibre.com.mx/MLM-{1_900_000_000 + number}-{slug}-_JM"),
            "amazon-mx": (f"B0{base36(number + 40_000_000_000):>8}".replace(" ", "0"),
                          None),
            "shopify": (str(8_100_000_000_000 + number), f"https://{slugify(product.enterprise.name)[:40]}.myshopify.com/products/{slug}"),
            "google-shopping": (product.sku, ""),
            "facebook-marketplace": (str(1_040_000_000_000_000 + number), None),
            "whatsapp-business": (str(7_200_000_000_000_000 + number), None),
        }[channel_code]
        external_id, url = external
        if url is None:
            url = {"amazon-mx": f"https://www.amazon.com.mx/dp/{external_id}",
                   "facebook-marketplace": f"https://www.facebook.com/marketplace/item/{external_id}/",
                   "whatsapp-business": f"https://wa.me/p/{external_id}/"}[channel_code]
        if status == "draft":
            external_id, url = "", ""
        self.writer.row(Listing, product=product, channel=self.channels[channel_code], external_id=external_id,
                        url=url, status=status, live_on=live_on)
        return status

    def _outcome(self, enterprise, m: sim.Month):
        self.writer.row(OutcomeRecord, enterprise=enterprise, month=m.month, currency="MXN",
                        total_sales=money(m.total_cents), online_sales=money(m.online_cents), orders=m.orders,
                        units=m.units, employees=m.employees, export_markets=m.export_markets, source=m.source)

    def comparison(self):
        if not self.plan.comparison:
            return
        pools = []
        village_codes = {v.municipality.code for v in self.villages}
        for village in self.villages:
            pools.append(similar_municipalities(village.municipality, self.by_code.values(), village_codes))
        self.progress.stage("grupo de comparación")
        n = len(self.villages)
        for start in range(0, self.plan.comparison, CHUNK):
            stop = min(start + CHUNK, self.plan.comparison)
            for i in range(start, stop):
                v = i % n
                spec = cat.VILLAGES[v]
                rng = rng_for(self.seed, "comparison", i)
                municipality = pools[v][(i // n) % len(pools[v])]
                surveyed = dt.date(2024, 6, 3) + random_days(rng, 0, 60)
                owner, person = self._owner(rng, spec, municipality, surveyed)
                business = sim.draw_business(rng, sector=spec.sector, degree=municipality.marginalisation_degree,
                                             owner=owner)
                self.msme_counter += 1
                enterprise = self._enterprise(rng, code=f"cmp-{i + 1:06d}", village=None, spec=spec,
                                              municipality=municipality, owner_person=person, business=business,
                                              showcase=False)
                self._assess(rng, enterprise, business.maturity, surveyed, None)
                if rng.random() < 0.9:
                    self._assess(rng, enterprise, sim.clip(business.maturity + sim.maturity_gain(rng, None), 0, 1),
                                 dt.date(2025, 9, 1) + random_days(rng, 0, 60), None)
                price = sum((p.price_min + p.price_max) / 2 for p in spec.products) / len(spec.products)
                for m in sim.draw_months(rng, business, path=None, average_price=price, exports_possible=False):
                    self._outcome(enterprise, m)
            self.writer.flush()
            self.progress.advance(stop - start)

    # --- logins, indicators ------------------------------------------------------------------------
    def users(self):
        User = get_user_model()
        password = make_password(cat.DEMO_PASSWORD)  # one hash for all: hashing is deliberately slow
        rng = rng_for(self.seed, "users")
        teotitlan = self.villages[0]
        consultant, supervisor = (Person.objects.get(pk=pk) for pk in self.consultants[0][0][:2])
        owner = next((p for _, p, stage in self.persona_candidates if stage in ("first_sale", "graduated")),
                     self.persona_candidates[0][1] if self.persona_candidates else None)
        linked = {"trainer": supervisor, "consultant": consultant, "msme_owner": owner}
        admin = User.objects.create(username=cat.ADMIN_USERNAME, password=password, is_staff=True, is_superuser=True,
                                    email="admin@example.com", first_name="Administración", last_name="Aldea")
        admin_person = Person.objects.create(user=admin, given_name="Administración", family_name="Aldea",
                                             sex="undisclosed")
        Membership.objects.create(person=admin_person, role="manager", programme=self.prog,
                                  starts_on=sim.PROGRAMME_START)
        self.logins = [(cat.ADMIN_USERNAME, "admin", "todo, incluido el administrador de Django (/admin/)")]
        for username, role, village_slug, org_slug, given, family, sex, sees in cat.DEMO_USERS:
            person = linked.get(role)
            if person is None:
                person = Person.objects.create(given_name=given, family_name=family, sex=sex,
                                               birth_year=1975 + rng.randint(0, 20))
                village = teotitlan if village_slug else None
                Membership.objects.create(person=person, role=role, programme=self.prog, village=village,
                                          organisation=self.orgs[org_slug] if org_slug else None,
                                          starts_on=sim.PROGRAMME_START)
            user = User.objects.create(username=username, password=password, first_name=person.given_name,
                                       last_name=person.family_name)
            Person.objects.filter(pk=person.pk).update(user=user)
            self.logins.append((username, role, sees))

    def finances(self):
        from aldea.demo.finances import create_finances

        create_finances(self.prog, sponsor=self.orgs["fundacion-aldea"].name, msmes=self.plan.total)

    def indicators(self):
        from aldea.demo.indicators import create_indicators

        create_indicators(self.prog, self.villages, self.plan)

    def run(self) -> dict:
        from aldea.diagnostics.instrument import ensure_default_instrument, instrument_definition

        self._municipalities()
        instrument = ensure_default_instrument()
        definition = instrument_definition(instrument)
        questions = list(Question.objects.filter(dimension__instrument=instrument)
                         .order_by("dimension__position", "position").values_list("dimension__code", "code", "id"))
        self.question_ids = {code: pk for _, code, pk in questions}
        self.progress.stage("programa y socios")
        self.programme()
        self.courses()
        self.progress.stage("formadores y consultores")
        self.trainers_and_consultants()
        self.participants([(d, q) for d, q, _ in questions], instrument, definition)
        self.planted_effects()
        self.comparison()
        self.writer.flush()
        self.writer.reset_sequences()
        self.progress.stage("usuarios e indicadores")
        self.users()
        self.indicators()
        self.finances()
        # The overview reads the monthly roll-ups of outcomes; the bulk writer bypassed the
        # service that keeps them, so they are built once here.
        from aldea.outcomes.rollups import rebuild_outcome_rollups

        rebuild_outcome_rollups(self.prog)
        # Fresh statistics after a bulk load, so the query planner knows the tables' sizes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # A large demo's overview is read from a snapshot (O17): counted once here.
        from aldea.workspace.figures.overview import refresh_snapshots

        refresh_snapshots(self.prog)
        self.progress.stage("listo")
        self.progress.close()
        counts = {label.split(".")[1].lower(): n for label, n in sorted(self.writer.counts.items())}
        counts.update(villages=len(self.villages), organisations=len(self.orgs),
                      msmes=sum(self.plan.participants) + self.plan.comparison,
                      participants=sum(self.plan.participants), comparison=self.plan.comparison,
                      trainers=sum(self.plan.trainers), consultants=sum(self.plan.consultants))
        counts.update({f"certified_{level}": n for level, n in sorted(self.counts_certified.items())})
        counts["logins"] = self.logins
        return counts



@transaction.atomic
def generate_demo(*, seed: int = DEFAULT_SEED, scale: int | None = None, progress: bool | None = None) -> dict:
    """Write the demo programme (see the module docstring) and return counts of what was created.

    Loads the territory reference data first (a no-op when already loaded). Raises ValueError when
    a demo programme already exists (use services.reset_demo first) or the scale is too small.
    The counts include ``logins``: (username, role, what they see) for each demo user; every
    password is catalogue.DEMO_PASSWORD.
    """
    from aldea.territories.services import load_mexico_reference

    if Programme.objects.filter(slug=cat.PROGRAMME_SLUG).exists():
        raise ValueError("the demo programme already exists; reset it first")
    load_mexico_reference()
    if connection.vendor == "sqlite":
        # The whole demo is one transaction; a larger page cache keeps SQLite from spilling
        # dirty pages into the WAL again and again at large scales (bounded: 128 MiB).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")
    return DemoGenerator(seed, scale, progress).run()

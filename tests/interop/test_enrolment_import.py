"""Bulk enrolment through the import door: the enrolments registry and a cohort's paste box."""

import pytest

from aldea.accounts.models import Membership, Role
from aldea.interop.importers.enrolments import paste_to_table
from aldea.interop.services import commit_upload, import_registry, preview_paste
from aldea.training.models import CourseLevel, Enrolment
from tests import factories as f
from tests.conftest import make_persona


@pytest.fixture
def cohort(world):
    course = f.CourseFactory(programme=world.programme, level=CourseLevel.CONSULTANT)
    return f.CohortFactory(course=course, village=world.village, code="oax-1", capacity=6,
                           trainers=[world.trainer.person])


def _import(tmp_path, text, user, **kwargs):
    path = tmp_path / "list.tsv"
    path.write_text(text, encoding="utf-8")
    return import_registry("enrolments", path, user=user, **kwargs)


def test_a_pasted_list_of_names_enrols_newcomers_with_the_cohorts_role(world, cohort):
    report, token = preview_paste(user=world.trainer, cohort=cohort.code,
                                  pasted="Ana López\nJuan\tPérez Soto\nLuz María\tCruz\n")
    assert (report.created, report.rejected) == (3, 0) and not Enrolment.objects.exists()  # a dry run
    report = commit_upload(user=world.trainer, token=token)
    assert report.written == 3
    enrolled = Enrolment.objects.filter(cohort=cohort).select_related("person")
    assert sorted((e.person.given_name, e.person.family_name) for e in enrolled) == [
        ("Ana", "López"), ("Juan", "Pérez Soto"), ("Luz María", "Cruz")]
    memberships = Membership.objects.filter(person__enrolments__cohort=cohort)
    assert {(m.role, m.programme_id, m.village_id) for m in memberships} == {
        (Role.CONSULTANT, world.programme.pk, world.village.pk)}


def test_a_second_import_of_the_same_list_changes_nothing(world, cohort, tmp_path):
    text = "nombre\tapellidos\tcohorte\nAna\tLópez\toax-1\n"
    _import(tmp_path, text, world.manager)
    again = _import(tmp_path, text, world.manager)
    assert (again.created, again.unchanged) == (0, 1)
    assert Enrolment.objects.count() == 1


def test_an_existing_member_is_enrolled_without_a_second_membership(world, cohort, tmp_path):
    person = world.consultant.person
    report = _import(tmp_path, f"nombre\tapellidos\n{person.given_name}\t{person.family_name}\n", world.trainer,
                     cohort=cohort.code)
    assert report.written == 1
    assert Enrolment.objects.get().person == person
    assert person.memberships.count() == 1


def test_bad_rows_are_named_by_line_and_column(world, cohort, tmp_path):
    text = "nombre\tcohorte\tsexo\trol\nAna\tnope\tF\t\nLuis\toax-1\tquizás\t\nEva\toax-1\tF\tmanager\n"
    report = _import(tmp_path, text, world.manager)
    problems = {(e.line, e.column) for e in report.errors}
    assert problems == {(2, "cohort"), (3, "sex"), (4, "role")}
    assert report.created == 0 and not Enrolment.objects.exists()


def test_a_full_cohort_refuses_the_extra_rows(world, cohort, tmp_path):
    names = "".join(f"Persona{i}\tApellido\n" for i in range(8))
    report = _import(tmp_path, "nombre\tapellidos\n" + names, world.manager, cohort=cohort.code)
    assert report.written == 6 and report.rejected == 2
    assert all("full" in e.detail for e in report.errors)


def test_a_manager_of_a_second_programme_cannot_enrol_here(world, cohort, tmp_path):
    other_manager = make_persona(Role.MANAGER, world.other)
    report = _import(tmp_path, "nombre\nAna\n", other_manager, cohort=cohort.code)
    assert report.rejected == 1 and report.errors[0].column == "cohort"
    assert not Enrolment.objects.exists()


def test_a_trainer_enrols_only_in_their_own_cohorts(world, cohort, tmp_path):
    not_theirs = f.CohortFactory(course=cohort.course, village=world.village, code="oax-2")
    report = _import(tmp_path, "nombre\nAna\n", world.trainer, cohort=not_theirs.code)
    assert report.rejected == 1 and not Enrolment.objects.exists()


def test_a_trainer_with_two_roles_in_two_programmes_enrols_only_where_they_train(world, cohort, tmp_path):
    f.MembershipFactory(person=world.trainer.person, role=Role.CONSULTANT, programme=world.other)
    other_course = f.CourseFactory(programme=world.other)
    other_cohort = f.CohortFactory(course=other_course, village=world.other_village, code="far-1")
    refused = _import(tmp_path, "nombre\nAna\n", world.trainer, cohort=other_cohort.code)
    accepted = _import(tmp_path, "nombre\nAna\n", world.trainer, cohort=cohort.code)
    assert (refused.rejected, accepted.written) == (1, 1)


def test_a_pasted_spreadsheet_keeps_its_header():
    assert paste_to_table("nombre\tcorreo\nAna\ta@example.org") == "nombre\tcorreo\nAna\ta@example.org\n"
    assert paste_to_table("Ana López Ruiz") == "given_name\tfamily_name\nAna\tLópez Ruiz\n"


def test_the_cohort_page_previews_then_imports(world, cohort, client):
    client.force_login(world.trainer)
    url = f"/data/enrolments/{cohort.code}/"
    assert client.get(url).status_code == 200
    preview = client.post(url, {"pasted": "Ana López\nJuan Pérez\n"})
    assert preview.status_code == 200 and not Enrolment.objects.exists()
    token = preview.context["token"]
    done = client.post(f"{url}commit/", {"token": token})
    assert done.status_code == 200 and Enrolment.objects.filter(cohort=cohort).count() == 2


def test_the_cohort_page_refuses_an_empty_paste_and_outsiders(world, cohort, client):
    client.force_login(world.trainer)
    response = client.post(f"/data/enrolments/{cohort.code}/", {"pasted": "  "})
    assert response.status_code == 400 and b"Paste a list" in response.content
    client.force_login(make_persona(Role.MANAGER, world.other))
    assert client.get(f"/data/enrolments/{cohort.code}/").status_code == 404
    client.force_login(world.consultant)
    assert client.get(f"/data/enrolments/{cohort.code}/").status_code in {403, 404}

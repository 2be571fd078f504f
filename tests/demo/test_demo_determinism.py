"""Same seed, same data; another seed, other data. Uses a small scale: the code path is the same."""

import pytest

from aldea.demo.fingerprint import demo_fingerprint
from aldea.demo.generator import generate_demo, plan_for
from aldea.demo.services import demo_programme, reset_demo
from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord

pytestmark = pytest.mark.django_db

SCALE = 96


def fingerprint_of(seed: int) -> str:
    reset_demo()
    generate_demo(seed=seed, scale=SCALE)
    return demo_fingerprint(demo_programme())


# Three full demos (about 2.5 minutes): slow, so it runs once, in the SQLite pass.
@pytest.mark.slow
def test_same_seed_gives_identical_content_and_another_seed_does_not():
    first = fingerprint_of(7)
    assert fingerprint_of(7) == first
    assert fingerprint_of(8) != first


def test_scale_sets_the_number_of_msmes_with_the_same_shape():
    counts = generate_demo(seed=1, scale=SCALE)
    assert counts["msmes"] == Enterprise.objects.count() == SCALE
    assert counts["villages"] == 8
    assert Enterprise.objects.filter(group="comparison").count() == SCALE - 64
    assert OutcomeRecord.objects.count() == 24 * SCALE
    assert counts["consultants"] == 2 * 64


def test_plan_keeps_the_default_shape_at_600_msmes():
    default, scaled = plan_for(None), plan_for(600)
    assert default.participants == scaled.participants == [50] * 8
    assert default.comparison == scaled.comparison == 200
    assert sum(default.trainers) == 40 and sum(default.consultants) == 800
    assert sum(plan_for(100_000).participants) + plan_for(100_000).comparison == 100_000


def test_scale_below_one_msme_per_village_is_refused():
    with pytest.raises(ValueError):
        plan_for(5)


def test_generating_twice_without_reset_is_refused():
    generate_demo(seed=1, scale=16)
    with pytest.raises(ValueError):
        generate_demo(seed=1, scale=16)


def test_reset_removes_everything_the_demo_created():
    from aldea.accounts.models import Person, User

    generate_demo(seed=3, scale=16)
    assert reset_demo() is True
    assert demo_programme() is None
    assert Person.objects.count() == 0 and User.objects.count() == 0
    assert Enterprise.objects.count() == 0
    assert reset_demo() is False

"""`acuevidence demo` loads the whole corpus, and loading it again duplicates nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from acuevidence.content.models import ArticlePage, ConditionPage
from acuevidence.directory.models import Location, Practitioner
from acuevidence.research.models import Arm, Comparison, Result, Study

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Study, Arm, Result, Comparison, Page, ArticlePage, ConditionPage,
                      Practitioner, Location, get_user_model())
    }  # fmt: skip


def test_loading_the_demo_twice_duplicates_nothing_and_prints_the_password_once():
    first_out, second_out = StringIO(), StringIO()
    call_command("demo", practitioners=12, stdout=first_out)
    first = counts()
    call_command("demo", practitioners=12, stdout=second_out)
    assert counts() == first
    assert first["Study"] == 34
    assert first["ArticlePage"] == 2
    assert Practitioner.objects.filter(is_demo=False).count() == 0
    assert "with password:" in first_out.getvalue()
    assert "with password:" not in second_out.getvalue()
    assert Study.objects.filter(live=True).count() == 34

"""The fidelity PDF's footer shows the programme's name as written on every page, whatever its
characters: a name once went through JavaScript escaping into CSS and came out as "u002D"."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.ips.test_fidelity_views import Login, Scene, pdf_text, scene  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_footer_carries_the_programme_name_as_written(
    scene: Scene,  # noqa: F811
    login: Login,
    tmp_path: Path,
    lang: str,
) -> None:
    name = 'IPS-työhönvalmennus (ESR+-pilotti) & "Polku" \\ 2'
    scene.world.programme.name = scene.world.programme.name_en = name
    scene.world.programme.name_fi = scene.world.programme.name_sv = name
    scene.world.programme.save()
    review = scene.review(score=4)
    response = login(scene.manager).get(
        reverse("ips:fidelity_pdf", kwargs={"review_id": review.pk}), {"lang": lang}
    )
    text = pdf_text(response.content, tmp_path)
    footers = [line for line in text.splitlines() if " · " in line and "/" in line]
    assert footers, text
    assert all(name in line for line in footers)
    assert "u002D" not in text

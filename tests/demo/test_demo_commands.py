import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aldea.enterprises.models import Enterprise
from aldea.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_demo_no_serve_loads_once_and_then_reuses_the_data(capsys):
    call_command("demo", "--no-serve", "--scale", "24")
    first = capsys.readouterr().out
    assert "Demo loaded" in first
    for username in ("admin", "coordinadora", "aliada", "formador", "consultora", "artesana", "analista"):
        assert username in first
    assert "aldea-demo" in first
    ids = sorted(Enterprise.objects.values_list("id", flat=True))

    call_command("demo", "--no-serve", "--scale", "24")
    second = capsys.readouterr().out
    assert "Reusing the demo programme" in second
    assert sorted(Enterprise.objects.values_list("id", flat=True)) == ids
    assert Programme.objects.count() == 1


def test_load_demo_refuses_to_overwrite_without_reset_and_regenerates_with_it(capsys):
    call_command("load_demo", "--scale", "16", "--seed", "5")
    assert Enterprise.objects.count() == 16
    with pytest.raises(CommandError):
        call_command("load_demo", "--scale", "16")
    call_command("load_demo", "--scale", "32", "--reset")
    assert Enterprise.objects.count() == 32
    assert "Deleted the previous demo programme" in capsys.readouterr().out


def test_demo_serves_on_the_requested_port(monkeypatch):
    calls = []
    from aldea.demo.management.commands import demo

    real_call_command = demo.call_command

    def fake_call_command(name, *args, **kwargs):
        if name == "runserver":
            calls.append((args, kwargs))
            return None
        return real_call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo, "call_command", fake_call_command)
    call_command("demo", "--scale", "16", "--port", "8765")
    assert calls == [(("127.0.0.1:8765",), {"use_reloader": False})]


@pytest.mark.parametrize(("language", "lines", "absent"), [
    ("es-mx", ["Cargando el programa de demostración", "Accesos de demostración (contraseña de todos: aldea-demo):",
               "Coordinación del programa", "Dueño(a) de MIPYME", "su taller: perfil"],
     ["Demo logins", "msme_owner", "Loading", "a month", "their workshop"]),
    ("pt-br", ["Carregando o programa de demonstração", "Acessos de demonstração", "Coordenação do programa",
               "sua oficina: perfil"],
     ["Demo logins", "msme_owner", "Cargando", "su taller"]),
    ("en", ["Loading the demo programme", "Demo logins (password for all: aldea-demo):", "Programme manager",
            "their workshop: profile"],
     ["msme_owner", "Coordinación", "su taller"]),
])
def test_demo_console_speaks_one_language_and_names_roles_as_the_pages_do(settings, capsys, language, lines, absent):
    settings.LANGUAGE_CODE = language
    call_command("demo", "--no-serve", "--scale", "16")
    out = capsys.readouterr().out
    for line in lines:
        assert line in out, line
    for text in absent:
        assert text not in out, text

"""XLSForms for KoboToolbox and ODK, in Spanish, Portuguese and English.

Four forms: ``registration`` (a person and their MSME), ``diagnostic`` (generated from the
maturity instrument in the database, so form and scoring never drift), ``outcome`` (one MSME's
month) and ``attendance`` (a training session, one repeat per attendee). Field names are the
names ``kobo.py`` reads back; village and sector choices come from the database and the models.
"""

from pathlib import Path

from aldea.accounts.models import Sex
from aldea.enterprises.models import ChannelKind, FormalStatus, Sector

FORMS = ("registration", "diagnostic", "outcome", "attendance")
LANGUAGES = (("es", "Español (es)"), ("pt", "Português (pt)"), ("en", "English (en)"))
DEFAULT_LANGUAGE = "Español (es)"
SURVEY_COLUMNS = ["type", "name", *(f"label::{n}" for _, n in LANGUAGES), *(f"hint::{n}" for _, n in LANGUAGES),
                  "required", "constraint", *(f"constraint_message::{n}" for _, n in LANGUAGES),
                  "relevant", "appearance", "default", "calculation"]
CHOICE_COLUMNS = ["list_name", "name", *(f"label::{n}" for _, n in LANGUAGES)]


def tr(es, pt=None, en=None):
    return {"es": es, "pt": pt or es, "en": en or es}


def q(type_, name, label, *, hint=None, required=False, constraint="", message=None, relevant="",
      appearance="", default="", calculation=""):
    row = {"type": type_, "name": name, "required": "yes" if required else "", "constraint": constraint,
           "relevant": relevant, "appearance": appearance, "default": default, "calculation": calculation}
    for code, column in LANGUAGES:
        row[f"label::{column}"] = label[code] if label else ""
        row[f"hint::{column}"] = hint[code] if hint else ""
        row[f"constraint_message::{column}"] = message[code] if message else ""
    return row


def choices(list_name, options):
    """options: iterable of (name, tr(...))."""
    rows = []
    for name, label in options:
        row = {"list_name": list_name, "name": name}
        for code, column in LANGUAGES:
            row[f"label::{column}"] = label[code]
        rows.append(row)
    return rows


YES_NO = choices("yes_no", [("yes", tr("Sí", "Sim", "Yes")), ("no", tr("No", "Não", "No"))])

SECTOR_LABELS = {
    "crafts": tr("Artesanías", "Artesanato", "Crafts"), "textiles": tr("Textiles y confección", "Têxteis e confecção", "Textiles and clothing"),
    "food": tr("Alimentos y bebidas", "Alimentos e bebidas", "Food and drink"), "agriculture": tr("Agropecuario", "Agropecuária", "Agriculture"),
    "manufacturing": tr("Manufactura", "Manufatura", "Manufacturing"), "retail": tr("Comercio", "Comércio", "Retail"),
    "services": tr("Servicios", "Serviços", "Services"), "tourism": tr("Turismo", "Turismo", "Tourism"),
}
SEX_LABELS = {
    "female": tr("Mujer", "Mulher", "Woman"), "male": tr("Hombre", "Homem", "Man"),
    "other": tr("Otro", "Outro", "Other"), "undisclosed": tr("Prefiere no decir", "Prefere não dizer", "Prefers not to say"),
}
CHANNEL_LABELS = {
    "marketplace": tr("Marketplace (Mercado Libre, Amazon)", "Marketplace (Mercado Livre, Amazon)", "Marketplace (Mercado Libre, Amazon)"),
    "social": tr("Redes sociales (WhatsApp, Facebook)", "Redes sociais (WhatsApp, Facebook)", "Social media (WhatsApp, Facebook)"),
    "own_store": tr("Tienda en línea propia", "Loja online própria", "Own online store"),
    "b2b": tr("Venta a empresas", "Venda a empresas", "Business to business"),
    "physical": tr("Venta presencial", "Venda presencial", "In person"),
}
FORMAL_LABELS = {
    "informal": tr("Informal", "Informal", "Informal"), "individual": tr("Persona física con actividad empresarial", "Pessoa física / MEI", "Sole trader"),
    "company": tr("Persona moral", "Pessoa jurídica", "Company"), "cooperative": tr("Cooperativa", "Cooperativa", "Cooperative"),
}


def _village_choices():
    from aldea.programmes.models import Village

    villages = [(v.slug, tr(v.name, v.name, v.name)) for v in Village.objects.order_by("name")]
    # XLSForm needs at least one choice; a placeholder tells the team to add villages first.
    return choices("village", villages or [("none", tr("(sin aldeas registradas)", "(nenhuma aldeia)", "(no villages yet)"))])


def registration_form():
    non_negative = tr("Debe ser 0 o más", "Deve ser 0 ou mais", "Must be 0 or more")
    survey = [
        q("start", "start", None), q("end", "end", None), q("today", "today", None),
        q("text", "folio", tr("Folio de registro", "Número de registro", "Registration number"),
          hint=tr("Como aparece en la lista del programa", "Como aparece na lista do programa", "As on the programme's list"), required=True,
          constraint="string-length(.) >= 1 and string-length(.) <= 60"),
        q("select_one village", "village", tr("Aldea digital", "Aldeia digital", "Digital village"), required=True),
        q("begin_group", "owner", tr("Dueño(a)", "Proprietário(a)", "Owner")),
        q("text", "given_name", tr("Nombre(s)", "Nome", "Given name"), required=True),
        q("text", "family_name", tr("Apellidos", "Sobrenome", "Family name")),
        q("select_one sex", "sex", tr("Sexo", "Sexo", "Sex"), required=True),
        q("integer", "birth_year", tr("Año de nacimiento", "Ano de nascimento", "Year of birth"),
          constraint=". >= 1900 and . <= 2030", message=tr("Entre 1900 y 2030", "Entre 1900 e 2030", "Between 1900 and 2030")),
        q("select_one yes_no", "speaks_indigenous_language", tr("¿Habla una lengua indígena?", "Fala uma língua indígena?", "Speaks an indigenous language?"), required=True),
        q("text", "indigenous_language", tr("¿Cuál?", "Qual?", "Which one?"), relevant="${speaks_indigenous_language} = 'yes'", required=True),
        q("text", "phone", tr("Teléfono", "Telefone", "Phone"), appearance="numbers",
          constraint="regex(., '^[0-9 +]{7,20}$')", message=tr("Solo dígitos", "Só dígitos", "Digits only")),
        q("select_one yes_no", "has_contact_consent", tr("¿Acepta que el programa le contacte?", "Aceita que o programa entre em contato?", "Agrees to be contacted by the programme?"), required=True),
        q("end_group", "", None),
        q("begin_group", "business", tr("Negocio", "Negócio", "Business")),
        q("text", "business_name", tr("Nombre del negocio", "Nome do negócio", "Business name"), required=True),
        q("select_one sector", "sector", tr("Giro", "Setor", "Sector"), required=True),
        q("text", "speciality", tr("Especialidad", "Especialidade", "Speciality")),
        q("select_one formal_status", "formal_status", tr("Situación formal", "Situação formal", "Formal status"), required=True),
        q("integer", "employees", tr("Personas que trabajan", "Pessoas que trabalham", "People working"), required=True,
          constraint=". >= 0 and . <= 500", message=non_negative),
        q("integer", "founded_year", tr("Año de fundación", "Ano de fundação", "Year founded"),
          constraint=". >= 1800 and . <= 2100", message=tr("Entre 1800 y 2100", "Entre 1800 e 2100", "Between 1800 and 2100")),
        q("select_one yes_no", "is_women_led", tr("¿Lo dirige una mujer?", "É dirigido por uma mulher?", "Is it led by a woman?"), required=True),
        q("select_multiple channel", "baseline_channels", tr("¿Dónde vende hoy?", "Onde vende hoje?", "Where does it sell today?")),
        q("text", "locality", tr("Clave de localidad (INEGI)", "Código da localidade", "Locality code"),
          constraint="regex(., '^[0-9]{7,9}$')", message=tr("7 a 9 dígitos", "7 a 9 dígitos", "7 to 9 digits")),
        q("end_group", "", None),
        q("calculate", "enterprise_code", None, calculation="concat(${village}, '-', ${folio})"),
    ]
    choice_rows = [
        *YES_NO, *_village_choices(),
        *choices("sex", [(v, SEX_LABELS[v]) for v in Sex.values]),
        *choices("sector", [(v, SECTOR_LABELS[v]) for v in Sector.values]),
        *choices("formal_status", [(v, FORMAL_LABELS[v]) for v in FormalStatus.values]),
        *choices("channel", [(v, CHANNEL_LABELS[v]) for v in ChannelKind.values]),
    ]
    return survey, choice_rows, tr("Registro de MIPYME", "Cadastro de MPE", "MSME registration")


def diagnostic_form():
    """The diagnostic as the instrument in the database defines it; labels from the instrument file."""
    from aldea.diagnostics.instrument import ensure_default_instrument, load_instrument_file
    from aldea.diagnostics.models import AnswerOption, Instrument

    instrument = Instrument.objects.order_by("id").first() or ensure_default_instrument()
    spec = load_instrument_file()
    file_labels = {}
    if spec["code"] == instrument.code:
        for dim in spec["dimensions"]:
            file_labels[("dim", dim["code"])] = dim["name"]
            for question in dim["questions"]:
                file_labels[("q", question["code"])] = question["text"]
        for option in spec["scale"]["options"]:
            file_labels[("opt", spec["scale"]["code"], option["value"])] = option["label"]

    survey = [
        q("start", "start", None), q("end", "end", None),
        q("text", "enterprise", tr("Código de la MIPYME", "Código da MPE", "MSME code"), required=True,
          constraint="regex(., '^[-a-zA-Z0-9_]+$')", message=tr("Solo letras, dígitos, - y _", "Só letras, dígitos, - e _", "Letters, digits, - and _ only")),
        q("date", "assessed_on", tr("Fecha del diagnóstico", "Data do diagnóstico", "Date of the diagnostic"), required=True,
          default="today()", constraint=". <= today()", message=tr("No puede ser futura", "Não pode ser futura", "Cannot be in the future")),
    ]
    scales = {}
    for dimension in instrument.dimensions.prefetch_related("questions__scale").order_by("position"):
        survey.append(q("begin_group", dimension.code, file_labels.get(("dim", dimension.code)) or tr(dimension.name)))
        for question in dimension.questions.order_by("position"):
            scales[question.scale.code] = question.scale
            survey.append(q(f"select_one {question.scale.code}", question.code,
                            file_labels.get(("q", question.code)) or tr(question.text), required=True))
        survey.append(q("end_group", "", None))
    choice_rows = []
    for scale in scales.values():
        options = AnswerOption.objects.filter(scale=scale).order_by("value")
        choice_rows += choices(scale.code, [
            (str(o.value), file_labels.get(("opt", scale.code, o.value)) or tr(o.label)) for o in options
        ])
    title = tr("Diagnóstico de madurez digital", "Diagnóstico de maturidade digital", "Digital maturity diagnostic")
    return survey, choice_rows, title


def outcome_form():
    money = tr("No puede ser negativo", "Não pode ser negativo", "Cannot be negative")
    survey = [
        q("start", "start", None), q("end", "end", None),
        q("text", "enterprise", tr("Código de la MIPYME", "Código da MPE", "MSME code"), required=True),
        q("date", "month", tr("Mes que se reporta", "Mês informado", "Month reported"), required=True, appearance="month-year",
          constraint=". <= today()", message=tr("No puede ser futuro", "Não pode ser futuro", "Cannot be in the future")),
        q("decimal", "total_sales", tr("Ventas totales del mes", "Vendas totais do mês", "Total sales in the month"), required=True,
          constraint=". >= 0", message=money),
        q("select_one yes_no", "sells_online", tr("¿Vendió en línea este mes?", "Vendeu online neste mês?", "Sold online this month?"), required=True),
        q("decimal", "online_sales", tr("Ventas en línea", "Vendas online", "Online sales"), required=True,
          relevant="${sells_online} = 'yes'", constraint=". >= 0 and . <= ${total_sales}",
          message=tr("Entre 0 y las ventas totales", "Entre 0 e as vendas totais", "Between 0 and total sales")),
        q("integer", "orders", tr("Pedidos en línea", "Pedidos online", "Online orders"), relevant="${sells_online} = 'yes'",
          constraint=". >= 0", message=money),
        q("integer", "units", tr("Unidades vendidas", "Unidades vendidas", "Units sold"), constraint=". >= 0", message=money),
        q("integer", "employees", tr("Personas que trabajan", "Pessoas que trabalham", "People working"), constraint=". >= 0 and . <= 500"),
        q("integer", "export_markets", tr("Países a los que exporta", "Países para onde exporta", "Countries exported to"), constraint=". >= 0 and . <= 200"),
    ]
    return survey, list(YES_NO), tr("Resultados del mes", "Resultados do mês", "Monthly results")


def attendance_form():
    survey = [
        q("start", "start", None), q("end", "end", None),
        q("text", "cohort", tr("Código del grupo", "Código da turma", "Cohort code"), required=True),
        q("integer", "session_number", tr("Número de sesión", "Número da sessão", "Session number"), required=True,
          constraint=". >= 1 and . <= 200", message=tr("Entre 1 y 200", "Entre 1 e 200", "Between 1 and 200")),
        q("date", "held_on", tr("Fecha de la sesión", "Data da sessão", "Session date"), required=True, default="today()"),
        q("begin_repeat", "attendee", tr("Participante", "Participante", "Participant")),
        q("text", "folio", tr("Folio de registro", "Número de registro", "Registration number"), required=True),
        q("select_one attendance", "status", tr("Asistencia", "Presença", "Attendance"), required=True, default="present"),
        q("end_repeat", "", None),
    ]
    choice_rows = choices("attendance", [
        ("present", tr("Presente", "Presente", "Present")), ("absent", tr("Ausente", "Ausente", "Absent")),
        ("excused", tr("Justificada", "Justificada", "Excused")),
    ])
    return survey, choice_rows, tr("Asistencia a sesión", "Presença na sessão", "Session attendance")


BUILDERS = {"registration": registration_form, "diagnostic": diagnostic_form, "outcome": outcome_form, "attendance": attendance_form}


def build_xlsform(form: str) -> dict:
    """The XLSForm as {sheet: list of row dicts} (survey, choices, settings)."""
    if form not in BUILDERS:
        raise ValueError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")
    survey, choice_rows, title = BUILDERS[form]()
    settings = [{"form_title": title["es"], "form_id": f"aldea_{form}", "version": "2025010101",
                 "default_language": DEFAULT_LANGUAGE}]
    return {"survey": survey, "choices": choice_rows, "settings": settings}


def write_xlsform(form: str, path) -> Path:
    """Write the form as an .xlsx XLSForm that KoboToolbox, ODK Central and pyxform read."""
    import openpyxl

    sheets = build_xlsform(form)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, columns in (("survey", SURVEY_COLUMNS), ("choices", CHOICE_COLUMNS), ("settings", list(sheets["settings"][0]))):
        sheet = workbook.create_sheet(name)
        sheet.append(columns)
        for row in sheets[name]:
            sheet.append([str(row.get(c, "")) for c in columns])
            # openpyxl stores any text starting with "=" as a formula (a village named "=HYPERLINK(…)"
            # would run in Excel); a label must stay exactly what it says, so it is typed as text
            # rather than prefixed like the exports' cells.
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":
                    cell.data_type = "s"
    path = Path(path)
    workbook.save(path)
    return path

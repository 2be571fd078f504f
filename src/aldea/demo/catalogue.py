"""Fixed content of the demo programme: villages, partners, channels, courses, names, products.

Everything here is plain data (tuples and dicts in a fixed order) so that the generator's output
depends only on the seed. Villages and their crafts are real; people, MSMEs and figures are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PROGRAMME_SLUG = "aldeas-digitales-demo"
PROGRAMME_NAME = "Aldeas Digitales México (demo)"
DEMO_PASSWORD = "aldea-demo"


@dataclass(frozen=True)
class ProductLine:
    title: str
    category: str
    price_min: int  # MXN
    price_max: int
    description: str = ""


@dataclass(frozen=True)
class VillageSpec:
    slug: str
    name: str
    state_code: str
    municipality_name: str  # looked up in the INEGI reference data by (state, name)
    speciality: str
    sector: str  # enterprises.Sector value
    indigenous_language: str
    indigenous_share: float  # share of owners who speak it, roughly the municipal figure
    university: str  # slug of the host university
    state_government: str  # slug of the state government partner
    launched_on: str  # ISO date; staggered through 2024
    story: str
    products: tuple[ProductLine, ...]


VILLAGES: tuple[VillageSpec, ...] = (
    VillageSpec(
        "teotitlan-del-valle", "Teotitlán del Valle", "20", "Teotitlán del Valle",
        "Tapetes de lana teñidos con tintes naturales", "textiles", "Zapoteco", 0.55,
        "uabjo", "gob-oaxaca", "2024-03-04",
        "Familias zapotecas tejen en telar de pedal tapetes de lana teñida con grana cochinilla, "
        "añil y pericón.",
        (
            ProductLine("Tapete de lana 60×120 cm, grana cochinilla", "Hogar > Tapetes", 1800, 4200),
            ProductLine("Tapete de lana 120×180 cm, diseño greca", "Hogar > Tapetes", 5200, 14500),
            ProductLine("Tapete de lana 200×300 cm, tintes naturales", "Hogar > Tapetes", 16000, 42000),
            ProductLine("Cojín de lana tejido en telar", "Hogar > Cojines", 650, 1400),
            ProductLine("Bolsa de lana y piel", "Accesorios > Bolsas", 900, 2200),
            ProductLine("Camino de mesa de lana", "Hogar > Textiles de mesa", 700, 1600),
        ),
    ),
    VillageSpec(
        "santa-clara-del-cobre", "Santa Clara del Cobre", "16", "Salvador Escalante",
        "Cobre martillado", "crafts", "Purépecha", 0.04,
        "umsnh", "gob-michoacan", "2024-03-18",
        "Talleres familiares forjan y martillan a mano el cobre desde la época prehispánica; "
        "cabecera del municipio de Salvador Escalante.",
        (
            ProductLine("Cazo de cobre martillado 30 cm", "Cocina > Ollas y cazos", 1200, 3200),
            ProductLine("Jarrón de cobre martillado", "Decoración > Jarrones", 1500, 6500),
            ProductLine("Tarja de cobre para baño", "Baño > Lavabos", 3800, 9800),
            ProductLine("Juego de 6 vasos de cobre", "Cocina > Vasos", 900, 2100),
            ProductLine("Lámpara colgante de cobre", "Iluminación > Lámparas", 2200, 7800),
        ),
    ),
    VillageSpec(
        "san-bartolo-coyotepec", "San Bartolo Coyotepec", "20", "San Bartolo Coyotepec",
        "Barro negro bruñido", "crafts", "Zapoteco", 0.06,
        "uabjo", "gob-oaxaca", "2024-04-01",
        "Alfarería de barro negro bruñido con piedra de cuarzo, la técnica que popularizó Doña Rosa.",
        (
            ProductLine("Jarrón de barro negro calado", "Decoración > Jarrones", 450, 2400),
            ProductLine("Lámpara de barro negro", "Iluminación > Lámparas", 600, 1900),
            ProductLine("Juego de 4 tazas de barro negro", "Cocina > Tazas", 380, 900),
            ProductLine("Figura de barro negro: sirena", "Decoración > Figuras", 250, 1200),
            ProductLine("Cántaro de barro negro para mezcal", "Cocina > Cántaros", 300, 850),
        ),
    ),
    VillageSpec(
        "san-pablo-del-monte", "San Pablo del Monte", "29", "San Pablo del Monte",
        "Talavera poblano-tlaxcalteca", "crafts", "Náhuatl", 0.12,
        "uatx", "gob-tlaxcala", "2024-04-15",
        "Talleres de cerámica vidriada de tradición talavera, vecinos de Puebla.",
        (
            ProductLine("Plato de talavera pintado a mano 30 cm", "Cocina > Platos", 450, 1300),
            ProductLine("Azulejo de talavera 10×10 cm (paquete de 20)", "Construcción > Azulejos", 600, 1500),
            ProductLine("Maceta de talavera mediana", "Jardín > Macetas", 350, 1100),
            ProductLine("Lavabo de talavera sobreponer", "Baño > Lavabos", 1800, 4200),
            ProductLine("Juego de tazas de talavera", "Cocina > Tazas", 400, 950),
        ),
    ),
    VillageSpec(
        "olinala", "Olinalá", "12", "Olinalá",
        "Laca (maque) de Olinalá", "crafts", "Náhuatl", 0.20,
        "uagro", "gob-guerrero", "2024-05-06",
        "Cajas, baúles y jícaras de madera de linaloe decoradas con la técnica de rayado y dorado.",
        (
            ProductLine("Caja de linaloe laqueada mediana", "Decoración > Cajas", 650, 2200),
            ProductLine("Baúl de linaloe laqueado", "Muebles > Baúles", 4500, 16000),
            ProductLine("Jícara laqueada rayada", "Decoración > Jícaras", 280, 900),
            ProductLine("Charola laqueada", "Cocina > Charolas", 450, 1300),
            ProductLine("Máscara de tigre laqueada", "Decoración > Máscaras", 700, 2600),
        ),
    ),
    VillageSpec(
        "tixkokob", "Tixkokob", "31", "Tixkokob",
        "Hamacas de hilo tejidas a mano", "textiles", "Maya", 0.30,
        "uady", "gob-yucatan", "2024-05-20",
        "Pueblo hamaquero de Yucatán: tejido a mano de hamacas de algodón y nylon en bastidor.",
        (
            ProductLine("Hamaca matrimonial de algodón", "Hogar > Hamacas", 1100, 2800),
            ProductLine("Hamaca king size de hilo crochet", "Hogar > Hamacas", 2200, 5200),
            ProductLine("Hamaca infantil de nylon", "Hogar > Hamacas", 450, 950),
            ProductLine("Silla hamaca", "Jardín > Columpios", 900, 2400),
        ),
    ),
    VillageSpec(
        "san-pablito-pahuatlan", "San Pablito (Pahuatlán)", "21", "Pahuatlán",
        "Papel amate", "crafts", "Otomí", 0.45,
        "buap", "gob-puebla", "2024-06-03",
        "Comunidad otomí de San Pablito que hace papel amate con corteza de jonote y xalama.",
        (
            ProductLine("Pliego de papel amate natural 40×60 cm (10 piezas)", "Papelería > Papel artesanal", 350, 800),
            ProductLine("Cuadro pintado sobre amate", "Arte > Pinturas", 450, 3500),
            ProductLine("Libreta con tapa de amate", "Papelería > Libretas", 150, 420),
            ProductLine("Recortes ceremoniales de amate", "Arte > Figuras de papel", 200, 900),
        ),
    ),
    VillageSpec(
        "santiago-matatlan", "Santiago Matatlán", "20", "Santiago Matatlán",
        "Mezcal artesanal", "food", "Zapoteco", 0.50,
        "uabjo", "gob-oaxaca", "2024-06-17",
        "\"Capital mundial del mezcal\": palenques familiares que destilan agave espadín y silvestres.",
        (
            ProductLine("Mezcal espadín joven 750 ml", "Alimentos y bebidas > Mezcal", 420, 900),
            ProductLine("Mezcal tobalá 750 ml", "Alimentos y bebidas > Mezcal", 950, 2200),
            ProductLine("Mezcal ensamble silvestre 750 ml", "Alimentos y bebidas > Mezcal", 800, 1900),
            ProductLine("Kit de copitas de barro y mezcal 200 ml", "Alimentos y bebidas > Regalos", 480, 1100),
        ),
    ),
)


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    kind: str  # Organisation.Kind value
    helix: str  # Helix value
    state_code: str | None
    municipality_name: str | None
    website: str = ""


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    # government
    OrganisationSpec("secretaria-de-economia", "Secretaría de Economía", "government", "government",
                     "09", "Cuauhtémoc", "https://www.gob.mx/se"),
    OrganisationSpec("conago", "Conferencia Nacional de Gobernadores (CONAGO)", "government", "government",
                     "09", "Cuauhtémoc"),
    OrganisationSpec("fonart", "Fondo Nacional para el Fomento de las Artesanías (FONART)", "government",
                     "government", "09", "Miguel Hidalgo", "https://www.gob.mx/fonart"),
    OrganisationSpec("gob-oaxaca", "Secretaría de Economía del Estado de Oaxaca", "government", "government",
                     "20", "Oaxaca de Juárez"),
    OrganisationSpec("gob-michoacan", "Secretaría de Desarrollo Económico de Michoacán", "government",
                     "government", "16", "Morelia"),
    OrganisationSpec("gob-tlaxcala", "Secretaría de Desarrollo Económico de Tlaxcala", "government",
                     "government", "29", "Tlaxcala"),
    OrganisationSpec("gob-guerrero", "Secretaría de Fomento y Desarrollo Económico de Guerrero", "government",
                     "government", "12", "Chilpancingo de los Bravo"),
    OrganisationSpec("gob-yucatan", "Secretaría de Fomento Económico y Trabajo de Yucatán", "government",
                     "government", "31", "Mérida"),
    OrganisationSpec("gob-puebla", "Secretaría de Economía del Estado de Puebla", "government", "government",
                     "21", "Puebla"),
    # academia
    OrganisationSpec("uabjo", "Universidad Autónoma Benito Juárez de Oaxaca", "university", "academia",
                     "20", "Oaxaca de Juárez", "https://www.uabjo.mx"),
    OrganisationSpec("umsnh", "Universidad Michoacana de San Nicolás de Hidalgo", "university", "academia",
                     "16", "Morelia", "https://www.umich.mx"),
    OrganisationSpec("uatx", "Universidad Autónoma de Tlaxcala", "university", "academia",
                     "29", "Tlaxcala", "https://uatx.mx"),
    OrganisationSpec("uagro", "Universidad Autónoma de Guerrero", "university", "academia",
                     "12", "Chilpancingo de los Bravo", "https://www.uagro.mx"),
    OrganisationSpec("uady", "Universidad Autónoma de Yucatán", "university", "academia",
                     "31", "Mérida", "https://www.uady.mx"),
    OrganisationSpec("buap", "Benemérita Universidad Autónoma de Puebla", "university", "academia",
                     "21", "Puebla", "https://www.buap.mx"),
    OrganisationSpec("tecnm", "Tecnológico Nacional de México", "university", "academia",
                     "09", "Benito Juárez", "https://www.tecnm.mx"),
    # industry
    OrganisationSpec("mercado-libre", "Mercado Libre México", "marketplace", "industry",
                     "09", "Miguel Hidalgo", "https://www.mercadolibre.com.mx"),
    OrganisationSpec("amazon-mexico", "Amazon México", "marketplace", "industry",
                     "09", "Miguel Hidalgo", "https://www.amazon.com.mx"),
    OrganisationSpec("shopify", "Shopify", "company", "industry", None, None, "https://www.shopify.com"),
    OrganisationSpec("estafeta", "Estafeta Mexicana", "company", "industry", "09", "Miguel Hidalgo",
                     "https://www.estafeta.com"),
    OrganisationSpec("fundacion-aldea", "Fundación Comercio Rural (programa operador)", "ngo", "industry",
                     "09", "Coyoacán"),
    OrganisationSpec("nafin", "Nacional Financiera (Nafin)", "financial", "government",
                     "09", "Álvaro Obregón", "https://www.nafin.com"),
)

TRAINER_INSTITUTION = "fundacion-aldea"  # runs the train-the-trainer course

# Agreements: (code, title, party slugs, scope, signed, starts, ends, status).
AGREEMENTS = (
    ("convenio-marco-2023", "Convenio marco Aldeas Digitales",
     ("secretaria-de-economia", "conago", "fundacion-aldea"),
     "Coordinación nacional del programa, selección de aldeas y reporte de resultados.",
     "2023-11-20", "2024-01-01", "2025-12-31", "signed"),
    ("convenio-marketplace-meli", "Convenio de incorporación de MIPYMES con Mercado Libre",
     ("mercado-libre", "fundacion-aldea"),
     "Alta asistida de vendedores, capacitación de consultores y bonificación de comisiones el primer trimestre.",
     "2024-01-15", "2024-02-01", "2025-12-31", "signed"),
    ("convenio-marketplace-amazon", "Convenio de vendedores artesanos con Amazon México",
     ("amazon-mexico", "fundacion-aldea"),
     "Programa de vendedores artesanos: tienda de marca colectiva y apoyo con Logística de Amazon.",
     "2024-02-10", "2024-03-01", "2025-12-31", "signed"),
    ("convenio-fonart-2024", "Convenio de colaboración con FONART",
     ("fonart", "fundacion-aldea"), "Registro de artesanos y ferias de comercialización.",
     "2024-01-30", "2024-02-01", "2024-12-31", "signed"),
    ("convenio-nafin-credito", "Convenio de microcrédito para inventario",
     ("nafin", "fundacion-aldea"), "Línea de crédito para capital de trabajo de MIPYMES graduadas.",
     None, "2025-07-01", None, "draft"),
    ("convenio-estafeta-envios", "Convenio de tarifas preferentes de envío",
     ("estafeta", "fundacion-aldea"), "Tarifas de paquetería para MIPYMES del programa.",
     "2024-04-02", "2024-04-15", "2025-12-31", "signed"),
)
# Plus one agreement per state: state government + host university + operator, generated.

# Sales channels: (code, name, kind, website, share of listings weight).
CHANNELS = (
    ("mercado-libre", "Mercado Libre", "marketplace", "https://www.mercadolibre.com.mx"),
    ("amazon-mx", "Amazon México", "marketplace", "https://www.amazon.com.mx"),
    ("shopify", "Tienda propia (Shopify)", "own_store", "https://www.shopify.com"),
    ("google-shopping", "Google Shopping", "marketplace", "https://shopping.google.com"),
    ("facebook-marketplace", "Facebook Marketplace (Meta)", "social", "https://www.facebook.com/marketplace"),
    ("whatsapp-business", "Catálogo de WhatsApp Business", "social", "https://www.whatsapp.com/business"),
)
CHANNEL_WEIGHTS = (0.34, 0.16, 0.08, 0.08, 0.16, 0.18)

COURSES = (
    # (code, title, level, hours, sessions, description)
    ("formacion-formadores", "Formación de formadores en comercio electrónico", "trainer", 40, 8,
     "Docentes universitarios aprenden a formar consultores en transformación digital (modelo GDT)."),
    ("consultor-comercio-electronico", "Consultoría en comercio electrónico para MIPYMES", "consultant", 60, 10,
     "Estudiantes se certifican como consultores: diagnóstico, plan de acción, catálogo y publicación (modelo GET)."),
    ("taller-vender-en-linea", "Taller: vender en línea desde mi comunidad", "msme_workshop", 12, 4,
     "Taller práctico para dueños de MIPYMES: fotos, precios, envíos y atención en línea."),
)
SESSION_TITLES = {
    "trainer": ("Panorama del comercio electrónico", "Diagnóstico de madurez digital", "Modelo de consultoría",
                "Marketplaces y redes sociales", "Fotografía y catálogo", "Logística y pagos",
                "Acompañamiento y evaluación", "Práctica docente"),
    "consultant": ("Introducción al programa", "Diagnóstico de la MIPYME", "Plan de acción", "Catálogo de productos",
                   "Fotografía de producto", "Publicación en marketplaces", "Redes sociales y WhatsApp",
                   "Envíos y devoluciones", "Pagos y facturación", "Presentación de casos"),
    "msme_workshop": ("Mi negocio en línea", "Fotos y descripciones que venden", "Precios, envíos y pagos",
                      "Atender y cuidar a mis clientes"),
}

DROP_REASONS = (
    ("Sin tiempo por la temporada alta de producción", 3),
    ("Carga de cuidados en el hogar", 2),
    ("Sin conexión a internet estable en el taller", 2),
    ("No cuenta con RFC para facturar en el marketplace", 2),
    ("Prefiere vender a intermediarios", 2),
    ("La persona consultora terminó su servicio social", 1),
    ("Migración temporal de la persona dueña", 1),
    ("Problemas de salud en la familia", 1),
    ("Costos de envío demasiado altos para su producto", 2),
)

# Each demo drop's coded reason (consulting.models.DropReason); the words stay as its details.
DROP_REASON_CODES = {
    "Sin tiempo por la temporada alta de producción": "no_time",
    "Carga de cuidados en el hogar": "no_time",
    "Sin conexión a internet estable en el taller": "no_internet",
    "No cuenta con RFC para facturar en el marketplace": "other",
    "Prefiere vender a intermediarios": "not_interested",
    "La persona consultora terminó su servicio social": "other",
    "Migración temporal de la persona dueña": "moved_away",
    "Problemas de salud en la familia": "other",
    "Costos de envío demasiado altos para su producto": "other",
}

ACTION_ITEMS = (
    "Tomar fotografías de producto con fondo claro",
    "Abrir cuenta de vendedor en Mercado Libre",
    "Registrar RFC en el SAT",
    "Definir precios con costos de envío",
    "Crear catálogo de WhatsApp Business",
    "Redactar descripciones de producto",
    "Configurar cobro con tarjeta",
    "Cotizar empaques para envío",
    "Publicar los tres productos principales",
    "Responder preguntas de compradores en menos de 24 horas",
    "Registrar ventas en una hoja de cálculo",
    "Solicitar guía de envío prepagada",
)

MEETING_NOTES = (
    "Revisión del diagnóstico y prioridades.",
    "Sesión de fotografía de productos.",
    "Alta de la cuenta de vendedor.",
    "Revisión de precios y costos de envío.",
    "Seguimiento de publicaciones y preguntas de compradores.",
    "Revisión de ventas del mes.",
)

FEMALE_NAMES = (
    "María", "Guadalupe", "Juana", "Margarita", "Francisca", "Verónica", "Leticia", "Rosa", "Teresa",
    "Alejandra", "Patricia", "Elena", "Josefina", "Gabriela", "Adriana", "Martha", "Lucía", "Claudia",
    "Silvia", "Araceli", "Yolanda", "Norma", "Rocío", "Sofía", "Fernanda", "Daniela", "Itzel", "Xóchitl",
    "Citlali", "Ximena", "Valeria", "Andrea", "Brenda", "Karla", "Mariana", "Paola", "Reyna", "Eufemia",
)
MALE_NAMES = (
    "José", "Juan", "Miguel", "Francisco", "Jesús", "Antonio", "Pedro", "Alejandro", "Manuel", "Ricardo",
    "Fernando", "Jorge", "Roberto", "Eduardo", "Carlos", "Javier", "Raúl", "Arturo", "Rafael", "Martín",
    "Luis", "Sergio", "Daniel", "Héctor", "Alberto", "Andrés", "Diego", "Emiliano", "Santiago", "Mateo",
    "Isaac", "Bernardino", "Porfirio", "Eleazar", "Abundio", "Aurelio",
)
FAMILY_NAMES = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez",
    "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres", "Díaz", "Gutiérrez",
    "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo", "Romero", "Álvarez", "Méndez", "Chávez",
    "Rivera", "Juárez", "Ramos", "Domínguez", "Herrera", "Medina", "Castro", "Vargas", "Guzmán", "Velázquez",
    "Contreras", "Bautista", "Santiago", "Luna", "Mateos", "Ruiz", "Matías", "Canché", "Pech", "Chi",
    "May", "Tun", "Cen", "Bazán", "Lázaro", "Tapia",
)
BUSINESS_PREFIXES = (
    "Taller", "Artesanías", "Casa", "Manos de", "Tradición", "Arte", "Familia", "Cooperativa",
    "Hecho en", "Raíces de",
)

# Demo logins, one per role. (username, role, village slug or None, organisation slug or None,
# given name, family name, sex, what they see).
DEMO_USERS = (
    ("coordinadora", "manager", None, "fundacion-aldea", "Lucía", "Mendoza Ríos", "female",
     _("the whole programme: villages, targets, partners, training, MSMEs and outcomes")),
    ("aliada", "partner", None, "uabjo", "Ernesto", "Villalobos Cruz", "male",
     _("the whole programme, read-only, as a partner institution (UABJO)")),
    ("formador", "trainer", "teotitlan-del-valle", "uabjo", "Rosa", "Martínez Bautista", "female",
     _("their cohorts, attendance, assessments and certificates in Teotitlán del Valle")),
    ("consultora", "consultant", "teotitlan-del-valle", "uabjo", "Itzel", "Ruiz Mendoza", "female",
     _("the MSMEs they accompany in Teotitlán del Valle: diagnostics, plans, listings and sales")),
    ("artesana", "msme_owner", "teotitlan-del-valle", None, "Juana", "Gutiérrez Lazo", "female",
     _("their workshop: profile, training, certificates, products, listings and outcomes")),
    ("analista", "analyst", None, None, "Andrés", "Castillo Pérez", "male",
     _("data of the whole programme for impact and who-benefits analysis, and exports")),
)
ADMIN_USERNAME = "admin"

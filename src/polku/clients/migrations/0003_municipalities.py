"""Reference data: municipalities of the Helsinki (Uusimaa) and Stockholm regions.

Codes: Statistics Finland's municipality codes (three digits) and Statistics Sweden's
kommunkoder (four digits). More can be added in the admin.
"""

from django.db import migrations

MUNICIPALITIES = [
    # code, Finnish, Swedish, English, country
    ("018", "Askola", "Askola", "Askola", "FI"),
    ("049", "Espoo", "Esbo", "Espoo", "FI"),
    ("078", "Hanko", "Hangö", "Hanko", "FI"),
    ("091", "Helsinki", "Helsingfors", "Helsinki", "FI"),
    ("092", "Vantaa", "Vanda", "Vantaa", "FI"),
    ("106", "Hyvinkää", "Hyvinge", "Hyvinkää", "FI"),
    ("149", "Inkoo", "Ingå", "Inkoo", "FI"),
    ("186", "Järvenpää", "Träskända", "Järvenpää", "FI"),
    ("224", "Karkkila", "Högfors", "Karkkila", "FI"),
    ("235", "Kauniainen", "Grankulla", "Kauniainen", "FI"),
    ("245", "Kerava", "Kervo", "Kerava", "FI"),
    ("257", "Kirkkonummi", "Kyrkslätt", "Kirkkonummi", "FI"),
    ("407", "Lapinjärvi", "Lappträsk", "Lapinjärvi", "FI"),
    ("434", "Loviisa", "Lovisa", "Loviisa", "FI"),
    ("444", "Lohja", "Lojo", "Lohja", "FI"),
    ("504", "Myrskylä", "Mörskom", "Myrskylä", "FI"),
    ("505", "Mäntsälä", "Mäntsälä", "Mäntsälä", "FI"),
    ("543", "Nurmijärvi", "Nurmijärvi", "Nurmijärvi", "FI"),
    ("611", "Pornainen", "Borgnäs", "Pornainen", "FI"),
    ("616", "Pukkila", "Pukkila", "Pukkila", "FI"),
    ("638", "Porvoo", "Borgå", "Porvoo", "FI"),
    ("710", "Raasepori", "Raseborg", "Raasepori", "FI"),
    ("753", "Sipoo", "Sibbo", "Sipoo", "FI"),
    ("755", "Siuntio", "Sjundeå", "Siuntio", "FI"),
    ("858", "Tuusula", "Tusby", "Tuusula", "FI"),
    ("927", "Vihti", "Vichtis", "Vihti", "FI"),
    ("0114", "Upplands Väsby", "Upplands Väsby", "Upplands Väsby", "SE"),
    ("0123", "Järfälla", "Järfälla", "Järfälla", "SE"),
    ("0126", "Huddinge", "Huddinge", "Huddinge", "SE"),
    ("0127", "Botkyrka", "Botkyrka", "Botkyrka", "SE"),
    ("0136", "Haninge", "Haninge", "Haninge", "SE"),
    ("0160", "Täby", "Täby", "Täby", "SE"),
    ("0180", "Tukholma", "Stockholm", "Stockholm", "SE"),
    ("0181", "Södertälje", "Södertälje", "Södertälje", "SE"),
    ("0182", "Nacka", "Nacka", "Nacka", "SE"),
    ("0183", "Sundbyberg", "Sundbyberg", "Sundbyberg", "SE"),
    ("0184", "Solna", "Solna", "Solna", "SE"),
]


def add(apps, schema_editor):
    municipality = apps.get_model("clients", "Municipality")
    for code, fi, sv, en, country in MUNICIPALITIES:
        municipality.objects.update_or_create(
            code=code,
            defaults={"name": fi, "name_fi": fi, "name_sv": sv, "name_en": en,
                      "country": country},
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

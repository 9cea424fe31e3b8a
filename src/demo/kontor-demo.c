/* kontor-demo.c: a reproducible DACH B2B demo dataset
 *
 * A fictitious software and IoT vendor sells to companies in Germany,
 * Austria and Switzerland. Names, addresses, phone numbers and legal forms
 * follow the conventions of each country (Swiss companies write "ss" for
 * "ß", Romandie and Ticino companies are SA). Every choice comes from one
 * GRand, every id from kontor_uuid_new_from() with a fixed clock, every
 * date from the reference day 2026-12-01, so one seed gives one dataset.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-demo.h"
#include "kontor-fold.h"
#include "kontor-uuid.h"

#define BATCH_SIZE 10000
#define PROGRESS_STEP 1000

/* 2026-01-01T08:00:00Z; the clock of the ids advances 1 ms per record so
 * ids sort in creation order */
#define ID_CLOCK_BASE_MS G_GINT64_CONSTANT (1767254400000)

#define REFERENCE_YEAR 2026
#define REFERENCE_MONTH G_DATE_DECEMBER
#define REFERENCE_DAY 1

/* ---------------------------------------------------------------------- */
/* Tables                                                                 */

typedef enum
{
  COUNTRY_DE,
  COUNTRY_AT,
  COUNTRY_CH,
  N_COUNTRIES
} Country;

typedef enum
{
  LANG_DE,
  LANG_FR,
  LANG_IT,
} Language;

typedef struct
{
  guint       weight;        /* share of organizations, percent */
  const char *name;
  const char *tld;
  const char *currency;      /* of annual revenue */
  const char *calling_code;  /* for numbers written internationally */
} CountryInfo;

static const CountryInfo countries[N_COUNTRIES] = {
  [COUNTRY_DE] = { 76, "Deutschland", "de", "EUR", "49" },
  [COUNTRY_AT] = { 12, "Österreich", "at", "EUR", "43" },
  [COUNTRY_CH] = { 12, "Schweiz", "ch", "CHF", "41" },
};

typedef struct
{
  guint       weight;        /* about the population in 10,000s */
  const char *name;
  const char *adjective;     /* "Stuttgarter", NULL if awkward */
  const char *postal_codes;  /* real codes of the city, space-separated */
  const char *area_code;     /* DE: national with trunk 0; AT, CH: without */
  const char *region;
  Country     country;
  Language    language;
} City;

#define DE(w, name, adj, codes, area, region) \
  { w, name, adj, codes, area, region, COUNTRY_DE, LANG_DE }
#define AT(w, name, adj, codes, area) \
  { w, name, adj, codes, area, "Österreich", COUNTRY_AT, LANG_DE }
#define CH(w, name, adj, codes, area, lang) \
  { w, name, adj, codes, area, "Schweiz", COUNTRY_CH, lang }

static const City cities[] = {
  DE (370, "Berlin", "Berliner", "10115 10178 10719 10997 12099 13353", "030", "Ost"),
  DE (185, "Hamburg", "Hamburger", "20095 20354 20457 22297 22765", "040", "Nord"),
  DE (150, "München", "Münchner", "80331 80469 80636 81369 81675", "089", "Süd"),
  DE (108, "Köln", "Kölner", "50667 50672 50823 51063", "0221", "West"),
  DE (76, "Frankfurt am Main", "Frankfurter", "60311 60313 60486 60596", "069", "Mitte"),
  DE (63, "Stuttgart", "Stuttgarter", "70173 70178 70372 70469 70565", "0711", "Süd"),
  DE (62, "Düsseldorf", "Düsseldorfer", "40210 40213 40474 40549", "0211", "West"),
  DE (60, "Leipzig", "Leipziger", "04103 04109 04229 04357", "0341", "Ost"),
  DE (59, "Dortmund", "Dortmunder", "44135 44137 44263", "0231", "West"),
  DE (58, "Essen", "Essener", "45127 45128 45136", "0201", "West"),
  DE (57, "Bremen", "Bremer", "28195 28199 28217", "0421", "Nord"),
  DE (56, "Dresden", "Dresdner", "01067 01069 01099", "0351", "Ost"),
  DE (54, "Hannover", NULL, "30159 30161 30519", "0511", "Nord"),
  DE (52, "Nürnberg", "Nürnberger", "90402 90403 90429 90471", "0911", "Süd"),
  DE (50, "Duisburg", "Duisburger", "47051 47057 47119", "0203", "West"),
  DE (36, "Bochum", "Bochumer", "44787 44789 44801", "0234", "West"),
  DE (35, "Wuppertal", "Wuppertaler", "42103 42105 42275", "0202", "West"),
  DE (33, "Bielefeld", "Bielefelder", "33602 33604 33609", "0521", "West"),
  DE (33, "Bonn", "Bonner", "53111 53113 53119", "0228", "West"),
  DE (31, "Münster", "Münsteraner", "48143 48145 48155", "0251", "West"),
  DE (31, "Mannheim", "Mannheimer", "68159 68161 68165", "0621", "Süd"),
  DE (31, "Karlsruhe", "Karlsruher", "76133 76135 76185", "0721", "Süd"),
  DE (30, "Augsburg", "Augsburger", "86150 86152 86167", "0821", "Süd"),
  DE (28, "Wiesbaden", "Wiesbadener", "65183 65185 65189", "0611", "Mitte"),
  DE (26, "Mönchengladbach", NULL, "41061 41063 41236", "02161", "West"),
  DE (25, "Aachen", "Aachener", "52062 52064 52070", "0241", "West"),
  DE (25, "Braunschweig", "Braunschweiger", "38100 38102 38122", "0531", "Nord"),
  DE (25, "Kiel", "Kieler", "24103 24105 24143", "0431", "Nord"),
  DE (24, "Chemnitz", "Chemnitzer", "09111 09112 09126", "0371", "Ost"),
  DE (24, "Halle (Saale)", NULL, "06108 06110 06112", "0345", "Ost"),
  DE (24, "Magdeburg", "Magdeburger", "39104 39108 39112", "0391", "Ost"),
  DE (23, "Freiburg im Breisgau", "Freiburger", "79098 79100 79110", "0761", "Süd"),
  DE (22, "Lübeck", "Lübecker", "23552 23554 23560", "0451", "Nord"),
  DE (22, "Mainz", "Mainzer", "55116 55118 55130", "06131", "Mitte"),
  DE (21, "Erfurt", "Erfurter", "99084 99085 99096", "0361", "Mitte"),
  DE (21, "Rostock", "Rostocker", "18055 18057 18069", "0381", "Nord"),
  DE (20, "Kassel", "Kasseler", "34117 34119 34127", "0561", "Mitte"),
  DE (18, "Saarbrücken", "Saarbrücker", "66111 66113 66121", "0681", "West"),
  DE (18, "Potsdam", "Potsdamer", "14467 14469 14482", "0331", "Ost"),
  DE (17, "Osnabrück", "Osnabrücker", "49074 49076 49084", "0541", "Nord"),
  DE (17, "Oldenburg", "Oldenburger", "26121 26122 26135", "0441", "Nord"),
  DE (16, "Heidelberg", "Heidelberger", "69115 69117 69120", "06221", "Süd"),
  DE (16, "Darmstadt", "Darmstädter", "64283 64285 64293", "06151", "Mitte"),
  DE (15, "Regensburg", "Regensburger", "93047 93049 93053", "0941", "Süd"),
  DE (15, "Paderborn", "Paderborner", "33098 33100 33102", "05251", "West"),
  DE (14, "Ingolstadt", "Ingolstädter", "85049 85051 85055", "0841", "Süd"),
  DE (13, "Würzburg", "Würzburger", "97070 97072 97080", "0931", "Süd"),
  DE (13, "Ulm", "Ulmer", "89073 89075 89077", "0731", "Süd"),
  DE (13, "Heilbronn", "Heilbronner", "74072 74074 74076", "07131", "Süd"),
  DE (12, "Wolfsburg", "Wolfsburger", "38440 38442 38448", "05361", "Nord"),
  DE (12, "Göttingen", "Göttinger", "37073 37075 37083", "0551", "Nord"),
  DE (12, "Pforzheim", "Pforzheimer", "75172 75175 75177", "07231", "Süd"),
  DE (11, "Erlangen", "Erlanger", "91052 91054 91058", "09131", "Süd"),
  DE (11, "Reutlingen", "Reutlinger", "72760 72762 72764", "07121", "Süd"),
  DE (11, "Jena", "Jenaer", "07743 07745 07747", "03641", "Ost"),
  DE (11, "Koblenz", "Koblenzer", "56068 56070 56073", "0261", "Mitte"),
  DE (11, "Trier", "Trierer", "54290 54292 54294", "0651", "West"),
  DE (10, "Siegen", "Siegener", "57072 57074 57076", "0271", "West"),
  DE (10, "Gütersloh", "Gütersloher", "33330 33332 33334", "05241", "West"),
  DE (9, "Esslingen am Neckar", "Esslinger", "73728 73730 73732", "0711", "Süd"),
  DE (9, "Tübingen", "Tübinger", "72070 72072 72074", "07071", "Süd"),
  DE (9, "Konstanz", "Konstanzer", "78462 78464 78467", "07531", "Süd"),
  DE (9, "Gießen", "Gießener", "35390 35392 35394", "0641", "Mitte"),
  DE (8, "Bamberg", "Bamberger", "96047 96049 96050", "0951", "Süd"),
  DE (7, "Fulda", "Fuldaer", "36037 36039 36041", "0661", "Mitte"),
  DE (6, "Rosenheim", "Rosenheimer", "83022 83024 83026", "08031", "Süd"),
  DE (5, "Passau", "Passauer", "94032 94034 94036", "0851", "Süd"),

  AT (190, "Wien", "Wiener", "1010 1030 1040 1060 1070 1100 1120 1210", "1"),
  AT (29, "Graz", "Grazer", "8010 8020 8042 8051", "316"),
  AT (21, "Linz", "Linzer", "4020 4030 4040", "732"),
  AT (15, "Salzburg", "Salzburger", "5020 5023 5026", "662"),
  AT (13, "Innsbruck", "Innsbrucker", "6020", "512"),
  AT (10, "Klagenfurt am Wörthersee", "Klagenfurter", "9020", "463"),
  AT (6, "Villach", "Villacher", "9500 9523", "4242"),
  AT (6, "Wels", "Welser", "4600", "7242"),
  AT (6, "St. Pölten", NULL, "3100", "2742"),
  AT (5, "Dornbirn", "Dornbirner", "6850", "5572"),
  AT (4, "Steyr", "Steyrer", "4400", "7252"),
  AT (3, "Bregenz", "Bregenzer", "6900", "5574"),

  CH (42, "Zürich", "Zürcher", "8001 8002 8004 8005 8048 8050", "44", LANG_DE),
  CH (20, "Genève", NULL, "1201 1204 1205 1207", "22", LANG_FR),
  CH (17, "Basel", "Basler", "4001 4051 4052 4057", "61", LANG_DE),
  CH (14, "Lausanne", NULL, "1003 1004 1006", "21", LANG_FR),
  CH (13, "Bern", "Berner", "3011 3013 3014", "31", LANG_DE),
  CH (11, "Winterthur", "Winterthurer", "8400 8404 8406", "52", LANG_DE),
  CH (8, "Luzern", "Luzerner", "6003 6004 6005", "41", LANG_DE),
  CH (8, "St. Gallen", "St. Galler", "9000 9008", "71", LANG_DE),
  CH (6, "Lugano", NULL, "6900 6903", "91", LANG_IT),
  CH (4, "Schaffhausen", "Schaffhauser", "8200", "52", LANG_DE),
  CH (3, "Zug", "Zuger", "6300 6302", "41", LANG_DE),
  CH (2, "Aarau", "Aarauer", "5000 5004", "62", LANG_DE),
};

#undef DE
#undef AT
#undef CH

static const char * const streets_de[] = {
  "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gewerbestraße", "Schillerstraße",
  "Goethestraße", "Friedrichstraße", "Lindenstraße", "Gartenstraße", "Bergstraße",
  "Kirchstraße", "Mühlenweg", "Am Hafen", "Siemensstraße", "Robert-Bosch-Straße",
  "Daimlerstraße", "Carl-Zeiss-Straße", "Max-Planck-Straße", "Otto-Hahn-Straße",
  "Benzstraße", "Im Gewerbepark", "Am Technologiepark", "Rheinstraße", "Mozartstraße",
  "Kantstraße", "Ringstraße", "Poststraße", "Marktplatz", "Schloßstraße",
  "Äußere Bayreuther Straße", "Wiesenweg", "Feldstraße", "Königstraße", "Dieselstraße",
  "Einsteinstraße", "Hafenstraße", "Gutenbergstraße", "Kaiserstraße", "Am Güterbahnhof",
  "Ludwig-Erhard-Allee",
};

static const char * const streets_at[] = {
  "Hauptstraße", "Bahnhofstraße", "Wiener Straße", "Linzer Straße", "Herrengasse",
  "Schulgasse", "Kirchengasse", "Industriezeile", "Gewerbepark", "Ringstraße",
  "Mozartgasse", "Schillerplatz", "Europaplatz", "Dr.-Karl-Renner-Straße", "Lastenstraße",
  "Grazer Straße", "Wienerbergstraße", "Am Hauptplatz", "Gürtelstraße", "Lederergasse",
};

static const char * const streets_ch_de[] = {
  "Bahnhofstrasse", "Hauptstrasse", "Industriestrasse", "Seestrasse", "Dorfstrasse",
  "Kirchgasse", "Zürcherstrasse", "Bernstrasse", "Poststrasse", "Gewerbestrasse",
  "Schulhausstrasse", "Rütistrasse", "Badenerstrasse", "Birkenweg", "Marktgasse",
  "Unterer Graben",
};

static const char * const streets_ch_fr[] = {
  "Rue du Rhône", "Avenue de la Gare", "Rue de Lausanne", "Chemin des Vignes",
  "Route de Genève", "Rue du Marché", "Rue du Centre", "Chemin du Lac",
};

static const char * const streets_ch_it[] = {
  "Via Nassa", "Via Cantonale", "Corso Elvezia", "Via San Gottardo", "Via Pretorio",
  "Via Ciseri",
};

typedef struct
{
  guint       weight;
  const char *name;
  guint       revenue_per_employee;  /* thousands */
  const char *words;                 /* parts of company names, '|'-separated */
} Industry;

static const Industry industries[] = {
  { 14, "Maschinenbau", 220,
    "Maschinenbau|Maschinenfabrik|Antriebstechnik|Präzisionstechnik|Fördertechnik|Werkzeugbau" },
  { 7, "Automobilzulieferer", 260,
    "Fahrzeugtechnik|Automotive|Zerspanungstechnik|Kunststofftechnik" },
  { 8, "Elektrotechnik", 200,
    "Elektrotechnik|Elektronik|Schaltanlagenbau|Elektroanlagen" },
  { 7, "Metallverarbeitung", 180,
    "Metallbau|Stahlbau|Blechtechnik|Oberflächentechnik|Gießerei" },
  { 9, "Logistik", 150,
    "Logistik|Spedition|Transporte|Lagerlogistik|Kühllogistik" },
  { 9, "IT-Dienstleistungen", 140,
    "IT-Service|Systemhaus|IT-Solutions|Datentechnik|Netzwerktechnik" },
  { 6, "Software", 160,
    "Software|Softwarehaus|Digital|Informatik" },
  { 5, "Medizintechnik", 230,
    "Medizintechnik|Medical|Dentaltechnik|Labortechnik" },
  { 4, "Chemie und Pharma", 400,
    "Pharma|Chemie|Biotech|Feinchemie" },
  { 6, "Lebensmittel", 250,
    "Feinkost|Backwaren|Molkerei|Fleischwaren|Lebensmittel" },
  { 3, "Getränke", 300,
    "Brauerei|Getränke|Mineralbrunnen|Kellerei" },
  { 8, "Bauwesen", 160,
    "Bau|Bauunternehmung|Hochbau|Tiefbau|Holzbau" },
  { 5, "Gebäudetechnik", 110,
    "Haustechnik|Sanitär und Heizung|Gebäudetechnik|Elektroinstallation" },
  { 4, "Immobilien", 300,
    "Immobilien|Hausverwaltung|Projektentwicklung|Wohnbau" },
  { 4, "Energie", 500,
    "Energietechnik|Solartechnik|Windkraft|Wärmetechnik" },
  { 7, "Großhandel", 600,
    "Großhandel|Handelsgesellschaft|Industriebedarf|Technischer Handel" },
  { 4, "Einzelhandel", 200,
    "Handel|Modehaus|Einrichtungshaus|Fachmarkt" },
  { 3, "Finanzdienstleistungen", 350,
    "Finanzberatung|Vermögensverwaltung|Leasing|Capital" },
  { 2, "Versicherungen", 300,
    "Versicherungsmakler|Assekuranz|Versicherungskontor" },
  { 5, "Unternehmensberatung", 180,
    "Consulting|Unternehmensberatung|Management Consulting|Beratung" },
  { 3, "Steuerberatung", 120,
    "Steuerberatung|Treuhand|Wirtschaftsprüfung" },
  { 3, "Druck und Medien", 140,
    "Druckerei|Medien|Verlag|Werbetechnik" },
  { 2, "Textil", 170,
    "Textil|Textilwerke|Bekleidung" },
  { 2, "Möbel", 160,
    "Möbelwerke|Möbel|Objekteinrichtung|Küchenbau" },
  { 3, "Umwelttechnik", 200,
    "Umwelttechnik|Recycling|Entsorgung|Wassertechnik" },
  { 2, "Telekommunikation", 300,
    "Telekom|Kommunikationstechnik|Netze" },
  { 3, "Tourismus", 70,
    "Hotel|Reisen|Gastronomie|Touristik" },
  { 2, "Agrarwirtschaft", 400,
    "Agrar|Landtechnik|Saaten|Agrarhandel" },
  { 3, "Gesundheitswesen", 80,
    "Pflegedienste|Klinik|Gesundheitszentrum|Reha" },
};

typedef struct
{
  guint       weight;
  const char *name;
  gboolean    sole_trader;  /* named after its owner: "Jürgen Köhler ... e.K." */
  gboolean    large;        /* more employees */
} LegalForm;

static const LegalForm legal_de[] = {
  { 50, "GmbH", FALSE, FALSE },
  { 14, "GmbH & Co. KG", FALSE, FALSE },
  { 9, "AG", FALSE, TRUE },
  { 7, "KG", FALSE, FALSE },
  { 7, "e.K.", TRUE, FALSE },
  { 3, "OHG", FALSE, FALSE },
  { 4, "UG (haftungsbeschränkt)", FALSE, FALSE },
  { 1, "SE", FALSE, TRUE },
};

static const LegalForm legal_at[] = {
  { 45, "GmbH", FALSE, FALSE },
  { 15, "GesmbH", FALSE, FALSE },
  { 5, "Ges.m.b.H.", FALSE, FALSE },
  { 10, "AG", FALSE, TRUE },
  { 8, "KG", FALSE, FALSE },
  { 5, "OG", FALSE, FALSE },
  { 7, "e.U.", TRUE, FALSE },
};

static const LegalForm legal_ch_de[] = {
  { 55, "AG", FALSE, FALSE },
  { 45, "GmbH", FALSE, FALSE },
};

static const LegalForm legal_ch_fr[] = {
  { 65, "SA", FALSE, FALSE },
  { 35, "Sàrl", FALSE, FALSE },
};

static const LegalForm legal_ch_it[] = {
  { 65, "SA", FALSE, FALSE },
  { 35, "Sagl", FALSE, FALSE },
};

static const char * const name_prefixes[] = {
  "Nord", "Süd", "West", "Rhein", "Main", "Elb", "Isar", "Donau", "Weser", "Neckar",
  "Ruhr", "Spree", "Alster", "Hanse", "Alpen", "Harz", "Eifel", "Taunus", "Allgäu",
  "Falken", "Adler", "Stern", "Linden", "Eichen", "Sonnen", "Blau", "Gold", "Stahl",
  "Kraft", "Licht", "Fein", "Nova", "Prima", "Inno", "Terra", "Vita", "Opti", "Tauern",
  "Säntis", "Helvetic",
};

static const char * const name_suffixes[] = {
  "tec", "tech", "werk", "data", "soft", "log", "med", "plan", "bau", "form", "con",
  "line", "tronic", "metall", "sys", "care", "pack", "trans", "print", "vision", "net",
};

typedef struct
{
  const char *name;
  gboolean    female;
} FirstName;

/* Roughly by frequency: picks favour the front of the list. */
static const FirstName first_names[] = {
  { "Thomas", FALSE }, { "Sabine", TRUE }, { "Michael", FALSE }, { "Andrea", TRUE },
  { "Andreas", FALSE }, { "Stefanie", TRUE }, { "Stefan", FALSE }, { "Claudia", TRUE },
  { "Christian", FALSE }, { "Julia", TRUE }, { "Markus", FALSE }, { "Anna", TRUE },
  { "Frank", FALSE }, { "Petra", TRUE }, { "Jürgen", FALSE }, { "Katharina", TRUE },
  { "Martin", FALSE }, { "Nicole", TRUE }, { "Matthias", FALSE }, { "Susanne", TRUE },
  { "Alexander", FALSE }, { "Birgit", TRUE }, { "Daniel", FALSE }, { "Monika", TRUE },
  { "Sebastian", FALSE }, { "Kerstin", TRUE }, { "Tobias", FALSE }, { "Laura", TRUE },
  { "Florian", FALSE }, { "Lena", TRUE }, { "Jörg", FALSE }, { "Bärbel", TRUE },
  { "Klaus", FALSE }, { "Karin", TRUE }, { "Wolfgang", FALSE }, { "Ursula", TRUE },
  { "Uwe", FALSE }, { "Heike", TRUE }, { "Ralf", FALSE }, { "Melanie", TRUE },
  { "Dirk", FALSE }, { "Simone", TRUE }, { "Sven", FALSE }, { "Daniela", TRUE },
  { "Jens", FALSE }, { "Christina", TRUE }, { "Oliver", FALSE }, { "Franziska", TRUE },
  { "Patrick", FALSE }, { "Johanna", TRUE }, { "Dominik", FALSE }, { "Theresa", TRUE },
  { "Fabian", FALSE }, { "Sophie", TRUE }, { "Moritz", FALSE }, { "Marie", TRUE },
  { "Lukas", FALSE }, { "Hannah", TRUE }, { "Jonas", FALSE }, { "Nina", TRUE },
  { "Maximilian", FALSE }, { "Sandra", TRUE }, { "Philipp", FALSE }, { "Martina", TRUE },
  { "Günter", FALSE }, { "Anja", TRUE }, { "Björn", FALSE }, { "Käthe", TRUE },
  { "Sören", FALSE }, { "Jana", TRUE }, { "Hans-Peter", FALSE }, { "Anne-Kathrin", TRUE },
  { "Karl-Heinz", FALSE }, { "Gülsen", TRUE }, { "Mehmet", FALSE }, { "Ayşe", TRUE },
  { "Ömer", FALSE }, { "Zeynep", TRUE }, { "Emre", FALSE }, { "Elif", TRUE },
  { "René", FALSE }, { "Chloé", TRUE }, { "André", FALSE }, { "Hélène", TRUE },
  { "Holger", FALSE }, { "Silvia", TRUE }, { "Carsten", FALSE }, { "Nadine", TRUE },
  { "Torsten", FALSE }, { "Corinne", TRUE }, { "Urs", FALSE }, { "Mirjam", TRUE },
  { "Reto", FALSE }, { "Valentina", TRUE }, { "Beat", FALSE }, { "Jasmin", TRUE },
  { "Niklas", FALSE }, { "Lea", TRUE }, { "Felix", FALSE }, { "Emilia", TRUE },
  { "Paul", FALSE }, { "Clara", TRUE }, { "Benedikt", FALSE }, { "Magdalena", TRUE },
  { "Vincent", FALSE }, { "Greta", TRUE }, { "Elias", FALSE }, { "Zoë", TRUE },
  { "Luca", FALSE }, { "Aurélie", TRUE }, { "Matteo", FALSE }, { "Francesca", TRUE },
  { "Dragan", FALSE }, { "Agnieszka", TRUE }, { "Piotr", FALSE }, { "Małgorzata", TRUE },
};

/* Roughly by frequency; both spellings of a name are there on purpose. */
static const char * const last_names[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
  "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
  "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
  "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
  "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer",
  "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
  "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
  "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
  "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer",
  "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt",
  "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn",
  "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold",
  "Wolff", "Pfeiffer", "Mueller", "Weiss", "Gruber", "Pichler", "Steiner", "Moser",
  "Hofer", "Leitner", "Eder", "Egger", "Brunner", "Gerber", "Widmer", "Frei",
  "Lüthi", "Bühler", "Käser", "Schär", "Blöchlinger", "Zürcher", "Hübner", "Löffler",
  "Kößler", "Weißenberger", "Großmann", "Schüßler", "Nöth", "Döring", "Götz",
  "Thürmer", "Nußbaum", "Größ", "Strauß", "Özdemir", "Yılmaz", "Kaya", "Şahin",
  "Çelik", "Demir", "Kowalski", "Nowak", "Wiśniewski", "Petrović", "Jovanović",
  "Favre", "Rochat", "Dubois", "Bernasconi", "Rossi", "von Bülow", "von der Heide",
  "Ter Horst", "Meyer-Lüdenscheid",
};

/* The first contacts carry the spellings that search must bring together,
 * so every dataset, even the smallest, can demonstrate it. */
static const char * const showcase_last_names[] = {
  "Müller", "Mueller", "Meier", "Meyer", "Schäfer", "Größ", "Weiß", "Jäger",
  "Köhler", "Özdemir", "Nußbaum", "Groß",
};

typedef struct
{
  guint       weight;
  const char *male;
  const char *female;
} JobTitle;

static const JobTitle job_titles[] = {
  { 8, "Geschäftsführer", "Geschäftsführerin" },
  { 8, "Vertriebsleiter", "Vertriebsleiterin" },
  { 9, "Einkaufsleiter", "Einkaufsleiterin" },
  { 7, "Leiter IT", "Leiterin IT" },
  { 3, "Prokurist", "Prokuristin" },
  { 4, "Kaufmännischer Leiter", "Kaufmännische Leiterin" },
  { 4, "Technischer Leiter", "Technische Leiterin" },
  { 7, "Projektleiter", "Projektleiterin" },
  { 8, "Sachbearbeiter Einkauf", "Sachbearbeiterin Einkauf" },
  { 4, "Assistenz der Geschäftsführung", "Assistenz der Geschäftsführung" },
  { 2, "Head of Operations", "Head of Operations" },
  { 3, "Marketingleiter", "Marketingleiterin" },
  { 4, "Produktionsleiter", "Produktionsleiterin" },
  { 2, "Werkleiter", "Werkleiterin" },
  { 3, "Controller", "Controllerin" },
  { 3, "Key Account Manager", "Key Account Managerin" },
  { 3, "Bereichsleiter Logistik", "Bereichsleiterin Logistik" },
  { 2, "Personalleiter", "Personalleiterin" },
  { 3, "Qualitätsmanager", "Qualitätsmanagerin" },
  { 2, "Leiter Finanzen", "Leiterin Finanzen" },
  { 4, "IT-Administrator", "IT-Administratorin" },
  { 4, "Innendienst Vertrieb", "Innendienst Vertrieb" },
  { 3, "Strategischer Einkäufer", "Strategische Einkäuferin" },
  { 1, "Mitglied des Vorstands", "Mitglied des Vorstands" },
  { 1, "CFO", "CFO" },
  { 1, "CTO", "CTO" },
};

static const char * const contact_tags[] = {
  "Entscheider", "Beeinflusser", "Newsletter", "Messe 2026", "Technik", "Einkauf",
  "Referenzkunde", "Webinar",
};

static const char * const contact_notes[] = {
  "Bevorzugt Termine am Vormittag.",
  "Spricht auch Englisch und Französisch.",
  "Entscheidet gemeinsam mit der Geschäftsführung.",
  "Interessiert sich für die Cloud-Variante.",
  "Bitte nicht vor 9 Uhr anrufen.",
  "Ansprechpartner für Rechnungsfragen.",
  "Kennt uns von der Hannover Messe.",
  "Duzt sich mit unserem Außendienst.",
};

static const char * const organization_notes[] = {
  "Rahmenvertrag bis 31.12.2027.",
  "Zahlungsziel 30 Tage netto, Skonto 2 % bei 10 Tagen.",
  "Budgetplanung im Oktober, Entscheidungen meist im vierten Quartal.",
  "Einkauf läuft zentral über die Holding.",
  "Bevorzugt Kommunikation per E-Mail.",
  "Mehrere Standorte; Ansprechpartner je Werk pflegen.",
  "Bestandskunde seit 2019, sehr zufrieden mit dem Support.",
  "Ausschreibungen laufen über eine Einkaufsplattform.",
};

static const char * const private_mail_domains_de[] = {
  "gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", "outlook.de",
};

static const char * const private_mail_domains_at[] = {
  "gmx.at", "aon.at", "gmail.com", "chello.at",
};

static const char * const private_mail_domains_ch[] = {
  "bluewin.ch", "gmx.ch", "gmail.com", "sunrise.ch",
};

static const char * const mobile_prefixes_de[] = {
  "0151", "0152", "0157", "0160", "0162", "0170", "0171", "0172", "0175", "0176", "0179",
};

static const char * const mobile_prefixes_at[] = { "664", "676", "650", "699", "660" };
static const char * const mobile_prefixes_ch[] = { "79", "78", "76", "77" };

typedef struct
{
  guint       weight;
  const char *name;
  const char *code;
  const char *series;
  guint       price;       /* whole EUR per unit */
  guint       min_units;
  guint       max_units;
  const char *unit;        /* for deal titles, NULL: one item */
  const char *description;
} Product;

static const Product products[] = {
  { 14, "Kontor Cloud Basis", "KC-BAS", "Cloud", 348, 5, 50, "Nutzer",
    "Jahreslizenz je Nutzer: Kontakte, Firmen, Aktivitäten, Offline-Sync." },
  { 22, "Kontor Cloud Professional", "KC-PRO", "Cloud", 588, 5, 120, "Nutzer",
    "Jahreslizenz je Nutzer: zusätzlich Pipelines, Prognosen und Import." },
  { 10, "Kontor Cloud Enterprise", "KC-ENT", "Cloud", 948, 25, 400, "Nutzer",
    "Jahreslizenz je Nutzer: zusätzlich SSO, Audit-Log und eigener Server." },
  { 14, "Einführungspaket", "SRV-ONB", "Dienstleistung", 6500, 1, 1, NULL,
    "Pauschale für Einrichtung, Datenübernahme und Kick-off-Workshop." },
  { 12, "Schulungstag vor Ort", "SRV-TRN", "Dienstleistung", 1450, 1, 8, "Tage",
    "Ganztägige Anwenderschulung für bis zu zwölf Personen." },
  { 12, "Wartungsvertrag Premium", "SUP-PRM", "Support", 8400, 1, 3, "Jahre",
    "Support mit vier Stunden Reaktionszeit, Updates und Notfallhotline." },
  { 8, "Sensor-Gateway SG-200", "HW-SG200", "Hardware", 1890, 2, 40, "Geräte",
    "Industrie-Gateway für Maschinendaten mit Anbindung an Kontor Cloud." },
};

typedef struct
{
  guint       weight;      /* share of the pipeline's deals */
  const char *name;
  guint       probability;
  const char *outcome;
} StageSpec;

static const StageSpec stages_new[] = {
  { 20, "Qualifizierung", 10, "open" },
  { 18, "Bedarfsanalyse", 25, "open" },
  { 18, "Angebot", 50, "open" },
  { 12, "Verhandlung", 75, "open" },
  { 20, "Gewonnen", 100, "won" },
  { 12, "Verloren", 0, "lost" },
};

static const StageSpec stages_existing[] = {
  { 20, "Upsell-Idee", 20, "open" },
  { 22, "Angebot", 50, "open" },
  { 15, "Verhandlung", 80, "open" },
  { 28, "Gewonnen", 100, "won" },
  { 15, "Verloren", 0, "lost" },
};

typedef struct
{
  guint            weight;
  const char      *name;
  const StageSpec *stages;
  guint            n_stages;
  gboolean         existing_customers;
} PipelineSpec;

static const PipelineSpec pipelines[] = {
  { 60, "Neukunden", stages_new, G_N_ELEMENTS (stages_new), FALSE },
  { 40, "Bestandskunden", stages_existing, G_N_ELEMENTS (stages_existing), TRUE },
};

static const char * const deal_notes_open[] = {
  "Wettbewerber im Rennen: Salesforce und HubSpot.",
  "Budget wird erst im ersten Quartal 2027 freigegeben.",
  "Entscheidung liegt beim Vorstand.",
  "Rabattforderung von 15 % – mit der Vertriebsleitung abstimmen.",
  "Kunde wünscht einen Referenzbesuch.",
  "Ausschreibung über die Einkaufsplattform des Kunden.",
  "Datenschutzprüfung durch den Betriebsrat steht noch aus.",
};

static const char * const deal_notes_won[] = {
  "Auftrag per E-Mail bestätigt, Bestellung folgt.",
  "Unterschriebener Vertrag liegt vor.",
  "Gewonnen dank schneller Einführung und deutschem Support.",
};

static const char * const deal_notes_lost[] = {
  "Verloren an einen Wettbewerber (Preis).",
  "Projekt auf unbestimmte Zeit verschoben.",
  "Kunde bleibt bei seiner Eigenentwicklung.",
};

typedef struct
{
  guint       weight;
  const char *source;
  const char *topics;   /* lead title topics, '|'-separated */
} LeadSource;

static const LeadSource lead_sources[] = {
  { 25, "website",
    "Kontaktformular: Anfrage Preise|Demo angefragt über die Website|Testzugang beantragt" },
  { 10, "social_media", "Anfrage über LinkedIn|Kommentar zum XING-Beitrag" },
  { 10, "email", "E-Mail-Anfrage Preisliste|Anfrage per E-Mail: Datenübernahme" },
  { 15, "event",
    "Messekontakt Hannover Messe|Messekontakt LogiMAT Stuttgart|Besucher it-sa Nürnberg|"
    "Webinar-Teilnahme „Vertrieb offline“" },
  { 15, "referral", "Empfehlung durch Bestandskunden|Empfehlung aus dem Netzwerk" },
  { 10, "cold_call", "Kaltakquise Industrie|Telefonakquise Mittelstand" },
  { 10, "partner", "Partnerlead Systemhaus|Partnerlead Steuerberatung" },
  { 5, "other", "Rückrufbitte|Visitenkarte vom Kundentag" },
};

typedef struct
{
  guint       weight;
  const char *status;
  guint       min_score;
  guint       max_score;
} LeadStatus;

static const LeadStatus lead_statuses[] = {
  { 25, "new", 10, 50 },
  { 25, "contacted", 20, 60 },
  { 20, "qualified", 50, 90 },
  { 15, "disqualified", 0, 30 },
  { 15, "converted", 60, 100 },
};

static const char * const lead_notes[] = {
  "Möchte bis Ende des Quartals eine Entscheidung treffen.",
  "Nutzt bisher Excel-Listen und Outlook.",
  "Hat nach einer Lösung ohne US-Cloud gefragt.",
  "Rund 30 Vertriebsmitarbeitende im Außendienst.",
  "Bitte Unterlagen auf Deutsch und Englisch schicken.",
};

typedef struct
{
  guint       weight;
  const char *lifecycle;
  guint       min_score;
  guint       max_score;
} Lifecycle;

static const Lifecycle lifecycles[] = {
  { 15, "subscriber", 5, 40 },
  { 25, "lead", 20, 70 },
  { 15, "opportunity", 50, 90 },
  { 35, "customer", 40, 100 },
  { 3, "evangelist", 80, 100 },
  { 7, "other", 0, 50 },
};

static const char * const task_subjects[] = {
  "Angebot nachfassen", "Unterlagen zusenden", "Vertragsentwurf prüfen",
  "Referenzkunden nennen", "Preisliste 2027 schicken", "Demo-Zugang einrichten",
  "Rechnungsfrage klären", "Datenschutzvereinbarung schicken",
};

static const char * const call_subjects[] = {
  "Erstgespräch", "Rückruf wegen Angebot", "Bedarfsanalyse am Telefon",
  "Termin vereinbaren", "Nachfassen nach der Messe", "Verlängerung besprechen",
};

static const char * const meeting_subjects[] = {
  "Vor-Ort-Termin", "Produktdemo", "Jahresgespräch", "Workshop Anforderungen",
  "Vertragsverhandlung", "Kick-off Einführung",
};

static const char * const note_subjects[] = {
  "Budget für 2027 freigegeben", "Neuer Ansprechpartner im Einkauf",
  "Wettbewerber im Gespräch", "Standort wird erweitert", "Entscheidung vertagt",
  "Feedback zur Testphase",
};

static const char * const activity_bodies[] = {
  "Ansprechpartner war gut vorbereitet, nächste Schritte vereinbart.",
  "Kunde wünscht ein überarbeitetes Angebot mit gestaffelten Preisen.",
  "Offene Fragen zu Schnittstellen (SAP, DATEV) an die Technik weitergegeben.",
  "Entscheidung fällt nach der Budgetrunde im Januar.",
  "Teilnehmende: Geschäftsführung, IT-Leitung, Vertrieb.",
  "Protokoll per E-Mail an alle Beteiligten verschickt.",
};

static const char * const online_locations[] = {
  "Microsoft Teams", "Zoom", "Telefonkonferenz", "Jitsi Meet",
};

/* pick_weighted() reads the weight at the start of each row */
G_STATIC_ASSERT (G_STRUCT_OFFSET (CountryInfo, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (City, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (Industry, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (LegalForm, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (JobTitle, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (Product, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (StageSpec, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (PipelineSpec, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (LeadSource, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (LeadStatus, weight) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (Lifecycle, weight) == 0);

/* ---------------------------------------------------------------------- */
/* Generator state                                                        */

/* Regions as indexes into region_names; each belongs to one team. */
static const char * const region_names[] = {
  "Nord", "Ost", "West", "Mitte", "Süd", "Österreich", "Schweiz",
};
static const guint region_team[] = { 0, 0, 0, 1, 1, 2, 2 };
#define N_REGIONS G_N_ELEMENTS (region_names)

static const char * const team_names[] = { "Nord", "Süd", "Alpen" };
static const char * const team_regions[] = { "Nord", "Süd", "Österreich" };
#define N_TEAMS G_N_ELEMENTS (team_names)

typedef struct
{
  char  *id;
  guint  team;
  guint  region;
} User;

typedef struct
{
  char        *id;
  char        *name;        /* with legal form */
  char        *short_name;  /* without */
  char        *domain;
  char        *street;      /* with house number */
  char         postal_code[8];
  char        *phone_base;  /* up to the extension */
  guint        city;
  guint        region;
  guint        owner;       /* index into users */
} Org;

/* Kept compact: a million contacts must fit easily. */
typedef struct
{
  char     id[37];
  gint32   org;     /* -1: none */
  guint16  first;
  guint16  last;
} ContactRef;

typedef struct
{
  char   id[37];
  gint32 contact;   /* -1: none */
  gint32 org;       /* -1: none */
  guint  owner;
  gboolean closed;
} DealRef;

typedef struct
{
  KontorStore             *store;
  const KontorDemoOptions *opts;
  gboolean                 german_national;  /* national numbers are read as German */
  GRand                   *rand;
  gint64                   clock_ms;
  GDate                    reference;

  KontorDemoProgress       progress;
  gpointer                 user_data;
  guint                    done;
  guint                    total;
  guint                    in_batch;
  gboolean                 in_transaction;

  char                    *team_ids[N_TEAMS];
  GArray                  *users;               /* User */
  GArray                  *region_reps[N_REGIONS];  /* guint: users of a region */
  char                    *product_ids[G_N_ELEMENTS (products)];
  char                    *pipeline_ids[G_N_ELEMENTS (pipelines)];
  char                   **stage_ids[G_N_ELEMENTS (pipelines)];
  GArray                  *orgs;                /* Org */
  GHashTable              *domains;             /* taken web domains */
  ContactRef              *contacts;            /* NULL if nothing refers to them */
  guint                    n_contacts;
  GPtrArray               *converted_leads;     /* ids */
  DealRef                 *deals;
  guint                    n_deals;
  guint                    showcase[G_N_ELEMENTS (showcase_last_names)];
} Gen;

static void
user_clear (gpointer data)
{
  User *u = data;

  g_free (u->id);
}

static void
org_clear (gpointer data)
{
  Org *o = data;

  g_free (o->id);
  g_free (o->name);
  g_free (o->short_name);
  g_free (o->domain);
  g_free (o->street);
  g_free (o->phone_base);
}

static void
gen_clear (Gen *gen)
{
  g_clear_pointer (&gen->rand, g_rand_free);
  for (guint i = 0; i < N_TEAMS; i++)
    g_clear_pointer (&gen->team_ids[i], g_free);
  g_clear_pointer (&gen->users, g_array_unref);
  for (guint i = 0; i < N_REGIONS; i++)
    g_clear_pointer (&gen->region_reps[i], g_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    g_clear_pointer (&gen->product_ids[i], g_free);
  for (guint i = 0; i < G_N_ELEMENTS (pipelines); i++)
    {
      g_clear_pointer (&gen->pipeline_ids[i], g_free);
      g_clear_pointer (&gen->stage_ids[i], g_strfreev);
    }
  g_clear_pointer (&gen->orgs, g_array_unref);
  g_clear_pointer (&gen->domains, g_hash_table_unref);
  g_clear_pointer (&gen->contacts, g_free);
  g_clear_pointer (&gen->converted_leads, g_ptr_array_unref);
  g_clear_pointer (&gen->deals, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Gen, gen_clear)

/* ---------------------------------------------------------------------- */
/* Random helpers                                                         */

/* 0 <= result < n; n must be > 0 */
static guint
pick (Gen  *gen,
      guint n)
{
  return (guint) g_rand_int_range (gen->rand, 0, (gint32) n);
}

/* Favours the front of a list sorted by frequency. */
static guint
pick_common (Gen  *gen,
             guint n)
{
  guint a = pick (gen, n);
  guint b = pick (gen, n);

  return MIN (a, b);
}

static gint
range (Gen  *gen,
       gint  lo,
       gint  hi)
{
  return g_rand_int_range (gen->rand, lo, hi + 1);
}

static gboolean
chance (Gen  *gen,
        guint percent)
{
  return pick (gen, 100) < percent;
}

/* Tables whose rows start with a guint weight. */
static guint
pick_weighted (Gen           *gen,
               gconstpointer  table,
               gsize          n,
               gsize          row_size)
{
  const char *base = table;
  guint total = 0;
  guint x;

  for (gsize i = 0; i < n; i++)
    total += *(const guint *) (base + i * row_size);

  x = pick (gen, total);
  for (gsize i = 0; i < n; i++)
    {
      guint w = *(const guint *) (base + i * row_size);

      if (x < w)
        return i;
      x -= w;
    }

  return n - 1;
}

#define PICK_WEIGHTED(gen, table) \
  pick_weighted ((gen), (table), G_N_ELEMENTS (table), sizeof ((table)[0]))

#define PICK(gen, table) ((table)[pick ((gen), G_N_ELEMENTS (table))])

/* One of the '|'-separated words of list. */
static char *
pick_word (Gen        *gen,
           const char *list)
{
  g_auto(GStrv) words = g_strsplit (list, "|", -1);

  return g_strdup (words[pick (gen, g_strv_length (words))]);
}

static Country
pick_country (Gen *gen)
{
  return (Country) PICK_WEIGHTED (gen, countries);
}

static guint
pick_city (Gen     *gen,
           Country  country)
{
  guint total = 0;
  guint x;

  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    if (cities[i].country == country)
      total += cities[i].weight;

  x = pick (gen, total);
  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    {
      if (cities[i].country != country)
        continue;
      if (x < cities[i].weight)
        return i;
      x -= cities[i].weight;
    }

  g_assert_not_reached ();
  return 0;
}

static const char *
pick_postal_code (Gen        *gen,
                  const City *city,
                  char        buf[8])
{
  g_auto(GStrv) codes = g_strsplit (city->postal_codes, " ", -1);

  g_strlcpy (buf, codes[pick (gen, g_strv_length (codes))], 8);
  return buf;
}

static guint
region_index (const char *region)
{
  for (guint i = 0; i < N_REGIONS; i++)
    if (g_str_equal (region_names[i], region))
      return i;

  g_assert_not_reached ();
  return 0;
}

/* ---------------------------------------------------------------------- */
/* Text helpers                                                           */

/* Switzerland writes "ss" for "ß". */
static char *
local_spelling (const char *text,
                Country     country)
{
  g_autoptr(GString) s = NULL;

  if (country != COUNTRY_CH || strstr (text, "ß") == NULL)
    return g_strdup (text);

  s = g_string_new (text);
  g_string_replace (s, "ß", "ss", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* "Weiß & Köhler" -> "weiss-koehler" (separator '-'), German
 * transliteration, ASCII letters and digits only. */
static char *
slugify (const char *text,
         char        separator)
{
  g_autofree char *ascii = kontor_fold_transliterate (text, -1);
  GString *out = g_string_sized_new (strlen (ascii));
  gboolean gap = FALSE;

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (gap && out->len > 0 && separator != '\0')
            g_string_append_c (out, separator);
          g_string_append_c (out, *p);
          gap = FALSE;
        }
      else
        gap = TRUE;
    }

  return g_string_free (out, FALSE);
}

/* Cuts a slug to at most max bytes at a separator, so that a domain label
 * stays within the 63 bytes DNS allows. */
static void
truncate_slug (char  *slug,
               gsize  max)
{
  char *cut;

  if (strlen (slug) <= max)
    return;

  slug[max] = '\0';
  cut = strrchr (slug, '-');
  if (cut != NULL && cut != slug)
    *cut = '\0';
}

static char *
random_digits (Gen  *gen,
               guint n)
{
  char *s = g_malloc (n + 1);

  /* no leading zero: subscriber numbers never start with one */
  for (guint i = 0; i < n; i++)
    s[i] = (char) ('0' + (i == 0 ? range (gen, 1, 9) : range (gen, 0, 9)));
  s[n] = '\0';

  return s;
}

/* A landline number up to the extension, as people write it in each
 * country: "0711 123456", "(089) 1234567", "+43 316 812345",
 * "+41 44 268 12". */
static char *
phone_base (Gen        *gen,
            const City *city)
{
  switch (city->country)
    {
    case COUNTRY_AT:
      {
        g_autofree char *sub = random_digits (gen, city->area_code[1] ? 6 : 7);

        return g_strdup_printf ("+43 %s %s", city->area_code, sub);
      }

    case COUNTRY_CH:
      {
        g_autofree char *sub = random_digits (gen, 5);

        return g_strdup_printf ("+41 %s %.3s %.2s", city->area_code, sub, sub + 3);
      }

    case COUNTRY_DE:
    case N_COUNTRIES:
    default:
      {
        guint area_len = strlen (city->area_code);
        g_autofree char *sub = random_digits (gen, CLAMP (10 - (gint) area_len, 5, 8));
        guint style = pick (gen, 6);

        if (!gen->german_national)
          style = 2;
        switch (style)
          {
          case 0:
            return g_strdup_printf ("%s/%s", city->area_code, sub);
          case 1:
            return g_strdup_printf ("(%s) %s", city->area_code, sub);
          case 2:
            return g_strdup_printf ("+49 %s %s", city->area_code + 1, sub);
          case 3:
            return g_strdup_printf ("+49 (0)%s %s", city->area_code + 1, sub);
          default:
            return g_strdup_printf ("%s %s", city->area_code, sub);
          }
      }
    }
}

/* The switchboard (ext NULL) or a direct line of an organization. */
static char *
phone_with_extension (Gen        *gen,
                      const char *base,
                      Country     country,
                      gboolean    switchboard)
{
  if (country == COUNTRY_CH)
    return g_strdup_printf ("%s %02d", base, switchboard ? 0 : range (gen, 10, 99));

  if (switchboard)
    return g_strdup_printf ("%s-0", base);
  return g_strdup_printf ("%s-%d", base, chance (gen, 70) ? range (gen, 10, 99)
                                                          : range (gen, 100, 499));
}

static char *
mobile_number (Gen     *gen,
               Country  country)
{
  switch (country)
    {
    case COUNTRY_AT:
      {
        g_autofree char *sub = random_digits (gen, 7);

        return g_strdup_printf ("+43 %s %s", PICK (gen, mobile_prefixes_at), sub);
      }
    case COUNTRY_CH:
      {
        g_autofree char *sub = random_digits (gen, 7);

        return g_strdup_printf ("+41 %s %.3s %.2s %.2s", PICK (gen, mobile_prefixes_ch),
                                sub, sub + 3, sub + 5);
      }
    case COUNTRY_DE:
    case N_COUNTRIES:
    default:
      {
        const char *prefix = PICK (gen, mobile_prefixes_de);
        g_autofree char *sub = random_digits (gen, prefix[2] == '5' ? 8 : 7);

        if (chance (gen, 20) || !gen->german_national)
          return g_strdup_printf ("+49 %s %s", prefix + 1, sub);
        return g_strdup_printf ("%s %s", prefix, sub);
      }
    }
}

static char *
street_address (Gen        *gen,
                const City *city)
{
  const char *street;
  int number = chance (gen, 70) ? range (gen, 1, 60) : range (gen, 61, 240);

  if (city->country == COUNTRY_AT)
    street = PICK (gen, streets_at);
  else if (city->country == COUNTRY_CH && city->language == LANG_FR)
    street = PICK (gen, streets_ch_fr);
  else if (city->country == COUNTRY_CH && city->language == LANG_IT)
    street = PICK (gen, streets_ch_it);
  else if (city->country == COUNTRY_CH)
    street = PICK (gen, streets_ch_de);
  else
    street = PICK (gen, streets_de);

  if (chance (gen, 8))
    return g_strdup_printf ("%s %d%c", street, number, 'a' + pick (gen, 3));
  return g_strdup_printf ("%s %d", street, number);
}

/* ---------------------------------------------------------------------- */
/* Dates                                                                  */

static void
format_date (const GDate *date,
             char         buf[16])
{
  g_snprintf (buf, 16, "%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

/* The reference day moved by days. */
static void
reference_plus (Gen   *gen,
                gint   days,
                GDate *out)
{
  *out = gen->reference;
  if (days >= 0)
    g_date_add_days (out, days);
  else
    g_date_subtract_days (out, -days);
}

static void
last_sunday (GDate        *out,
             GDateYear     year,
             GDateMonth    month)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_get_days_in_month (month, year), month, year);
  g_date_subtract_days (out, g_date_get_weekday (out) % 7);
}

/* Hours ahead of UTC in Germany, Austria and Switzerland on a day (summer
 * time from the last Sunday in March to the last Sunday in October). */
static int
central_european_offset (const GDate *date)
{
  GDate start;
  GDate end;

  last_sunday (&start, g_date_get_year (date), G_DATE_MARCH);
  last_sunday (&end, g_date_get_year (date), G_DATE_OCTOBER);

  return g_date_compare (date, &start) >= 0 && g_date_compare (date, &end) < 0 ? 2 : 1;
}

/* A local business time on day, as ISO 8601 with its offset. */
static void
format_local_datetime (const GDate *date,
                       guint        minutes,
                       char         buf[32])
{
  g_snprintf (buf, 32, "%04d-%02d-%02dT%02u:%02u:00+%02d:00", g_date_get_year (date),
              g_date_get_month (date), g_date_get_day (date), minutes / 60, minutes % 60,
              central_european_offset (date));
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */

static char *
next_id (Gen *gen)
{
  return kontor_uuid_new_from (gen->clock_ms++, gen->rand);
}

static gboolean
count_record (Gen     *gen,
              GError **error)
{
  gen->done++;

  if (gen->progress != NULL && gen->done % PROGRESS_STEP == 0)
    gen->progress (gen->done, gen->total, gen->user_data);

  if (++gen->in_batch < BATCH_SIZE)
    return TRUE;

  gen->in_batch = 0;
  gen->in_transaction = FALSE;  /* a failed commit has rolled back */
  if (!kontor_store_commit (gen->store, error))
    return FALSE;
  if (!kontor_store_begin (gen->store, error))
    return FALSE;
  gen->in_transaction = TRUE;

  return TRUE;
}

static gboolean
add_record (Gen         *gen,
            const char  *kind,
            const char  *id,
            JsonObject  *values,
            GError     **error)
{
  g_autoptr(KontorRecord) record = NULL;

  record = kontor_store_create (gen->store, kind, id, values, NULL, error);
  if (record == NULL)
    {
      g_prefix_error (error, "%s %s: ", kind, id);
      return FALSE;
    }

  return count_record (gen, error);
}

static void
set_string (JsonObject *obj,
            const char *name,
            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, name, value);
}

static void
set_money (JsonObject *obj,
           const char *name,
           gint64      minor,
           const char *currency)
{
  JsonObject *money = json_object_new ();

  json_object_set_int_member (money, "minor", minor);
  json_object_set_string_member (money, "currency", currency);
  json_object_set_object_member (obj, name, money);
}

/* ---------------------------------------------------------------------- */
/* Sales organisation                                                     */

static char *
person_email (Gen        *gen,
              const char *first,
              const char *last,
              const char *domain)
{
  g_autofree char *f = slugify (first, '-');
  g_autofree char *l = slugify (last, '-');

  return g_strdup_printf ("%s.%s@%s", f, l, domain);
}

/* Nord and Süd have two reps for every one of Alpen. */
static const guint rep_team_pattern[] = { 0, 0, 1, 1, 2 };

static gboolean
generate_sales_team (Gen     *gen,
                     GError **error)
{
  guint n_reps = MAX (3, (gen->opts->n_organizations + 12) / 25);
  guint n_users = N_TEAMS + n_reps;
  guint team_rep_count[N_TEAMS] = { 0 };

  for (guint t = 0; t < N_TEAMS; t++)
    {
      g_autoptr(JsonObject) v = json_object_new ();

      gen->team_ids[t] = next_id (gen);
      set_string (v, "name", team_names[t]);
      set_string (v, "region", team_regions[t]);
      if (!add_record (gen, "team", gen->team_ids[t], v, error))
        return FALSE;
    }

  /* the first three are the team managers, then reps: Nord, Süd, Alpen,
   * then two in five each for Nord and Süd, one in five for Alpen */
  for (guint i = 0; i < n_users; i++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      const FirstName *first = &first_names[pick_common (gen, G_N_ELEMENTS (first_names))];
      const char *last = last_names[pick_common (gen, G_N_ELEMENTS (last_names))];
      gboolean manager = i < N_TEAMS;
      guint rep = i - N_TEAMS;
      guint team = manager ? i : rep < N_TEAMS ? rep : rep_team_pattern[rep % 5];
      guint n_team_regions = team == 0 ? 3 : 2;
      guint first_region = team == 0 ? 0 : team == 1 ? 3 : 5;
      guint region = first_region + (team_rep_count[team]++ % n_team_regions);
      g_autofree char *name = g_strdup_printf ("%s %s", first->name, last);
      g_autofree char *email = person_email (gen, first->name, last, "kontor-demo.example");
      g_autofree char *phone = g_strdup_printf ("%s3344556-%u",
                                                gen->german_national ? "040 " : "+49 40 ",
                                                100 + i);
      User u = { next_id (gen), team, region };

      g_array_append_val (gen->users, u);
      set_string (v, "name", name);
      set_string (v, "email", email);
      set_string (v, "role", manager ? "manager" : "rep");
      set_string (v, "team", gen->team_ids[team]);
      if (!manager)
        set_string (v, "manager", g_array_index (gen->users, User, team).id);
      set_string (v, "region", manager ? team_regions[team] : region_names[region]);
      set_string (v, "phone", phone);
      if (!add_record (gen, "user", u.id, v, error))
        return FALSE;

      if (!manager)
        g_array_append_val (gen->region_reps[region], i);
    }

  for (guint t = 0; t < N_TEAMS; t++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      g_autoptr(KontorRecord) team = NULL;

      set_string (v, "manager", g_array_index (gen->users, User, t).id);
      team = kontor_store_update (gen->store, gen->team_ids[t], v, NULL, error);
      if (team == NULL)
        return FALSE;
    }

  return TRUE;
}

/* A rep of the region, else one of its team, else the team's manager. */
static guint
pick_owner (Gen   *gen,
            guint  region)
{
  guint team = region_team[region];
  guint n_team = 0;
  guint x;

  if (gen->region_reps[region]->len > 0)
    return g_array_index (gen->region_reps[region], guint,
                          pick (gen, gen->region_reps[region]->len));

  for (guint r = 0; r < N_REGIONS; r++)
    if (region_team[r] == team)
      n_team += gen->region_reps[r]->len;
  if (n_team == 0)
    return team;

  x = pick (gen, n_team);
  for (guint r = 0; r < N_REGIONS; r++)
    {
      if (region_team[r] != team)
        continue;
      if (x < gen->region_reps[r]->len)
        return g_array_index (gen->region_reps[r], guint, x);
      x -= gen->region_reps[r]->len;
    }

  return team;
}

static gboolean
generate_catalogue (Gen     *gen,
                    GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    {
      const Product *p = &products[i];
      g_autoptr(JsonObject) v = json_object_new ();
      g_autofree char *price = g_strdup_printf ("%u.00 EUR", p->price);

      gen->product_ids[i] = next_id (gen);
      set_string (v, "name", p->name);
      set_string (v, "code", p->code);
      set_string (v, "series", p->series);
      set_string (v, "price", price);
      set_string (v, "description", p->description);
      if (!add_record (gen, "product", gen->product_ids[i], v, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (pipelines); i++)
    {
      const PipelineSpec *p = &pipelines[i];
      g_autoptr(JsonObject) v = json_object_new ();

      gen->pipeline_ids[i] = next_id (gen);
      set_string (v, "name", p->name);
      json_object_set_int_member (v, "position", i);
      set_string (v, "currency", "EUR");
      if (!add_record (gen, "pipeline", gen->pipeline_ids[i], v, error))
        return FALSE;

      gen->stage_ids[i] = g_new0 (char *, p->n_stages + 1);
      for (guint s = 0; s < p->n_stages; s++)
        {
          g_autoptr(JsonObject) sv = json_object_new ();

          gen->stage_ids[i][s] = next_id (gen);
          set_string (sv, "name", p->stages[s].name);
          set_string (sv, "pipeline", gen->pipeline_ids[i]);
          json_object_set_int_member (sv, "position", s);
          json_object_set_int_member (sv, "probability", p->stages[s].probability);
          set_string (sv, "outcome", p->stages[s].outcome);
          if (!add_record (gen, "stage", gen->stage_ids[i][s], sv, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Organizations                                                          */

static const LegalForm *
pick_legal_form (Gen        *gen,
                 const City *city)
{
  switch (city->country)
    {
    case COUNTRY_AT:
      return &legal_at[PICK_WEIGHTED (gen, legal_at)];
    case COUNTRY_CH:
      if (city->language == LANG_FR)
        return &legal_ch_fr[PICK_WEIGHTED (gen, legal_ch_fr)];
      if (city->language == LANG_IT)
        return &legal_ch_it[PICK_WEIGHTED (gen, legal_ch_it)];
      return &legal_ch_de[PICK_WEIGHTED (gen, legal_ch_de)];
    case COUNTRY_DE:
    case N_COUNTRIES:
    default:
      return &legal_de[PICK_WEIGHTED (gen, legal_de)];
    }
}

static const char *
pick_last_name (Gen *gen)
{
  return last_names[pick_common (gen, G_N_ELEMENTS (last_names))];
}

/* A company name without its legal form: "Schäfer Logistik",
 * "Weiß & Köhler", "Isarwerk Präzisionstechnik", "Stuttgarter
 * Antriebstechnik", "Spedition Jäger", "Jürgen Köhler Elektrotechnik". */
static char *
company_name (Gen             *gen,
              const City      *city,
              const Industry  *industry,
              const LegalForm *legal)
{
  g_autofree char *word = pick_word (gen, industry->words);
  g_autofree char *name = NULL;

  if (legal->sole_trader)
    {
      const FirstName *first = &first_names[pick_common (gen, G_N_ELEMENTS (first_names))];

      name = g_strdup_printf ("%s %s %s", first->name, pick_last_name (gen), word);
    }
  else
    {
      switch (pick (gen, 20))
        {
        case 0: case 1: case 2: case 3: case 4: case 5: case 6:
          name = g_strdup_printf ("%s %s", pick_last_name (gen), word);
          break;
        case 7: case 8: case 9:
          {
            const char *a = pick_last_name (gen);
            const char *b = pick_last_name (gen);

            if (g_str_equal (a, b))
              name = g_strdup_printf ("%s & Söhne", a);
            else
              name = g_strdup_printf ("%s & %s", a, b);
          }
          break;
        case 10: case 11: case 12:
          {
            const char *prefix = PICK (gen, name_prefixes);
            const char *suffix = PICK (gen, name_suffixes);

            if (chance (gen, 50))
              name = g_strdup_printf ("%s%s", prefix, suffix);
            else
              name = g_strdup_printf ("%s%s %s", prefix, suffix, word);
          }
          break;
        case 13: case 14: case 15:
          if (city->adjective != NULL)
            {
              name = g_strdup_printf ("%s %s", city->adjective, word);
              break;
            }
          G_GNUC_FALLTHROUGH;
        case 16: case 17:
          name = g_strdup_printf ("%s %s", word, pick_last_name (gen));
          break;
        default:
          name = g_strdup_printf ("%s %s", PICK (gen, name_prefixes), word);
          break;
        }
    }

  return local_spelling (name, city->country);
}

/* "mueller-maschinenbau.de"; a second company of the same name gets the
 * city, a third a number. */
static char *
unique_domain (Gen        *gen,
               const char *short_name,
               const City *city)
{
  g_autofree char *slug = slugify (short_name, '-');
  g_autofree char *city_slug = NULL;
  const char *tld = countries[city->country].tld;
  char *domain;

  truncate_slug (slug, 36);
  domain = g_strdup_printf ("%s.%s", slug, tld);
  if (!g_hash_table_contains (gen->domains, domain))
    goto done;

  g_free (domain);
  city_slug = slugify (city->name, '-');
  truncate_slug (city_slug, 18);
  domain = g_strdup_printf ("%s-%s.%s", slug, city_slug, tld);
  for (guint n = 2; g_hash_table_contains (gen->domains, domain); n++)
    {
      g_free (domain);
      domain = g_strdup_printf ("%s-%s%u.%s", slug, city_slug, n, tld);
    }

done:
  g_hash_table_add (gen->domains, domain);
  return g_strdup (domain);
}

static guint
employee_count (Gen             *gen,
                const LegalForm *legal)
{
  guint size = pick (gen, 100);

  if (legal->sole_trader)
    return range (gen, 1, 12);
  if (legal->large)
    {
      guint large = 60 + pick (gen, 40);

      size = MAX (size, large);
    }

  if (size < 20)
    return range (gen, 3, 9);
  if (size < 55)
    return range (gen, 10, 49);
  if (size < 85)
    return range (gen, 50, 249);
  if (size < 96)
    return range (gen, 250, 999);
  return range (gen, 1000, 20000);
}

static gboolean
generate_organizations (Gen     *gen,
                        GError **error)
{
  for (guint i = 0; i < gen->opts->n_organizations; i++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      Country country = pick_country (gen);
      guint city_index = pick_city (gen, country);
      const City *city = &cities[city_index];
      const Industry *industry = &industries[PICK_WEIGHTED (gen, industries)];
      const LegalForm *legal = pick_legal_form (gen, city);
      g_autofree char *email = NULL;
      g_autofree char *website = NULL;
      g_autofree char *phone = NULL;
      guint employees;
      gint64 revenue;
      Org o = { 0 };

      o.id = next_id (gen);
      o.city = city_index;
      o.region = region_index (city->region);
      o.short_name = company_name (gen, city, industry, legal);
      o.name = g_strdup_printf ("%s %s", o.short_name, legal->name);
      o.domain = unique_domain (gen, o.short_name, city);
      o.street = street_address (gen, city);
      pick_postal_code (gen, city, o.postal_code);
      o.phone_base = phone_base (gen, city);
      o.owner = pick_owner (gen, o.region);
      g_array_append_val (gen->orgs, o);

      email = g_strdup_printf ("%s@%s",
                               country == COUNTRY_AT ? "office"
                               : chance (gen, 70) ? "info" : "kontakt",
                               o.domain);
      website = chance (gen, 80) ? g_strdup_printf ("https://www.%s", o.domain)
                                 : g_strdup_printf ("www.%s", o.domain);
      phone = phone_with_extension (gen, o.phone_base, country, TRUE);
      employees = employee_count (gen, legal);
      /* revenue per employee varies by ±30 %, rounded to 10,000 */
      revenue = (gint64) employees * industry->revenue_per_employee * range (gen, 70, 130) / 100;
      revenue = MAX (revenue / 10, 1) * 10 * 1000 * 100;

      set_string (v, "name", o.name);
      set_string (v, "industry", industry->name);
      set_string (v, "website", website);
      set_string (v, "email", email);
      set_string (v, "phone", phone);
      set_string (v, "street", o.street);
      json_object_set_string_member (v, "postal_code", o.postal_code);
      set_string (v, "city", city->name);
      set_string (v, "region", city->region);
      set_string (v, "country", countries[country].name);
      json_object_set_int_member (v, "employees", employees);
      set_money (v, "annual_revenue", revenue, countries[country].currency);
      {
        /* more young companies than old ones */
        guint a = pick (gen, 154);
        guint b = pick (gen, 154);

        json_object_set_int_member (v, "year_established", 1870 + MAX (a, b));
      }
      /* a few subsidiaries of earlier companies */
      if (i > 10 && chance (gen, 4))
        set_string (v, "parent", g_array_index (gen->orgs, Org, pick (gen, i)).id);
      set_string (v, "owner", g_array_index (gen->users, User, o.owner).id);
      if (chance (gen, 15))
        set_string (v, "notes", PICK (gen, organization_notes));

      if (!add_record (gen, "organization", o.id, v, error))
        return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Contacts                                                               */

static const char *
pick_private_domain (Gen     *gen,
                     Country  country)
{
  switch (country)
    {
    case COUNTRY_AT:
      return PICK (gen, private_mail_domains_at);
    case COUNTRY_CH:
      return PICK (gen, private_mail_domains_ch);
    case COUNTRY_DE:
    case N_COUNTRIES:
    default:
      return PICK (gen, private_mail_domains_de);
    }
}

static char *
contact_email (Gen        *gen,
               const char *first,
               const char *last,
               const char *domain)
{
  g_autofree char *f = slugify (first, '-');
  g_autofree char *l = slugify (last, '-');
  guint style = pick (gen, 100);

  if (style < 72)
    return g_strdup_printf ("%s.%s@%s", f, l, domain);
  if (style < 86)
    return g_strdup_printf ("%c.%s@%s", f[0], l, domain);
  if (style < 94)
    return g_strdup_printf ("%s@%s", l, domain);
  return g_strdup_printf ("%c%s@%s", f[0], l, domain);
}

static void
random_birthday (Gen  *gen,
                 char  buf[16])
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, range (gen, 1958, 2001));
  g_date_add_days (&date, pick (gen, 365));
  format_date (&date, buf);
}

static gboolean
generate_contacts (Gen     *gen,
                   GError **error)
{
  guint n_orgs = gen->orgs->len;

  for (guint i = 0; i < gen->opts->n_contacts; i++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      guint first_index = pick_common (gen, G_N_ELEMENTS (first_names));
      guint last_index = i < G_N_ELEMENTS (showcase_last_names)
                         ? gen->showcase[i]
                         : pick_common (gen, G_N_ELEMENTS (last_names));
      const FirstName *fn = &first_names[first_index];
      gint32 org_index = n_orgs > 0 && chance (gen, 96) ? (gint32) pick (gen, n_orgs) : -1;
      const Org *org = org_index >= 0 ? &g_array_index (gen->orgs, Org, org_index) : NULL;
      const City *city;
      Country country;
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;
      g_autofree char *email = NULL;
      g_autofree char *street = NULL;
      g_autofree char *phone = NULL;
      g_autofree char *id = next_id (gen);
      const Lifecycle *lc = &lifecycles[PICK_WEIGHTED (gen, lifecycles)];
      const JobTitle *job = &job_titles[PICK_WEIGHTED (gen, job_titles)];
      char postal_buf[8];
      const char *postal;
      guint owner;

      if (org != NULL)
        {
          city = &cities[org->city];
          country = city->country;
          postal = org->postal_code;
          owner = org->owner;
        }
      else
        {
          country = pick_country (gen);
          city = &cities[pick_city (gen, country)];
          street = street_address (gen, city);
          postal = pick_postal_code (gen, city, postal_buf);
          owner = pick_owner (gen, region_index (city->region));
        }

      first = local_spelling (fn->name, country);
      last = local_spelling (last_names[last_index], country);

      if (gen->contacts != NULL)
        {
          ContactRef *ref = &gen->contacts[i];

          memcpy (ref->id, id, sizeof ref->id);
          ref->org = org_index;
          ref->first = first_index;
          ref->last = last_index;
        }

      set_string (v, "first_name", first);
      set_string (v, "last_name", last);
      if (org != NULL)
        {
          email = contact_email (gen, first, last, org->domain);
          phone = phone_with_extension (gen, org->phone_base, country, FALSE);
          set_string (v, "organization", org->id);
          set_string (v, "job_title", fn->female ? job->female : job->male);
          set_string (v, "email", email);
          set_string (v, "phone", phone);
          set_string (v, "street", org->street);
        }
      else
        {
          email = person_email (gen, first, last, pick_private_domain (gen, country));
          set_string (v, "job_title", chance (gen, 50) ? (fn->female ? "Freiberuflerin"
                                                                     : "Freiberufler")
                                                       : "Selbstständige Beratung");
          set_string (v, "email", email);
          set_string (v, "street", street);
        }

      if (chance (gen, org != NULL ? 45 : 90))
        {
          g_autofree char *mobile = mobile_number (gen, country);

          set_string (v, "mobile", mobile);
        }
      if (org != NULL && chance (gen, 8))
        {
          g_autofree char *f = slugify (first, '-');
          g_autofree char *l = slugify (last, '-');
          int year = range (gen, 60, 99);
          const char *domain = pick_private_domain (gen, country);
          g_autofree char *private = g_strdup_printf ("%s.%s%d@%s", f, l, year, domain);

          set_string (v, "email_private", private);
        }
      if (chance (gen, 20))
        {
          g_autofree char *f = slugify (first, '-');
          g_autofree char *l = slugify (last, '-');
          g_autofree char *url = g_strdup_printf ("https://www.linkedin.com/in/%s-%s-%06x",
                                                  f, l, pick (gen, 0xffffff));

          set_string (v, "linkedin", url);
        }
      if (country != COUNTRY_CH && chance (gen, 12))
        {
          g_autofree char *f = slugify (first, '_');
          g_autofree char *l = slugify (last, '_');
          g_autofree char *url = NULL;

          f[0] = g_ascii_toupper (f[0]);
          l[0] = g_ascii_toupper (l[0]);
          url = g_strdup_printf ("https://www.xing.com/profile/%s_%s", f, l);
          set_string (v, "xing", url);
        }

      json_object_set_string_member (v, "postal_code", postal);
      set_string (v, "city", city->name);
      set_string (v, "region", city->region);
      set_string (v, "country", countries[country].name);

      if (chance (gen, 25))
        {
          char birthday[16];

          random_birthday (gen, birthday);
          json_object_set_string_member (v, "birthday", birthday);
        }
      set_string (v, "lifecycle", lc->lifecycle);
      json_object_set_int_member (v, "score", range (gen, lc->min_score, lc->max_score));
      if (chance (gen, 30))
        {
          JsonArray *tags = json_array_new ();
          guint a = pick (gen, G_N_ELEMENTS (contact_tags));
          guint b = pick (gen, G_N_ELEMENTS (contact_tags));

          json_array_add_string_element (tags, contact_tags[a]);
          if (b != a && chance (gen, 40))
            json_array_add_string_element (tags, contact_tags[b]);
          json_object_set_array_member (v, "tags", tags);
        }
      set_string (v, "owner", g_array_index (gen->users, User, owner).id);
      if (chance (gen, 8))
        set_string (v, "notes", PICK (gen, contact_notes));

      if (!add_record (gen, "contact", id, v, error))
        return FALSE;
    }

  return TRUE;
}

/* A contact that works for an organization, -1 if there is none. */
static gint32
pick_business_contact (Gen *gen)
{
  if (gen->n_contacts == 0)
    return -1;

  /* 96 % have one: a few tries find one almost surely */
  for (guint tries = 0; tries < 8; tries++)
    {
      guint c = pick (gen, gen->n_contacts);

      if (gen->contacts[c].org >= 0)
        return c;
    }

  return -1;
}

static char *
contact_full_name (Gen   *gen,
                   guint  contact)
{
  const ContactRef *ref = &gen->contacts[contact];
  Country country = ref->org >= 0
                    ? cities[g_array_index (gen->orgs, Org, ref->org).city].country
                    : COUNTRY_DE;
  g_autofree char *name = g_strdup_printf ("%s %s", first_names[ref->first].name,
                                           last_names[ref->last]);

  return local_spelling (name, country);
}

/* ---------------------------------------------------------------------- */
/* Leads                                                                  */

static gint64
deal_size (Gen           *gen,
           const Product *product,
           gboolean       upsell,
           guint         *units)
{
  guint max_units = upsell ? MAX (product->min_units, product->max_units / 3)
                           : product->max_units;
  guint discount = PICK (gen, ((const guint[]) { 0, 0, 5, 10, 10, 15 }));
  gint64 value;

  *units = range (gen, product->min_units, max_units);
  value = (gint64) product->price * *units * (100 - discount);   /* cents */

  return MAX (value / 1000, 1) * 1000;   /* whole 10 EUR */
}

static gboolean
generate_leads (Gen     *gen,
                GError **error)
{
  for (guint i = 0; i < gen->opts->n_leads; i++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      g_autofree char *id = next_id (gen);
      const LeadSource *source = &lead_sources[PICK_WEIGHTED (gen, lead_sources)];
      const LeadStatus *status = &lead_statuses[PICK_WEIGHTED (gen, lead_statuses)];
      const Product *product = &products[PICK_WEIGHTED (gen, products)];
      gint32 contact = -1;
      g_autofree char *company = NULL;
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;
      g_autofree char *email = NULL;
      g_autofree char *phone = NULL;
      g_autofree char *topic = pick_word (gen, source->topics);
      g_autofree char *title = NULL;
      const Org *org = NULL;
      const City *city;
      guint region;
      guint units;
      gint64 value;

      if (g_str_equal (status->status, "converted"))
        contact = pick_business_contact (gen);

      if (contact >= 0)
        {
          const ContactRef *ref = &gen->contacts[contact];

          org = &g_array_index (gen->orgs, Org, ref->org);
          city = &cities[org->city];
          region = org->region;
          company = g_strdup (org->name);
          first = local_spelling (first_names[ref->first].name, city->country);
          last = local_spelling (last_names[ref->last], city->country);
          email = contact_email (gen, first, last, org->domain);
          phone = phone_with_extension (gen, org->phone_base, city->country, FALSE);
        }
      else
        {
          Country country = pick_country (gen);
          const Industry *industry = &industries[PICK_WEIGHTED (gen, industries)];
          const LegalForm *legal;
          g_autofree char *short_name = NULL;
          g_autofree char *slug = NULL;
          g_autofree char *domain = NULL;

          city = &cities[pick_city (gen, country)];
          legal = pick_legal_form (gen, city);
          region = region_index (city->region);
          short_name = company_name (gen, city, industry, legal);
          company = g_strdup_printf ("%s %s", short_name, legal->name);
          first = local_spelling (first_names[pick_common (gen, G_N_ELEMENTS (first_names))].name,
                                  country);
          last = local_spelling (pick_last_name (gen), country);
          slug = slugify (short_name, '-');
          truncate_slug (slug, 36);
          domain = g_strdup_printf ("%s.%s", slug, countries[country].tld);
          email = contact_email (gen, first, last, domain);
          if (chance (gen, 50))
            phone = mobile_number (gen, country);
          else
            {
              g_autofree char *base = phone_base (gen, city);

              phone = phone_with_extension (gen, base, country, FALSE);
            }
        }

      title = g_strdup_printf ("%s: %s", company, topic);
      value = deal_size (gen, product, FALSE, &units);

      set_string (v, "title", title);
      set_string (v, "first_name", first);
      set_string (v, "last_name", last);
      set_string (v, "company", company);
      set_string (v, "email", email);
      set_string (v, "phone", phone);
      set_string (v, "source", source->source);
      set_string (v, "status", status->status);
      json_object_set_int_member (v, "score", range (gen, status->min_score, status->max_score));
      set_string (v, "region", region_names[region]);
      {
        g_autofree char *money = g_strdup_printf ("%" G_GINT64_FORMAT ".00 EUR", value / 100);

        set_string (v, "estimated_value", money);
      }
      if (contact >= 0)
        {
          set_string (v, "contact", gen->contacts[contact].id);
          set_string (v, "organization", org->id);
        }
      set_string (v, "owner",
                  g_array_index (gen->users, User,
                                 org != NULL ? org->owner : pick_owner (gen, region)).id);
      if (chance (gen, 30))
        set_string (v, "notes", PICK (gen, lead_notes));

      if (!add_record (gen, "lead", id, v, error))
        return FALSE;

      if (contact >= 0)
        g_ptr_array_add (gen->converted_leads, g_steal_pointer (&id));
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Deals                                                                  */

static gboolean
generate_deals (Gen     *gen,
                GError **error)
{
  guint n_orgs = gen->orgs->len;

  for (guint i = 0; i < gen->opts->n_deals; i++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      guint p = PICK_WEIGHTED (gen, pipelines);
      const PipelineSpec *pipeline = &pipelines[p];
      guint s = pick_weighted (gen, pipeline->stages, pipeline->n_stages, sizeof (StageSpec));
      const StageSpec *stage = &pipeline->stages[s];
      gboolean won = g_str_equal (stage->outcome, "won");
      gboolean lost = g_str_equal (stage->outcome, "lost");
      const Product *product;
      guint product_index;
      gint32 contact = pick_business_contact (gen);
      gint32 org_index = -1;
      const Org *org = NULL;
      DealRef *ref = &gen->deals[i];
      g_autofree char *id = next_id (gen);
      g_autofree char *title = NULL;
      GDate close;
      GDate engaged;
      gint close_offset;
      char close_buf[16];
      char engaged_buf[16];
      guint units;
      gint64 value;
      guint owner;

      if (contact >= 0)
        org_index = gen->contacts[contact].org;
      else if (n_orgs > 0)
        org_index = pick (gen, n_orgs);
      if (org_index >= 0)
        org = &g_array_index (gen->orgs, Org, org_index);

      /* upsells are licences, support and training, not onboarding */
      do
        product_index = PICK_WEIGHTED (gen, products);
      while (pipeline->existing_customers && g_str_equal (products[product_index].code, "SRV-ONB"));
      product = &products[product_index];
      value = deal_size (gen, product, pipeline->existing_customers, &units);

      if (won || lost)
        close_offset = -range (gen, 1, 240);
      else if (chance (gen, 12))
        close_offset = -range (gen, 1, 20);   /* slipped */
      else
        close_offset = range (gen, 0, 150);
      reference_plus (gen, close_offset, &close);
      engaged = close;
      g_date_subtract_days (&engaged, range (gen, 20, 150));
      if (g_date_compare (&engaged, &gen->reference) > 0)
        reference_plus (gen, -range (gen, 0, 30), &engaged);
      format_date (&close, close_buf);
      format_date (&engaged, engaged_buf);

      owner = org != NULL && chance (gen, 90) ? org->owner
              : pick_owner (gen, org != NULL ? org->region : pick (gen, N_REGIONS));

      {
        const char *who = org != NULL ? org->short_name : "Projekt";
        g_autofree char *what = product->unit != NULL
                                ? g_strdup_printf ("%s (%u %s)", product->name, units,
                                                   product->unit)
                                : g_strdup (product->name);

        if (pipeline->existing_customers)
          title = g_strdup_printf ("%s – %s %s", who,
                                   g_str_equal (product->series, "Support") ? "Verlängerung"
                                                                            : "Erweiterung",
                                   what);
        else
          title = g_strdup_printf ("%s – %s", who, what);
      }

      set_string (v, "title", title);
      set_string (v, "pipeline", gen->pipeline_ids[p]);
      set_string (v, "stage", gen->stage_ids[p][s]);
      set_string (v, "status", stage->outcome);
      set_money (v, "value", value, "EUR");
      json_object_set_int_member (v, "probability", stage->probability);
      json_object_set_string_member (v, "close_date", close_buf);
      json_object_set_string_member (v, "engaged_date", engaged_buf);
      if (org != NULL)
        {
          set_string (v, "organization", org->id);
          set_string (v, "region", region_names[org->region]);
        }
      if (contact >= 0)
        set_string (v, "contact", gen->contacts[contact].id);
      if (!pipeline->existing_customers && gen->converted_leads->len > 0 && chance (gen, 15))
        set_string (v, "lead", g_ptr_array_index (gen->converted_leads,
                                                  pick (gen, gen->converted_leads->len)));
      set_string (v, "product", gen->product_ids[product_index]);
      set_string (v, "owner", g_array_index (gen->users, User, owner).id);
      if (chance (gen, 25))
        set_string (v, "notes", won ? PICK (gen, deal_notes_won)
                                : lost ? PICK (gen, deal_notes_lost)
                                : PICK (gen, deal_notes_open));

      if (!add_record (gen, "deal", id, v, error))
        return FALSE;

      memcpy (ref->id, id, sizeof ref->id);
      ref->contact = contact;
      ref->org = org_index;
      ref->owner = owner;
      ref->closed = won || lost;
      gen->n_deals = i + 1;
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Activities                                                             */

static gboolean
generate_activities (Gen     *gen,
                     GError **error)
{
  static const struct { guint weight; const char *type; } types[] = {
    { 35, "task" }, { 30, "call" }, { 20, "meeting" }, { 15, "note" },
  };

  for (guint i = 0; i < gen->opts->n_activities; i++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      g_autofree char *id = next_id (gen);
      const char *type = types[PICK_WEIGHTED (gen, types)].type;
      const DealRef *deal = NULL;
      gint32 contact = -1;
      const Org *org = NULL;
      g_autofree char *counterpart = NULL;
      g_autofree char *subject = NULL;
      const char *what;
      guint link = pick (gen, 100);
      guint owner;
      gint day;
      GDate date;
      guint minutes = (8 * 60) + 15 * pick (gen, 38);   /* 08:00 to 17:15 */
      char when[32];

      if (link < 45 && gen->n_deals > 0)
        {
          deal = &gen->deals[pick (gen, gen->n_deals)];
          contact = deal->contact;
          if (deal->org >= 0)
            org = &g_array_index (gen->orgs, Org, deal->org);
        }
      else if (link < 90 && gen->n_contacts > 0)
        {
          contact = pick (gen, gen->n_contacts);
          if (gen->contacts[contact].org >= 0)
            org = &g_array_index (gen->orgs, Org, gen->contacts[contact].org);
        }
      else if (gen->orgs->len > 0)
        org = &g_array_index (gen->orgs, Org, pick (gen, gen->orgs->len));

      if (deal != NULL)
        owner = deal->owner;
      else if (org != NULL)
        owner = org->owner;
      else
        owner = pick (gen, gen->users->len);

      if (contact >= 0)
        counterpart = contact_full_name (gen, contact);
      else if (org != NULL)
        counterpart = g_strdup (org->short_name);

      /* closed deals lie in the past; otherwise some overdue, some
       * today, most ahead */
      if (g_str_equal (type, "note") || (deal != NULL && deal->closed))
        day = -range (gen, 0, 120);
      else
        {
          guint when_kind = pick (gen, 100);

          day = when_kind < 40 ? -range (gen, 1, 90) : when_kind < 50 ? 0 : range (gen, 1, 60);
        }
      reference_plus (gen, day, &date);
      format_local_datetime (&date, minutes, when);

      if (g_str_equal (type, "task"))
        what = PICK (gen, task_subjects);
      else if (g_str_equal (type, "call"))
        what = PICK (gen, call_subjects);
      else if (g_str_equal (type, "meeting"))
        what = PICK (gen, meeting_subjects);
      else
        what = PICK (gen, note_subjects);
      subject = counterpart != NULL ? g_strdup_printf ("%s – %s", what, counterpart)
                                    : g_strdup (what);

      set_string (v, "type", type);
      set_string (v, "subject", subject);
      if (g_str_equal (type, "meeting"))
        {
          GDate end_date = date;
          guint end = minutes + PICK (gen, ((const guint[]) { 30, 45, 60, 60, 90, 120 }));
          char end_buf[32];

          format_local_datetime (&end_date, end, end_buf);
          json_object_set_string_member (v, "start", when);
          json_object_set_string_member (v, "end", end_buf);
          if (org != NULL && chance (gen, 60))
            {
              g_autofree char *place = g_strdup_printf ("%s, %s %s", org->street,
                                                        org->postal_code,
                                                        cities[org->city].name);

              set_string (v, "location", place);
            }
          else
            set_string (v, "location", PICK (gen, online_locations));
        }
      else if (g_str_equal (type, "note"))
        json_object_set_string_member (v, "start", when);
      else
        json_object_set_string_member (v, "due", when);

      if (!g_str_equal (type, "note"))
        {
          guint done_percent = day < 0 ? 75 : day == 0 ? 30 : 3;

          json_object_set_boolean_member (v, "done", chance (gen, done_percent));
        }

      if (contact >= 0)
        set_string (v, "contact", gen->contacts[contact].id);
      if (org != NULL)
        set_string (v, "organization", org->id);
      if (deal != NULL)
        set_string (v, "deal", deal->id);
      set_string (v, "owner", g_array_index (gen->users, User, owner).id);
      if (g_str_equal (type, "note") || chance (gen, g_str_equal (type, "meeting") ? 50 : 20))
        set_string (v, "body", PICK (gen, activity_bodies));

      if (!add_record (gen, "activity", id, v, error))
        return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Entry points                                                           */

void
kontor_demo_options_init_default (KontorDemoOptions *opts,
                                  guint              scale)
{
  g_return_if_fail (opts != NULL);

  scale = MAX (scale, 1);
  opts->seed = 1;
  opts->n_organizations = 40 * scale;
  opts->n_contacts = 200 * scale;
  opts->n_leads = 60 * scale;
  opts->n_deals = 120 * scale;
  opts->n_activities = 400 * scale;
}

static gboolean
generate_all (Gen     *gen,
              GError **error)
{
  return generate_sales_team (gen, error) &&
         generate_catalogue (gen, error) &&
         generate_organizations (gen, error) &&
         generate_contacts (gen, error) &&
         generate_leads (gen, error) &&
         generate_deals (gen, error) &&
         generate_activities (gen, error);
}

gboolean
kontor_demo_generate (KontorStore              *store,
                      const KontorDemoOptions  *opts,
                      KontorDemoProgress        progress,
                      gpointer                  user_data,
                      GError                  **error)
{
  g_auto(Gen) gen = { 0 };
  guint32 seed[2];
  guint n_reps;
  guint n_stages = 0;

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (opts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  seed[0] = (guint32) (opts->seed & 0xffffffff);
  seed[1] = (guint32) (opts->seed >> 32);

  gen.store = store;
  gen.opts = opts;
  gen.german_national =
    g_ascii_strcasecmp (kontor_store_get_parse_context (store)->default_region, "DE") == 0;
  gen.rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  gen.clock_ms = ID_CLOCK_BASE_MS;
  g_date_clear (&gen.reference, 1);
  g_date_set_dmy (&gen.reference, REFERENCE_DAY, REFERENCE_MONTH, REFERENCE_YEAR);
  gen.progress = progress;
  gen.user_data = user_data;
  gen.users = g_array_new (FALSE, TRUE, sizeof (User));
  g_array_set_clear_func (gen.users, user_clear);
  for (guint i = 0; i < N_REGIONS; i++)
    gen.region_reps[i] = g_array_new (FALSE, FALSE, sizeof (guint));
  gen.orgs = g_array_sized_new (FALSE, TRUE, sizeof (Org), opts->n_organizations);
  g_array_set_clear_func (gen.orgs, org_clear);
  gen.domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gen.converted_leads = g_ptr_array_new_with_free_func (g_free);
  if (opts->n_leads + opts->n_deals + opts->n_activities > 0)
    {
      gen.contacts = g_new0 (ContactRef, opts->n_contacts);
      gen.n_contacts = opts->n_contacts;
    }
  gen.deals = g_new0 (DealRef, MAX (opts->n_deals, 1));

  for (guint i = 0; i < G_N_ELEMENTS (showcase_last_names); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (last_names); j++)
        if (g_str_equal (last_names[j], showcase_last_names[i]))
          gen.showcase[i] = j;
    }

  n_reps = MAX (3, (opts->n_organizations + 12) / 25);
  for (guint i = 0; i < G_N_ELEMENTS (pipelines); i++)
    n_stages += pipelines[i].n_stages;
  gen.total = N_TEAMS + N_TEAMS + n_reps + G_N_ELEMENTS (products) +
              G_N_ELEMENTS (pipelines) + n_stages + opts->n_organizations +
              opts->n_contacts + opts->n_leads + opts->n_deals + opts->n_activities;

  if (!kontor_store_begin (store, error))
    return FALSE;
  gen.in_transaction = TRUE;

  if (!generate_all (&gen, error))
    {
      if (gen.in_transaction)
        kontor_store_rollback (store);
      return FALSE;
    }

  gen.in_transaction = FALSE;
  if (!kontor_store_commit (store, error))
    return FALSE;

  if (progress != NULL && gen.done % PROGRESS_STEP != 0)
    progress (gen.done, gen.total, user_data);

  return TRUE;
}

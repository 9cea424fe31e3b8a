/* test-duplicates.c: phonetics, duplicate scan and check, merge and undo
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kontor-duplicates.h"
#include "kontor-merge.h"
#include "kontor-phonetic.h"
#include "kontor-store.h"

typedef struct
{
  char        *dir;
  char        *path;
  KontorStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kontor-dup-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "replica.db", NULL);
  f->store = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_clear_object (&f->store);
  d = g_dir_open (f->dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static JsonObject *
obj (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static KontorRecord *
create (KontorStore *store,
        const char  *kind,
        const char  *json)
{
  g_autoptr(JsonObject) values = obj (json);
  g_autoptr(GError) error = NULL;
  KontorRecord *r = kontor_store_create (store, kind, NULL, values, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static KontorRecord *
get (KontorStore *store,
     const char  *id)
{
  g_autoptr(GError) error = NULL;
  KontorRecord *r = kontor_store_get (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static char *
values_json (KontorRecord *record)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, kontor_record_get_values (record));
  return json_to_string (node, FALSE);
}

static void
assert_values (KontorRecord *record,
               const char   *expected_json)
{
  g_autoptr(JsonNode) expected = json_from_string (expected_json, NULL);
  g_autoptr(JsonNode) actual = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (actual, kontor_record_get_values (record));
  if (!json_node_equal (expected, actual))
    {
      g_autofree char *got = json_to_string (actual, FALSE);

      g_error ("%s: expected %s, got %s", kontor_record_get_id (record), expected_json, got);
    }
}

static gboolean
has_reason (const KontorDuplicateCandidate *c,
            const char                     *text)
{
  return c->reasons != NULL && g_strv_contains ((const char * const *) c->reasons, text);
}

static const KontorDuplicateCandidate *
find_pair (GPtrArray  *candidates,
           const char *x,
           const char *y)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      const KontorDuplicateCandidate *c = g_ptr_array_index (candidates, i);

      if ((g_strcmp0 (c->id_a, x) == 0 && g_strcmp0 (c->id_b, y) == 0) ||
          (g_strcmp0 (c->id_a, y) == 0 && g_strcmp0 (c->id_b, x) == 0))
        return c;
    }

  return NULL;
}

/* ---------------------------------------------------------------------- */
/* Phonetics                                                              */

static void
assert_koelner (const char *text,
                const char *code)
{
  g_autofree char *got = kontor_phonetic_koelner (text);

  if (g_strcmp0 (got, code) != 0)
    g_error ("Kölner Phonetik of “%s”: expected %s, got %s", text, code, got);
}

static void
test_koelner (void)
{
  g_autofree char *raw = kontor_phonetic_koelner_raw ("Müller-Lüdenscheidt");

  /* the classic example: the digits by the rules, then collapsed and
   * without the zeros */
  g_assert_cmpstr (raw, ==, "60550750206880022");
  assert_koelner ("Müller-Lüdenscheidt", "65752682");

  assert_koelner ("Meier", "67");
  assert_koelner ("Meyer", "67");
  assert_koelner ("Mayr", "67");
  assert_koelner ("Maier", "67");
  assert_koelner ("Wikipedia", "3412");
  assert_koelner ("Breschnew", "17863");
  assert_koelner ("Müller", "657");
  assert_koelner ("Mueller", "657");
  assert_koelner ("Muller", "657");

  /* C at the start: before A, H, K, L, O, Q, R, U, X a 4, else an 8 */
  assert_koelner ("Celle", "85");
  assert_koelner ("Claus", "458");
  /* C inside: after S or Z an 8; before A, H, K, O, Q, U, X a 4 */
  assert_koelner ("Mischke", "684");
  assert_koelner ("Wachs", "348");
  assert_koelner ("Axel", "0485");
  assert_koelner ("Achsel", "0485");
  /* X: 48, but 8 after C, K, Q */
  assert_koelner ("Fuchs", "348");
  assert_koelner ("Fux", "348");
  assert_koelner ("Xaver", "4837");
  assert_koelner ("Hexe", "048");
  assert_koelner ("Ackx", "048");
  /* D and T: 8 before C, S, Z, else 2 */
  assert_koelner ("Stadt", "822");
  assert_koelner ("Matz", "68");
  /* P: 3 before H */
  assert_koelner ("Philipp", "351");
  /* ß like ss, a leading vowel keeps its 0 */
  assert_koelner ("Straße", "8278");
  assert_koelner ("Strasse", "8278");
  assert_koelner ("Otto", "02");
  assert_koelner ("Schmidt", "862");
  assert_koelner ("Schmitt", "862");
  assert_koelner ("Schneider", "8627");

  assert_koelner ("", "");
  assert_koelner ("123 -", "");
}

static void
test_jaro_winkler (void)
{
  g_assert_cmpfloat_with_epsilon (kontor_phonetic_jaro_winkler ("MARTHA", "MARHTA"), 0.961, 0.001);
  g_assert_cmpfloat_with_epsilon (kontor_phonetic_jaro_winkler ("DWAYNE", "DUANE"), 0.84, 0.001);
  g_assert_cmpfloat_with_epsilon (kontor_phonetic_jaro_winkler ("DIXON", "DICKSONX"), 0.813, 0.001);
  g_assert_cmpfloat (kontor_phonetic_jaro_winkler ("Anna", "ANNA"), ==, 1.0);
  g_assert_cmpfloat (kontor_phonetic_jaro_winkler ("", ""), ==, 1.0);
  g_assert_cmpfloat (kontor_phonetic_jaro_winkler ("abc", ""), ==, 0.0);
  g_assert_cmpfloat (kontor_phonetic_jaro_winkler ("abc", "xyz"), ==, 0.0);
  /* on code points, not bytes: one letter differs */
  g_assert_cmpfloat_with_epsilon (kontor_phonetic_jaro_winkler ("Łódź", "Lodz"), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (kontor_phonetic_jaro_winkler ("Straße", "Strasse"), 1.0, 1e-9);

  /* symmetric */
  g_assert_cmpfloat_with_epsilon (kontor_phonetic_jaro_winkler ("DICKSONX", "DIXON"), 0.813, 0.001);
}

static void
test_name_similarity (void)
{
  double jw = 0;
  gboolean same = FALSE;
  double s;

  s = kontor_phonetic_name_similarity ("Müller", "Mueller", &jw, &same);
  g_assert_cmpfloat (jw, ==, 1.0);
  g_assert_true (same);
  g_assert_cmpfloat (s, ==, 1.0);

  s = kontor_phonetic_name_similarity ("Meier", "Meyer", &jw, &same);
  g_assert_true (same);
  g_assert_cmpfloat (s, >, jw);
  g_assert_cmpfloat (s, >, 0.9);

  s = kontor_phonetic_name_similarity ("Schmidt", "Schneider", &jw, &same);
  g_assert_false (same);
  g_assert_cmpfloat (s, ==, jw);
  g_assert_cmpfloat (s, <, 0.85);

  s = kontor_phonetic_name_similarity ("Müller-Lüdenscheidt", "Mueller Luedenscheidt",
                                       &jw, &same);
  g_assert_true (same);
  g_assert_cmpfloat (s, ==, 1.0);
}

static void
test_normalize_email (void)
{
  struct { const char *in, *out; } cases[] = {
    { "anna@x.de", "anna@x.de" },
    { " ANNA@X.DE ", "anna@x.de" },
    { "Anna.Mueller+crm@googlemail.com", "annamueller@gmail.com" },
    { "a.n.n.a@GMAIL.com", "anna@gmail.com" },
    { "anna.mueller+crm@example.com", "anna.mueller+crm@example.com" },
    { "no-at-sign", NULL },
    { "@x.de", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = kontor_duplicates_normalize_email (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

/* ---------------------------------------------------------------------- */
/* Scan and check                                                         */

static gboolean
record_progress (double   fraction,
                 gpointer user_data)
{
  double *last = user_data;

  /* never backwards */
  g_assert_cmpfloat (fraction, >=, *last);
  *last = fraction;
  return TRUE;
}

static void
test_scan (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(KontorRecord) mueller1 =
    create (f->store, "contact",
            "{\"first_name\":\"Anna\",\"last_name\":\"Müller\",\"email\":\"anna@x.de\"}");
  g_autoptr(KontorRecord) mueller2 =
    create (f->store, "contact",
            "{\"first_name\":\"Anna\",\"last_name\":\"Mueller\",\"email\":\"ANNA@X.DE\"}");
  g_autoptr(KontorRecord) meier =
    create (f->store, "contact",
            "{\"first_name\":\"Hans\",\"last_name\":\"Meier\",\"phone\":\"0711 123456\"}");
  g_autoptr(KontorRecord) meyer =
    create (f->store, "contact",
            "{\"first_name\":\"Hans\",\"last_name\":\"Meyer\",\"mobile\":\"+49 711 123456\"}");
  g_autoptr(KontorRecord) schmidt =
    create (f->store, "contact", "{\"first_name\":\"Klaus\",\"last_name\":\"Schmidt\"}");
  g_autoptr(KontorRecord) schneider =
    create (f->store, "contact", "{\"first_name\":\"Klaus\",\"last_name\":\"Schneider\"}");
  g_autoptr(KontorRecord) other =
    create (f->store, "contact",
            "{\"first_name\":\"Eva\",\"last_name\":\"Wagner\",\"email\":\"eva@y.de\"}");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  const KontorDuplicateCandidate *c;
  double last_fraction = -1;

  g_assert_nonnull (other);

  found = kontor_duplicates_scan (f->store, "contact", KONTOR_DUPLICATES_DEFAULT_THRESHOLD,
                                  NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);

  c = find_pair (found, kontor_record_get_id (mueller1), kontor_record_get_id (mueller2));
  g_assert_nonnull (c);
  g_assert_cmpstr (c->id_a, <, c->id_b);
  g_assert_true (c->flags & KONTOR_DUPLICATE_REASON_SAME_EMAIL);
  g_assert_true (c->flags & KONTOR_DUPLICATE_REASON_SIMILAR_NAME);
  g_assert_true (has_reason (c, "same e-mail anna@x.de"));
  g_assert_true (has_reason (c, "similar name (Jaro-Winkler 1.00, same Kölner Phonetik code)"));
  g_assert_cmpfloat (c->score, >, 0.99);
  g_assert_cmpfloat (c->score, <=, 1.0);

  c = find_pair (found, kontor_record_get_id (meier), kontor_record_get_id (meyer));
  g_assert_nonnull (c);
  g_assert_cmpuint (c->flags, ==,
                    KONTOR_DUPLICATE_REASON_SAME_PHONE | KONTOR_DUPLICATE_REASON_SIMILAR_NAME);
  g_assert_true (has_reason (c, "same phone +49711123456"));
  g_assert_cmpuint (g_strv_length (c->reasons), ==, 2);
  g_assert_true (g_str_has_prefix (c->reasons[1], "similar name (Jaro-Winkler 0.9"));
  g_assert_true (g_str_has_suffix (c->reasons[1], ", same Kölner Phonetik code)"));
  g_assert_cmpfloat (c->score, >, 0.95);

  /* best first */
  g_assert_cmpfloat (((KontorDuplicateCandidate *) found->pdata[0])->score, >=,
                     ((KontorDuplicateCandidate *) found->pdata[1])->score);

  /* Schmidt and Schneider are compared (same first letters) but stay
   * below the threshold */
  g_assert_null (find_pair (found, kontor_record_get_id (schmidt),
                            kontor_record_get_id (schneider)));
  all = kontor_duplicates_scan (f->store, "contact", 0.0, NULL, NULL, &error);
  g_assert_no_error (error);
  c = find_pair (all, kontor_record_get_id (schmidt), kontor_record_get_id (schneider));
  g_assert_nonnull (c);
  g_assert_cmpfloat (c->score, <, KONTOR_DUPLICATES_DEFAULT_THRESHOLD);
  g_assert_null (find_pair (all, kontor_record_get_id (mueller1), kontor_record_get_id (meier)));

  /* progress ends at 1, and returning FALSE cancels */
  {
    g_autoptr(GPtrArray) again = NULL;

    again = kontor_duplicates_scan (f->store, "contact", 0.8, record_progress, &last_fraction,
                                    &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again->len, ==, 2);
    g_assert_cmpfloat (last_fraction, ==, 1.0);
  }
}

static gboolean
cancel_progress (double   fraction,
                 gpointer user_data)
{
  return FALSE;
}

static void
test_scan_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KontorRecord) a = create (f->store, "contact", "{\"last_name\":\"Kurz\"}");
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (a);
  none = kontor_duplicates_scan (f->store, "contact", 0.8, cancel_progress, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (none);
  g_clear_error (&error);

  none = kontor_duplicates_scan (f->store, "deal", 0.8, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (none);
}

static void
test_scan_organizations (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KontorRecord) a =
    create (f->store, "organization",
            "{\"name\":\"Bäckerei Müller GmbH\","
            "\"website\":\"https://www.baeckerei-mueller.de/\"}");
  g_autoptr(KontorRecord) b =
    create (f->store, "organization",
            "{\"name\":\"Baeckerei Mueller GmbH & Co. KG\",\"website\":\"baeckerei-mueller.de\"}");
  g_autoptr(KontorRecord) c =
    create (f->store, "organization", "{\"name\":\"Bäckerei Schulz AG\"}");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const KontorDuplicateCandidate *pair;

  g_assert_nonnull (c);
  found = kontor_duplicates_scan (f->store, "organization", 0.8, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  pair = find_pair (found, kontor_record_get_id (a), kontor_record_get_id (b));
  g_assert_nonnull (pair);
  g_assert_true (has_reason (pair, "same website baeckerei-mueller.de"));
  g_assert_true (pair->flags & KONTOR_DUPLICATE_REASON_SIMILAR_NAME);
}

/* More records with one key than a block holds: the block is split and
 * then compared as a sorted neighbourhood, and still every pair comes out
 * once. */
static void
test_scan_big_blocks (Fixture       *f,
                      gconstpointer  data)
{
  static const char *syllables[] = { "ra", "mo", "ki", "tu", "le", "ba", "so", "ni" };
  g_autoptr(KontorRecord) p1 = NULL;
  g_autoptr(KontorRecord) p2 = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  const KontorDuplicateCandidate *c;

  g_assert_true (kontor_store_begin (f->store, &error));
  for (guint i = 0; i < 240; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"first_name\":\"P%s%s%s\","
                                               "\"last_name\":\"Schmidt\"}",
                                               syllables[i % 8], syllables[(i / 8) % 8],
                                               syllables[(i / 64) % 8]);
      g_autoptr(KontorRecord) r = create (f->store, "contact", json);

      g_assert_nonnull (r);
    }
  p1 = create (f->store, "contact", "{\"first_name\":\"Peter\",\"last_name\":\"Schmidt\","
                                    "\"email\":\"peter@schmidt.de\"}");
  p2 = create (f->store, "contact", "{\"first_name\":\"Peter\",\"last_name\":\"Schmidt\","
                                    "\"email\":\"Peter@Schmidt.de\"}");
  g_assert_true (kontor_store_commit (f->store, &error));

  found = kontor_duplicates_scan (f->store, "contact", 0.0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 1000);

  for (guint i = 0; i < found->len; i++)
    {
      const KontorDuplicateCandidate *d = g_ptr_array_index (found, i);
      char *key = g_strconcat (d->id_a, "+", d->id_b, NULL);

      g_assert_cmpstr (d->id_a, <, d->id_b);
      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_add (seen, key);
    }

  c = find_pair (found, kontor_record_get_id (p1), kontor_record_get_id (p2));
  g_assert_nonnull (c);
  g_assert_true (has_reason (c, "same e-mail peter@schmidt.de"));
  g_assert_true (c == g_ptr_array_index (found, 0));
}

static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(KontorRecord) mueller =
    create (f->store, "contact",
            "{\"first_name\":\"Anna\",\"last_name\":\"Müller\",\"email\":\"anna@x.de\"}");
  g_autoptr(KontorRecord) org = create (f->store, "organization", "{\"name\":\"Kontor AG\"}");
  g_autofree char *meier_json =
    g_strdup_printf ("{\"first_name\":\"Hans\",\"last_name\":\"Meier\",\"phone\":\"0711 123456\","
                     "\"organization\":\"%s\"}", kontor_record_get_id (org));
  g_autoptr(KontorRecord) meier = create (f->store, "contact", meier_json);
  g_autoptr(KontorRecord) wagner =
    create (f->store, "contact", "{\"first_name\":\"Eva\",\"last_name\":\"Wagner\"}");
  g_autofree char *v3_json =
    g_strdup_printf ("{\"first_name\":\"Hans\",\"last_name\":\"Meyer\",\"organization\":\"%s\"}",
                     kontor_record_get_id (org));
  g_autofree char *v5_json =
    g_strdup_printf ("{\"first_name\":\"Hans\",\"last_name\":\"Mayr\",\"organization\":\"%s\"}",
                     kontor_record_get_id (org));
  g_autoptr(JsonObject) v1 = obj ("{\"first_name\":\"Anna\",\"last_name\":\"Mueller\","
                                  "\"email\":\"ANNA@X.DE\"}");
  g_autoptr(JsonObject) v2 = obj ("{\"first_name\":\"Hans\",\"last_name\":\"Meyer\","
                                  "\"mobile\":\"+49 (0)711 / 12 34 56\"}");
  g_autoptr(JsonObject) v3 = obj (v3_json);
  g_autoptr(JsonObject) v5 = obj (v5_json);
  g_autoptr(JsonObject) v6 = obj ("{\"first_name\":\"Hans\",\"last_name\":\"Meyer\"}");
  g_autoptr(JsonObject) v4 = obj ("{\"first_name\":\"Otto\",\"last_name\":\"Normal\","
                                  "\"email\":\"not an address\"}");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  KontorDuplicateCandidate *c;

  g_assert_nonnull (wagner);

  found = kontor_duplicates_check (f->store, "contact", NULL, v1, 0.8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  c = g_ptr_array_index (found, 0);
  g_assert_null (c->id_a);
  g_assert_cmpstr (c->id_b, ==, kontor_record_get_id (mueller));
  g_assert_true (has_reason (c, "same e-mail anna@x.de"));
  g_clear_pointer (&found, g_ptr_array_unref);

  found = kontor_duplicates_check (f->store, "contact", NULL, v2, 0.8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  c = g_ptr_array_index (found, 0);
  g_assert_cmpstr (c->id_b, ==, kontor_record_get_id (meier));
  g_assert_true (has_reason (c, "same phone +49711123456"));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* a phonetic variant among the colleagues of the same organization */
  found = kontor_duplicates_check (f->store, "contact", NULL, v3, 0.8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  c = g_ptr_array_index (found, 0);
  g_assert_cmpstr (c->id_b, ==, kontor_record_get_id (meier));
  g_assert_cmpuint (c->flags, ==,
                    KONTOR_DUPLICATE_REASON_SIMILAR_NAME |
                    KONTOR_DUPLICATE_REASON_SAME_ORGANIZATION);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* weaker: the same code, but little else alike */
  found = kontor_duplicates_check (f->store, "contact", NULL, v5, 0.8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kontor_duplicates_check (f->store, "contact", NULL, v5, 0.5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* the same name alone, spelt differently, is not enough */
  found = kontor_duplicates_check (f->store, "contact", NULL, v6, 0.8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* a stored record is not its own duplicate */
  {
    g_autoptr(JsonObject) own = json_object_ref (kontor_record_get_values (meier));

    found = kontor_duplicates_check (f->store, "contact", kontor_record_get_id (meier), own,
                                     0.8, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
    g_clear_pointer (&found, g_ptr_array_unref);
  }

  /* values that do not parse are ignored, not errors */
  found = kontor_duplicates_check (f->store, "contact", NULL, v4, 0.8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

/* ---------------------------------------------------------------------- */
/* Merge                                                                  */

typedef struct
{
  KontorRecord *a;
  KontorRecord *b;
  GPtrArray    *linked;      /* activities and deals, KontorRecord */
  GPtrArray    *owners;      /* the contact id each pointed at */
  GPtrArray    *snapshots;   /* the values of each, JSON */
  char         *a_json;
  char         *b_json;
} MergeSet;

static void
merge_set_clear (MergeSet *m)
{
  g_clear_object (&m->a);
  g_clear_object (&m->b);
  g_clear_pointer (&m->linked, g_ptr_array_unref);
  g_clear_pointer (&m->owners, g_ptr_array_unref);
  g_clear_pointer (&m->snapshots, g_ptr_array_unref);
  g_clear_pointer (&m->a_json, g_free);
  g_clear_pointer (&m->b_json, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MergeSet, merge_set_clear)

static void
merge_set_init (MergeSet    *m,
                KontorStore *store)
{
  g_autoptr(KontorRecord) org = create (store, "organization", "{\"name\":\"Kontor AG\"}");
  g_autoptr(KontorRecord) pipeline = create (store, "pipeline", "{\"name\":\"Vertrieb\"}");
  g_autoptr(KontorRecord) stage = NULL;
  g_autofree char *stage_json = NULL;
  g_autofree char *b_json = NULL;

  stage_json = g_strdup_printf ("{\"name\":\"Angebot\",\"pipeline\":\"%s\"}",
                                kontor_record_get_id (pipeline));
  stage = create (store, "stage", stage_json);

  m->a = create (store, "contact",
                 "{\"first_name\":\"Anna\",\"last_name\":\"Müller\",\"email\":\"anna@x.de\","
                 "\"phone\":\"0711 123456\",\"city\":\"Stuttgart\",\"tags\":[\"vip\"]}");
  b_json = g_strdup_printf ("{\"first_name\":\"Anna\",\"last_name\":\"Mueller\","
                            "\"email\":\"ANNA@X.DE\",\"mobile\":\"0171 2345678\","
                            "\"job_title\":\"Einkauf\",\"city\":\"Esslingen\","
                            "\"tags\":[\"newsletter\",\"vip\"],\"organization\":\"%s\","
                            "\"notes\":\"kam über die Messe\"}",
                            kontor_record_get_id (org));
  m->b = create (store, "contact", b_json);

  m->linked = g_ptr_array_new_with_free_func (g_object_unref);
  m->owners = g_ptr_array_new_with_free_func (g_free);

  for (guint side = 0; side < 2; side++)
    {
      const char *owner = kontor_record_get_id (side == 0 ? m->a : m->b);

      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *json =
            g_strdup_printf ("{\"type\":\"%s\",\"subject\":\"Termin %u.%u\",\"contact\":\"%s\"}",
                             i == 2 ? "note" : "call", side, i, owner);

          g_ptr_array_add (m->linked, create (store, "activity", json));
          g_ptr_array_add (m->owners, g_strdup (owner));
        }
      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *json =
            g_strdup_printf ("{\"title\":\"Auftrag %u.%u\",\"pipeline\":\"%s\",\"stage\":\"%s\","
                             "\"contact\":\"%s\",\"value\":\"1.234,50 €\"}",
                             side, i, kontor_record_get_id (pipeline),
                             kontor_record_get_id (stage), owner);

          g_ptr_array_add (m->linked, create (store, "deal", json));
          g_ptr_array_add (m->owners, g_strdup (owner));
        }
    }

  m->snapshots = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < m->linked->len; i++)
    g_ptr_array_add (m->snapshots, values_json (g_ptr_array_index (m->linked, i)));

  m->a_json = values_json (m->a);
  m->b_json = values_json (m->b);
}

static guint
count_kind (GPtrArray  *records,
            const char *kind)
{
  guint n = 0;

  for (guint i = 0; i < records->len; i++)
    if (g_str_equal (kontor_record_get_kind (g_ptr_array_index (records, i)), kind))
      n++;

  return n;
}

static guint
count_query (KontorStore *store,
             const char  *kind,
             const char  *contact_id)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const char *values[] = { contact_id, NULL };

  kontor_query_add_condition (query, "contact", KONTOR_QUERY_EQ, values);
  rows = kontor_store_query (store, query, 0, 0, &error);
  g_assert_no_error (error);

  return rows->len;
}

static void
assert_links_original (KontorStore *store,
                       MergeSet    *m)
{
  for (guint i = 0; i < m->linked->len; i++)
    {
      g_autoptr(KontorRecord) now = get (store,
                                         kontor_record_get_id (g_ptr_array_index (m->linked, i)));

      g_assert_cmpstr (kontor_record_get_string (now, "contact"), ==,
                       g_ptr_array_index (m->owners, i));
      assert_values (now, g_ptr_array_index (m->snapshots, i));
    }
}

static void
test_merge_undo (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(MergeSet) m = { 0 };
  g_autoptr(KontorMergeResult) result = NULL;
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(KontorRecord) b = NULL;
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  const char *a_id, *b_id;

  merge_set_init (&m, f->store);
  a_id = kontor_record_get_id (m.a);
  b_id = kontor_record_get_id (m.b);

  g_assert_true (kontor_merge_records (f->store, a_id, b_id, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpstr (result->survivor_id, ==, a_id);
  g_assert_cmpstr (result->merged_id, ==, b_id);
  g_assert_cmpuint (result->n_moved_links, ==, 5);

  /* every activity and deal of both is the survivor's now */
  linked = kontor_store_list_linked (f->store, a_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (linked, "activity"), ==, 6);
  g_assert_cmpuint (count_kind (linked, "deal"), ==, 4);
  g_assert_cmpuint (count_kind (linked, KONTOR_KIND_MERGE_HISTORY), ==, 1);
  g_assert_cmpuint (count_query (f->store, "activity", a_id), ==, 6);
  g_assert_cmpuint (count_query (f->store, "deal", a_id), ==, 4);
  g_assert_cmpuint (count_query (f->store, "activity", b_id), ==, 0);
  g_assert_cmpuint (count_query (f->store, "deal", b_id), ==, 0);

  /* the other is a tombstone; the survivor kept its values and gained the
   * other's where it had none, tags joined */
  b = get (f->store, b_id);
  g_assert_true (kontor_record_get_deleted (b));
  a = get (f->store, a_id);
  g_assert_false (kontor_record_get_deleted (a));
  g_assert_cmpstr (kontor_record_get_string (a, "last_name"), ==, "Müller");
  g_assert_cmpstr (kontor_record_get_string (a, "city"), ==, "Stuttgart");
  g_assert_cmpstr (kontor_record_get_string (a, "job_title"), ==, "Einkauf");
  g_assert_cmpstr (kontor_record_get_string (a, "mobile"), ==, "+491712345678");
  g_assert_cmpstr (kontor_record_get_string (a, "notes"), ==, "kam über die Messe");
  g_assert_nonnull (kontor_record_get_string (a, "organization"));
  {
    JsonArray *tags = json_node_get_array (kontor_record_get_value (a, "tags"));

    g_assert_cmpuint (json_array_get_length (tags), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "vip");
    g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "newsletter");
  }

  history = kontor_merge_list_history (f->store, a_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (kontor_record_get_id (g_ptr_array_index (history, 0)), ==, result->history_id);
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (history, 0), "merged"), ==, b_id);

  /* undo: both exactly as before, every link back where it was */
  g_assert_true (kontor_merge_undo (f->store, result->history_id, &error));
  g_assert_no_error (error);

  g_clear_object (&a);
  g_clear_object (&b);
  a = get (f->store, a_id);
  b = get (f->store, b_id);
  g_assert_false (kontor_record_get_deleted (a));
  g_assert_false (kontor_record_get_deleted (b));
  assert_values (a, m.a_json);
  assert_values (b, m.b_json);
  assert_links_original (f->store, &m);
  g_assert_cmpuint (count_query (f->store, "activity", a_id), ==, 3);
  g_assert_cmpuint (count_query (f->store, "deal", a_id), ==, 2);
  g_assert_cmpuint (count_query (f->store, "activity", b_id), ==, 3);
  g_assert_cmpuint (count_query (f->store, "deal", b_id), ==, 2);

  /* the history stays, marked undone; a second undo is refused */
  {
    g_autoptr(KontorRecord) entry = get (f->store, result->history_id);

    g_assert_false (kontor_record_get_deleted (entry));
    g_assert_true (json_node_get_boolean (kontor_record_get_value (entry, "undone")));
  }
  g_assert_false (kontor_merge_undo (f->store, result->history_id, &error));
  g_assert_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_ALREADY_UNDONE);
  g_clear_error (&error);

  /* undo of something else */
  g_assert_false (kontor_merge_undo (f->store, a_id, &error));
  g_assert_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_NOT_A_MERGE);
}

static void
test_merge_chosen (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(MergeSet) m = { 0 };
  g_autoptr(KontorMergeResult) result = NULL;
  g_autoptr(KontorRecord) a = NULL;
  JsonArray *tags;
  g_autoptr(JsonObject) chosen = obj ("{\"last_name\":\"Mueller\",\"city\":\"Esslingen\","
                                      "\"phone\":null,\"tags\":[\"vip\"]}");
  g_autoptr(GError) error = NULL;

  merge_set_init (&m, f->store);

  /* the other way round works as well: b survives */
  g_assert_true (kontor_merge_records (f->store, kontor_record_get_id (m.b),
                                       kontor_record_get_id (m.a), chosen, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_moved_links, ==, 5);
  g_assert_true (g_strv_contains ((const char * const *) result->changed_fields, "tags"));

  a = get (f->store, kontor_record_get_id (m.b));
  g_assert_cmpstr (kontor_record_get_string (a, "last_name"), ==, "Mueller");
  g_assert_cmpstr (kontor_record_get_string (a, "city"), ==, "Esslingen");
  g_assert_null (kontor_record_get_string (a, "phone"));
  g_assert_cmpstr (kontor_record_get_string (a, "mobile"), ==, "+491712345678");
  tags = json_node_get_array (kontor_record_get_value (a, "tags"));
  g_assert_cmpuint (json_array_get_length (tags), ==, 1);
  g_assert_cmpuint (count_query (f->store, "activity", kontor_record_get_id (m.b)), ==, 6);

  g_assert_true (kontor_merge_undo (f->store, result->history_id, &error));
  g_assert_no_error (error);
  g_clear_object (&a);
  a = get (f->store, kontor_record_get_id (m.a));
  assert_values (a, m.a_json);
  {
    g_autoptr(KontorRecord) b = get (f->store, kontor_record_get_id (m.b));

    assert_values (b, m.b_json);
  }
  assert_links_original (f->store, &m);
}

/* One transaction: a merge that fails half way leaves nothing behind. */
static void
test_merge_atomic (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(MergeSet) m = { 0 };
  g_autoptr(KontorMergeResult) result = NULL;
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(KontorRecord) b = NULL;
  g_autoptr(JsonObject) bad = obj ("{\"email\":\"not an address\"}");
  g_autoptr(JsonObject) unknown = obj ("{\"shoe_size\":42}");
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  guint outbox;

  merge_set_init (&m, f->store);
  outbox = kontor_store_outbox_count (f->store);

  g_assert_false (kontor_merge_records (f->store, kontor_record_get_id (m.a),
                                        kontor_record_get_id (m.b), bad, &result, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_null (result);
  g_clear_error (&error);

  g_assert_false (kontor_merge_records (f->store, kontor_record_get_id (m.a),
                                        kontor_record_get_id (m.b), unknown, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, outbox);
  a = get (f->store, kontor_record_get_id (m.a));
  b = get (f->store, kontor_record_get_id (m.b));
  g_assert_false (kontor_record_get_deleted (b));
  assert_values (a, m.a_json);
  assert_values (b, m.b_json);
  assert_links_original (f->store, &m);
  history = kontor_merge_list_history (f->store, kontor_record_get_id (m.a), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);

  g_assert_false (kontor_merge_records (f->store, kontor_record_get_id (m.a),
                                        kontor_record_get_id (m.a), NULL, NULL, &error));
  g_assert_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_SAME_RECORD);
  g_clear_error (&error);

  g_assert_false (kontor_merge_records (f->store, kontor_record_get_id (m.a),
                                        kontor_record_get_id (g_ptr_array_index (m.linked, 0)),
                                        NULL, NULL, &error));
  g_assert_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_KIND_MISMATCH);
}

/* Merged again into a third record: the first merge cannot be undone
 * until the second is. */
static void
test_merge_chain (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(MergeSet) m = { 0 };
  g_autoptr(KontorRecord) c = NULL;
  g_autoptr(KontorMergeResult) first = NULL;
  g_autoptr(KontorMergeResult) second = NULL;
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(GError) error = NULL;
  const char *a_id, *b_id;

  merge_set_init (&m, f->store);
  a_id = kontor_record_get_id (m.a);
  b_id = kontor_record_get_id (m.b);
  c = create (f->store, "contact", "{\"first_name\":\"A.\",\"last_name\":\"Müller\"}");

  g_assert_true (kontor_merge_records (f->store, a_id, b_id, NULL, &first, &error));
  g_assert_no_error (error);
  g_assert_true (kontor_merge_records (f->store, kontor_record_get_id (c), a_id, NULL, &second,
                                       &error));
  g_assert_no_error (error);
  /* the first history entry still names its own survivor */
  g_assert_cmpuint (second->n_moved_links, ==, 10);
  g_assert_cmpuint (count_query (f->store, "activity", kontor_record_get_id (c)), ==, 6);

  g_assert_false (kontor_merge_undo (f->store, first->history_id, &error));
  g_assert_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_SURVIVOR_GONE);
  g_clear_error (&error);

  g_assert_true (kontor_merge_undo (f->store, second->history_id, &error));
  g_assert_no_error (error);
  g_assert_true (kontor_merge_undo (f->store, first->history_id, &error));
  g_assert_no_error (error);

  a = get (f->store, a_id);
  assert_values (a, m.a_json);
  assert_links_original (f->store, &m);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/insights/phonetic/koelner", test_koelner);
  g_test_add_func ("/insights/phonetic/jaro-winkler", test_jaro_winkler);
  g_test_add_func ("/insights/phonetic/name-similarity", test_name_similarity);
  g_test_add_func ("/insights/duplicates/normalize-email", test_normalize_email);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/insights/duplicates/scan", test_scan);
  ADD ("/insights/duplicates/scan-errors", test_scan_errors);
  ADD ("/insights/duplicates/scan-organizations", test_scan_organizations);
  ADD ("/insights/duplicates/scan-big-blocks", test_scan_big_blocks);
  ADD ("/insights/duplicates/check", test_check);
  ADD ("/insights/merge/merge-undo", test_merge_undo);
  ADD ("/insights/merge/chosen-values", test_merge_chosen);
  ADD ("/insights/merge/atomic", test_merge_atomic);
  ADD ("/insights/merge/chain", test_merge_chain);
#undef ADD

  return g_test_run ();
}

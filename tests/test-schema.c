/* test-schema.c: kinds, fields, validation, folding and ids
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kontor-fold.h"
#include "kontor-schema.h"
#include "kontor-uuid.h"

static const KontorParseContext de_ctx = { "DE", "EUR" };

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static const char *
problem_for (GPtrArray  *problems,
             const char *field)
{
  for (guint i = 0; problems && i < problems->len; i++)
    {
      KontorFieldProblem *p = g_ptr_array_index (problems, i);

      if (g_str_equal (p->field, field))
        return p->message;
    }
  return NULL;
}

static void
test_builtin_kinds (void)
{
  g_autoptr(KontorSchema) schema = kontor_schema_new ();
  static const char * const kinds[] = {
    "organization", "contact", "lead", "deal", "pipeline", "stage", "activity",
    "product", "user", "team", "custom_field", NULL
  };
  KontorKind *contact;
  KontorField *f;

  for (guint i = 0; kinds[i]; i++)
    g_assert_nonnull (kontor_schema_get_kind (schema, kinds[i]));
  g_assert_null (kontor_schema_get_kind (schema, "spaceship"));

  contact = kontor_schema_get_kind (schema, "contact");
  f = kontor_kind_get_field (contact, "last_name");
  g_assert_nonnull (f);
  g_assert_true (kontor_field_has_flag (f, KONTOR_FIELD_FLAG_REQUIRED));
  f = kontor_kind_get_field (contact, "organization");
  g_assert_cmpint (kontor_field_get_field_type (f), ==, KONTOR_FIELD_REFERENCE);
  g_assert_cmpstr (kontor_field_get_ref_kinds (f)[0], ==, "organization");

  f = kontor_kind_get_field (kontor_schema_get_kind (schema, "activity"), "type");
  g_assert_true (g_strv_contains (kontor_field_get_choices (f), "meeting"));
  g_assert_true (g_strv_contains (kontor_field_get_choices (f), "call"));
  g_assert_true (g_strv_contains (kontor_field_get_choices (f), "task"));
  g_assert_true (g_strv_contains (kontor_field_get_choices (f), "note"));

  f = kontor_kind_get_field (kontor_schema_get_kind (schema, "deal"), "value");
  g_assert_cmpint (kontor_field_get_field_type (f), ==, KONTOR_FIELD_MONEY);
}

static void
test_validate_contact (void)
{
  g_autoptr(KontorSchema) schema = kontor_schema_new ();
  KontorKind *contact = kontor_schema_get_kind (schema, "contact");
  g_autoptr(JsonObject) ok = object_from ("{\"first_name\":\" Jürgen \",\"last_name\":\"Weiß\","
                                          "\"email\":\"J.Weiss@Beispiel.DE\","
                                          "\"phone\":\"0711 / 123 45-6\","
                                          "\"birthday\":\"1970-02-28\",\"score\":\"42\","
                                          "\"lifecycle\":\"Customer\"}");
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *title = NULL;

  g_assert_true (kontor_kind_validate (contact, ok, FALSE, &de_ctx, NULL, NULL, &problems));
  g_assert_null (problems);
  g_assert_cmpstr (json_object_get_string_member (ok, "first_name"), ==, "Jürgen");
  g_assert_cmpstr (json_object_get_string_member (ok, "email"), ==, "J.Weiss@beispiel.de");
  g_assert_cmpstr (json_object_get_string_member (ok, "phone"), ==, "+49711123456");
  g_assert_cmpint (json_object_get_int_member (ok, "score"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (ok, "lifecycle"), ==, "customer");

  title = kontor_kind_format_title (contact, ok);
  g_assert_cmpstr (title, ==, "Jürgen Weiß");
}

static void
test_validate_problems (void)
{
  g_autoptr(KontorSchema) schema = kontor_schema_new ();
  KontorKind *contact = kontor_schema_get_kind (schema, "contact");
  g_autoptr(JsonObject) bad = object_from ("{\"email\":\"anna@@example\",\"phone\":\"call me\","
                                           "\"birthday\":\"31.02.1970\",\"score\":\"1.2.3\","
                                           "\"shoe_size\":\"44\",\"lifecycle\":\"vip\","
                                           "\"organization\":\"not-an-id\"}");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (kontor_kind_validate (contact, bad, FALSE, &de_ctx, NULL, NULL, &problems));
  g_assert_nonnull (problems);
  g_assert_nonnull (problem_for (problems, "email"));
  g_assert_nonnull (problem_for (problems, "phone"));
  g_assert_nonnull (problem_for (problems, "birthday"));
  g_assert_nonnull (problem_for (problems, "score"));
  g_assert_nonnull (problem_for (problems, "lifecycle"));
  g_assert_nonnull (problem_for (problems, "organization"));
  g_assert_cmpstr (problem_for (problems, "shoe_size"), ==, "unknown field of a contact");
  g_assert_cmpstr (problem_for (problems, "last_name"), ==, "is required");
  g_assert_cmpuint (problems->len, ==, 8);

  kontor_field_problems_to_error (problems, &error);
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "email: "));
  g_assert_nonnull (strstr (error->message, "last_name: is required"));
}

static char *
resolve (const char *id,
         gpointer    data)
{
  /* one known organization, one known contact */
  if (g_str_equal (id, "0190a0b0-0000-7000-8000-000000000001"))
    return g_strdup ("organization");
  if (g_str_equal (id, "0190a0b0-0000-7000-8000-000000000002"))
    return g_strdup ("contact");
  return NULL;
}

static void
test_validate_references (void)
{
  g_autoptr(KontorSchema) schema = kontor_schema_new ();
  KontorKind *contact = kontor_schema_get_kind (schema, "contact");
  g_autoptr(JsonObject) good = object_from ("{\"last_name\":\"Meier\",\"organization\":"
                                            "\"0190A0B0-0000-7000-8000-000000000001\"}");
  g_autoptr(JsonObject) wrong = object_from ("{\"last_name\":\"Meier\",\"organization\":"
                                             "\"0190a0b0-0000-7000-8000-000000000002\"}");
  g_autoptr(JsonObject) missing = object_from ("{\"last_name\":\"Meier\",\"organization\":"
                                               "\"0190a0b0-0000-7000-8000-000000000009\"}");
  g_autoptr(GPtrArray) p1 = NULL;
  g_autoptr(GPtrArray) p2 = NULL;
  g_autoptr(GPtrArray) p3 = NULL;

  g_assert_true (kontor_kind_validate (contact, good, FALSE, &de_ctx, resolve, NULL, &p1));
  g_assert_cmpstr (json_object_get_string_member (good, "organization"), ==,
                   "0190a0b0-0000-7000-8000-000000000001");

  g_assert_false (kontor_kind_validate (contact, wrong, FALSE, &de_ctx, resolve, NULL, &p2));
  g_assert_cmpstr (problem_for (p2, "organization"), ==, "refers to a contact, expected organization");

  g_assert_false (kontor_kind_validate (contact, missing, FALSE, &de_ctx, resolve, NULL, &p3));
  g_assert_cmpstr (problem_for (p3, "organization"), ==,
                   "no record with id 0190a0b0-0000-7000-8000-000000000009");
}

static void
test_partial_update (void)
{
  g_autoptr(KontorSchema) schema = kontor_schema_new ();
  KontorKind *contact = kontor_schema_get_kind (schema, "contact");
  g_autoptr(JsonObject) change = object_from ("{\"city\":\"München\"}");
  g_autoptr(JsonObject) clear_required = object_from ("{\"last_name\":null}");
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_true (kontor_kind_validate (contact, change, TRUE, &de_ctx, NULL, NULL, NULL));
  g_assert_false (kontor_kind_validate (contact, clear_required, TRUE, &de_ctx, NULL, NULL,
                                        &problems));
  g_assert_cmpstr (problem_for (problems, "last_name"), ==, "is required");
}

/* One-line texts end at 1,000 characters, long texts at 200,000: a
 * 100,000-character name is refused with its length, not stored. */
static void
test_text_lengths (void)
{
  g_autoptr(KontorSchema) schema = kontor_schema_new ();
  KontorKind *contact = kontor_schema_get_kind (schema, "contact");
  KontorField *last_name = kontor_kind_get_field (contact, "last_name");
  KontorField *notes = kontor_kind_get_field (contact, "notes");
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = g_strnfill (KONTOR_FIELD_TEXT_MAX_CHARS - 1, 'x');
  g_autofree char *umlauts = NULL;
  g_autofree char *huge = g_strnfill (100000, 'x');
  g_autofree char *huger = g_strnfill (KONTOR_FIELD_LONG_TEXT_MAX_CHARS + 1, 'y');
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) u = g_string_new (NULL);

  node = kontor_field_parse_text (last_name, ok, &de_ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (json_node_get_string (node)), ==, KONTOR_FIELD_TEXT_MAX_CHARS - 1);
  g_clear_pointer (&node, json_node_unref);

  /* counted in characters, not bytes: 1,000 "ü" are 2,000 bytes and fit */
  for (guint i = 0; i < KONTOR_FIELD_TEXT_MAX_CHARS; i++)
    g_string_append (u, "ü");
  umlauts = g_string_free (g_steal_pointer (&u), FALSE);
  node = kontor_field_parse_text (last_name, umlauts, &de_ctx, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);

  g_assert_null (kontor_field_parse_text (last_name, huge, &de_ctx, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "100000"));
  g_clear_error (&error);

  /* a long note is fine, a text beyond 200,000 characters is not */
  node = kontor_field_parse_text (notes, huge, &de_ctx, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  g_assert_null (kontor_field_parse_text (notes, huger, &de_ctx, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
}

static void
test_field_values (void)
{
  g_autoptr(KontorSchema) schema = kontor_schema_new ();
  KontorKind *deal = kontor_schema_get_kind (schema, "deal");
  KontorField *value = kontor_kind_get_field (deal, "value");
  KontorField *close = kontor_kind_get_field (deal, "close_date");
  g_autoptr(JsonNode) money = NULL;
  g_autoptr(JsonNode) money_obj = NULL;
  g_autoptr(JsonNode) bad_obj = NULL;
  g_autoptr(JsonNode) date = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  money = kontor_field_parse_text (value, "12.500,00 €", &de_ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (money), "minor"), ==, 1250000);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (money), "currency"), ==, "EUR");
  text = kontor_field_format (value, money);
  g_assert_cmpstr (text, ==, "12500.00 EUR");

  money_obj = json_from_string ("{\"minor\": 999, \"currency\": \"chf\"}", NULL);
  {
    g_autoptr(JsonNode) n = kontor_field_normalize (value, money_obj, &de_ctx, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (n), "currency"), ==, "CHF");
  }

  bad_obj = json_from_string ("{\"minor\": 1.5, \"currency\": \"EUR\"}", NULL);
  g_assert_null (kontor_field_normalize (value, bad_obj, &de_ctx, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_clear_error (&error);

  date = kontor_field_parse_text (close, "2026-12-31", &de_ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (date), ==, "2026-12-31");
  g_assert_null (kontor_field_parse_text (close, "12/31/2026", &de_ctx, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
}

static void
test_custom_fields (void)
{
  g_autoptr(KontorSchema) schema = kontor_schema_new ();
  g_autoptr(JsonObject) def = object_from ("{\"kind\":\"contact\",\"name\":\"shoe_size\","
                                           "\"label\":\"Shoe size\",\"type\":\"integer\"}");
  g_autoptr(JsonObject) redef = object_from ("{\"kind\":\"contact\",\"name\":\"shoe_size\","
                                             "\"label\":\"Schuhgröße\",\"type\":\"decimal\"}");
  g_autoptr(JsonObject) clash = object_from ("{\"kind\":\"contact\",\"name\":\"email\","
                                             "\"label\":\"x\",\"type\":\"text\"}");
  g_autoptr(JsonObject) bad_name = object_from ("{\"kind\":\"contact\",\"name\":\"Shoe Size\","
                                                "\"label\":\"x\",\"type\":\"text\"}");
  g_autoptr(JsonObject) bad_type = object_from ("{\"kind\":\"contact\",\"name\":\"x1\","
                                                "\"label\":\"x\",\"type\":\"float\"}");
  g_autoptr(JsonObject) bad_kind = object_from ("{\"kind\":\"spaceship\",\"name\":\"x1\","
                                                "\"label\":\"x\",\"type\":\"text\"}");
  g_autoptr(GError) error = NULL;
  KontorKind *contact = kontor_schema_get_kind (schema, "contact");
  KontorField *f;

  f = kontor_schema_apply_definition (schema, "def-1", def, &error);
  g_assert_no_error (error);
  g_assert_true (kontor_kind_get_field (contact, "shoe_size") == f);
  g_assert_true (kontor_field_has_flag (f, KONTOR_FIELD_FLAG_CUSTOM));
  g_assert_cmpint (kontor_field_get_field_type (f), ==, KONTOR_FIELD_INTEGER);

  /* the same definition changed: replaced, not duplicated */
  f = kontor_schema_apply_definition (schema, "def-1", redef, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kontor_field_get_field_type (f), ==, KONTOR_FIELD_DECIMAL);
  g_assert_cmpstr (kontor_field_get_label (f), ==, "Schuhgröße");

  g_assert_null (kontor_schema_apply_definition (schema, "def-2", def, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (kontor_schema_apply_definition (schema, "def-3", clash, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (kontor_schema_apply_definition (schema, "def-4", bad_name, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kontor_schema_apply_definition (schema, "def-5", bad_type, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kontor_schema_apply_definition (schema, "def-6", bad_kind, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_KIND);
  g_clear_error (&error);

  g_assert_true (kontor_schema_remove_definition (schema, "def-1"));
  g_assert_null (kontor_kind_get_field (contact, "shoe_size"));
  g_assert_false (kontor_schema_remove_definition (schema, "def-1"));
}

static void
test_fold (void)
{
  g_autofree char *a = kontor_fold ("Müller-Lüdenscheidt", -1);
  g_autofree char *b = kontor_fold_transliterate ("Müller Straße", -1);
  g_autofree char *c = kontor_fold ("ÉCOLE Łódź Øresund", -1);

  g_assert_cmpstr (a, ==, "muller-ludenscheidt");
  g_assert_cmpstr (b, ==, "mueller strasse");
  g_assert_cmpstr (c, ==, "ecole lodz oresund");
  g_assert_true (kontor_fold_has_umlaut ("Jäger"));
  g_assert_false (kontor_fold_has_umlaut ("Jager"));

  /* equal when folded, like a case-insensitive collation */
  g_assert_cmpint (kontor_fold_collate ("Müller", -1, "muller", -1), ==, 0);
  g_assert_cmpint (kontor_fold_collate ("ABC", -1, "abc", -1), ==, 0);
  g_assert_cmpint (kontor_fold_collate ("abc", -1, "abcd", -1), <, 0);
  g_assert_cmpint (kontor_fold_collate ("Weiß", -1, "weiss", -1), ==, 0);
  g_assert_cmpint (kontor_fold_collate ("Müller", -1, "Müller", -1), ==, 0);
  g_assert_cmpint (kontor_fold_collate ("Müller", -1, "Myers", -1), <, 0);
  g_assert_cmpint (kontor_fold_collate ("zeta", -1, "Äpfel", -1), >, 0);
}

static int
sign (int v)
{
  return (v > 0) - (v < 0);
}

/* The collation folds as it compares; it must order exactly as strcmp of
 * the folded strings, for any bytes, invalid UTF-8 and NUL included. */
static void
test_fold_collate_agrees (void)
{
  static const char * const pieces[] = {
    "a", "A", "z", "ä", "Ä", "ae", "ß", "ss", "ẞ", "é", "e", "Œ", "ø", "ı", "İ", "ﷺ",
    "\xff", "\xc3", "\x80", "-", " ", "0", "9", "Ǆ", "ǅ", "ﬀ", "Å", "Ω", "\0",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);

  for (guint round = 0; round < 20000; round++)
    {
      char a[64], b[64];
      gsize al = 0, bl = 0;
      g_autofree char *fa = NULL;
      g_autofree char *fb = NULL;
      guint n;

      n = g_rand_int_range (rand, 0, 6);
      for (guint i = 0; i < n; i++)
        {
          const char *p = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];
          gsize l = p[0] == '\0' ? 1 : strlen (p);

          memcpy (a + al, p, l);
          al += l;
        }
      /* b: often a with one piece changed, so that long common prefixes
       * are compared too */
      memcpy (b, a, al);
      bl = al;
      if (g_rand_boolean (rand) || bl == 0)
        {
          const char *p = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];
          gsize l = p[0] == '\0' ? 1 : strlen (p);

          memcpy (b + bl, p, l);
          bl += l;
        }
      else
        b[g_rand_int_range (rand, 0, bl)] = "aZ\xc3ä"[g_rand_int_range (rand, 0, 4)];

      fa = kontor_fold (a, al);
      fb = kontor_fold (b, bl);
      if (sign (kontor_fold_collate (a, al, b, bl)) != sign (strcmp (fa, fb)))
        g_error ("collation of “%.*s” and “%.*s” differs from the folded order",
                 (int) al, a, (int) bl, b);
      g_assert_cmpint (sign (kontor_fold_collate (a, al, b, bl)), ==,
                       -sign (kontor_fold_collate (b, bl, a, al)));
    }
}

static void
test_uuid (void)
{
  g_autofree char *a = kontor_uuid_new ();
  g_autofree char *b = kontor_uuid_new ();
  g_autoptr(GRand) r1 = g_rand_new_with_seed (7);
  g_autoptr(GRand) r2 = g_rand_new_with_seed (7);
  g_autofree char *c = kontor_uuid_new_from (1700000000000, r1);
  g_autofree char *d = kontor_uuid_new_from (1700000000000, r2);

  g_assert_true (kontor_uuid_is_valid (a));
  g_assert_cmpint (a[14], ==, '7');
  g_assert_true (strchr ("89ab", a[19]) != NULL);
  g_assert_cmpstr (a, <, b);  /* monotonic */
  g_assert_cmpstr (c, ==, d); /* reproducible */
  g_assert_true (g_str_has_prefix (c, "018bcfe5-6800-7"));
  g_assert_false (kontor_uuid_is_valid ("not-a-uuid"));
  g_assert_false (kontor_uuid_is_valid ("0190A0B0-0000-7000-8000-000000000001"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schema/builtin-kinds", test_builtin_kinds);
  g_test_add_func ("/schema/text-lengths", test_text_lengths);
  g_test_add_func ("/schema/validate-contact", test_validate_contact);
  g_test_add_func ("/schema/validate-problems", test_validate_problems);
  g_test_add_func ("/schema/validate-references", test_validate_references);
  g_test_add_func ("/schema/partial-update", test_partial_update);
  g_test_add_func ("/schema/field-values", test_field_values);
  g_test_add_func ("/schema/custom-fields", test_custom_fields);
  g_test_add_func ("/schema/fold", test_fold);
  g_test_add_func ("/schema/fold-collate-agrees", test_fold_collate_agrees);
  g_test_add_func ("/schema/uuid", test_uuid);

  return g_test_run ();
}

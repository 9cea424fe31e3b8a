/* test-vcard.c: vCard reading, mapping, import and export, on the corpus
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kontor-exporter.h"
#include "kontor-importer.h"
#include "kontor-vcard.h"

typedef struct
{
  char        *dir;
  KontorStore *store;
  GHashTable  *blobs;   /* sha256 -> GBytes: the test's file store */
} Fixture;

static KontorStore *
open_store (const char *dir,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  KontorStore *store = kontor_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kontor-test-vcard-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = open_store (f->dir, "replica.db");
  f->blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_bytes_unref);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->blobs, g_hash_table_unref);
  remove_dir (f->dir);
  g_free (f->dir);
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static gboolean
store_blob (const char  *sha256,
            GBytes      *bytes,
            const char  *mime_type,
            gpointer     user_data,
            GError     **error)
{
  GHashTable *blobs = user_data;
  g_autofree char *check = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  g_assert_cmpstr (check, ==, sha256);
  g_hash_table_insert (blobs, g_strdup (sha256), g_bytes_ref (bytes));
  return TRUE;
}

static GBytes *
load_blob (const char  *sha256,
           gpointer     user_data,
           GError     **error)
{
  GBytes *bytes = g_hash_table_lookup (user_data, sha256);

  return bytes ? g_bytes_ref (bytes) : NULL;
}

static KontorImporter *
new_importer (Fixture    *f,
              KontorStore *store)
{
  KontorImporter *importer = kontor_importer_new (store ? store : f->store, "contact");

  kontor_importer_set_blob_func (importer, store_blob, f->blobs, NULL);
  return importer;
}

static char *
corpus_path (const char *name)
{
  const char *shared = g_getenv ("KONTOR_SHARED");

  if (shared == NULL)
    return NULL;
  return g_build_filename (shared, "corpus", "vcard", name, NULL);
}

static gboolean
have_corpus (void)
{
  g_autofree char *path = corpus_path ("khard__photov4-data-uri.vcf");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("KONTOR_SHARED does not hold the corpus");
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_corpus (KontorImporter  *importer,
            const char      *name,
            GError         **error)
{
  g_autofree char *path = corpus_path (name);
  g_autoptr(GFile) file = NULL;

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  file = g_file_new_for_path (path);
  return kontor_importer_run_file (importer, file, NULL, error);
}

static gboolean
run_text (KontorImporter  *importer,
          const char      *text,
          gssize           len,
          GError         **error)
{
  g_autoptr(GInputStream) in = NULL;

  if (len < 0)
    len = strlen (text);
  in = g_memory_input_stream_new_from_data (g_memdup2 (text, len), len, g_free);
  return kontor_importer_run (importer, in, len, NULL, error);
}

static KontorRecord *
find_one (KontorStore *store,
          const char  *kind,
          const char  *field,
          const char  *value)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *values[] = { value, NULL };

  kontor_query_add_condition (query, field, KONTOR_QUERY_EQ, values);
  found = kontor_store_query (store, query, 0, 0, &error);
  g_assert_no_error (error);
  if (found->len != 1)
    g_error ("%u %s records with %s = %s", found->len, kind, field, value);
  return g_object_ref (g_ptr_array_index (found, 0));
}

static guint
count (KontorStore *store,
       const char  *kind)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  guint n = 0;

  g_assert_true (kontor_store_count (store, query, &n, NULL));
  return n;
}

static const char *
org_name (KontorStore  *store,
          KontorRecord *contact)
{
  static char name[512];
  const char *id = kontor_record_get_string (contact, "organization");
  g_autoptr(KontorRecord) org = NULL;

  g_assert_nonnull (id);
  org = kontor_store_get (store, id, NULL);
  g_assert_nonnull (org);
  g_strlcpy (name, kontor_record_get_string (org, "name"), sizeof name);
  return name;
}

static gboolean
has_problem (KontorImporter *importer,
             guint           line,
             const char     *field,
             const char     *part,
             gboolean        fatal)
{
  GPtrArray *problems = kontor_importer_get_problems (importer);

  for (guint i = 0; i < problems->len; i++)
    {
      KontorImportProblem *p = g_ptr_array_index (problems, i);

      if (p->line == line && g_strcmp0 (p->field, field) == 0 &&
          strstr (p->message, part) != NULL && p->fatal == fatal)
        return TRUE;
    }

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *s = kontor_import_problem_to_string (g_ptr_array_index (problems, i));
      g_printerr ("  problem: %s\n", s);
    }
  return FALSE;
}

/* The size of the stored photo of r, checking its hash. */
static gsize
photo_size (Fixture      *f,
            KontorRecord *r)
{
  const char *hash = kontor_record_get_string (r, "photo");
  GBytes *bytes;

  g_assert_nonnull (hash);
  bytes = g_hash_table_lookup (f->blobs, hash);
  g_assert_nonnull (bytes);
  return g_bytes_get_size (bytes);
}

static void
assert_tags (KontorRecord       *record,
             const char * const *expected)
{
  JsonNode *node = kontor_record_get_value (record, "tags");
  JsonArray *tags;

  g_assert_nonnull (node);
  tags = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (tags), ==, g_strv_length ((GStrv) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (json_array_get_string_element (tags, i), ==, expected[i]);
}

static GPtrArray *
read_cards (const char  *text,
            gssize       len,
            GPtrArray   *errors)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(KontorVCardReader) reader = NULL;
  GPtrArray *cards = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_vcard_unref);

  if (len < 0)
    len = strlen (text);
  in = g_memory_input_stream_new_from_data (g_memdup2 (text, len), len, g_free);
  reader = kontor_vcard_reader_new (in);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      KontorVCard *card = kontor_vcard_reader_next (reader, NULL, &error);

      if (card == NULL && error == NULL)
        break;
      if (card == NULL)
        {
          g_assert_nonnull (errors);
          g_ptr_array_add (errors, g_strdup (error->message));
          if (!g_error_matches (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW))
            break;
          continue;
        }
      g_ptr_array_add (cards, card);
    }

  return cards;
}

static char *
text_of (KontorVCard *card,
         const char  *name)
{
  KontorVCardProperty *prop = kontor_vcard_get_property (card, name);

  g_assert_nonnull (prop);
  return kontor_vcard_property_get_text (prop);
}

/* ---------------------------------------------------------------------- */
/* The reader                                                             */

static void
test_reader_basics (void)
{
  const char *text =
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Müller;Jürgen;;;\r\n"
    "NOTE:eins\\, zwei\\; drei\\\\vier\\nfünf und eine sehr lange Zeile die gef\r\n"
    " altet wurde\r\n"
    "item1.EMAIL;TYPE=INTERNET;type=\"WORK,pref\":j@example.de\r\n"
    "item1.X-ABLabel:_$!<Work>!$_\r\n"
    "ADR;LABEL=\"Königstraße 1^nStuttgart ^'Mitte^'\";TYPE=work:;;Königstraße 1;Stuttgart;;;\r\n"
    "X-TAB;X-A=b:\tgefaltet\r\n"
    "\tmit Tab\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\nVERSION:2.1\n"
    "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCr=\n"
    "gen\n"
    "NOTE;QUOTED-PRINTABLE:Zeile=0D=0AZeile 2\n"
    "END:VCARD\n";
  g_autoptr(GPtrArray) cards = read_cards (text, -1, NULL);
  KontorVCard *card;
  KontorVCardProperty *prop;
  g_auto(GStrv) n = NULL;
  g_autofree char *note = NULL;
  g_autofree char *tab = NULL;

  g_assert_cmpuint (cards->len, ==, 2);
  card = g_ptr_array_index (cards, 0);
  g_assert_cmpuint (kontor_vcard_get_version (card), ==, 30);

  n = kontor_vcard_property_get_components (kontor_vcard_get_property (card, "N"));
  g_assert_cmpstr (n[0], ==, "Müller");
  g_assert_cmpstr (n[1], ==, "Jürgen");
  note = text_of (card, "NOTE");
  g_assert_cmpstr (note, ==,
                   "eins, zwei; drei\\vier\nfünf und eine sehr lange Zeile die gefaltet wurde");

  prop = kontor_vcard_get_property (card, "EMAIL");
  g_assert_cmpstr (prop->group, ==, "item1");
  g_assert_true (kontor_vcard_property_has_type (prop, "work"));
  g_assert_true (kontor_vcard_property_has_type (prop, "PREF"));
  g_assert_true (kontor_vcard_property_has_type (prop, "internet"));

  /* RFC 6868 */
  prop = kontor_vcard_get_property (card, "ADR");
  g_assert_cmpstr (kontor_vcard_property_get_param (prop, "label")[0], ==,
                   "Königstraße 1\nStuttgart \"Mitte\"");

  tab = text_of (card, "X-TAB");
  g_assert_cmpstr (tab, ==, "\tgefaltetmit Tab");
  g_assert_cmpstr (kontor_vcard_property_get_param (kontor_vcard_get_property (card, "X-TAB"),
                                                    "X-A")[0], ==, "b");

  /* 2.1: quoted-printable with a soft break, decoded to bytes, then read
   * in its charset */
  card = g_ptr_array_index (cards, 1);
  g_assert_cmpuint (kontor_vcard_get_version (card), ==, 21);
  g_clear_pointer (&n, g_strfreev);
  n = kontor_vcard_property_get_components (kontor_vcard_get_property (card, "N"));
  g_assert_cmpstr (n[0], ==, "Müller");
  g_assert_cmpstr (n[1], ==, "Jürgen");
  g_clear_pointer (&note, g_free);
  note = text_of (card, "NOTE");
  g_assert_cmpstr (note, ==, "Zeile\nZeile 2");
}

/* ---------------------------------------------------------------------- */
/* The corpus                                                             */

static void
test_corpus_android (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) bob = NULL;
  g_autoptr(KontorRecord) henry = NULL;
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GPtrArray) cards = NULL;

  if (!have_corpus ())
    return;

  path = corpus_path ("ez-vcard__John_Doe_ANDROID.vcf");
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  cards = read_cards (contents, len, NULL);
  g_assert_cmpuint (cards->len, ==, 6);

  kontor_store_set_setting (f->store, "default_region", "US", NULL);
  g_assert_false (run_corpus (importer, "ez-vcard__John_Doe_ANDROID.vcf", &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 6);
  /* cards with only an e-mail have no name */
  g_assert_true (has_problem (importer, 1, "last_name", "required", TRUE));
  /* the photo's base64 lacks a character */
  g_assert_true (has_problem (importer, 52, "photo", "not valid base64", TRUE));
  g_assert_true (has_problem (importer, 11, "mobile", "123456789", TRUE));
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "ez-vcard__John_Doe_ANDROID.vcf", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 4);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 2);

  /* quoted-printable UTF-8 with soft line breaks */
  r = find_one (f->store, "contact", "last_name", "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ");
  g_assert_true (g_str_has_prefix (kontor_record_get_string (r, "notes"), "Ñ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ Ñ"));
  bob = find_one (f->store, "contact", "email", "bob@company.com");
  g_assert_cmpstr (kontor_record_get_string (bob, "last_name"), ==, "Ñ Ñ");
  g_assert_cmpstr (kontor_record_get_string (bob, "first_name"), ==, "Ñ Ñ Ñ");
  g_assert_cmpstr (org_name (f->store, bob), ==, "ÑÑÑÑÑÑÑÑÑÑÑÑ");
  g_assert_cmpstr (kontor_record_get_string (bob, "website"), ==, "https://www.company.com");
  g_assert_null (kontor_record_get_string (bob, "photo"));
  henry = find_one (f->store, "contact", "email", "henry@company.com");
  g_assert_cmpstr (kontor_record_get_string (henry, "last_name"), ==, "ÑÑÑÑ");
  g_assert_cmpuint (g_utf8_strlen (org_name (f->store, henry), -1), ==, 44);
  assert_tags (henry, (const char * const[]) { "My Contacts", NULL });
}

static void
test_corpus_iphone (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  /* North American numbers written nationally: the region says which */
  g_assert_false (run_corpus (importer, "ez-vcard__John_Doe_IPHONE.vcf", &error));
  g_assert_true (has_problem (importer, 1, "mobile", "905-555-1234", TRUE));
  g_clear_error (&error);

  kontor_store_set_setting (f->store, "default_region", "US", NULL);
  g_assert_true (run_corpus (importer, "ez-vcard__John_Doe_IPHONE.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Doe");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "John");
  g_assert_cmpstr (kontor_record_get_string (r, "job_title"), ==, "Money Counter");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "john.doe@ibm.com");
  g_assert_cmpstr (kontor_record_get_string (r, "mobile"), ==, "+19055551234");
  g_assert_cmpstr (kontor_record_get_string (r, "phone"), ==, "+19057771234");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "http://www.ibm.com");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "2012-06-06");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "Street4, Building 6, Floor 8");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "New York");
  g_assert_cmpstr (kontor_record_get_string (r, "country"), ==, "USA");
  g_assert_cmpstr (org_name (f->store, r), ==, "IBM");
  /* 40 KB of base64 folded over lines ending in CR CR LF */
  g_assert_cmpuint (photo_size (f, r), ==, 32531);
  g_assert_cmpstr (kontor_record_get_string (r, "photo"), ==,
                   "e01af63d0602d72a78c324e4c2ca35db8df8486f4857c8f18a4e12251e420e28");
}

static void
test_corpus_ms_outlook (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  kontor_store_set_setting (f->store, "default_region", "US", NULL);
  g_assert_true (run_corpus (importer, "ez-vcard__John_Doe_MS_OUTLOOK.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Doe");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "John");
  g_assert_cmpstr (kontor_record_get_string (r, "phone"), ==, "+19055551234");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "john.doe@ibm.cm");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "1980-03-22");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "Cresent moon drive");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "Albaney");
  g_assert_cmpstr (kontor_record_get_string (r, "region"), ==, "New York");
  g_assert_true (g_str_has_prefix (kontor_record_get_string (r, "notes"),
                                   "THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD"));
  g_assert_cmpuint (photo_size (f, r), ==, 860);
}

static void
test_corpus_gmail (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) local = NULL;
  const char *extra;

  if (!have_corpus ())
    return;

  g_assert_nonnull (kontor_store_add_custom_field (f->store, "contact", "vcard_extra",
                                                   "vCard extras", "long_text", NULL, &local));
  g_assert_no_error (local);
  kontor_store_set_setting (f->store, "default_region", "US", NULL);
  kontor_importer_set_extra_field (importer, "vcard_extra");
  g_assert_true (run_corpus (importer, "ez-vcard__gmail-single2.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Test");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "VCard");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "workemail@example.com");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "homeemail@example.com");
  g_assert_cmpstr (kontor_record_get_string (r, "phone"), ==, "+15555551113");
  g_assert_cmpstr (kontor_record_get_string (r, "mobile"), ==, "+15555551115");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "http://www.example5.com");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "1912-06-23");
  g_assert_cmpstr (kontor_record_get_string (r, "job_title"), ==, "TheJobTitle");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "113 Main St");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==,
                   "note line 1\nnote line 2\nCustomField: field value");
  g_assert_cmpstr (org_name (f->store, r), ==, "TheCompany");

  /* what no field took is kept, one property a line */
  extra = kontor_record_get_string (r, "vcard_extra");
  g_assert_nonnull (extra);
  g_assert_nonnull (strstr (extra, "X-GTALK:IM2\n"));
  g_assert_nonnull (strstr (extra, "item11.X-ABRELATEDNAMES:Name2\n"));
  g_assert_nonnull (strstr (extra, "X-PHONETIC-FIRST-NAME:ThePhoneticFirstName"));
}

static void
test_corpus_outlook_2003 (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_false (run_corpus (importer, "ez-vcard__outlook-2003.vcf", &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_true (has_problem (importer, 1, "phone", "“BusinessPhone”", TRUE));
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "ez-vcard__outlook-2003.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Doe");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "John");
  /* quoted-printable with a soft break in the middle of =0D=0A */
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==,
                   "This is the note field!!\nSecond line\n\nThird line is empty\n");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "123 Main St, TheOffice");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "Austin");
  g_assert_cmpstr (kontor_record_get_string (r, "region"), ==, "TX");
  g_assert_cmpstr (kontor_record_get_string (r, "postal_code"), ==, "12345");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "1980-03-21");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "jdoe@hotmail.com");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "http://web-page-address.com");
  g_assert_cmpstr (org_name (f->store, r), ==, "Company, The");
}

static void
test_corpus_nextcloud (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "icaljs__escape_semicolon-nextcloud-sabre.vcf", &error));
  g_assert_no_error (error);
  g_assert_true (has_problem (importer, 1, "mobile", "“205333”", FALSE));

  /* no N: the whole FN is the name, never split by guessing */
  r = find_one (f->store, "contact", "last_name", "First Last NextCloud");
  g_assert_null (kontor_record_get_string (r, "first_name"));
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "work@gmx.de");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "home@gmx.de");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "2019-02-10");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "Street W, Street 2 W, PO W");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "City Work");
  g_assert_cmpstr (kontor_record_get_string (r, "country"), ==, "Germany work");
  assert_tags (r, (const char * const[]) { "Test-Kontakte", NULL });
  g_assert_cmpstr (org_name (f->store, r), ==, "Firma");
}

static void
test_corpus_khard_data_uri (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "khard__photov4-data-uri.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "with photo v4");
  /* "data:image/png;base64\," with the comma escaped */
  g_assert_cmpuint (photo_size (f, r), ==, 123);
  g_assert_cmpstr (kontor_record_get_string (r, "photo"), ==,
                   "869b34103207ff3068106061cc9fe4c97fee3e3108c2a73b76980b3740fc4bdb");
  /* unfolding takes the one space of the fold */
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==,
                   "The RFC6350 for vCard 4.0 specifies that the value for PHOTO shouldbe a "
                   "single uri.");
}

static void
test_corpus_apple_company (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "roundcube__apple-addressbook.vcf", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 1);
  g_assert_cmpuint (count (f->store, "contact"), ==, 0);

  /* a company card is an organization */
  r = find_one (f->store, "organization", "name", "Apple Computer AG");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "Wallisellen-Zürich");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "Birgistrasse 4a");
  g_assert_cmpstr (kontor_record_get_string (r, "postal_code"), ==, "8304");
  g_assert_cmpstr (kontor_record_get_string (r, "country"), ==, "Switzerland");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "http://www.apple.ch");
}

static void
test_corpus_windows_1252 (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_false (run_corpus (importer, "roundcube__johndoe-charset-windows-1252.vcf", &error));
  g_assert_true (has_problem (importer, 1, "phone", "too few digits", TRUE));
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "roundcube__johndoe-charset-windows-1252.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Doë");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "John");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "inbox@roundcube.net");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "roundcube@gmail.com");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "The street");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "Hometown");
  g_assert_cmpstr (kontor_record_get_string (r, "country"), ==, "Cayman Islands");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==, "The notes...");
  g_assert_cmpstr (org_name (f->store, r), ==, "roundcube.net");
}

static void
test_corpus_thebat (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *preview;

  if (!have_corpus ())
    return;

  /* no CHARSET and not UTF-8: Windows-1252 by policy */
  g_assert_true (run_corpus (importer, "roundcube__thebat-qp-no-charset.vcf", &error));
  g_assert_no_error (error);
  r = find_one (f->store, "contact", "last_name", "Iksiñski");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Piotr");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "piotr.iksinski@somedomain.com");
  g_clear_object (&r);

  /* the person importing knows better: Polish (a dry run shows it) */
  kontor_importer_set_encoding (importer, "ISO-8859-2");
  kontor_importer_set_dry_run (importer, TRUE);
  g_assert_true (run_corpus (importer, "roundcube__thebat-qp-no-charset.vcf", &error));
  g_assert_no_error (error);
  preview = g_ptr_array_index (kontor_importer_get_preview (importer), 0);
  g_assert_cmpstr (json_object_get_string_member (preview, "last_name"), ==, "Iksiński");
  g_assert_cmpstr (json_object_get_string_member (preview, "first_name"), ==, "Piotr");
}

static void
test_corpus_utf16 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "roundcube__utf-16be-nobom.vcf", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_importer_get_encoding (importer), ==, "UTF-16BE");

  r = find_one (f->store, "contact", "last_name", "ĽdaMonté");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Ǽgean");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "169 Mária Canal");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "LaPaz");
  g_assert_cmpstr (kontor_record_get_string (r, "region"), ==, "Conceptión");
  g_assert_cmpstr (kontor_record_get_string (r, "postal_code"), ==, "245-876");
  g_assert_cmpstr (kontor_record_get_string (r, "country"), ==, "Perú");
}

static void
test_corpus_thunderbird_legacy (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_false (run_corpus (importer, "thunderbird__export-tb-legacy-2.1-lowercase-qp.vcf",
                              &error));
  g_assert_true (has_problem (importer, 8, "email", "contact2@invalid", TRUE));
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "thunderbird__export-tb-legacy-2.1-lowercase-qp.vcf",
                             &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);

  /* VERSION comes last; "note;quoted-printable" with UTF-8 bytes */
  r = find_one (f->store, "contact", "last_name", "two");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "contact");
  g_assert_cmpstr (kontor_record_get_string (r, "job_title"), ==, "\"worker\"");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==, "here's some unicode text…");
}

static void
test_corpus_thunderbird_modern (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) local = NULL;
  const char *extra;

  if (!have_corpus ())
    return;

  g_assert_nonnull (kontor_store_add_custom_field (f->store, "contact", "vcard_extra",
                                                   "vCard extras", "long_text", NULL, &local));
  kontor_importer_set_extra_field (importer, "vcard_extra");
  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "thunderbird__export-tb-modern-4.0-bare-cr.vcf", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);
  g_assert_true (has_problem (importer, 1, "email", "contact1@invalid", FALSE));

  r = find_one (f->store, "contact", "last_name", "two");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==, "here's some unicode text…");
  g_assert_cmpstr (kontor_record_get_string (r, "job_title"), ==, "\"worker\"");
  /* a TAB and a bare CR inside values survive */
  extra = kontor_record_get_string (r, "vcard_extra");
  g_assert_nonnull (strstr (extra, "X-CUSTOM1;VALUE=TEXT:custom\\, 1\n"));
  g_assert_nonnull (strstr (extra, "X-CUSTOM2;VALUE=TEXT:custom\t2\n"));
  g_assert_nonnull (strstr (extra, "X-CUSTOM3;VALUE=TEXT:custom\r3\n"));
}

static void
test_corpus_v4_uri_jpeg (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "thunderbird__v4-uri-jpeg.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "URI JPEG, version 4.0");
  g_assert_cmpuint (photo_size (f, r), ==, 5321);
  g_assert_cmpstr (kontor_record_get_string (r, "photo"), ==,
                   "bef4e7c442d7c10b033e96d6e3e12ff4eb71f2ebd961466d30deb07341f0958a");
}

static void
test_corpus_emclient (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_false (run_corpus (importer, "tine20__emclient_addressbook.vcf", &error));
  g_assert_true (has_problem (importer, 1, "mobile", "letters are not allowed", TRUE));
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "tine20__emclient_addressbook.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Nach");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Vor");
  /* TYPE=PREF takes the first e-mail field */
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "business@email.de");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "privat@email.de");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "1950-01-26");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==, "Notes\nwith\nbreaks");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "Address Business");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "City Business");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "https://www.business.de");
  g_assert_cmpstr (org_name (f->store, r), ==, "Firma");
}

static void
test_corpus_webdav_outlook (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "tine20__WebDAVCollaborator-outlook-export.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Nachname");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Vorname");
  g_assert_cmpstr (kontor_record_get_string (r, "phone"), ==, "+4940123450");
  g_assert_cmpstr (kontor_record_get_string (r, "mobile"), ==, "+4940123453");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "mail@example.com");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "mail2@example.com");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "1980-08-09");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "https://websi.te");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==, "Nots \nWith \nLine\nBreaks\n");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "business street 2, Office");
  g_assert_cmpstr (kontor_record_get_string (r, "postal_code"), ==, "45734");
  g_assert_cmpstr (kontor_record_get_string (r, "country"), ==, "Deutschland");
  g_assert_cmpstr (org_name (f->store, r), ==, "Firma");
  g_assert_true (has_problem (importer, 1, "EMAIL", "mail3@example.com", FALSE));
}

static void
test_corpus_allfields (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "vcard4android__allfields-vcard3.vcf", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Lastname");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Firstname");
  g_assert_cmpstr (kontor_record_get_string (r, "job_title"), ==,
                   "Director, Research and Development");
  g_assert_cmpstr (kontor_record_get_string (r, "phone"), ==, "+49123456788");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "work@example.com");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "private@example.com");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "https://www.davx5.com/");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "1996-04-15");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==,
                   "This fax number is operational 0800 to 1715 EST, Mon-Fri.\n\nSecond note");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "6544 Battleford Drive");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "Raleigh");
  assert_tags (r, (const char * const[]) { "A", "B'C", NULL });
  g_assert_cmpstr (org_name (f->store, r), ==, "ABC, Inc.");
  g_assert_cmpuint (photo_size (f, r), ==, 317);
  /* the second address, with umlauts, did not fit */
  g_assert_true (has_problem (importer, 1, "ADR", "Mönchspfaffingen", FALSE));
}

/* ---------------------------------------------------------------------- */
/* Hostile input                                                          */

static void
test_hostile_empty (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(GError) error = NULL;

  kontor_importer_set_format (importer, KONTOR_IMPORT_FORMAT_VCARD);
  g_assert_false (run_text (importer, "", 0, &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_false (run_text (importer, "Hallo Welt\nkeine Karte\n", -1, &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FORMAT);
}

static void
test_hostile_missing_end (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (run_text (importer, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Muster;Max\r\n", -1,
                            &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_true (has_problem (importer, 1, NULL, "has no END:VCARD", TRUE));
  g_assert_cmpuint (count (f->store, "contact"), ==, 0);
}

static void
test_hostile_nested_begin (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (run_text (importer,
                           "BEGIN:VCARD\nVERSION:3.0\nN:Eins;Anna\n"
                           "BEGIN:VCARD\nVERSION:3.0\nN:Zwei;Berta\nEND:VCARD\n"
                           "BEGIN:VCARD\nVERSION:2.1\nN:Drei;Clara\nAGENT:\n"
                           "BEGIN:VCARD\nVERSION:2.1\nN:Agent;Egon\nEND:VCARD\n"
                           "END:VCARD\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 1);
  g_assert_true (has_problem (importer, 1, NULL, "before the next BEGIN:VCARD on line 4", TRUE));

  r = find_one (f->store, "contact", "last_name", "Zwei");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Berta");
  g_clear_object (&r);
  /* a 2.1 AGENT holding a card is part of its card */
  r = find_one (f->store, "contact", "last_name", "Drei");
  g_assert_cmpuint (count (f->store, "contact"), ==, 2);
}

static void
test_hostile_photo_garbage (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "BEGIN:VCARD\nVERSION:3.0\nN:Kaputt;Karl\nPHOTO;ENCODING=b;TYPE=JPEG:@@@!!!kein base64###\n"
    "END:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nN:Text;Tina\nPHOTO;ENCODING=b;TYPE=JPEG:SGFsbG8gV2VsdA==\n"
    "END:VCARD\n"
    "BEGIN:VCARD\nVERSION:4.0\nN:Heil;Heinz\nPHOTO:data:image/gif;base64,R0lGODlhAQABAAAAACw=\n"
    "END:VCARD\n";

  g_assert_true (run_text (importer, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 1);
  g_assert_true (has_problem (importer, 4, "photo", "not valid base64", TRUE));
  g_assert_true (has_problem (importer, 9, "photo", "not a JPEG, PNG, GIF or WebP image", TRUE));
  r = find_one (f->store, "contact", "last_name", "Heil");
  g_assert_cmpuint (photo_size (f, r), ==, 14);
  g_clear_object (&r);

  /* on request, imported without the photo */
  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_text (importer, text, -1, &error));
  g_assert_no_error (error);
  r = find_one (f->store, "contact", "last_name", "Kaputt");
  g_assert_null (kontor_record_get_string (r, "photo"));
}

static void
test_hostile_no_blob_store (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (run_text (importer,
                           "BEGIN:VCARD\nVERSION:4.0\nN:Heil;Heinz\n"
                           "PHOTO:data:image/gif;base64,R0lGODlhAQABAAAAACw=\nEND:VCARD\n", -1,
                           &error));
  g_assert_no_error (error);
  g_assert_true (has_problem (importer, 1, "photo", "no place to store files", FALSE));
  r = find_one (f->store, "contact", "last_name", "Heil");
  g_assert_null (kontor_record_get_string (r, "photo"));
}

static void
test_hostile_invalid_utf8 (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  /* CHARSET=UTF-8 that is not: the card fails, the next is fine */
  g_assert_true (run_text (importer,
                           "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8:M\xfcller;Hans\nEND:VCARD\n"
                           "BEGIN:VCARD\nVERSION:3.0\nN:Schön;Gisela\nEND:VCARD\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 1);
  g_assert_true (has_problem (importer, 3, "last_name", "not valid UTF-8", TRUE));
  r = find_one (f->store, "contact", "last_name", "Schön");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Gisela");
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */

static void
test_writer_folding (void)
{
  g_autoptr(KontorVCard) card = kontor_vcard_new (40);
  g_autoptr(GString) note = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autofree char *back = NULL;
  KontorVCardProperty *prop;

  for (guint i = 0; i < 60; i++)
    g_string_append (note, i % 7 == 0 ? "€; " : "äö,");
  g_string_append (note, "\nEnde\\");
  kontor_vcard_add_text (card, NULL, "NOTE", note->str);
  prop = kontor_vcard_add_text (card, NULL, "X-LABEL", "x");
  kontor_vcard_property_add_param (prop, "LABEL", "Straße 1\n\"Hof\" ^2");

  text = kontor_vcard_to_string (card);
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
    }
  g_assert_nonnull (strstr (text, "LABEL=\"Straße 1^n^'Hof^' ^^2\""));

  cards = read_cards (text, -1, NULL);
  g_assert_cmpuint (cards->len, ==, 1);
  back = text_of (g_ptr_array_index (cards, 0), "NOTE");
  g_assert_cmpstr (back, ==, note->str);
  prop = kontor_vcard_get_property (g_ptr_array_index (cards, 0), "X-LABEL");
  g_assert_cmpstr (kontor_vcard_property_get_param (prop, "LABEL")[0], ==, "Straße 1\n\"Hof\" ^2");
}

static KontorRecord *
create (KontorStore *store,
        const char  *kind,
        const char  *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  KontorRecord *r;

  g_assert_nonnull (node);
  r = kontor_store_create (store, kind, NULL, json_node_get_object (node), NULL, &error);
  g_assert_no_error (error);
  return r;
}

static void
add_custom_fields (KontorStore *store)
{
  const char *sizes[] = { "S", "M", "L", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (kontor_store_add_custom_field (store, "contact", "shoe_size", "Shoe size",
                                                   "integer", NULL, &error));
  g_assert_nonnull (kontor_store_add_custom_field (store, "contact", "discount", "Discount",
                                                   "decimal", NULL, &error));
  g_assert_nonnull (kontor_store_add_custom_field (store, "contact", "shirt", "Shirt",
                                                   "choice", sizes, &error));
  g_assert_nonnull (kontor_store_add_custom_field (store, "contact", "budget", "Budget",
                                                   "money", NULL, &error));
  g_assert_nonnull (kontor_store_add_custom_field (store, "contact", "vcard_extra",
                                                   "vCard extras", "long_text", NULL, &error));
  g_assert_no_error (error);
}

static void
fill_contacts (Fixture     *f,
               KontorStore *store)
{
  g_autoptr(KontorRecord) org =
    create (store, "organization", "{\"name\": \"Müller & Söhne GmbH\", \"city\": \"Stuttgart\"}");
  g_autofree char *json = NULL;
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(KontorRecord) b = NULL;
  g_autofree char *hash = NULL;

  /* the photo: the start of a GIF is enough to be taken for one */
  {
    static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, ',' };
    GBytes *bytes = g_bytes_new (gif, sizeof gif);

    hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
    g_hash_table_insert (f->blobs, g_strdup (hash), bytes);
  }

  json = g_strdup_printf (
    "{\"first_name\": \"Jürgen\", \"last_name\": \"Müller\", \"organization\": \"%s\","
    " \"job_title\": \"Geschäftsführer, Vertrieb\", \"email\": \"j.mueller@mueller-soehne.de\","
    " \"email_private\": \"juergen@example.de\", \"phone\": \"0711 123456\","
    " \"mobile\": \"+49 171 2345678\", \"website\": \"www.mueller-soehne.de/kontakt?a=1;b=2\","
    " \"linkedin\": \"https://www.linkedin.com/in/jmueller\","
    " \"xing\": \"https://www.xing.com/profile/J_Mueller\","
    " \"street\": \"Königstraße 1; Hinterhaus\", \"postal_code\": \"70173\","
    " \"city\": \"Stuttgart\","
    " \"region\": \"Baden-Württemberg\", \"country\": \"Deutschland\","
    " \"birthday\": \"1970-02-28\","
    " \"lifecycle\": \"customer\", \"score\": 42, \"tags\": [\"vip\", \"newsletter\"],"
    " \"photo\": \"%s\","
    " \"notes\": \"Zeile 1\\nZeile 2, mit \\\"Anführung\\\"; und Semikolon\\\\Backslash und "
    "einer langen Zeile, die gefaltet werden muss, weil sie länger als fünfundsiebzig Bytes ist\","
    " \"shoe_size\": 44, \"discount\": \"12.50\", \"shirt\": \"L\","
    " \"budget\": {\"minor\": 123456, \"currency\": \"EUR\"},"
    " \"vcard_extra\": \"X-GTALK:IM2\\nitem1.X-ABRELATEDNAMES;TYPE=spouse:Name2\"}",
    kontor_record_get_id (org), hash);
  a = create (store, "contact", json);
  b = create (store, "contact", "{\"last_name\": \"Öztürk\", \"first_name\": \"Ayşe\"}");
}

static void
compare_stores (KontorStore *a,
                KontorStore *b)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("contact");
  g_autoptr(GPtrArray) ra = NULL;
  g_autoptr(GPtrArray) rb = NULL;
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (a), "contact");
  GPtrArray *fields = kontor_kind_get_fields (kind);

  kontor_query_add_sort (query, "last_name", FALSE);
  ra = kontor_store_query (a, query, 0, 0, NULL);
  rb = kontor_store_query (b, query, 0, 0, NULL);
  g_assert_cmpuint (ra->len, ==, rb->len);

  for (guint i = 0; i < ra->len; i++)
    {
      KontorRecord *x = g_ptr_array_index (ra, i);
      KontorRecord *y = g_ptr_array_index (rb, i);

      /* the UID brings the id back */
      g_assert_cmpstr (kontor_record_get_id (x), ==, kontor_record_get_id (y));

      for (guint k = 0; k < fields->len; k++)
        {
          const char *name = kontor_field_get_name (g_ptr_array_index (fields, k));
          JsonNode *vx = kontor_record_get_value (x, name);
          JsonNode *vy = kontor_record_get_value (y, name);

          if (g_str_equal (name, "organization") && vx != NULL)
            {
              g_autofree char *nx = g_strdup (org_name (a, x));

              g_assert_nonnull (vy);
              g_assert_cmpstr (nx, ==, org_name (b, y));
              continue;
            }
          if (vx == NULL || vy == NULL)
            {
              if (vx != vy)
                g_error ("%s: %s on one side only", kontor_record_get_title (x), name);
              continue;
            }
          if (!json_node_equal (vx, vy))
            {
              g_autofree char *sx = json_to_string (vx, FALSE);
              g_autofree char *sy = json_to_string (vy, FALSE);

              g_error ("%s: %s differs: %s vs %s", kontor_record_get_title (x), name, sx, sy);
            }
        }
    }
}

static char *
export_vcard (Fixture            *f,
              KontorStore        *store,
              KontorExportFormat  format)
{
  g_autoptr(KontorExporter) exporter = kontor_exporter_new (store, "contact", format);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  kontor_exporter_set_blob_func (exporter, load_blob, f->blobs, NULL);
  kontor_exporter_set_extra_field (exporter, "vcard_extra");
  g_assert_true (kontor_exporter_run (exporter, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_exporter_get_n_exported (exporter), ==, 2);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
round_trip (Fixture            *f,
            KontorExportFormat  format,
            const char         *version_line)
{
  g_autofree char *name = g_strdup_printf ("other-%d.db", format);
  g_autoptr(KontorStore) other = open_store (f->dir, name);
  g_autoptr(KontorImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  add_custom_fields (f->store);
  fill_contacts (f, f->store);
  text = export_vcard (f, f->store, format);

  g_assert_nonnull (strstr (text, version_line));
  g_assert_nonnull (strstr (text, "X-KONTOR-SHOE-SIZE:44\r\n"));
  g_assert_nonnull (strstr (text, "X-GTALK:IM2\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 75);

  add_custom_fields (other);
  importer = new_importer (f, other);
  kontor_importer_set_extra_field (importer, "vcard_extra");
  g_assert_true (run_text (importer, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 0);
  g_assert_cmpuint (count (other, "organization"), ==, 1);

  compare_stores (f->store, other);

  /* importing the same file again adds nothing */
  g_assert_false (run_text (importer, text, -1, &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_cmpuint (kontor_importer_get_n_skipped (importer), ==, 2);
  g_assert_cmpuint (count (other, "contact"), ==, 2);
  g_assert_true (has_problem (importer, 1, NULL, "in Kontor already", FALSE));
}

static void
test_round_trip_40 (Fixture       *f,
                    gconstpointer  data)
{
  round_trip (f, KONTOR_EXPORT_VCARD, "VERSION:4.0\r\n");
}

static void
test_round_trip_30 (Fixture       *f,
                    gconstpointer  data)
{
  round_trip (f, KONTOR_EXPORT_VCARD_30, "VERSION:3.0\r\n");
}

static void
test_round_trip_corpus (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KontorStore) other = open_store (f->dir, "other.db");
  g_autoptr(KontorImporter) importer = new_importer (f, NULL);
  g_autoptr(KontorImporter) again = NULL;
  g_autoptr(KontorExporter) exporter = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) r = NULL;
  g_autofree char *text = NULL;

  if (!have_corpus ())
    return;

  /* a foreign card: what Kontor has no field for comes back on export */
  add_custom_fields (f->store);
  kontor_importer_set_extra_field (importer, "vcard_extra");
  g_assert_true (run_corpus (importer, "vcard4android__allfields-vcard3.vcf", &error));
  g_assert_no_error (error);

  exporter = kontor_exporter_new (f->store, "contact", KONTOR_EXPORT_VCARD);
  kontor_exporter_set_blob_func (exporter, load_blob, f->blobs, NULL);
  kontor_exporter_set_extra_field (exporter, "vcard_extra");
  g_assert_true (kontor_exporter_run (exporter, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_nonnull (strstr (text, "X-TEST;A=B:Value\r\n"));
  g_assert_nonnull (strstr (text, "PHOTO:data:image/jpeg;base64,/9j/"));

  add_custom_fields (other);
  again = new_importer (f, other);
  kontor_importer_set_extra_field (again, "vcard_extra");
  g_assert_true (run_text (again, text, -1, &error));
  g_assert_no_error (error);

  compare_stores (f->store, other);
  r = find_one (other, "contact", "last_name", "Lastname");
  g_assert_cmpuint (photo_size (f, r), ==, 317);
}

/* Found by fuzz-vcard: an empty VERSION value crashed the reader. */
static void
test_empty_version (void)
{
  static const char text[] = "BEGIN:VCARD\r\nVERSION:\r\nFN:Leer\r\nN:Leer;;;;\r\nEND:VCARD\r\n";
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (text, sizeof text - 1, NULL);
  g_autoptr(KontorVCardReader) reader = kontor_vcard_reader_new (in);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorVCard) card = kontor_vcard_reader_next (reader, NULL, &error);

  if (card == NULL)
    g_assert_nonnull (error);
  else
    g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  g_test_add_func ("/vcard/reader/basics", test_reader_basics);
  g_test_add_func ("/vcard/writer/folding", test_writer_folding);

  ADD ("/vcard/corpus/android", test_corpus_android);
  ADD ("/vcard/corpus/iphone", test_corpus_iphone);
  ADD ("/vcard/corpus/ms-outlook", test_corpus_ms_outlook);
  ADD ("/vcard/corpus/gmail", test_corpus_gmail);
  ADD ("/vcard/corpus/outlook-2003", test_corpus_outlook_2003);
  ADD ("/vcard/corpus/nextcloud", test_corpus_nextcloud);
  ADD ("/vcard/corpus/khard-data-uri", test_corpus_khard_data_uri);
  ADD ("/vcard/corpus/apple-company", test_corpus_apple_company);
  ADD ("/vcard/corpus/windows-1252", test_corpus_windows_1252);
  ADD ("/vcard/corpus/thebat", test_corpus_thebat);
  ADD ("/vcard/corpus/utf16", test_corpus_utf16);
  ADD ("/vcard/corpus/thunderbird-legacy", test_corpus_thunderbird_legacy);
  ADD ("/vcard/corpus/thunderbird-modern", test_corpus_thunderbird_modern);
  ADD ("/vcard/corpus/v4-uri-jpeg", test_corpus_v4_uri_jpeg);
  ADD ("/vcard/corpus/emclient", test_corpus_emclient);
  ADD ("/vcard/corpus/webdav-outlook", test_corpus_webdav_outlook);
  ADD ("/vcard/corpus/allfields", test_corpus_allfields);

  ADD ("/vcard/hostile/empty", test_hostile_empty);
  ADD ("/vcard/hostile/missing-end", test_hostile_missing_end);
  ADD ("/vcard/hostile/nested-begin", test_hostile_nested_begin);
  ADD ("/vcard/hostile/photo-garbage", test_hostile_photo_garbage);
  ADD ("/vcard/hostile/no-blob-store", test_hostile_no_blob_store);
  ADD ("/vcard/hostile/invalid-utf8", test_hostile_invalid_utf8);

  ADD ("/vcard/round-trip/4.0", test_round_trip_40);
  ADD ("/vcard/round-trip/3.0", test_round_trip_30);
  ADD ("/vcard/round-trip/corpus", test_round_trip_corpus);

#undef ADD

  g_test_add_func ("/vcard/hostile/empty-version", test_empty_version);

  return g_test_run ();
}

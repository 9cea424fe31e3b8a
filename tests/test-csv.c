/* test-csv.c: CSV reading, mapping and import, on the shared corpus
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kontor-csv-reader.h"
#include "kontor-exporter.h"
#include "kontor-importer.h"

typedef struct
{
  char        *dir;
  KontorStore *store;
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

  f->dir = g_dir_make_tmp ("kontor-test-csv-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = open_store (f->dir, "replica.db");
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
  remove_dir (f->dir);
  g_free (f->dir);
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static char *
corpus_path (const char *name)
{
  const char *shared = g_getenv ("KONTOR_SHARED");

  if (shared == NULL)
    return NULL;
  return g_build_filename (shared, "corpus", "csv", name, NULL);
}

/* The importer ran on a corpus file; NULL (test skipped) without corpus. */
static gboolean
run_corpus (KontorImporter  *importer,
            const char      *name,
            GError         **error)
{
  g_autofree char *path = corpus_path (name);
  g_autoptr(GFile) file = NULL;

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  file = g_file_new_for_path (path);
  return kontor_importer_run_file (importer, file, NULL, error);
}

static gboolean
have_corpus (void)
{
  g_autofree char *path = corpus_path ("thunderbird__csv_semicolon.csv");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("KONTOR_SHARED does not hold the corpus");
      return FALSE;
    }
  return TRUE;
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
  g_autoptr(GError) error = NULL;
  guint n = 0;

  kontor_store_count (store, query, &n, &error);
  g_assert_no_error (error);
  return n;
}

static const char *
org_name (KontorStore  *store,
          KontorRecord *contact)
{
  static char name[256];
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

/* ---------------------------------------------------------------------- */
/* The reader                                                             */

static GPtrArray *
read_all (const char  *text,
          gssize       len,
          GArray      *lines,
          char        *delimiter,
          char       **encoding,
          GError     **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(KontorCsvReader) reader = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (len < 0)
    len = strlen (text);
  in = g_memory_input_stream_new_from_data (g_memdup2 (text, len), len, g_free);
  reader = kontor_csv_reader_new (in);

  for (;;)
    {
      g_autoptr(GError) local = NULL;
      guint line = 0;
      GStrv row = kontor_csv_reader_read_row (reader, &line, NULL, &local);

      if (row == NULL && local == NULL)
        break;
      if (row == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      g_ptr_array_add (rows, row);
      if (lines != NULL)
        g_array_append_val (lines, line);
    }

  if (delimiter != NULL)
    *delimiter = kontor_csv_reader_get_delimiter (reader);
  if (encoding != NULL)
    *encoding = g_strdup (kontor_csv_reader_get_encoding (reader));
  return g_steal_pointer (&rows);
}

static void
test_reader_quotes (void)
{
  const char *text =
    "a,b,c\r\n"
    "\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
    "\r\n"
    "short\r\n"
    "\"bare\rcr\",\"tab\there\",last";
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (text, -1, lines, NULL, NULL, &error);
  GStrv row;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);

  row = g_ptr_array_index (rows, 1);
  g_assert_cmpuint (g_strv_length (row), ==, 3);
  g_assert_cmpstr (row[0], ==, "x, y");
  g_assert_cmpstr (row[1], ==, "say \"hi\"");
  g_assert_cmpstr (row[2], ==, "two\nlines");      /* CRLF inside quotes becomes LF */

  /* a short row stays short; line numbers count the quoted break */
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpuint (g_strv_length (row), ==, 1);
  g_assert_cmpstr (row[0], ==, "short");
  g_assert_cmpuint (g_array_index (lines, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (lines, guint, 1), ==, 2);
  g_assert_cmpuint (g_array_index (lines, guint, 2), ==, 5);

  row = g_ptr_array_index (rows, 3);
  g_assert_cmpstr (row[0], ==, "bare\rcr");
  g_assert_cmpstr (row[1], ==, "tab\there");
  g_assert_cmpstr (row[2], ==, "last");
}

static void
test_reader_sniff (void)
{
  struct { const char *text; char delimiter; guint width; } cases[] = {
    { "a;b;c\n1;2;3\n4;5;6\n", ';', 3 },
    { "a\tb\tc\n1\t2,5\t3\n", '\t', 3 },
    { "name,\"x;y;z\"\n1,\"2;3;4\"\n", ',', 2 },
    { "only\n", ',', 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char delimiter = 0;
      g_autoptr(GPtrArray) rows = read_all (cases[i].text, -1, NULL, &delimiter, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (delimiter, ==, cases[i].delimiter);
      g_assert_cmpuint (g_strv_length (g_ptr_array_index (rows, 0)), ==, cases[i].width);
    }
}

static void
test_reader_encodings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *encoding = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *utf16 = NULL;
  gsize utf16_len = 0;
  const char *text = "Vorname;Nachname\nJürgen;Müller\n";

  /* UTF-16 without a BOM, found by its zero bytes */
  utf16 = g_convert (text, -1, "UTF-16BE", "UTF-8", NULL, &utf16_len, &error);
  g_assert_no_error (error);
  rows = read_all (utf16, utf16_len, NULL, NULL, &encoding, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "UTF-16BE");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 1))[1], ==, "Müller");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&encoding, g_free);

  /* bytes that are not UTF-8 where everything before was ASCII: 1252 */
  rows = read_all ("first_name;last_name\nAnna;B\xe4r\n", -1, NULL, NULL, &encoding, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "WINDOWS-1252");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 1))[1], ==, "Bär");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&encoding, g_free);

  /* the 1252 bytes glibc refuses, and the euro sign */
  rows = read_all ("a\n\x80\x81\x9d\n", -1, NULL, NULL, &encoding, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 1))[0], ==, "€\xc2\x81\xc2\x9d");
}

/* An input stream that makes up n rows as it is read: a million rows
 * never exist at once. */
typedef struct
{
  GInputStream  parent_instance;
  guint         n_rows;
  guint         next_row;
  GString      *pending;
} RowStream;

typedef GInputStreamClass RowStreamClass;

static GType row_stream_get_type (void);
G_DEFINE_TYPE (RowStream, row_stream, G_TYPE_INPUT_STREAM)

static gssize
row_stream_read (GInputStream  *stream,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  RowStream *self = (RowStream *) stream;
  gsize n;

  while (self->pending->len < count && self->next_row <= self->n_rows)
    {
      if (self->next_row == 0)
        g_string_append (self->pending, "first_name,last_name,email,notes\r\n");
      else
        g_string_append_printf (self->pending,
                                "Anna,Müller %u,anna%u@example.de,\"Zeile eins\nZeile, zwei\"\r\n",
                                self->next_row, self->next_row);
      self->next_row++;
    }

  n = MIN (count, self->pending->len);
  memcpy (buffer, self->pending->str, n);
  g_string_erase (self->pending, 0, n);
  return n;
}

static void
row_stream_finalize (GObject *object)
{
  g_string_free (((RowStream *) object)->pending, TRUE);
  G_OBJECT_CLASS (row_stream_parent_class)->finalize (object);
}

static void
row_stream_class_init (RowStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = row_stream_finalize;
  klass->read_fn = row_stream_read;
}

static void
row_stream_init (RowStream *self)
{
  self->pending = g_string_new (NULL);
}

static GInputStream *
row_stream_new (guint n_rows)
{
  RowStream *self = g_object_new (row_stream_get_type (), NULL);

  self->n_rows = n_rows;
  return G_INPUT_STREAM (self);
}

static gsize
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  p = strstr (status, "VmRSS:");
  return p ? (gsize) g_ascii_strtoull (p + 6, NULL, 10) : 0;
}

static void
test_reader_million_rows (void)
{
  g_autoptr(GInputStream) in = row_stream_new (1000000);
  g_autoptr(KontorCsvReader) reader = kontor_csv_reader_new (in);
  gsize rss_before = resident_kib ();
  guint n = 0;
  guint last_line = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint line;
      g_auto(GStrv) row = kontor_csv_reader_read_row (reader, &line, NULL, &error);

      g_assert_no_error (error);
      if (row == NULL)
        break;
      if (n > 0)
        g_assert_cmpstr (row[3], ==, "Zeile eins\nZeile, zwei");
      last_line = line;
      n++;
    }

  g_assert_cmpuint (n, ==, 1000001);
  g_assert_cmpuint (last_line, ==, 2 * 1000000);   /* each row spans two lines */
  g_assert_cmpuint (kontor_csv_reader_get_bytes_read (reader), >, 60 * 1000 * 1000);
  /* the file is ~64 MB; the reader holds a window of it. (Under
   * AddressSanitizer freed memory sits in quarantine, so the resident size
   * says nothing there.) */
#if defined(__SANITIZE_ADDRESS__)
  g_test_message ("resident memory not checked under AddressSanitizer");
  (void) rss_before;
#else
  if (rss_before > 0)
    g_assert_cmpuint (resident_kib (), <, rss_before + 16 * 1024);
#endif
}

/* ---------------------------------------------------------------------- */
/* Dates                                                                  */

static void
test_dates (void)
{
  struct { const char *text; KontorDateOrder order; const char *iso; } ok[] = {
    { "2026-12-03", KONTOR_DATE_ORDER_ISO, "2026-12-03" },
    { "20261203", KONTOR_DATE_ORDER_DMY, "2026-12-03" },
    { "03.12.2026", KONTOR_DATE_ORDER_DMY, "2026-12-03" },
    { "3.12.2026.", KONTOR_DATE_ORDER_DMY, "2026-12-03" },
    { "12/3/2026", KONTOR_DATE_ORDER_MDY, "2026-12-03" },
    { "2026/12/3", KONTOR_DATE_ORDER_YMD, "2026-12-03" },
    { "20/01/1991", KONTOR_DATE_ORDER_DMY, "1991-01-20" },
  };
  struct { const char *text; KontorDateOrder order; const char *part; } bad[] = {
    { "03.12.2026", KONTOR_DATE_ORDER_ISO, "not an ISO date" },
    { "01.01.99", KONTOR_DATE_ORDER_DMY, "two digits" },
    { "31.02.2026", KONTOR_DATE_ORDER_DMY, "" },
    { "20/01/1991", KONTOR_DATE_ORDER_MDY, "" },
    { "1.2.3", KONTOR_DATE_ORDER_DMY, "" },
    { "03.12/2026", KONTOR_DATE_ORDER_DMY, "not a date" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = NULL;

      g_assert_true (kontor_date_parse (ok[i].text, ok[i].order, &iso, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (iso, ==, ok[i].iso);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = NULL;

      g_assert_false (kontor_date_parse (bad[i].text, bad[i].order, &iso, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, bad[i].part));
    }

  g_assert_cmpint (kontor_date_orders_possible ("20/01/1991"), ==, KONTOR_DATE_ORDER_DMY);
  g_assert_cmpint (kontor_date_orders_possible ("01/02/2003"), ==,
                   KONTOR_DATE_ORDER_DMY | KONTOR_DATE_ORDER_MDY);
  g_assert_cmpint (kontor_date_orders_possible ("2003-02-01"), ==, KONTOR_DATE_ORDER_ALL);
  g_assert_cmpint (kontor_date_orders_possible ("gestern"), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* The corpus                                                             */

static void
test_corpus_roundcube_all_fields (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  /* the dates are dd/mm/yyyy: without an order they are errors */
  g_assert_false (run_corpus (importer, "roundcube__all-fields-utf8-bom.csv", &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_true (has_problem (importer, 2, "birthday", "not an ISO date", TRUE));
  g_assert_cmpstr (kontor_importer_get_encoding (importer), ==, "UTF-8");
  g_assert_cmpstr (kontor_import_mapping_get_preset (kontor_importer_get_mapping (importer)), ==,
                   "outlook");
  /* the dry run tells which order fits every date */
  g_assert_cmpint (kontor_importer_get_date_orders_possible (importer), ==, KONTOR_DATE_ORDER_DMY);
  g_assert_cmpuint (count (f->store, "contact"), ==, 0);
  g_clear_error (&error);

  /* with the order, the placeholder phone numbers ("300") are the next
   * problem; the row is imported without them on request */
  kontor_importer_set_date_order (importer, KONTOR_DATE_ORDER_DMY);
  g_assert_false (run_corpus (importer, "roundcube__all-fields-utf8-bom.csv", &error));
  g_assert_true (has_problem (importer, 2, "phone", "“300”", TRUE));
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "roundcube__all-fields-utf8-bom.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 1);
  g_assert_true (has_problem (importer, 2, "phone", "“300”", FALSE));
  g_assert_true (has_problem (importer, 2, "Email Other", "other@example.com", FALSE));

  r = find_one (f->store, "contact", "last_name", "Last Name");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "First Name");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "work@example.com");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "home@example.com");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "1991-01-20");
  g_assert_cmpstr (kontor_record_get_string (r, "job_title"), ==, "Job Title");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "Work Street");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "Work City");
  g_assert_cmpstr (kontor_record_get_string (r, "postal_code"), ==, "Work Zip");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "https://work");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==, "Notes");
  g_assert_null (kontor_record_get_string (r, "phone"));
  assert_tags (r, (const char * const[]) { "test", NULL });
  g_assert_cmpstr (org_name (f->store, r), ==, "Company");
}

static void
test_corpus_google_legacy (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_false (run_corpus (importer, "roundcube__gmail-legacy-google-csv.csv", &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_true (has_problem (importer, 2, "phone", "letters are not allowed", TRUE));
  g_assert_cmpstr (kontor_import_mapping_get_preset (kontor_importer_get_mapping (importer)), ==,
                   "google");
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "roundcube__gmail-legacy-google-csv.csv", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Lastname");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Firstname");
  g_assert_cmpstr (kontor_record_get_string (r, "birthday"), ==, "1975-12-12");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==, "note\"note");
  /* "* Home" and "Work" typed e-mail pairs */
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "work@email.pl");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "home@aaa.pl");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "https://test.com");
  g_assert_cmpstr (kontor_record_get_string (r, "job_title"), ==, "jobtitle");
  /* the work address, whole, from its quoted multi-line neighbours */
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "work_street");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "work_city");
  g_assert_cmpstr (kontor_record_get_string (r, "postal_code"), ==, "work_zip");
  g_assert_cmpstr (kontor_record_get_string (r, "country"), ==, "work_country");
  /* "* My Contacts ::: Test": Google's own group is no tag */
  assert_tags (r, (const char * const[]) { "Test", NULL });
  g_assert_cmpstr (org_name (f->store, r), ==, "company");
  g_assert_true (has_problem (importer, 2, "Phone 4 - Value", "fax", FALSE));
}

static void
test_corpus_no_header (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorImportMapping) mapping = kontor_import_mapping_new ();
  g_autoptr(KontorRecord) john = NULL;
  g_autoptr(KontorRecord) jane = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_false (run_corpus (importer, "thunderbird__csv_no_header.csv", &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_HEADER);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_assert_nonnull (strstr (error->message, "John Doe"));
  g_clear_error (&error);

  kontor_import_mapping_set_column (mapping, 1, "first_name");
  kontor_import_mapping_set_column (mapping, 2, "last_name");
  kontor_import_mapping_set_column (mapping, 3, "email");
  kontor_importer_set_mapping (importer, mapping);
  g_assert_true (run_corpus (importer, "thunderbird__csv_no_header.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);

  john = find_one (f->store, "contact", "email", "john@doe.invalid");
  g_assert_cmpstr (kontor_record_get_string (john, "first_name"), ==, "John");
  g_assert_cmpstr (kontor_record_get_string (john, "last_name"), ==, "Doe");
  jane = find_one (f->store, "contact", "email", "jane@doe.invalid");
  g_assert_cmpstr (kontor_record_get_string (jane, "first_name"), ==, "Jane");
}

static void
test_corpus_semicolon (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "thunderbird__csv_semicolon.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpint (kontor_importer_get_delimiter (importer), ==, ';');
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);
  g_assert_cmpuint (count (f->store, "contact"), ==, 2);

  r = find_one (f->store, "contact", "email", "jane@doe.invalid");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Jane");
  g_assert_cmpstr (kontor_record_get_string (r, "last_name"), ==, "Doe");
}

static void
test_corpus_thunderbird_export (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) rows = NULL;
  GStrv row;

  if (!have_corpus ())
    return;

  /* the reader: doubled quotes, comma, TAB, bare CR and LF in quotes */
  path = corpus_path ("thunderbird__export-quotes-tab-newline.csv");
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  rows = read_all (contents, len, lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpuint (g_strv_length (row), ==, 37);
  g_assert_cmpstr (row[24], ==, "\"worker\"");
  g_assert_cmpstr (row[32], ==, "custom, 1");
  g_assert_cmpstr (row[33], ==, "custom\t2");
  g_assert_cmpstr (row[34], ==, "custom\r3");
  g_assert_cmpstr (row[35], ==, "custom\n4");
  g_assert_cmpstr (row[36], ==, "here's some unicode text…");
  g_assert_cmpuint (g_array_index (lines, guint, 2), ==, 3);

  /* "@invalid" has no dot: Kontor refuses such addresses */
  g_assert_false (run_corpus (importer, "thunderbird__export-quotes-tab-newline.csv", &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_true (has_problem (importer, 2, "email", "contact1@invalid", TRUE));
  g_assert_true (has_problem (importer, 3, "email", "contact2@invalid", TRUE));
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "thunderbird__export-quotes-tab-newline.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);

  r = find_one (f->store, "contact", "last_name", "two");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "contact");
  g_assert_cmpstr (kontor_record_get_string (r, "job_title"), ==, "\"worker\"");
  g_assert_cmpstr (kontor_record_get_string (r, "notes"), ==, "here's some unicode text…");
  g_assert_null (kontor_record_get_string (r, "email"));
}

static void
test_corpus_tab_comma_mixed (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorImportMapping) mapping = kontor_import_mapping_new ();
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_false (run_corpus (importer, "thunderbird__tab_comma_mixed.csv", &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_HEADER);
  g_clear_error (&error);

  /* Thunderbird's columns: first, last, display name, nickname, e-mail */
  kontor_import_mapping_set_column (mapping, 0, "first_name");
  kontor_import_mapping_set_column (mapping, 1, "last_name");
  kontor_import_mapping_set_column (mapping, 4, "email");
  kontor_importer_set_mapping (importer, mapping);
  g_assert_true (run_corpus (importer, "thunderbird__tab_comma_mixed.csv", &error));
  g_assert_no_error (error);

  g_assert_cmpint (kontor_importer_get_delimiter (importer), ==, '\t');
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 3);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 1);
  g_assert_true (has_problem (importer, 1, NULL, "separated by “,”, the file by TAB", TRUE));

  r = find_one (f->store, "contact", "email", "3@host.invalid");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "3");
  g_assert_cmpstr (kontor_record_get_string (r, "last_name"), ==, "3");
}

static void
test_corpus_utf16 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "thunderbird__utf16le-bom_addressbook.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_importer_get_encoding (importer), ==, "UTF-16LE");
  g_assert_cmpstr (kontor_import_mapping_get_preset (kontor_importer_get_mapping (importer)), ==,
                   "thunderbird");
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 1);

  r = find_one (f->store, "contact", "email", "johndoe@host.invalid");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "John");
  g_assert_cmpstr (kontor_record_get_string (r, "last_name"), ==, "Doe");
}

static void
test_corpus_apple_german (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  /* "01.01.99": a two-digit year is refused, never guessed */
  kontor_importer_set_date_order (importer, KONTOR_DATE_ORDER_DMY);
  g_assert_false (run_corpus (importer, "tine20__adb_mac_import-apple-de-tsv.csv", &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_true (has_problem (importer, 2, "birthday", "two digits", TRUE));
  g_assert_cmpint (kontor_importer_get_delimiter (importer), ==, '\t');
  g_assert_cmpstr (kontor_import_mapping_get_preset (kontor_importer_get_mapping (importer)), ==,
                   "apple");
  g_clear_error (&error);

  kontor_importer_set_skip_invalid_values (importer, TRUE);
  g_assert_true (run_corpus (importer, "tine20__adb_mac_import-apple-de-tsv.csv", &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Mustermann");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Max");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "max@muster.de");
  g_assert_cmpstr (kontor_record_get_string (r, "phone"), ==, "+494012345");
  g_assert_cmpstr (kontor_record_get_string (r, "street"), ==, "Musterstraße 1");
  g_assert_cmpstr (kontor_record_get_string (r, "postal_code"), ==, "22767");
  g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "Hamburg");
  g_assert_cmpstr (kontor_record_get_string (r, "country"), ==, "DE");
  g_assert_cmpstr (kontor_record_get_string (r, "website"), ==, "https://www.muster.de");
  g_assert_null (kontor_record_get_string (r, "birthday"));
  g_assert_cmpstr (org_name (f->store, r), ==, "Musterfirma");
}

static void
test_corpus_windows_1252 (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_corpus ())
    return;

  g_assert_true (run_corpus (importer, "tine20__importtest_win1252-semicolon.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_importer_get_encoding (importer), ==, "WINDOWS-1252");
  g_assert_cmpint (kontor_importer_get_delimiter (importer), ==, ';');
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 4);

  /* the third: umlauts as the first letter */
  r = find_one (f->store, "contact", "email", "oezdemir@ueglue.tu");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "ÖzdemirÖ");
  g_assert_cmpstr (kontor_record_get_string (r, "last_name"), ==, "Üglü");
  g_clear_object (&r);
  r = find_one (f->store, "contact", "email", "peter.pan@ecologic.eu");
  g_assert_cmpstr (kontor_record_get_string (r, "last_name"), ==, "Pan");
}

/* ---------------------------------------------------------------------- */
/* Import behaviour                                                       */

static void
test_linkedin_preamble (Fixture       *f,
                        gconstpointer  data)
{
  const char *text =
    "Notes:\n"
    "\"When exporting your connection data, you may notice that some of the email "
    "addresses are missing.\"\n"
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Anna,Schmidt,https://www.linkedin.com/in/annaschmidt,anna@example.de,Beispiel GmbH,Einkauf,"
    "12 Mar 2021\n"
    "Jörg,Weiß,https://www.linkedin.com/in/joergweiss,,Beispiel GmbH,Vertrieb,01 Apr 2022\n";
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) anna = NULL;
  g_autoptr(KontorRecord) joerg = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (run_text (importer, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_import_mapping_get_preset (kontor_importer_get_mapping (importer)), ==,
                   "linkedin");
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);
  g_assert_true (has_problem (importer, 1, NULL, "2 lines before the header", FALSE));

  anna = find_one (f->store, "contact", "last_name", "Schmidt");
  g_assert_cmpstr (kontor_record_get_string (anna, "linkedin"), ==,
                   "https://www.linkedin.com/in/annaschmidt");
  g_assert_cmpstr (kontor_record_get_string (anna, "email"), ==, "anna@example.de");
  g_assert_cmpstr (kontor_record_get_string (anna, "job_title"), ==, "Einkauf");
  joerg = find_one (f->store, "contact", "last_name", "Weiß");
  g_assert_cmpstr (kontor_record_get_string (joerg, "first_name"), ==, "Jörg");

  /* one organization for both */
  g_assert_cmpuint (kontor_importer_get_n_organizations_created (importer), ==, 1);
  g_assert_cmpuint (count (f->store, "organization"), ==, 1);
  g_assert_cmpstr (kontor_record_get_string (anna, "organization"), ==,
                   kontor_record_get_string (joerg, "organization"));
}

static void
test_existing_organization (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(KontorRecord) org = NULL;
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (values, "name", "Müller & Söhne GmbH");
  org = kontor_store_create (f->store, "organization", NULL, values, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (run_text (importer,
                           "Vorname;Nachname;Firma\n"
                           "Jürgen;Müller;Müller & Söhne GmbH\n"
                           "Eva;Kühn;Kühn AG\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_organizations_created (importer), ==, 1);

  r = find_one (f->store, "contact", "last_name", "Müller");
  g_assert_cmpstr (kontor_record_get_string (r, "organization"), ==, kontor_record_get_id (org));
  g_assert_cmpuint (count (f->store, "organization"), ==, 2);
}

static void
test_google_multi_values (Fixture       *f,
                          gconstpointer  data)
{
  const char *text =
    "Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
    "Group Membership\n"
    "Anna,Müller,* Work ::: Home,anna@firma.de ::: anna@privat.de,Mobile,+49 171 1234567,"
    "* myContacts ::: Kunden ::: VIP\n";
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (run_text (importer, text, -1, &error));
  g_assert_no_error (error);

  r = find_one (f->store, "contact", "last_name", "Müller");
  g_assert_cmpstr (kontor_record_get_string (r, "email"), ==, "anna@firma.de");
  g_assert_cmpstr (kontor_record_get_string (r, "email_private"), ==, "anna@privat.de");
  g_assert_cmpstr (kontor_record_get_string (r, "mobile"), ==, "+491711234567");
  assert_tags (r, (const char * const[]) { "myContacts", "Kunden", "VIP", NULL });
}

static void
test_no_silent_coercion (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) r = NULL;

  g_assert_nonnull (kontor_store_add_custom_field (f->store, "contact", "discount", "Discount",
                                                   "decimal", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (run_text (importer,
                           "last_name,discount,score\n"
                           "Meier,1.2.3,10\n"
                           "Schulze,\"12,50\",x\n"
                           "Lehmann,2.5,7\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 1);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 2);
  g_assert_true (has_problem (importer, 2, "discount", "1.2.3", TRUE));
  g_assert_true (has_problem (importer, 3, "score", "“x”", TRUE));

  r = find_one (f->store, "contact", "last_name", "Lehmann");
  g_assert_cmpstr (kontor_record_get_string (r, "discount"), ==, "2.5");
  g_assert_cmpint (kontor_record_get_int (r, "score", 0), ==, 7);
}

static void
test_date_order (Fixture       *f,
                 gconstpointer  data)
{
  const char *text = "last_name;birthday\nA;03/04/1980\nB;1975-12-24\nC;12/11/1990\n";
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(GError) error = NULL;

  kontor_importer_set_dry_run (importer, TRUE);
  g_assert_true (run_text (importer, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 1);
  g_assert_cmpint (kontor_importer_get_date_orders_possible (importer), ==,
                   KONTOR_DATE_ORDER_DMY | KONTOR_DATE_ORDER_MDY);

  /* one order for the whole file */
  kontor_importer_set_dry_run (importer, FALSE);
  kontor_importer_set_date_order (importer, KONTOR_DATE_ORDER_MDY);
  g_assert_true (run_text (importer, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 3);
  a = find_one (f->store, "contact", "last_name", "A");
  g_assert_cmpstr (kontor_record_get_string (a, "birthday"), ==, "1980-03-04");
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GError) error = NULL;
  GPtrArray *preview;
  JsonObject *first;

  kontor_importer_set_dry_run (importer, TRUE);
  g_assert_true (run_text (importer,
                           "First Name,Last Name,E-mail,Company,Phone\n"
                           "Jürgen,Müller,juergen@example.de,Neue Firma GmbH,0711 123456\n"
                           "Eva,,eva@example.de,,\n"
                           "Ida,Kern,ida@,,\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 1);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 2);
  g_assert_true (has_problem (importer, 3, "last_name", "required", TRUE));
  g_assert_true (has_problem (importer, 4, "email", "ida@", TRUE));

  preview = kontor_importer_get_preview (importer);
  g_assert_cmpuint (preview->len, ==, 1);
  first = g_ptr_array_index (preview, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "phone"), ==, "+49711123456");
  g_assert_cmpstr (json_object_get_string_member (first, "_organization"), ==, "Neue Firma GmbH");
  g_assert_cmpint (json_object_get_int_member (first, "_line"), ==, 2);

  /* nothing written */
  g_assert_cmpuint (count (f->store, "contact"), ==, 0);
  g_assert_cmpuint (count (f->store, "organization"), ==, 0);
  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, 0);
}

static void
progress_cb (guint64  bytes_read,
             guint64  bytes_total,
             guint    n_rows,
             gpointer user_data)
{
  guint *calls = user_data;

  g_assert_cmpuint (bytes_read, <=, bytes_total);
  (*calls)++;
}

static void
test_batches_and_progress (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GString) text = g_string_new ("first_name,last_name,email\n");
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  for (guint i = 0; i < 2500; i++)
    g_string_append_printf (text, "Anna,Müller %u,anna%u@example.de\n", i, i);
  /* a broken row in the third batch */
  g_string_append (text, "Bernd,,bernd@example.de\n");

  kontor_importer_set_batch_size (importer, 1000);
  kontor_importer_set_progress_func (importer, progress_cb, &calls, NULL);
  g_assert_true (run_text (importer, text->str, text->len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2500);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 1);
  g_assert_cmpuint (count (f->store, "contact"), ==, 2500);
  g_assert_cmpuint (calls, >=, 25);
  g_assert_true (has_problem (importer, 2502, "last_name", "required", TRUE));
}

typedef struct
{
  KontorStore *store;
  gboolean     seen_unindexed;
} BulkWatch;

static void
bulk_progress_cb (guint64  bytes_read,
                  guint64  bytes_total,
                  guint    n_rows,
                  gpointer user_data)
{
  BulkWatch *watch = user_data;
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  g_autofree char *plan = NULL;

  if (n_rows != 15000)
    return;
  kontor_query_parse_sort (q, "last_name");
  plan = kontor_store_explain_query (watch->store, q, NULL);
  watch->seen_unindexed = plan != NULL && strstr (plan, "TEMP B-TREE") != NULL;
}

/* A large file into an empty kind builds the kind's indexes once at the
 * end: during the import lists sort without them, after it with them. */
static void
test_bulk_indexes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GString) text = g_string_new ("first_name,last_name,email\n");
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = NULL;
  BulkWatch watch = { f->store, FALSE };

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "Anna,Müller %05u,anna%u@example.de\n", 19999 - i, i);

  kontor_importer_set_progress_func (importer, bulk_progress_cb, &watch, NULL);
  g_assert_true (run_text (importer, text->str, text->len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 20000);
  g_assert_true (watch.seen_unindexed);

  kontor_query_parse_sort (q, "last_name");
  plan = kontor_store_explain_query (f->store, q, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (plan, "INDEX ix_contact__last_name__text"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));
  first = kontor_store_query (f->store, q, 0, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (first, 0), "last_name"), ==,
                   "Müller 00000");
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (first, 1), "last_name"), ==,
                   "Müller 00001");
  g_assert_cmpuint (count (f->store, "contact"), ==, 20000);
}

static void
test_million_rows_dry_run (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows = g_test_slow () ? 1000000 : 200000;
  guint calls = 0;

  in = row_stream_new (n_rows);
  kontor_importer_set_dry_run (importer, TRUE);
  kontor_importer_set_progress_func (importer, progress_cb, &calls, NULL);
  g_assert_true (kontor_importer_run (importer, in, G_MAXUINT64, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, n_rows);
  g_assert_cmpuint (calls, >=, n_rows / 100);
  g_assert_cmpuint (kontor_importer_get_preview (importer)->len, ==, 20);
}

/* ---------------------------------------------------------------------- */
/* Hostile input                                                          */

static void
test_hostile_empty (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GError) error = NULL;

  g_assert_false (run_text (importer, "", 0, &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_false (run_text (importer, "\r\n\n\n", -1, &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_EMPTY);
}

static void
test_hostile_header_only (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GError) error = NULL;

  g_assert_false (run_text (importer, "First Name,Last Name,E-mail\r\n", -1, &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_nonnull (strstr (error->message, "header but no records"));
}

static void
test_hostile_long_line (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GError) error = NULL;
  gsize size = 10 * 1024 * 1024;
  g_autoptr(GString) text = g_string_sized_new (size + 200);

  /* a 10 MB file of one line */
  for (gsize i = 0; i < size; i++)
    g_string_append_c (text, (char) ('a' + i % 26));
  g_assert_false (run_text (importer, text->str, text->len, &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS);
  g_assert_true (has_problem (importer, 1, NULL, "longer than", TRUE));
  g_clear_error (&error);

  /* and between good rows: only that row is lost */
  g_string_prepend (text, "last_name,notes\nErste,eins\nZweite,\"");
  g_string_append (text, "\"\nDritte,drei\n");
  g_assert_true (run_text (importer, text->str, text->len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);
  g_assert_true (has_problem (importer, 3, NULL, "longer than", TRUE));
  g_assert_cmpuint (count (f->store, "contact"), ==, 2);
}

static void
test_hostile_invalid_utf8 (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (run_text (importer,
                           "first_name,last_name\n"
                           "Jürgen,Müller\n"
                           "Anna,B\xff\xfer\n"
                           "Eva,Schulz\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_importer_get_encoding (importer), ==, "UTF-8");
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 1);
  g_assert_true (has_problem (importer, 3, NULL, "not valid UTF-8", TRUE));

  r = find_one (f->store, "contact", "last_name", "Müller");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Jürgen");

  /* the way out: choose the encoding */
  g_clear_object (&importer);
  importer = kontor_importer_new (f->store, "contact");
  kontor_importer_set_encoding (importer, "ISO-8859-1");
  g_assert_true (run_text (importer, "first_name,last_name\nAnna,B\xe4r\n", -1, &error));
  g_assert_no_error (error);
  g_clear_object (&r);
  r = find_one (f->store, "contact", "last_name", "Bär");
  g_assert_cmpstr (kontor_record_get_string (r, "first_name"), ==, "Anna");
}

static void
test_hostile_unclosed_quote (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GError) error = NULL;

  g_assert_true (run_text (importer, "last_name,notes\nA,fine\nB,\"never closed\nC,x\n", -1,
                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 1);
  g_assert_true (has_problem (importer, 3, NULL, "not closed", TRUE));
}

static void
test_hostile_unknown_encoding (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (f->store, "contact");
  g_autoptr(GError) error = NULL;

  kontor_importer_set_encoding (importer, "KLINGON-1");
  g_assert_false (run_text (importer, "last_name\nA\n", -1, &error));
  g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_ENCODING);
}

/* ---------------------------------------------------------------------- */
/* Round trip                                                             */

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
  g_assert_no_error (error);
  g_assert_nonnull (kontor_store_add_custom_field (store, "contact", "discount", "Discount",
                                                   "decimal", NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (kontor_store_add_custom_field (store, "contact", "shirt", "Shirt",
                                                   "choice", sizes, &error));
  g_assert_no_error (error);
  g_assert_nonnull (kontor_store_add_custom_field (store, "contact", "budget", "Budget",
                                                   "money", NULL, &error));
  g_assert_no_error (error);
}

static void
fill_contacts (KontorStore *store)
{
  g_autoptr(KontorRecord) org = create (store, "organization",
                                        "{\"name\": \"Müller & Söhne GmbH\"}");
  g_autofree char *json = NULL;
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(KontorRecord) b = NULL;

  json = g_strdup_printf (
    "{\"first_name\": \"Jürgen\", \"last_name\": \"Müller\", \"organization\": \"%s\","
    " \"job_title\": \"Geschäftsführer, Vertrieb\", \"email\": \"j.mueller@mueller-soehne.de\","
    " \"email_private\": \"juergen@example.de\", \"phone\": \"0711 123456\","
    " \"mobile\": \"+49 171 2345678\", \"website\": \"www.mueller-soehne.de\","
    " \"linkedin\": \"https://www.linkedin.com/in/jmueller\","
    " \"xing\": \"https://www.xing.com/profile/J_Mueller\","
    " \"street\": \"Königstraße 1\", \"postal_code\": \"70173\", \"city\": \"Stuttgart\","
    " \"region\": \"Baden-Württemberg\", \"country\": \"Deutschland\","
    " \"birthday\": \"1970-02-28\","
    " \"lifecycle\": \"customer\", \"score\": 42, \"tags\": [\"vip\", \"newsletter\"],"
    " \"photo\": \"5694f576a5002e09de3651eda7a75a6dd7001516bdffc6e532b3d5b547c6f54a\","
    " \"notes\": \"Zeile 1\\nZeile 2, mit \\\"Anführung\\\"; und Semikolon\\\\Backslash\","
    " \"shoe_size\": 44, \"discount\": \"12.50\", \"shirt\": \"L\","
    " \"budget\": {\"minor\": 123456, \"currency\": \"EUR\"}}", kontor_record_get_id (org));
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
export_csv (KontorStore *store)
{
  g_autoptr(KontorExporter) exporter = kontor_exporter_new (store, "contact", KONTOR_EXPORT_CSV);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorQuery) query = kontor_query_new ("contact");

  kontor_query_add_sort (query, "last_name", FALSE);
  kontor_exporter_set_query (exporter, query);
  g_assert_true (kontor_exporter_run (exporter, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_exporter_get_n_exported (exporter), ==, 2);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KontorStore) other = open_store (f->dir, "other.db");
  g_autoptr(KontorImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *again = NULL;

  add_custom_fields (f->store);
  fill_contacts (f->store);
  csv = export_csv (f->store);

  /* Kontor's own header: field names, custom fields included */
  g_assert_true (g_str_has_prefix (csv, "first_name,last_name,organization,job_title,email,"));
  g_assert_nonnull (strstr (csv, ",shoe_size,discount,shirt,budget\r\n"));
  g_assert_nonnull (strstr (csv, ",Müller & Söhne GmbH,"));

  add_custom_fields (other);
  importer = kontor_importer_new (other, "contact");
  g_assert_true (run_text (importer, csv, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_import_mapping_get_preset (kontor_importer_get_mapping (importer)), ==,
                   "kontor");
  g_assert_cmpuint (kontor_importer_get_n_imported (importer), ==, 2);
  g_assert_cmpuint (kontor_importer_get_n_failed (importer), ==, 0);

  compare_stores (f->store, other);

  /* and the second export is the first, byte for byte */
  again = export_csv (other);
  g_assert_cmpstr (again, ==, csv);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  g_test_add_func ("/csv/reader/quotes", test_reader_quotes);
  g_test_add_func ("/csv/reader/sniff", test_reader_sniff);
  g_test_add_func ("/csv/reader/encodings", test_reader_encodings);
  g_test_add_func ("/csv/reader/million-rows", test_reader_million_rows);
  g_test_add_func ("/csv/dates", test_dates);

  ADD ("/csv/corpus/roundcube-all-fields", test_corpus_roundcube_all_fields);
  ADD ("/csv/corpus/google-legacy", test_corpus_google_legacy);
  ADD ("/csv/corpus/no-header", test_corpus_no_header);
  ADD ("/csv/corpus/semicolon", test_corpus_semicolon);
  ADD ("/csv/corpus/thunderbird-export", test_corpus_thunderbird_export);
  ADD ("/csv/corpus/tab-comma-mixed", test_corpus_tab_comma_mixed);
  ADD ("/csv/corpus/utf16", test_corpus_utf16);
  ADD ("/csv/corpus/apple-german", test_corpus_apple_german);
  ADD ("/csv/corpus/windows-1252", test_corpus_windows_1252);

  ADD ("/csv/import/linkedin-preamble", test_linkedin_preamble);
  ADD ("/csv/import/existing-organization", test_existing_organization);
  ADD ("/csv/import/google-multi-values", test_google_multi_values);
  ADD ("/csv/import/no-silent-coercion", test_no_silent_coercion);
  ADD ("/csv/import/date-order", test_date_order);
  ADD ("/csv/import/dry-run", test_dry_run);
  ADD ("/csv/import/batches-and-progress", test_batches_and_progress);
  ADD ("/csv/import/bulk-indexes", test_bulk_indexes);
  ADD ("/csv/import/million-rows-dry-run", test_million_rows_dry_run);

  ADD ("/csv/hostile/empty", test_hostile_empty);
  ADD ("/csv/hostile/header-only", test_hostile_header_only);
  ADD ("/csv/hostile/long-line", test_hostile_long_line);
  ADD ("/csv/hostile/invalid-utf8", test_hostile_invalid_utf8);
  ADD ("/csv/hostile/unclosed-quote", test_hostile_unclosed_quote);
  ADD ("/csv/hostile/unknown-encoding", test_hostile_unknown_encoding);

  ADD ("/csv/round-trip", test_round_trip);

#undef ADD

  return g_test_run ();
}

/* kontor-import-dialog.c: a file into the store, after a preview
 *
 * Every check and the import itself run in a GTask thread on a store
 * connection of their own (KontorStore is not thread-safe; SQLite in WAL
 * mode lets the UI's connection read meanwhile). After an import the UI's
 * store is told which kinds changed, so lists reload.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-csv-reader.h"
#include "kontor-duplicates-window.h"
#include "kontor-duplicates.h"
#include "kontor-format.h"
#include "kontor-ical.h"
#include "kontor-import-dialog.h"
#include "kontor-importer.h"
#include "kontor-store-sync.h"

#define PREVIEW_SIZE 20
#define MAX_PROBLEM_ROWS 100

typedef enum
{
  FILE_FORMAT_CSV,
  FILE_FORMAT_VCARD,
  FILE_FORMAT_ICS,
} FileFormat;

/* What the worker reports while it runs; written there, read by a timeout
 * here. */
typedef struct
{
  guint64 bytes_read;
  guint64 bytes_total;
  guint   n_rows;
  guint   phase;       /* 0 reading, 1 looking for duplicates */
  guint   permille;    /* of the duplicate scan */
} Progress;

/* One job for the worker: everything it needs, copied. */
typedef struct
{
  char                *db_path;
  GFile               *file;
  char                *kind;
  char                *encoding;
  char                 delimiter;
  KontorDateOrder      date_order;
  gboolean             skip_invalid;
  KontorImportMapping *mapping;
  gboolean             dry_run;
  gint64               start_ms;
  Progress            *progress;   /* atomic box, shared with the dialog */
} Job;

/* What the worker found. */
typedef struct
{
  FileFormat           format;
  GStrv                header;
  GStrv                first_row;
  KontorImportMapping *mapping;
  char                *encoding;
  char                 delimiter;
  char                *preset;
  KontorDateOrder      possible;
  guint                n_imported;
  guint                n_skipped;
  guint                n_failed;
  guint                n_organizations;
  guint                n_problems;
  GPtrArray           *problems;    /* KontorImportProblem */
  GPtrArray           *preview;     /* JsonObject */
  GPtrArray           *duplicates;  /* KontorDuplicateCandidate */
  char                *error;       /* for the file as a whole, or NULL */
  gboolean             cancelled;
} Outcome;

struct _KontorImportDialog
{
  AdwWindow        parent_instance;

  GtkButton       *cancel_button;
  GtkBox          *counts_box;
  AdwComboRow     *date_order_row;
  AdwComboRow     *delimiter_row;
  AdwComboRow     *encoding_row;
  GtkLabel        *error_label;
  GtkLabel        *failed_label;
  AdwActionRow    *file_row;
  GtkButton       *import_button;
  AdwComboRow     *kind_row;
  AdwPreferencesGroup *mapping_group;
  GtkLabel        *ok_label;
  AdwPreferencesGroup *preview_group;
  AdwPreferencesGroup *problems_group;
  GtkProgressBar  *progress_bar;
  AdwStatusPage   *progress_page;
  GtkButton       *review_button;
  AdwActionRow    *skip_invalid_row;
  GtkSwitch       *skip_invalid_switch;
  GtkLabel        *skipped_label;
  GtkSpinner      *spinner;
  GtkStack        *stack;
  AdwStatusPage   *summary_page;
  AdwPreferencesGroup *summary_problems_group;
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;

  KontorStore     *store;
  GFile           *file;
  GCancellable    *cancellable;
  GtkFileChooserNative *chooser;
  Progress        *progress;
  guint            progress_id;

  GPtrArray       *problem_rows;
  GPtrArray       *preview_rows;
  GPtrArray       *mapping_rows;
  GPtrArray       *summary_rows;

  Outcome         *checked;      /* the last dry run */
  GHashTable      *overrides;    /* column (1-based) -> target, chosen by hand */
  GPtrArray       *duplicates;   /* after the import */
  char            *dup_kind;

  gboolean         busy;
  gboolean         importing;
  gboolean         updating;
  gboolean         closed;
};

G_DEFINE_FINAL_TYPE (KontorImportDialog, kontor_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The kinds a file may be imported as. */
static const char * const import_kinds[] = {
  "contact", "organization", "lead", "deal", "activity", "product", NULL
};

static const char * const encodings[] = {
  NULL, "UTF-8", "UTF-16LE", "UTF-16BE", "WINDOWS-1252", "ISO-8859-1", "ISO-8859-15",
  "MACINTOSH",
};

static const char delimiters[] = { 0, ',', ';', '\t', '|' };

static const KontorDateOrder date_orders[] = {
  KONTOR_DATE_ORDER_ISO, KONTOR_DATE_ORDER_DMY, KONTOR_DATE_ORDER_MDY, KONTOR_DATE_ORDER_YMD,
};

static void start_check (KontorImportDialog *self);

/* ---------------------------------------------------------------------- */
/* Jobs and outcomes                                                      */

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_clear_object (&job->file);
  g_free (job->kind);
  g_free (job->encoding);
  g_clear_pointer (&job->mapping, kontor_import_mapping_unref);
  g_clear_pointer (&job->progress, g_atomic_rc_box_release);
  g_free (job);
}

static void
outcome_free (Outcome *o)
{
  g_strfreev (o->header);
  g_strfreev (o->first_row);
  g_clear_pointer (&o->mapping, kontor_import_mapping_unref);
  g_free (o->encoding);
  g_free (o->preset);
  g_clear_pointer (&o->problems, g_ptr_array_unref);
  g_clear_pointer (&o->preview, g_ptr_array_unref);
  g_clear_pointer (&o->duplicates, g_ptr_array_unref);
  g_free (o->error);
  g_free (o);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Outcome, outcome_free)

/* By the name first, then by the first letters of the file whatever its
 * encoding (a BOM, the zero bytes of UTF-16 and blanks are skipped). */
static FileFormat
detect_format (GFile        *file,
               GCancellable *cancellable)
{
  static const struct
  {
    const char *suffix;
    FileFormat  format;
  } suffixes[] = {
    { ".csv", FILE_FORMAT_CSV }, { ".tsv", FILE_FORMAT_CSV }, { ".txt", FILE_FORMAT_CSV },
    { ".vcf", FILE_FORMAT_VCARD }, { ".vcard", FILE_FORMAT_VCARD },
    { ".ics", FILE_FORMAT_ICS }, { ".ical", FILE_FORMAT_ICS }, { ".ifb", FILE_FORMAT_ICS },
  };
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (base ? base : "", -1);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GString) start = g_string_new (NULL);
  guint8 buf[4096];
  gssize len = 0;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i].suffix))
      return suffixes[i].format;

  in = g_file_read (file, cancellable, NULL);
  if (in != NULL)
    len = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf, cancellable, NULL);
  for (gssize i = 0; i < len && start->len < 15; i++)
    {
      guint8 c = buf[i];

      if (c == 0 || c == 0xEF || c == 0xBB || c == 0xBF || c == 0xFE || c == 0xFF)
        continue;
      if (start->len == 0 && g_ascii_isspace (c))
        continue;
      g_string_append_c (start, (char) g_ascii_toupper (c));
    }

  if (g_str_has_prefix (start->str, "BEGIN:VCALENDAR"))
    return FILE_FORMAT_ICS;
  if (g_str_has_prefix (start->str, "BEGIN:VCARD"))
    return FILE_FORMAT_VCARD;
  return FILE_FORMAT_CSV;
}

static gint64
uuid_time_ms (const char *id)
{
  char hex[13];
  guint n = 0;

  for (const char *p = id; p != NULL && *p != '\0' && n < 12; p++)
    if (*p != '-')
      hex[n++] = *p;
  hex[n] = '\0';
  return n == 12 ? (gint64) g_ascii_strtoull (hex, NULL, 16) : 0;
}

static void
on_worker_progress (guint64  bytes_read,
                    guint64  bytes_total,
                    guint    n_rows,
                    gpointer user_data)
{
  Progress *p = user_data;

  /* a torn read only shows a wrong fraction for a tenth of a second */
  p->bytes_read = bytes_read;
  p->bytes_total = bytes_total;
  g_atomic_int_set (&p->n_rows, n_rows);
}

typedef struct
{
  Progress     *progress;
  GCancellable *cancellable;
} ScanData;

static gboolean
on_scan_progress (double   fraction,
                  gpointer user_data)
{
  ScanData *d = user_data;

  g_atomic_int_set (&d->progress->permille, (guint) (fraction * 1000));
  return !g_cancellable_is_cancelled (d->cancellable);
}

static gboolean
ical_uid_known (KontorStore *store,
                const char  *uid)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (store), "activity");
  g_autoptr(KontorQuery) query = NULL;
  const char *values[] = { uid, NULL };
  guint n = 0;

  if (uid == NULL || kind == NULL || kontor_kind_get_field (kind, KONTOR_ICAL_UID_FIELD) == NULL)
    return FALSE;
  query = kontor_query_new ("activity");
  kontor_query_add_condition (query, KONTOR_ICAL_UID_FIELD, KONTOR_QUERY_EQ, values);
  return kontor_store_count (store, query, &n, NULL) && n > 0;
}

static void
add_ical_problems (Outcome   *o,
                   GPtrArray *problems)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      KontorIcalProblem *p = g_ptr_array_index (problems, i);

      g_ptr_array_add (o->problems, kontor_import_problem_new (p->line, NULL, p->message, TRUE));
    }
  o->n_problems = o->problems->len;
}

static void
run_ical (Job          *job,
          KontorStore  *store,
          Outcome      *o,
          GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (job->dry_run)
    {
      g_autoptr(KontorIcalResult) result = kontor_ical_read_file (job->file, NULL, cancellable,
                                                                  &error);

      if (result == NULL)
        {
          o->error = g_strdup (error->message);
          return;
        }
      for (guint i = 0; i < result->entries->len; i++)
        {
          KontorIcalEntry *e = g_ptr_array_index (result->entries, i);
          const char *uid = json_object_get_string_member_with_default (e->values,
                                                                        KONTOR_ICAL_UID_FIELD,
                                                                        NULL);

          if (ical_uid_known (store, uid))
            {
              o->n_skipped++;
              continue;
            }
          o->n_imported++;
          if (o->preview->len < PREVIEW_SIZE)
            {
              JsonObject *shown = kontor_json_object_copy (e->values);

              json_object_set_int_member (shown, "_line", e->line);
              g_ptr_array_add (o->preview, shown);
            }
        }
      o->n_failed = result->n_failed;
      add_ical_problems (o, result->problems);
    }
  else
    {
      g_auto(KontorIcalSummary) summary = { 0 };

      if (!kontor_ical_import (store, job->file, NULL, &summary, &error))
        o->error = g_strdup (error->message);
      o->n_imported = summary.imported;
      o->n_skipped = summary.skipped;
      o->n_failed = summary.failed;
      add_ical_problems (o, summary.problems);
    }
}

/* The header and the first data row of a CSV file, for the mapping. */
static void
read_header (Job          *job,
             Outcome      *o,
             GCancellable *cancellable)
{
  g_autoptr(GFileInputStream) in = g_file_read (job->file, cancellable, NULL);
  g_autoptr(KontorCsvReader) reader = NULL;
  guint line = 0;

  if (in == NULL)
    return;
  reader = kontor_csv_reader_new (G_INPUT_STREAM (in));
  if (job->encoding != NULL)
    kontor_csv_reader_set_encoding (reader, job->encoding);
  if (job->delimiter != 0)
    kontor_csv_reader_set_delimiter (reader, job->delimiter);
  o->header = kontor_csv_reader_read_row (reader, &line, cancellable, NULL);
  if (o->header != NULL)
    o->first_row = kontor_csv_reader_read_row (reader, &line, cancellable, NULL);
}

static void
run_importer (Job          *job,
              KontorStore  *store,
              Outcome      *o,
              GCancellable *cancellable)
{
  g_autoptr(KontorImporter) importer = kontor_importer_new (store, job->kind);
  g_autoptr(GError) error = NULL;
  KontorImportMapping *mapping;
  GPtrArray *problems;
  GPtrArray *preview;
  guint before = 0;
  g_autoptr(KontorQuery) count_query = kontor_query_new (job->kind);

  if (o->format == FILE_FORMAT_CSV)
    read_header (job, o, cancellable);

  kontor_importer_set_format (importer, o->format == FILE_FORMAT_VCARD
                                        ? KONTOR_IMPORT_FORMAT_VCARD
                                        : KONTOR_IMPORT_FORMAT_CSV);
  kontor_importer_set_encoding (importer, job->encoding);
  kontor_importer_set_delimiter (importer, job->delimiter);
  kontor_importer_set_date_order (importer, job->date_order);
  kontor_importer_set_dry_run (importer, job->dry_run);
  kontor_importer_set_skip_invalid_values (importer, job->skip_invalid);
  kontor_importer_set_preview_size (importer, PREVIEW_SIZE);
  if (job->mapping != NULL && o->format == FILE_FORMAT_CSV)
    kontor_importer_set_mapping (importer, job->mapping);
  kontor_importer_set_progress_func (importer, on_worker_progress, job->progress, NULL);

  if (!job->dry_run)
    kontor_store_count (store, count_query, &before, NULL);

  if (!kontor_importer_run_file (importer, job->file, cancellable, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        o->cancelled = TRUE;
      else
        o->error = g_strdup (error->message);
    }

  o->n_imported = kontor_importer_get_n_imported (importer);
  o->n_skipped = kontor_importer_get_n_skipped (importer);
  o->n_failed = kontor_importer_get_n_failed (importer);
  o->n_organizations = kontor_importer_get_n_organizations_created (importer);
  o->n_problems = kontor_importer_get_n_problems (importer);
  o->possible = kontor_importer_get_date_orders_possible (importer);
  o->encoding = g_strdup (kontor_importer_get_encoding (importer));
  o->delimiter = kontor_importer_get_delimiter (importer);
  mapping = kontor_importer_get_mapping (importer);
  if (mapping != NULL)
    {
      o->mapping = kontor_import_mapping_ref (mapping);
      o->preset = g_strdup (kontor_import_mapping_get_preset (mapping));
    }

  problems = kontor_importer_get_problems (importer);
  for (guint i = 0; i < problems->len; i++)
    {
      KontorImportProblem *p = g_ptr_array_index (problems, i);

      g_ptr_array_add (o->problems, kontor_import_problem_new (p->line, p->field, p->message,
                                                               p->fatal));
    }
  preview = kontor_importer_get_preview (importer);
  for (guint i = 0; i < preview->len; i++)
    g_ptr_array_add (o->preview, json_object_ref (g_ptr_array_index (preview, i)));

  /* a stopped import keeps the batches committed before: count them */
  if (o->cancelled)
    {
      guint after = 0;

      if (kontor_store_count (store, count_query, &after, NULL))
        o->n_imported = after > before ? after - before : 0;
    }
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(Outcome) o = g_new0 (Outcome, 1);
  g_autoptr(KontorStore) store = NULL;
  g_autoptr(GError) error = NULL;

  o->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);
  o->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  o->duplicates = g_ptr_array_new_with_free_func (
    (GDestroyNotify) kontor_duplicate_candidate_free);

  store = kontor_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  o->format = detect_format (job->file, cancellable);
  if (o->format == FILE_FORMAT_ICS)
    run_ical (job, store, o, cancellable);
  else
    run_importer (job, store, o, cancellable);

  /* new records that may be entered twice now */
  if (!job->dry_run && !o->cancelled && o->n_imported > 0 && o->format != FILE_FORMAT_ICS &&
      (g_str_equal (job->kind, "contact") || g_str_equal (job->kind, "organization")))
    {
      ScanData data = { job->progress, cancellable };
      g_autoptr(GPtrArray) found = NULL;

      g_atomic_int_set (&job->progress->phase, 1);
      found = kontor_duplicates_scan (store, job->kind, KONTOR_DUPLICATES_DEFAULT_THRESHOLD,
                                      on_scan_progress, &data, NULL);
      for (guint i = 0; found != NULL && i < found->len; i++)
        {
          KontorDuplicateCandidate *c = g_ptr_array_index (found, i);

          if (uuid_time_ms (c->id_a) >= job->start_ms || uuid_time_ms (c->id_b) >= job->start_ms)
            g_ptr_array_add (o->duplicates, kontor_duplicate_candidate_copy (c));
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&o), (GDestroyNotify) outcome_free);
}

/* ---------------------------------------------------------------------- */
/* Options as chosen                                                      */

static const char *
chosen_kind (KontorImportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->kind_row);

  return i < g_strv_length ((GStrv) import_kinds) ? import_kinds[i] : "contact";
}

static KontorImportMapping *
build_mapping (KontorImportDialog *self)
{
  KontorKind *kind;
  g_autoptr(KontorImportMapping) mapping = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (self->overrides) == 0 || self->checked == NULL ||
      self->checked->header == NULL)
    return NULL;

  kind = kontor_schema_get_kind (kontor_store_get_schema (self->store), chosen_kind (self));
  mapping = kontor_import_mapping_detect (kind, (const char * const *) self->checked->header);
  g_hash_table_iter_init (&iter, self->overrides);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *target = value;

      kontor_import_mapping_set_column (mapping, GPOINTER_TO_UINT (key) - 1,
                                        g_str_equal (target, KONTOR_MAPPING_IGNORE) ? NULL
                                                                                    : target);
    }
  return g_steal_pointer (&mapping);
}

static Job *
job_new (KontorImportDialog *self,
         gboolean            dry_run)
{
  Job *job = g_new0 (Job, 1);
  guint enc = adw_combo_row_get_selected (self->encoding_row);
  guint delim = adw_combo_row_get_selected (self->delimiter_row);
  guint order = adw_combo_row_get_selected (self->date_order_row);

  job->db_path = g_strdup (kontor_store_get_path (self->store));
  job->file = g_object_ref (self->file);
  job->kind = g_strdup (chosen_kind (self));
  job->encoding = g_strdup (enc < G_N_ELEMENTS (encodings) ? encodings[enc] : NULL);
  job->delimiter = delim < G_N_ELEMENTS (delimiters) ? delimiters[delim] : 0;
  job->date_order = order < G_N_ELEMENTS (date_orders) ? date_orders[order]
                                                       : KONTOR_DATE_ORDER_ISO;
  job->skip_invalid = gtk_switch_get_active (self->skip_invalid_switch);
  job->mapping = build_mapping (self);
  job->dry_run = dry_run;
  job->start_ms = g_get_real_time () / 1000;
  job->progress = g_atomic_rc_box_acquire (self->progress);
  return job;
}

static void
set_busy (KontorImportDialog *self,
          gboolean            busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy && !self->importing);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy && !self->importing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---------------------------------------------------------------------- */
/* Showing what was found                                                 */

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static const char *
field_label (KontorKind *kind,
             const char *name)
{
  KontorField *field = kind && name ? kontor_kind_get_field (kind, name) : NULL;

  return field ? _(kontor_field_get_label (field)) : name;
}

static GtkWidget *
problem_row_new (KontorKind                *kind,
                 const KontorImportProblem *p)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (p->fatal ? "dialog-error-symbolic"
                                                           : "dialog-warning-symbolic");
  GtkWidget *state = gtk_label_new (p->fatal ? _("Not imported") : _("Warning"));
  g_autofree char *title = NULL;
  g_autofree char *line = g_strdup_printf ("%u", p->line);

  if (p->line > 0 && p->field != NULL)
    /* Translators: a problem of an imported file: its line and the field */
    title = g_strdup_printf (_("Row %u · %s"), p->line, field_label (kind, p->field));
  else if (p->line > 0)
    title = g_strdup_printf (_("Row %u"), p->line);
  else if (p->field != NULL)
    title = g_strdup_printf (_("File · %s"), field_label (kind, p->field));
  else
    title = g_strdup (_("File"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), p->message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_add_css_class (icon, p->fatal ? "error" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  p->fatal ? _("Error") : _("Warning"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (state, "dim-label");
  gtk_widget_add_css_class (state, "caption");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);

  g_object_set_data_full (G_OBJECT (row), "kontor-import-problem", g_steal_pointer (&line),
                          g_free);
  g_object_set_data_full (G_OBJECT (row), "kontor-import-problem-message",
                          g_strdup (p->message), g_free);
  return row;
}

static void
show_problems (KontorImportDialog  *self,
               AdwPreferencesGroup *group,
               GPtrArray           *rows,
               Outcome             *o)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self->store),
                                             chosen_kind (self));
  guint shown = MIN (o->problems->len, MAX_PROBLEM_ROWS);
  g_autofree char *title = NULL;

  clear_rows (group, rows);
  for (guint i = 0; i < shown; i++)
    {
      GtkWidget *row = problem_row_new (kind, g_ptr_array_index (o->problems, i));

      adw_preferences_group_add (group, row);
      g_ptr_array_add (rows, row);
    }
  if (o->n_problems > shown)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *more = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "… and %u more problem", "… and %u more problems",
                     o->n_problems - shown), o->n_problems - shown);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (group, row);
      g_ptr_array_add (rows, row);
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Problem", "%u Problems",
                                        o->n_problems), o->n_problems);
  adw_preferences_group_set_title (group, title);
  gtk_widget_set_visible (GTK_WIDGET (group), o->n_problems > 0);
}

static char *
value_text (KontorField *field,
            JsonNode    *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  /* as the record page will show it */
  if (field != NULL)
    return kontor_format_value (field, node);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

static GtkWidget *
preview_row_new (KontorKind *kind,
                 JsonObject *values)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *title = kind ? kontor_kind_format_title (kind, values) : NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  guint line = (guint) json_object_get_int_member_with_default (values, "_line", 0);
  const char *org = json_object_get_string_member_with_default (values, "_organization", NULL);
  GPtrArray *fields = kind ? kontor_kind_get_fields (kind) : NULL;
  guint n_sub = 0;

  g_string_printf (subtitle, _("Row %u"), line);
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      KontorField *field = g_ptr_array_index (fields, i);
      const char *name = kontor_field_get_name (field);
      KontorFieldType type = kontor_field_get_field_type (field);
      g_autofree char *text = NULL;
      GtkWidget *child;

      if (type == KONTOR_FIELD_REFERENCE || type == KONTOR_FIELD_BLOB)
        continue;
      text = value_text (field, json_object_get_member (values, name));
      if (text == NULL || text[0] == '\0')
        continue;

      if (n_sub < 2 && !kontor_field_has_flag (field, KONTOR_FIELD_FLAG_TITLE) &&
          type != KONTOR_FIELD_LONG_TEXT)
        {
          g_string_append_printf (subtitle, " · %s", text);
          n_sub++;
        }
      child = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child),
                                     _(kontor_field_get_label (field)));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), text);
      gtk_widget_add_css_class (child, "property");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
    }
  if (org != NULL)
    {
      GtkWidget *child = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Organization"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), org);
      gtk_widget_add_css_class (child, "property");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 title && title[0] ? title : _("(no name)"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  g_object_set_data (G_OBJECT (row), "kontor-import-preview", GUINT_TO_POINTER (line + 1));
  g_object_set_data_full (G_OBJECT (row), "kontor-import-preview-title",
                          g_strdup (title), g_free);
  return row;
}

static void
show_preview (KontorImportDialog *self,
              Outcome            *o)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self->store),
                                             o->format == FILE_FORMAT_ICS ? "activity"
                                                                          : chosen_kind (self));
  g_autofree char *description = NULL;

  clear_rows (self->preview_group, self->preview_rows);
  for (guint i = 0; i < o->preview->len; i++)
    {
      GtkWidget *row = preview_row_new (kind, g_ptr_array_index (o->preview, i));

      adw_preferences_group_add (self->preview_group, row);
      g_ptr_array_add (self->preview_rows, row);
    }
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "The first record as it would be stored",
                                              "The first %u records as they would be stored",
                                              o->preview->len), o->preview->len);
  adw_preferences_group_set_description (self->preview_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_group), o->preview->len > 0);
}

static void on_mapping_changed (KontorImportDialog *self,
                                GParamSpec         *pspec,
                                AdwComboRow        *row);

static void
show_mapping (KontorImportDialog *self,
              Outcome            *o)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self->store),
                                             chosen_kind (self));
  GPtrArray *fields = kontor_kind_get_fields (kind);
  g_autofree char *description = NULL;

  clear_rows (self->mapping_group, self->mapping_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_group),
                          o->format == FILE_FORMAT_CSV && o->header != NULL);
  if (o->format != FILE_FORMAT_CSV || o->header == NULL)
    return;

  if (o->preset != NULL)
    {
      static const struct { const char *id; const char *name; } presets[] = {
        { "google", N_("Google Contacts") }, { "outlook", N_("Outlook") },
        { "thunderbird", N_("Thunderbird") }, { "apple", N_("Apple Contacts") },
        { "linkedin", N_("LinkedIn") }, { "kontor", N_("Kontor") },
      };
      const char *name = o->preset;

      for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
        if (g_str_equal (presets[i].id, o->preset))
          name = _(presets[i].name);
      /* Translators: %s is a program, e.g. "Outlook" */
      description = g_strdup_printf (_("Recognized as an export of %s. Which field each column "
                                       "fills:"), name);
    }
  else
    description = g_strdup (_("Which field each column of the file fills"));
  adw_preferences_group_set_description (self->mapping_group, description);

  for (guint c = 0; o->header[c] != NULL; c++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *detected = o->mapping ? kontor_import_mapping_describe_column (o->mapping,
                                                                                     c) : NULL;
      const char *chosen = g_hash_table_lookup (self->overrides, GUINT_TO_POINTER (c + 1));
      guint selected = 0;
      gboolean found = FALSE;

      gtk_string_list_append (labels, _("Not imported"));
      g_ptr_array_add (targets, g_strdup (KONTOR_MAPPING_IGNORE));
      if (g_str_equal (chosen_kind (self), "contact") || g_str_equal (chosen_kind (self), "lead"))
        {
          gtk_string_list_append (labels, _("Full name"));
          g_ptr_array_add (targets, g_strdup (KONTOR_MAPPING_FULL_NAME));
        }
      for (guint i = 0; i < fields->len; i++)
        {
          KontorField *field = g_ptr_array_index (fields, i);

          if (kontor_field_get_field_type (field) == KONTOR_FIELD_BLOB)
            continue;
          gtk_string_list_append (labels, _(kontor_field_get_label (field)));
          g_ptr_array_add (targets, g_strdup (kontor_field_get_name (field)));
        }

      if (chosen != NULL)
        {
          for (guint i = 0; i < targets->len && !found; i++)
            if (g_str_equal (g_ptr_array_index (targets, i), chosen))
              selected = i, found = TRUE;
        }
      else if (detected == NULL)
        found = TRUE;
      else
        {
          for (guint i = 0; i < targets->len && !found; i++)
            if (g_str_equal (g_ptr_array_index (targets, i), detected))
              selected = i, found = TRUE;
        }
      if (!found && detected != NULL)
        {
          /* a role the importer fills by itself ("phone (work)") */
          gtk_string_list_append (labels, detected);
          g_ptr_array_add (targets, g_strdup (""));
          selected = targets->len - 1;
        }
      g_ptr_array_add (targets, NULL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     o->header[c][0] ? o->header[c] : _("(no name)"));
      if (o->first_row != NULL && c < g_strv_length (o->first_row) && o->first_row[c][0])
        {
          g_autofree char *example = g_strdup_printf (_("For example “%s”"), o->first_row[c]);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), example);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
        }
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_object_set_data (G_OBJECT (row), "kontor-import-column", GUINT_TO_POINTER (c + 1));
      g_object_set_data_full (G_OBJECT (row), "kontor-import-targets",
                              g_ptr_array_free (g_steal_pointer (&targets), FALSE),
                              (GDestroyNotify) g_strfreev);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_mapping_changed), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->mapping_group, row);
      g_ptr_array_add (self->mapping_rows, row);
    }
}

static void
set_count (GtkLabel   *label,
           guint       n,
           const char *caption)
{
  g_autofree char *markup = g_markup_printf_escaped (
    "<span size=\"xx-large\" weight=\"bold\">%u</span>\n%s", n, caption);

  gtk_label_set_markup (label, markup);
}

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ',':
      return _("Comma");
    case ';':
      return _("Semicolon");
    case '\t':
      return _("Tab");
    case '|':
      return _("Vertical bar");
    default:
      return NULL;
    }
}

static void
show_check (KontorImportDialog *self,
            Outcome            *o)
{
  gboolean csv = o->format == FILE_FORMAT_CSV;
  gboolean ics = o->format == FILE_FORMAT_ICS;
  const char *format = csv ? _("CSV") : ics ? _("iCalendar") : _("vCard");
  g_autofree char *base = g_file_get_basename (self->file);
  g_autofree char *file_subtitle = NULL;
  g_autofree char *enc_subtitle = NULL;
  g_autofree char *delim_subtitle = NULL;
  const char *date_hint = NULL;

  self->updating = TRUE;

  /* Translators: the format of a chosen file, e.g. "CSV file" */
  file_subtitle = g_strdup_printf (_("%s file"), format);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), base);
  adw_action_row_set_subtitle (self->file_row, file_subtitle);
  adw_window_title_set_subtitle (self->window_title, base);

  gtk_widget_set_visible (GTK_WIDGET (self->kind_row), !ics);
  gtk_widget_set_visible (GTK_WIDGET (self->encoding_row), !ics);
  gtk_widget_set_visible (GTK_WIDGET (self->delimiter_row), csv);
  gtk_widget_set_visible (GTK_WIDGET (self->date_order_row), csv);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_invalid_row), !ics);

  if (o->encoding != NULL && !g_str_equal (o->encoding, "BINARY"))
    enc_subtitle = g_strdup_printf (_("Detected: %s"), o->encoding);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->encoding_row), enc_subtitle);
  if (delimiter_name (o->delimiter) != NULL)
    delim_subtitle = g_strdup_printf (_("Detected: %s"), delimiter_name (o->delimiter));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->delimiter_row), delim_subtitle);

  if (csv && adw_combo_row_get_selected (self->date_order_row) == 0 && o->possible != 0 &&
      o->possible != KONTOR_DATE_ORDER_ALL)
    {
      if (o->possible == KONTOR_DATE_ORDER_DMY)
        date_hint = _("The dates of this file are day, month, year: choose that order");
      else if (o->possible == KONTOR_DATE_ORDER_MDY)
        date_hint = _("The dates of this file are month, day, year: choose that order");
      else if (o->possible == KONTOR_DATE_ORDER_YMD)
        date_hint = _("The dates of this file are year, month, day: choose that order");
      else
        date_hint = _("The dates of this file are not ISO dates: choose their order");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->date_order_row), date_hint);

  gtk_label_set_text (self->error_label, o->error ? o->error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), o->error != NULL);

  set_count (self->ok_label, o->n_imported,
             g_dngettext (GETTEXT_PACKAGE, "would be imported", "would be imported",
                          o->n_imported));
  set_count (self->skipped_label, o->n_skipped,
             ics ? _("already in Kontor") : _("skipped"));
  set_count (self->failed_label, o->n_failed,
             g_dngettext (GETTEXT_PACKAGE, "fails", "fail", o->n_failed));

  show_problems (self, self->problems_group, self->problem_rows, o);
  show_preview (self, o);
  show_mapping (self, o);

  self->updating = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), o->n_imported > 0);
}

/* ---------------------------------------------------------------------- */
/* Checking                                                               */

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  KontorImportDialog *self = KONTOR_IMPORT_DIALOG (source);
  g_autoptr(GError) error = NULL;
  Outcome *o = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable || self->closed)
    {
      g_clear_pointer (&o, outcome_free);
      return;  /* a newer check took over */
    }
  set_busy (self, FALSE);
  if (o == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_stack_set_visible_child_name (self->stack, "preview");
      return;
    }
  g_clear_pointer (&self->checked, outcome_free);
  self->checked = o;
  show_check (self, o);
  gtk_stack_set_visible_child_name (self->stack, "preview");
}

static void
start_check (KontorImportDialog *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->file == NULL || self->importing)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, on_check_done, NULL);
  g_task_set_source_tag (task, start_check);
  g_task_set_task_data (task, job_new (self, TRUE), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, import_thread);
}

static void
on_option_changed (KontorImportDialog *self)
{
  if (self->updating)
    return;
  /* another kind has other fields: the hand-made mapping no longer fits */
  g_hash_table_remove_all (self->overrides);
  start_check (self);
}

static void
on_mapping_changed (KontorImportDialog *self,
                    GParamSpec         *pspec,
                    AdwComboRow        *row)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "kontor-import-column"));
  GStrv targets = g_object_get_data (G_OBJECT (row), "kontor-import-targets");
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || targets == NULL || selected >= g_strv_length (targets))
    return;
  if (targets[selected][0] == '\0')
    g_hash_table_remove (self->overrides, GUINT_TO_POINTER (column));
  else
    g_hash_table_insert (self->overrides, GUINT_TO_POINTER (column), g_strdup (targets[selected]));
  start_check (self);
}

void
kontor_import_dialog_set_file (KontorImportDialog *self,
                               GFile              *file)
{
  g_return_if_fail (KONTOR_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->importing)
    return;
  g_set_object (&self->file, file);
  g_hash_table_remove_all (self->overrides);
  g_clear_pointer (&self->checked, outcome_free);
  self->updating = TRUE;
  adw_combo_row_set_selected (self->encoding_row, 0);
  adw_combo_row_set_selected (self->delimiter_row, 0);
  self->updating = FALSE;
  start_check (self);
}

gboolean
kontor_import_dialog_get_busy (KontorImportDialog *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORT_DIALOG (self), FALSE);

  return self->busy;
}

static void
on_chooser_response (KontorImportDialog   *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        kontor_import_dialog_set_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
on_choose_clicked (KontorImportDialog *self)
{
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) vcard = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) ics = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Import File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (all, _("All Supported Files"));
  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_set_name (vcard, _("vCards"));
  gtk_file_filter_set_name (ics, _("Calendars (iCalendar)"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "tsv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_filter_add_mime_type (vcard, "text/vcard");
  gtk_file_filter_add_suffix (vcard, "vcf");
  gtk_file_filter_add_mime_type (ics, "text/calendar");
  gtk_file_filter_add_suffix (ics, "ics");
  gtk_file_filter_add_mime_type (all, "text/csv");
  gtk_file_filter_add_mime_type (all, "text/vcard");
  gtk_file_filter_add_mime_type (all, "text/calendar");
  gtk_file_filter_add_suffix (all, "csv");
  gtk_file_filter_add_suffix (all, "tsv");
  gtk_file_filter_add_suffix (all, "txt");
  gtk_file_filter_add_suffix (all, "vcf");
  gtk_file_filter_add_suffix (all, "ics");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), vcard);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), ics);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---------------------------------------------------------------------- */
/* Importing                                                              */

static gboolean
update_progress (gpointer user_data)
{
  KontorImportDialog *self = user_data;
  Progress *p = self->progress;
  guint64 read = p->bytes_read;
  guint64 total = p->bytes_total;
  guint rows = g_atomic_int_get (&p->n_rows);
  g_autofree char *text = NULL;

  if (g_atomic_int_get (&p->phase) == 1)
    {
      adw_status_page_set_title (self->progress_page, _("Looking for Duplicates…"));
      gtk_progress_bar_set_fraction (self->progress_bar,
                                     g_atomic_int_get (&p->permille) / 1000.0);
      gtk_progress_bar_set_text (self->progress_bar, NULL);
      return G_SOURCE_CONTINUE;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", rows), rows);
  gtk_progress_bar_set_text (self->progress_bar, text);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) read / total));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  KontorImportDialog *self = KONTOR_IMPORT_DIALOG (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(Outcome) o = g_task_propagate_pointer (G_TASK (result), &error);
  Job *job = g_task_get_task_data (G_TASK (result));
  const char *kind = job->kind;
  g_autofree char *description = NULL;

  g_clear_handle_id (&self->progress_id, g_source_remove);
  self->importing = FALSE;

  /* the UI's connection: lists reload, new custom fields are learnt */
  if (o != NULL && o->format == FILE_FORMAT_ICS)
    {
      kontor_store_notify_changed (self->store, KONTOR_KIND_CUSTOM_FIELD);
      kontor_store_notify_changed (self->store, "activity");
    }
  else if (o != NULL)
    {
      kontor_store_notify_changed (self->store, kind);
      if (o->n_organizations > 0 && !g_str_equal (kind, "organization"))
        kontor_store_notify_changed (self->store, "organization");
    }

  if (self->closed)
    return;
  set_busy (self, FALSE);

  gtk_button_set_label (self->cancel_button, _("_Close"));
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "summary");

  if (o == NULL)
    {
      adw_status_page_set_icon_name (self->summary_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->summary_page, _("Import Failed"));
      adw_status_page_set_description (self->summary_page, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->summary_problems_group), FALSE);
      return;
    }

  if (o->cancelled)
    {
      adw_status_page_set_icon_name (self->summary_page, "process-stop-symbolic");
      adw_status_page_set_title (self->summary_page, _("Import Stopped"));
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%u record was imported before you stopped.",
                                                  "%u records were imported before you stopped.",
                                                  o->n_imported), o->n_imported);
    }
  else
    {
      g_autofree char *counts = NULL;

      adw_status_page_set_icon_name (self->summary_page,
                                     o->error ? "dialog-error-symbolic"
                                     : o->n_failed ? "dialog-warning-symbolic"
                                     : "emblem-ok-symbolic");
      adw_status_page_set_title (self->summary_page,
                                 o->error && o->n_imported == 0 ? _("Import Failed")
                                                                : _("Import Finished"));
      counts = g_strdup_printf (_("%u imported, %u skipped, %u failed"), o->n_imported,
                                o->n_skipped, o->n_failed);
      if (o->error != NULL)
        description = g_strdup_printf ("%s\n%s", counts, o->error);
      else
        description = g_steal_pointer (&counts);
    }
  adw_status_page_set_description (self->summary_page, description);
  g_object_set_data (G_OBJECT (self->summary_page), "kontor-import-imported",
                     GUINT_TO_POINTER (o->n_imported + 1));
  show_problems (self, self->summary_problems_group, self->summary_rows, o);

  g_clear_pointer (&self->duplicates, g_ptr_array_unref);
  if (o->duplicates != NULL && o->duplicates->len > 0)
    {
      g_autofree char *label = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "_Review %u Possible Duplicate",
                     "_Review %u Possible Duplicates", o->duplicates->len),
        o->duplicates->len);

      self->duplicates = g_steal_pointer (&o->duplicates);
      g_free (self->dup_kind);
      self->dup_kind = g_strdup (kind);
      gtk_button_set_label (self->review_button, label);
      gtk_widget_set_visible (GTK_WIDGET (self->review_button), TRUE);
    }
}

static void
on_import_clicked (KontorImportDialog *self)
{
  g_autoptr(GTask) task = NULL;

  /* only after a check that found something to import (the button is
   * insensitive otherwise, but a key binding may still get here) */
  if (self->file == NULL || self->importing || self->busy || self->checked == NULL ||
      self->checked->n_imported == 0)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->importing = TRUE;
  set_busy (self, TRUE);

  memset (self->progress, 0, sizeof *self->progress);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  adw_status_page_set_title (self->progress_page, _("Importing…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  self->progress_id = g_timeout_add (100, update_progress, self);

  task = g_task_new (self, self->cancellable, on_import_done, NULL);
  g_task_set_source_tag (task, on_import_clicked);
  g_task_set_task_data (task, job_new (self, FALSE), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, import_thread);
}

static void
on_stop_clicked (KontorImportDialog *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
on_cancel_clicked (KontorImportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_review_clicked (KontorImportDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWidget *window;

  if (self->duplicates == NULL)
    return;
  window = kontor_duplicates_window_new (self->store);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  kontor_duplicates_window_set_candidates (KONTOR_DUPLICATES_WINDOW (window), self->dup_kind,
                                           self->duplicates);
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
kontor_import_dialog_close_request (GtkWindow *window)
{
  KontorImportDialog *self = KONTOR_IMPORT_DIALOG (window);

  /* a running import stops; batches committed stay */
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (kontor_import_dialog_parent_class)->close_request (window);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
fill_options (KontorImportDialog *self)
{
  KontorSchema *schema = kontor_store_get_schema (self->store);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) encs = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) delims = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) orders = gtk_string_list_new (NULL);

  for (guint i = 0; import_kinds[i]; i++)
    {
      KontorKind *kind = kontor_schema_get_kind (schema, import_kinds[i]);

      gtk_string_list_append (kinds, kind ? _(kontor_kind_get_plural_label (kind))
                                          : import_kinds[i]);
    }
  gtk_string_list_append (encs, _("Automatic"));
  gtk_string_list_append (encs, "UTF-8");
  gtk_string_list_append (encs, "UTF-16 LE");
  gtk_string_list_append (encs, "UTF-16 BE");
  gtk_string_list_append (encs, _("Windows (Western, 1252)"));
  gtk_string_list_append (encs, "ISO-8859-1");
  gtk_string_list_append (encs, "ISO-8859-15");
  gtk_string_list_append (encs, _("Mac OS Roman"));
  gtk_string_list_append (delims, _("Automatic"));
  gtk_string_list_append (delims, _("Comma"));
  gtk_string_list_append (delims, _("Semicolon"));
  gtk_string_list_append (delims, _("Tab"));
  gtk_string_list_append (delims, _("Vertical bar"));
  gtk_string_list_append (orders, _("ISO dates only (2026-12-31)"));
  gtk_string_list_append (orders, _("Day, month, year (31.12.2026)"));
  gtk_string_list_append (orders, _("Month, day, year (12/31/2026)"));
  gtk_string_list_append (orders, _("Year, month, day (2026/12/31)"));

  self->updating = TRUE;
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (encs));
  adw_combo_row_set_model (self->delimiter_row, G_LIST_MODEL (delims));
  adw_combo_row_set_model (self->date_order_row, G_LIST_MODEL (orders));
  self->updating = FALSE;
}

GtkWidget *
kontor_import_dialog_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_IMPORT_DIALOG, "store", store, NULL);
}

static void
kontor_import_dialog_constructed (GObject *object)
{
  KontorImportDialog *self = KONTOR_IMPORT_DIALOG (object);

  G_OBJECT_CLASS (kontor_import_dialog_parent_class)->constructed (object);

  fill_options (self);
}

static void
kontor_import_dialog_dispose (GObject *object)
{
  KontorImportDialog *self = KONTOR_IMPORT_DIALOG (object);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_pointer (&self->checked, outcome_free);
  g_clear_pointer (&self->duplicates, g_ptr_array_unref);

  G_OBJECT_CLASS (kontor_import_dialog_parent_class)->dispose (object);
}

static void
kontor_import_dialog_finalize (GObject *object)
{
  KontorImportDialog *self = KONTOR_IMPORT_DIALOG (object);

  g_ptr_array_unref (self->problem_rows);
  g_ptr_array_unref (self->preview_rows);
  g_ptr_array_unref (self->mapping_rows);
  g_ptr_array_unref (self->summary_rows);
  g_hash_table_unref (self->overrides);
  g_atomic_rc_box_release (self->progress);
  g_free (self->dup_kind);
  /* kept to the end: an import finishing after the window closed still
   * tells the store's lists */
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_import_dialog_parent_class)->finalize (object);
}

static void
kontor_import_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KontorImportDialog *self = KONTOR_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_import_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KontorImportDialog *self = KONTOR_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_import_dialog_class_init (KontorImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = kontor_import_dialog_constructed;
  object_class->dispose = kontor_import_dialog_dispose;
  object_class->finalize = kontor_import_dialog_finalize;
  object_class->get_property = kontor_import_dialog_get_property;
  object_class->set_property = kontor_import_dialog_set_property;
  window_class->close_request = kontor_import_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, counts_box);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, date_order_row);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, failed_label);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, ok_label);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, review_button);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, skip_invalid_row);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, skip_invalid_switch);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, summary_page);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, summary_problems_group);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KontorImportDialog, window_title);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_review_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);
}

static void
kontor_import_dialog_init (KontorImportDialog *self)
{
  self->problem_rows = g_ptr_array_new ();
  self->preview_rows = g_ptr_array_new ();
  self->mapping_rows = g_ptr_array_new ();
  self->summary_rows = g_ptr_array_new ();
  self->overrides = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->progress = g_atomic_rc_box_new0 (Progress);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

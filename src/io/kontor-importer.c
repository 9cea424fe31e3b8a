/* kontor-importer.c: CSV and vCard files into the store
 *
 * Both formats come down to the same step: a row (or card) becomes text
 * values by field name, which are checked with the kind's own validation
 * (the one parser typed text goes through everywhere), then written with
 * kontor_store_create() inside a transaction of batch-size rows or half a
 * second, whichever comes first (a larger transaction makes FTS5 flush
 * less often; a shorter one keeps the write lock from the app). Nothing
 * of the file is kept but the current row, a bounded list of problems, a
 * preview of the first records and a bounded cache of organization names.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-io"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-csv-reader.h"
#include "kontor-importer.h"
#include "kontor-io-private.h"
#include "kontor-uuid.h"
#include "kontor-vcard.h"

#define MAX_PROBLEMS         1000
#define MAX_ORG_CACHE        10000
#define HEADER_SEARCH_ROWS   10
#define PROGRESS_EVERY       100

struct _KontorImporter
{
  GObject                   parent_instance;

  KontorStore              *store;
  char                     *kind;

  /* options */
  KontorImportFormat        format;
  char                     *encoding;
  char                      delimiter;
  KontorDateOrder           date_order;
  gboolean                  dry_run;
  gboolean                  skip_invalid;
  KontorImportMapping      *mapping;
  char                     *extra_field;
  KontorBlobStoreFunc       blob_func;
  gpointer                  blob_data;
  GDestroyNotify            blob_destroy;
  KontorImportProgressFunc  progress_func;
  gpointer                  progress_data;
  GDestroyNotify            progress_destroy;
  guint                     batch_size;
  guint                     preview_size;

  /* state of a run */
  GError                   *fatal;
  guint                     in_batch;
  guint                     committed;
  gint64                    batch_started;  /* monotonic µs */
  guint64                   bytes_read;     /* at the last progress report */
  gboolean                  bulk_checked;
  char                     *suspended_kind; /* its indexes wait for the end */
  guint                     n_rows;
  guint64                   bytes_total;
  GHashTable               *org_cache;        /* name -> id, or "" (dry run: new) */
  guint                     n_extra_dropped;
  guint                     expected_width;

  /* results */
  KontorImportFormat        used_format;
  KontorImportMapping      *used_mapping;
  char                     *used_encoding;
  char                      used_delimiter;
  guint                     n_imported;
  guint                     n_skipped;
  guint                     n_failed;
  guint                     n_orgs_created;
  GPtrArray                *problems;
  guint                     n_problems;
  GPtrArray                *preview;
  KontorDateOrder           orders_possible;
};

G_DEFINE_FINAL_TYPE (KontorImporter, kontor_importer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIND,
  PROP_DRY_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kontor_importer_dispose (GObject *object)
{
  KontorImporter *self = (KontorImporter *) object;

  g_clear_object (&self->store);
  if (self->blob_destroy != NULL)
    g_clear_pointer (&self->blob_data, self->blob_destroy);
  if (self->progress_destroy != NULL)
    g_clear_pointer (&self->progress_data, self->progress_destroy);
  self->blob_destroy = NULL;
  self->progress_destroy = NULL;

  G_OBJECT_CLASS (kontor_importer_parent_class)->dispose (object);
}

static void
kontor_importer_finalize (GObject *object)
{
  KontorImporter *self = (KontorImporter *) object;

  g_free (self->kind);
  g_free (self->encoding);
  g_free (self->extra_field);
  g_free (self->used_encoding);
  g_clear_pointer (&self->mapping, kontor_import_mapping_unref);
  g_clear_pointer (&self->used_mapping, kontor_import_mapping_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->org_cache, g_hash_table_unref);
  g_clear_pointer (&self->suspended_kind, g_free);
  g_clear_error (&self->fatal);

  G_OBJECT_CLASS (kontor_importer_parent_class)->finalize (object);
}

static void
kontor_importer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KontorImporter *self = KONTOR_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_DRY_RUN:
      g_value_set_boolean (value, self->dry_run);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_importer_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KontorImporter *self = KONTOR_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    case PROP_DRY_RUN:
      kontor_importer_set_dry_run (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_importer_class_init (KontorImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_importer_dispose;
  object_class->finalize = kontor_importer_finalize;
  object_class->get_property = kontor_importer_get_property;
  object_class->set_property = kontor_importer_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "contact",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRY_RUN] =
    g_param_spec_boolean ("dry-run", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_importer_init (KontorImporter *self)
{
  self->batch_size = 20000;
  self->preview_size = 20;
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->orders_possible = KONTOR_DATE_ORDER_ALL;
}

KontorImporter *
kontor_importer_new (KontorStore *store,
                     const char  *kind)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  return g_object_new (KONTOR_TYPE_IMPORTER, "store", store, "kind", kind, NULL);
}

void
kontor_importer_set_format (KontorImporter     *self,
                            KontorImportFormat  format)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));
  self->format = format;
}

void
kontor_importer_set_encoding (KontorImporter *self,
                              const char     *encoding)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));
  g_free (self->encoding);
  self->encoding = g_strdup (encoding);
}

void
kontor_importer_set_delimiter (KontorImporter *self,
                               char            delimiter)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));
  self->delimiter = delimiter;
}

void
kontor_importer_set_date_order (KontorImporter  *self,
                                KontorDateOrder  order)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));
  self->date_order = order;
}

void
kontor_importer_set_dry_run (KontorImporter *self,
                             gboolean        dry_run)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));

  dry_run = !!dry_run;
  if (self->dry_run == dry_run)
    return;
  self->dry_run = dry_run;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRY_RUN]);
}

void
kontor_importer_set_skip_invalid_values (KontorImporter *self,
                                         gboolean        skip)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));
  self->skip_invalid = !!skip;
}

void
kontor_importer_set_mapping (KontorImporter      *self,
                             KontorImportMapping *mapping)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));

  g_clear_pointer (&self->mapping, kontor_import_mapping_unref);
  if (mapping != NULL)
    self->mapping = kontor_import_mapping_ref (mapping);
}

void
kontor_importer_set_extra_field (KontorImporter *self,
                                 const char     *field)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));
  g_free (self->extra_field);
  self->extra_field = g_strdup (field);
}

void
kontor_importer_set_blob_func (KontorImporter      *self,
                               KontorBlobStoreFunc  func,
                               gpointer             user_data,
                               GDestroyNotify       destroy)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));

  if (self->blob_destroy != NULL)
    self->blob_destroy (self->blob_data);
  self->blob_func = func;
  self->blob_data = user_data;
  self->blob_destroy = destroy;
}

void
kontor_importer_set_progress_func (KontorImporter           *self,
                                   KontorImportProgressFunc  func,
                                   gpointer                  user_data,
                                   GDestroyNotify            destroy)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

void
kontor_importer_set_batch_size (KontorImporter *self,
                                guint           size)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));
  self->batch_size = MAX (size, 1);
}

void
kontor_importer_set_preview_size (KontorImporter *self,
                                  guint           size)
{
  g_return_if_fail (KONTOR_IS_IMPORTER (self));
  self->preview_size = size;
}

guint
kontor_importer_get_n_imported (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), 0);
  return self->n_imported;
}

guint
kontor_importer_get_n_skipped (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), 0);
  return self->n_skipped;
}

guint
kontor_importer_get_n_failed (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), 0);
  return self->n_failed;
}

guint
kontor_importer_get_n_organizations_created (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), 0);
  return self->n_orgs_created;
}

GPtrArray *
kontor_importer_get_problems (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), NULL);
  return self->problems;
}

guint
kontor_importer_get_n_problems (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), 0);
  return self->n_problems;
}

GPtrArray *
kontor_importer_get_preview (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), NULL);
  return self->preview;
}

KontorImportFormat
kontor_importer_get_format (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), KONTOR_IMPORT_FORMAT_AUTO);
  return self->used_format;
}

KontorImportMapping *
kontor_importer_get_mapping (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), NULL);
  return self->used_mapping;
}

const char *
kontor_importer_get_encoding (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), NULL);
  return self->used_encoding;
}

char
kontor_importer_get_delimiter (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), 0);
  return self->used_delimiter;
}

KontorDateOrder
kontor_importer_get_date_orders_possible (KontorImporter *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), 0);
  return self->orders_possible;
}

/* ---------------------------------------------------------------------- */
/* Problems                                                               */

static void
add_problem (KontorImporter      *self,
             KontorImportProblem *problem)
{
  self->n_problems++;
  if (self->problems->len < MAX_PROBLEMS)
    g_ptr_array_add (self->problems, problem);
  else
    kontor_import_problem_free (problem);
}

/* Reader errors name their line ("line 4: ..."); the problem keeps the
 * line apart. */
static void
add_error_problem (KontorImporter *self,
                   guint           line,
                   const GError   *error)
{
  g_autofree char *prefix = g_strdup_printf (_("line %u: "), line);
  const char *msg = error->message;

  if (g_str_has_prefix (msg, prefix))
    msg += strlen (prefix);
  add_problem (self, kontor_import_problem_new (line, NULL, msg, TRUE));
}

static void
report_progress (KontorImporter *self,
                 guint64         bytes_read)
{
  self->bytes_read = bytes_read;
  if (self->progress_func != NULL)
    self->progress_func (bytes_read, self->bytes_total, self->n_rows, self->progress_data);
}

/* ---------------------------------------------------------------------- */
/* Organizations by name                                                  */

static char *
find_organization (KontorImporter  *self,
                   const char      *name,
                   GError         **error)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("organization");
  g_autoptr(GPtrArray) found = NULL;
  const char *values[] = { name, NULL };
  g_autofree char *folded = g_utf8_casefold (name, -1);
  KontorRecord *casefold_match = NULL;

  kontor_query_add_condition (query, "name", KONTOR_QUERY_EQ, values);
  found = kontor_store_query (self->store, query, 0, 50, error);
  if (found == NULL)
    return NULL;

  /* the query compares folded (accents too); the same name means the
   * same letters, up to case */
  for (guint i = 0; i < found->len; i++)
    {
      KontorRecord *r = g_ptr_array_index (found, i);
      const char *other = kontor_record_get_string (r, "name");
      g_autofree char *other_folded = NULL;

      if (g_strcmp0 (other, name) == 0)
        return g_strdup (kontor_record_get_id (r));
      other_folded = g_utf8_casefold (other ? other : "", -1);
      if (casefold_match == NULL && g_str_equal (folded, other_folded))
        casefold_match = r;
    }

  return casefold_match ? g_strdup (kontor_record_get_id (casefold_match)) : g_strdup ("");
}

/* The id of the organization called name, created if there is none (in a
 * dry run: "" for one that would be created). NULL on a store error. */
static char *
resolve_organization (KontorImporter  *self,
                      const char      *name,
                      GError         **error)
{
  const char *cached = g_hash_table_lookup (self->org_cache, name);
  g_autofree char *id = NULL;

  if (cached != NULL)
    return g_strdup (cached);

  id = find_organization (self, name, error);
  if (id == NULL)
    return NULL;

  if (id[0] == '\0' && !self->dry_run)
    {
      g_autoptr(JsonObject) values = json_object_new ();
      g_autoptr(KontorRecord) record = NULL;

      json_object_set_string_member (values, "name", name);
      record = kontor_store_create (self->store, "organization", NULL, values, NULL, error);
      if (record == NULL)
        return NULL;
      g_free (id);
      id = g_strdup (kontor_record_get_id (record));
      self->n_orgs_created++;
    }

  if (g_hash_table_size (self->org_cache) >= MAX_ORG_CACHE)
    g_hash_table_remove_all (self->org_cache);
  g_hash_table_insert (self->org_cache, g_strdup (name), g_strdup (id));

  return g_steal_pointer (&id);
}

/* ---------------------------------------------------------------------- */
/* One record                                                             */

static gboolean
is_organization_reference (KontorField *field)
{
  const char * const *kinds = kontor_field_get_ref_kinds (field);

  return kontor_field_get_field_type (field) == KONTOR_FIELD_REFERENCE &&
         kinds != NULL && g_strv_length ((GStrv) kinds) == 1 &&
         g_str_equal (kinds[0], "organization");
}

static KontorField *
organization_field (KontorKind *kind)
{
  KontorField *f = kontor_kind_get_field (kind, "organization");

  return f != NULL && is_organization_reference (f) ? f : NULL;
}

static JsonObject *
copy_object (JsonObject *obj)
{
  g_autoptr(JsonNode) wrap = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;

  json_node_set_object (wrap, obj);
  copy = json_node_copy (wrap);
  return json_object_ref (json_node_get_object (copy));
}

/* Dates as the file writes them, in the file's order. */
static void
parse_dates (KontorImporter *self,
             KontorKind     *kind,
             JsonObject     *values,
             guint           line,
             GPtrArray      *row_problems)
{
  g_autoptr(GList) members = json_object_get_members (values);

  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      KontorField *f = kontor_kind_get_field (kind, name);
      JsonNode *node = json_object_get_member (values, name);
      g_autoptr(GError) local = NULL;
      g_autofree char *iso = NULL;
      const char *text;

      if (f == NULL || kontor_field_get_field_type (f) != KONTOR_FIELD_DATE ||
          !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;

      text = json_node_get_string (node);
      self->orders_possible &= kontor_date_orders_possible (text);
      {
        g_autofree char *trimmed = g_strstrip (g_strdup (text));

        if (trimmed[0] == '\0')
          continue;
      }

      if (kontor_date_parse (text, self->date_order, &iso, &local))
        json_object_set_string_member (values, name, iso);
      else
        {
          g_ptr_array_add (row_problems,
                           kontor_import_problem_new (line, name, local->message, TRUE));
          json_object_remove_member (values, name);
        }
    }
}

static gboolean
check_values (KontorImporter *self,
              KontorKind     *kind,
              JsonObject     *values,
              guint           line,
              GPtrArray      *row_problems)
{
  gboolean fatal = FALSE;

  /* problems found while mapping */
  for (guint i = 0; i < row_problems->len; i++)
    {
      KontorImportProblem *p = g_ptr_array_index (row_problems, i);

      KontorField *f;

      if (!p->fatal)
        continue;
      f = p->field ? kontor_kind_get_field (kind, p->field) : NULL;
      if (self->skip_invalid && f != NULL &&
          !kontor_field_has_flag (f, KONTOR_FIELD_FLAG_REQUIRED))
        {
          /* imported without it; the problem stays, as a warning */
          p->fatal = FALSE;
          json_object_remove_member (values, p->field);
          continue;
        }
      fatal = TRUE;
    }

  for (guint round = 0; round < 2 && !fatal; round++)
    {
      g_autoptr(JsonObject) copy = copy_object (values);
      g_autoptr(GPtrArray) found = NULL;
      gboolean dropped = FALSE;

      if (kontor_kind_validate (kind, copy, FALSE, kontor_store_get_parse_context (self->store),
                                NULL, NULL, &found))
        return TRUE;

      for (guint i = 0; i < found->len; i++)
        {
          KontorFieldProblem *fp = g_ptr_array_index (found, i);
          KontorField *f = kontor_kind_get_field (kind, fp->field);
          gboolean required = f && kontor_field_has_flag (f, KONTOR_FIELD_FLAG_REQUIRED);
          g_autofree char *msg = NULL;

          JsonNode *given = json_object_get_member (values, fp->field);
          gboolean drop;

          if (given != NULL && JSON_NODE_HOLDS_VALUE (given) &&
              json_node_get_value_type (given) == G_TYPE_STRING)
            msg = g_strdup_printf ("“%s”: %s", json_node_get_string (given), fp->message);
          else
            msg = g_strdup (fp->message);

          drop = self->skip_invalid && !required && given != NULL;
          g_ptr_array_add (row_problems, kontor_import_problem_new (line, fp->field, msg, !drop));
          if (drop)
            {
              json_object_remove_member (values, fp->field);
              dropped = TRUE;
            }
          else
            fatal = TRUE;
        }

      if (!dropped)
        break;
    }

  return !fatal;
}

static void
flush_row_problems (KontorImporter *self,
                    GPtrArray      *row_problems)
{
  for (guint i = 0; i < row_problems->len; i++)
    add_problem (self, g_steal_pointer (&row_problems->pdata[i]));
  g_ptr_array_set_size (row_problems, 0);
}

static gboolean
store_photo (KontorImporter   *self,
             KontorKind       *kind,
             JsonObject       *values,
             KontorVCardPhoto *photo,
             guint             line,
             GPtrArray        *row_problems)
{
  g_autoptr(GError) local = NULL;

  if (photo == NULL || !json_object_has_member (values, "photo"))
    return TRUE;

  if (self->blob_func == NULL)
    {
      g_autofree char *size = g_format_size (g_bytes_get_size (photo->bytes));
      g_autofree char *msg = g_strdup_printf (_("the photo (%s) was not imported: there is no "
                                                "place to store files"), size);

      g_ptr_array_add (row_problems, kontor_import_problem_new (line, "photo", msg, FALSE));
      json_object_remove_member (values, "photo");
      return TRUE;
    }

  if (self->dry_run)
    return TRUE;

  if (!self->blob_func (photo->sha256, photo->bytes, photo->mime_type, self->blob_data, &local))
    {
      g_autofree char *msg = g_strdup_printf (_("the photo cannot be stored: %s"), local->message);

      g_ptr_array_add (row_problems, kontor_import_problem_new (line, "photo", msg,
                                                               !self->skip_invalid));
      json_object_remove_member (values, "photo");
      return self->skip_invalid;
    }

  return TRUE;
}

static gboolean
commit_batch (KontorImporter  *self,
              GError         **error)
{
  if (!kontor_store_commit (self->store, error))
    return FALSE;
  self->committed = self->n_imported;
  self->in_batch = 0;
  self->batch_started = g_get_monotonic_time ();
  return kontor_store_begin (self->store, error);
}

/* Checks and stores one row's text values; *fatal set on a store error. */
static void
import_values (KontorImporter   *self,
               KontorKind       *kind,
               JsonObject       *values,
               KontorVCardPhoto *photo,
               guint             line,
               GPtrArray        *row_problems)
{
  g_autofree char *org_name = NULL;
  g_autofree char *org_id = NULL;
  g_autofree char *id = NULL;
  KontorField *org_field = organization_field (kind);
  const char *kind_name = kontor_kind_get_name (kind);
  g_autoptr(GList) members = NULL;

  if (json_object_has_member (values, KONTOR_VCARD_ORGANIZATION))
    {
      org_name = g_strstrip (g_strdup (json_object_get_string_member (values,
                                                                       KONTOR_VCARD_ORGANIZATION)));
      json_object_remove_member (values, KONTOR_VCARD_ORGANIZATION);
    }

  if (json_object_has_member (values, KONTOR_VCARD_ID))
    {
      id = g_strdup (json_object_get_string_member (values, KONTOR_VCARD_ID));
      json_object_remove_member (values, KONTOR_VCARD_ID);
    }

  if (json_object_has_member (values, KONTOR_VCARD_EXTRA))
    {
      JsonArray *extra = json_object_get_array_member (values, KONTOR_VCARD_EXTRA);

      if (self->extra_field != NULL && kontor_kind_get_field (kind, self->extra_field) != NULL &&
          !json_object_has_member (values, self->extra_field))
        {
          g_autoptr(GString) text = g_string_new (NULL);

          for (guint i = 0; i < json_array_get_length (extra); i++)
            {
              if (i > 0)
                g_string_append_c (text, '\n');
              g_string_append (text, json_array_get_string_element (extra, i));
            }
          json_object_set_string_member (values, self->extra_field, text->str);
        }
      else
        self->n_extra_dropped++;
      json_object_remove_member (values, KONTOR_VCARD_EXTRA);
    }

  /* an organization's name where a reference is expected */
  if (org_field != NULL && json_object_has_member (values, "organization") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (values, "organization")))
    {
      g_autofree char *text = g_strstrip (g_strdup (json_object_get_string_member (values,
                                                                                  "organization")));
      g_autofree char *lower = g_ascii_strdown (text, -1);

      if (!kontor_uuid_is_valid (lower))
        {
          json_object_remove_member (values, "organization");
          if (org_name == NULL && text[0] != '\0')
            org_name = g_steal_pointer (&text);
        }
    }

  parse_dates (self, kind, values, line, row_problems);

  if (json_object_get_size (values) == 0 && org_name == NULL)
    {
      self->n_skipped++;
      flush_row_problems (self, row_problems);
      return;
    }

  if (!check_values (self, kind, values, line, row_problems) ||
      !store_photo (self, kind, values, photo, line, row_problems))
    {
      self->n_failed++;
      flush_row_problems (self, row_problems);
      return;
    }

  /* a record exported by Kontor comes back under its id, once */
  if (id != NULL)
    {
      g_autoptr(KontorRecord) existing = kontor_store_get (self->store, id, NULL);

      if (existing != NULL)
        {
          g_ptr_array_add (row_problems,
                           kontor_import_problem_new (line, NULL,
                                                      _("skipped: a record with this UID is in "
                                                        "Kontor already"), FALSE));
          self->n_skipped++;
          flush_row_problems (self, row_problems);
          return;
        }
    }

  if (org_name != NULL && org_name[0] != '\0' && org_field != NULL)
    {
      org_id = resolve_organization (self, org_name, &self->fatal);
      if (org_id == NULL)
        return;
      if (org_id[0] != '\0')
        json_object_set_string_member (values, "organization", org_id);
    }

  /* values as they will be stored, for the preview (the store parses
   * and checks them again in any case) */
  if (self->preview->len < self->preview_size)
    members = json_object_get_members (values);
  for (GList *l = members; l; l = l->next)
    {
      KontorField *f = kontor_kind_get_field (kind, l->data);
      JsonNode *normalized;

      if (f == NULL)
        continue;
      normalized = kontor_field_normalize (f, json_object_get_member (values, l->data),
                                           kontor_store_get_parse_context (self->store), NULL);
      if (normalized == NULL)
        continue;
      if (JSON_NODE_HOLDS_NULL (normalized))
        {
          json_node_unref (normalized);
          json_object_remove_member (values, l->data);
        }
      else
        json_object_set_member (values, l->data, normalized);
    }

  if (!self->dry_run)
    {
      g_autoptr(GPtrArray) store_problems = NULL;
      g_autoptr(GError) local = NULL;
      gboolean added;

      added = kontor_store_add (self->store, kind_name, id, values, NULL, &store_problems, &local);
      if (!added && store_problems != NULL)
        {
          for (guint i = 0; i < store_problems->len; i++)
            {
              KontorFieldProblem *fp = g_ptr_array_index (store_problems, i);

              g_ptr_array_add (row_problems, kontor_import_problem_new (line, fp->field,
                                                                       fp->message, TRUE));
            }
          self->n_failed++;
          flush_row_problems (self, row_problems);
          return;
        }
      if (!added)
        {
          self->fatal = g_steal_pointer (&local);
          return;
        }
    }

  self->n_imported++;
  self->in_batch++;
  flush_row_problems (self, row_problems);

  /* a large file into a kind with fewer records: its indexes are built
   * once at the end. The rows to expect are known well enough once 256
   * KiB are read (the reader reads ahead in blocks of 64 KiB, so this
   * rather underestimates). */
  if (!self->dry_run && !self->bulk_checked && self->bytes_read >= 256 * 1024 &&
      self->bytes_total > 0)
    {
      guint64 expected = self->bytes_total * self->n_rows / self->bytes_read;
      gboolean suspended = FALSE;

      self->bulk_checked = TRUE;
      if (!kontor_store_suspend_indexes (self->store, kind_name, expected, &suspended,
                                         &self->fatal))
        return;
      if (suspended)
        self->suspended_kind = g_strdup (kind_name);
    }

  if (self->preview->len < self->preview_size)
    {
      JsonObject *shown = copy_object (values);

      json_object_set_int_member (shown, "_line", line);
      json_object_set_string_member (shown, "_kind", kind_name);
      if (org_name != NULL && (org_id == NULL || org_id[0] == '\0'))
        json_object_set_string_member (shown, KONTOR_VCARD_ORGANIZATION, org_name);
      g_ptr_array_add (self->preview, shown);
    }

  if (!self->dry_run &&
      (self->in_batch >= self->batch_size ||
       (self->in_batch % 128 == 0 &&
        g_get_monotonic_time () - self->batch_started > G_USEC_PER_SEC / 2)))
    commit_batch (self, &self->fatal);
}

/* ---------------------------------------------------------------------- */
/* CSV                                                                    */

static gboolean
row_is_blank (GStrv row)
{
  for (guint i = 0; row[i]; i++)
    {
      for (const char *p = row[i]; *p; p++)
        if (!g_ascii_isspace (*p))
          return FALSE;
    }
  return TRUE;
}

/* Two columns that map at least: one is too easily a line of prose
 * ("Notes:" above LinkedIn's header). A file of one column needs a
 * mapping. */
static gboolean
header_is_good (KontorImportMapping *mapping,
                GStrv                row)
{
  return kontor_import_mapping_get_n_mapped (mapping) >= 2;
}

static char *
row_preview (GStrv row)
{
  g_autofree char *joined = g_strjoinv (", ", row);

  if (g_utf8_strlen (joined, -1) > 60)
    {
      char *end = g_utf8_offset_to_pointer (joined, 60);

      *end = '\0';
      return g_strconcat (joined, "…", NULL);
    }
  return g_steal_pointer (&joined);
}

static void
import_csv_row (KontorImporter  *self,
                KontorKind      *kind,
                GStrv            row,
                GStrv            header,
                guint            line,
                char             delimiter)
{
  g_autoptr(GPtrArray) row_problems =
    g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);
  g_autoptr(JsonObject) values = NULL;

  self->n_rows++;

  if (row_is_blank (row))
    {
      self->n_skipped++;
      return;
    }

  /* a line written with another delimiter (a malformed file) comes as
   * one long field */
  if (g_strv_length (row) == 1 && self->expected_width > 1)
    {
      static const char candidates[] = { ',', ';', '\t' };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          g_autofree char *shown = NULL;
          g_autofree char *file_shown = NULL;
          g_autofree char *msg = NULL;

          if (candidates[i] == delimiter || strchr (row[0], candidates[i]) == NULL)
            continue;
          shown = candidates[i] == '\t' ? g_strdup (_("TAB"))
                                        : g_strdup_printf ("“%c”", candidates[i]);
          file_shown = delimiter == '\t' ? g_strdup (_("TAB"))
                                         : g_strdup_printf ("“%c”", delimiter);
          msg = g_strdup_printf (_("this line is separated by %s, the file by %s"), shown,
                                 file_shown);
          add_problem (self, kontor_import_problem_new (line, NULL, msg, TRUE));
          self->n_failed++;
          return;
        }
    }

  values = kontor_import_mapping_apply (self->used_mapping, kind, (const char * const *) row,
                                        (const char * const *) header, line, row_problems);
  import_values (self, kind, values, NULL, line, row_problems);
}

static gboolean
run_csv (KontorImporter  *self,
         KontorKind      *kind,
         GInputStream    *stream,
         GCancellable    *cancellable,
         GError         **error)
{
  g_autoptr(KontorCsvReader) reader = kontor_csv_reader_new (stream);
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) pending_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) header = NULL;
  guint n_rows_seen = 0;
  gboolean at_end = FALSE;
  char delimiter;

  if (self->encoding != NULL)
    kontor_csv_reader_set_encoding (reader, self->encoding);
  if (self->delimiter != 0)
    kontor_csv_reader_set_delimiter (reader, self->delimiter);

  /* the header: the first row (of the first few) that maps well; rows
   * before it are a preamble (LinkedIn writes notes above its header) */
  while (header == NULL && !at_end && n_rows_seen < HEADER_SEARCH_ROWS)
    {
      g_autoptr(GError) local = NULL;
      guint line = 0;
      GStrv row = kontor_csv_reader_read_row (reader, &line, cancellable, &local);

      if (row == NULL && local == NULL)
        {
          at_end = TRUE;
          break;
        }
      if (row == NULL && g_error_matches (local, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW))
        {
          add_error_problem (self, line, local);
          self->n_rows++;
          self->n_failed++;
          n_rows_seen++;
          continue;
        }
      if (row == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }

      n_rows_seen++;
      if (!row_is_blank (row))
        {
          g_autoptr(KontorImportMapping) detected =
            kontor_import_mapping_detect (kind, (const char * const *) row);

          if (header_is_good (detected, row))
            {
              header = row;
              if (self->mapping == NULL)
                self->used_mapping = g_steal_pointer (&detected);
              continue;
            }
        }

      g_ptr_array_add (pending, row);
      g_array_append_val (pending_lines, line);
      if (self->mapping != NULL)
        break;  /* a mapping was given: only the first row may be a header */
    }

  g_free (self->used_encoding);
  self->used_encoding = g_strdup (kontor_csv_reader_get_encoding (reader));
  self->used_delimiter = delimiter = kontor_csv_reader_get_delimiter (reader);

  if (self->mapping != NULL)
    {
      g_clear_pointer (&self->used_mapping, kontor_import_mapping_unref);
      self->used_mapping = kontor_import_mapping_ref (self->mapping);
    }
  else if (header != NULL && pending->len > 0)
    {
      /* rows above the header */
      g_autofree char *msg = NULL;

      msg = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u line before the header was skipped",
                                          "%u lines before the header were skipped",
                                          pending->len), pending->len);

      add_problem (self, kontor_import_problem_new (g_array_index (pending_lines, guint, 0), NULL,
                                                    msg, FALSE));
      g_ptr_array_set_size (pending, 0);
      g_array_set_size (pending_lines, 0);
    }
  else if (header == NULL)
    {
      if (pending->len == 0 && n_rows_seen == self->n_failed)
        {
          if (n_rows_seen == 0)
            g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_EMPTY,
                                 _("The file holds no data"));
          else
            g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS,
                                 _("No record could be imported: every row is broken"));
          return FALSE;
        }
      {
        g_autofree char *shown = pending->len ? row_preview (g_ptr_array_index (pending, 0))
                                              : g_strdup ("");

        g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_HEADER,
                     _("No header row was found (line %u reads “%s”); choose which column "
                       "holds which field"),
                     pending->len ? g_array_index (pending_lines, guint, 0) : 1, shown);
      }
      return FALSE;
    }

  {
    g_autoptr(GPtrArray) fields = kontor_import_mapping_list_fields (self->used_mapping);

    for (guint i = 0; i < fields->len; i++)
      if (kontor_kind_get_field (kind, g_ptr_array_index (fields, i)) == NULL)
        {
          g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_FIELD,
                       _("%s: unknown field of a %s"), (const char *) g_ptr_array_index (fields, i),
                       self->kind);
          return FALSE;
        }
  }

  self->expected_width = header ? g_strv_length (header)
                                : kontor_import_mapping_get_n_columns (self->used_mapping);

  for (guint i = 0; i < pending->len && self->fatal == NULL; i++)
    import_csv_row (self, kind, g_ptr_array_index (pending, i), header,
                    g_array_index (pending_lines, guint, i), delimiter);

  while (!at_end && self->fatal == NULL)
    {
      g_autoptr(GError) local = NULL;
      g_auto(GStrv) row = NULL;
      guint line = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, &self->fatal))
        break;

      row = kontor_csv_reader_read_row (reader, &line, cancellable, &local);
      if (row == NULL && local == NULL)
        break;
      if (row == NULL && g_error_matches (local, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW))
        {
          self->n_rows++;
          self->n_failed++;
          add_error_problem (self, line, local);
          continue;
        }
      if (row == NULL)
        {
          self->fatal = g_steal_pointer (&local);
          break;
        }

      import_csv_row (self, kind, row, header, line, delimiter);
      if (self->n_rows % PROGRESS_EVERY == 0)
        report_progress (self, kontor_csv_reader_get_bytes_read (reader));
    }

  g_free (self->used_encoding);
  self->used_encoding = g_strdup (kontor_csv_reader_get_encoding (reader));
  report_progress (self, kontor_csv_reader_get_bytes_read (reader));

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* vCard                                                                  */

static gboolean
run_vcard (KontorImporter  *self,
           KontorSchema    *schema,
           GInputStream    *stream,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(KontorVCardReader) reader = kontor_vcard_reader_new (stream);

  if (self->encoding != NULL)
    kontor_vcard_reader_set_charset (reader, self->encoding);

  while (self->fatal == NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(KontorVCard) card = NULL;
      g_autoptr(JsonObject) values = NULL;
      g_autoptr(GPtrArray) row_problems = NULL;
      g_autoptr(KontorVCardPhoto) photo = NULL;
      g_autofree char *kind_name = NULL;
      KontorKind *kind;

      if (g_cancellable_set_error_if_cancelled (cancellable, &self->fatal))
        break;

      card = kontor_vcard_reader_next (reader, cancellable, &local);
      if (card == NULL && local == NULL)
        break;
      if (card == NULL && g_error_matches (local, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW))
        {
          self->n_rows++;
          self->n_failed++;
          add_error_problem (self, kontor_vcard_reader_get_card_line (reader), local);
          continue;
        }
      if (card == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }

      self->n_rows++;
      values = kontor_vcard_to_values (card, schema, self->kind, &kind_name, &photo, &row_problems);
      kind = kind_name ? kontor_schema_get_kind (schema, kind_name) : NULL;
      if (values == NULL || kind == NULL)
        {
          self->n_failed++;
          if (row_problems != NULL)
            flush_row_problems (self, row_problems);
          continue;
        }

      import_values (self, kind, values, photo, kontor_vcard_get_line (card), row_problems);
      if (self->n_rows % PROGRESS_EVERY == 0)
        report_progress (self, kontor_vcard_reader_get_bytes_read (reader));
    }

  g_free (self->used_encoding);
  self->used_encoding = g_strdup (kontor_vcard_reader_get_encoding (reader));
  report_progress (self, kontor_vcard_reader_get_bytes_read (reader));

  if (self->n_extra_dropped > 0)
    {
      g_autofree char *msg =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u card had properties no field takes (such as X-… "
                                      "or a second address); they were not kept",
                                      "%u cards had properties no field takes (such as X-… "
                                      "or a second address); they were not kept",
                                      self->n_extra_dropped), self->n_extra_dropped);

      add_problem (self, kontor_import_problem_new (0, NULL, msg, FALSE));
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Running                                                                */

static KontorImportFormat
detect_format (const guint8 *data,
               gsize         len)
{
  g_autoptr(GString) ascii = g_string_new (NULL);

  /* whatever the encoding (UTF-16 too): the first letters that are not
   * blank, a BOM or zero bytes */
  for (gsize i = 0; i < len && ascii->len < 11; i++)
    {
      guint8 b = data[i];

      if (b == 0 || b == 0xEF || b == 0xBB || b == 0xBF || b == 0xFE || b == 0xFF)
        continue;
      if (ascii->len == 0 && g_ascii_isspace (b))
        continue;
      g_string_append_c (ascii, (char) b);
    }

  if (g_ascii_strncasecmp (ascii->str, "BEGIN:VCARD", 11) == 0)
    return KONTOR_IMPORT_FORMAT_VCARD;
  return KONTOR_IMPORT_FORMAT_CSV;
}

static void
reset_results (KontorImporter *self)
{
  g_clear_error (&self->fatal);
  g_clear_pointer (&self->used_mapping, kontor_import_mapping_unref);
  g_clear_pointer (&self->used_encoding, g_free);
  g_clear_pointer (&self->org_cache, g_hash_table_unref);
  self->org_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_set_size (self->problems, 0);
  g_ptr_array_set_size (self->preview, 0);
  self->used_format = self->format;
  self->used_delimiter = 0;
  self->in_batch = self->committed = 0;
  self->n_rows = 0;
  self->bytes_read = 0;
  self->bulk_checked = FALSE;
  g_clear_pointer (&self->suspended_kind, g_free);
  self->n_imported = self->n_skipped = self->n_failed = 0;
  self->n_orgs_created = 0;
  self->n_problems = 0;
  self->n_extra_dropped = 0;
  self->expected_width = 0;
  self->orders_possible = KONTOR_DATE_ORDER_ALL;
}

gboolean
kontor_importer_run (KontorImporter  *self,
                     GInputStream    *stream,
                     guint64          bytes_total,
                     GCancellable    *cancellable,
                     GError         **error)
{
  g_autoptr(GInputStream) buffered = NULL;
  KontorSchema *schema;
  KontorKind *kind;
  gboolean ok;
  gsize available;

  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reset_results (self);
  self->bytes_total = bytes_total;

  schema = kontor_store_get_schema (self->store);
  kind = kontor_schema_require_kind (schema, self->kind, error);
  if (kind == NULL)
    return FALSE;

  if (self->extra_field != NULL)
    {
      KontorField *f = kontor_kind_get_field (kind, self->extra_field);

      if (f == NULL || kontor_field_get_field_type (f) != KONTOR_FIELD_LONG_TEXT)
        {
          g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_FIELD,
                       _("%s: not a long text field of a %s"), self->extra_field, self->kind);
          return FALSE;
        }
    }

  buffered = g_buffered_input_stream_new_sized (stream, 64 * 1024);
  for (;;)
    {
      gssize n;

      available = g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (buffered));
      if (available >= 4096)
        break;
      n = g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), 4096 - available,
                                        cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
    }

  available = g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (buffered));
  if (available == 0)
    {
      g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_EMPTY,
                           _("The file is empty"));
      return FALSE;
    }

  if (self->used_format == KONTOR_IMPORT_FORMAT_AUTO)
    {
      gsize len;
      const guint8 *data = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered),
                                                                &len);
      self->used_format = detect_format (data, len);
    }

  if (!self->dry_run && !kontor_store_begin (self->store, error))
    return FALSE;
  self->batch_started = g_get_monotonic_time ();

  if (self->used_format == KONTOR_IMPORT_FORMAT_VCARD)
    ok = run_vcard (self, schema, buffered, cancellable, error);
  else
    ok = run_csv (self, kind, buffered, cancellable, error);

  if (ok && self->fatal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->fatal));
      ok = FALSE;
    }

  if (!self->dry_run)
    {
      if (ok)
        {
          ok = kontor_store_commit (self->store, error);
          if (ok)
            self->committed = self->n_imported;
        }
      else
        kontor_store_rollback (self->store);
      /* what a failed transaction held is not imported */
      self->n_imported = self->committed;

      if (self->suspended_kind != NULL)
        {
          g_autoptr(GError) local = NULL;
          g_autofree char *kind_name = g_steal_pointer (&self->suspended_kind);

          if (!kontor_store_resume_indexes (self->store, kind_name, &local))
            {
              /* the next open builds them; the records are in */
              g_warning ("Could not rebuild the indexes of %s: %s", kind_name, local->message);
            }
        }
    }

  if (!ok)
    return FALSE;

  if (self->n_imported == 0)
    {
      const KontorImportProblem *first = NULL;

      for (guint i = 0; i < self->problems->len && first == NULL; i++)
        {
          KontorImportProblem *p = g_ptr_array_index (self->problems, i);

          if (p->fatal)
            first = p;
        }

      if (first != NULL)
        {
          g_autofree char *text = kontor_import_problem_to_string (first);

          g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS,
                       _("No record could be imported (%u failed); the first problem: %s"),
                       self->n_failed, text);
        }
      else if (self->n_rows > 0 && self->n_skipped == self->n_rows)
        g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS,
                             _("Nothing was imported: every record was skipped (blank, or in "
                               "Kontor already)"));
      else if (self->n_rows == 0)
        g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS,
                             self->used_format == KONTOR_IMPORT_FORMAT_CSV
                             ? _("The file has a header but no records")
                             : _("The file has no cards"));
      else
        g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS,
                             _("No record could be imported: the rows hold no values for "
                               "the fields"));
      return FALSE;
    }

  return TRUE;
}

gboolean
kontor_importer_run_file (KontorImporter  *self,
                          GFile           *file,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;

  g_return_val_if_fail (KONTOR_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);

  return kontor_importer_run (self, G_INPUT_STREAM (in),
                              info ? (guint64) g_file_info_get_size (info) : 0,
                              cancellable, error);
}

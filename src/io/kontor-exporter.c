/* kontor-exporter.c: records of the store to CSV and vCard
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-io"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-csv-reader.h"
#include "kontor-exporter.h"
#include "kontor-vcard.h"

#define PAGE_SIZE       500
#define MAX_NAME_CACHE  10000

struct _KontorExporter
{
  GObject             parent_instance;

  KontorStore        *store;
  char               *kind;
  KontorExportFormat  format;
  KontorQuery        *query;
  KontorBlobLoadFunc  blob_func;
  gpointer            blob_data;
  GDestroyNotify      blob_destroy;
  char               *extra_field;
  GHashTable         *names;      /* organization id -> name */
  guint               n_exported;
};

G_DEFINE_FINAL_TYPE (KontorExporter, kontor_exporter, G_TYPE_OBJECT)

static void
kontor_exporter_dispose (GObject *object)
{
  KontorExporter *self = (KontorExporter *) object;

  g_clear_object (&self->store);
  if (self->blob_destroy != NULL)
    g_clear_pointer (&self->blob_data, self->blob_destroy);
  self->blob_destroy = NULL;

  G_OBJECT_CLASS (kontor_exporter_parent_class)->dispose (object);
}

static void
kontor_exporter_finalize (GObject *object)
{
  KontorExporter *self = (KontorExporter *) object;

  g_free (self->kind);
  g_free (self->extra_field);
  g_clear_pointer (&self->query, kontor_query_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (kontor_exporter_parent_class)->finalize (object);
}

static void
kontor_exporter_class_init (KontorExporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_exporter_dispose;
  object_class->finalize = kontor_exporter_finalize;
}

static void
kontor_exporter_init (KontorExporter *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

KontorExporter *
kontor_exporter_new (KontorStore        *store,
                     const char         *kind,
                     KontorExportFormat  format)
{
  KontorExporter *self;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_EXPORTER, NULL);
  self->store = g_object_ref (store);
  self->kind = g_strdup (kind);
  self->format = format;
  return self;
}

void
kontor_exporter_set_query (KontorExporter *self,
                           KontorQuery    *query)
{
  g_return_if_fail (KONTOR_IS_EXPORTER (self));

  g_clear_pointer (&self->query, kontor_query_unref);
  if (query != NULL)
    self->query = kontor_query_ref (query);
}

void
kontor_exporter_set_blob_func (KontorExporter     *self,
                               KontorBlobLoadFunc  func,
                               gpointer            user_data,
                               GDestroyNotify      destroy)
{
  g_return_if_fail (KONTOR_IS_EXPORTER (self));

  if (self->blob_destroy != NULL)
    self->blob_destroy (self->blob_data);
  self->blob_func = func;
  self->blob_data = user_data;
  self->blob_destroy = destroy;
}

void
kontor_exporter_set_extra_field (KontorExporter *self,
                                 const char     *field)
{
  g_return_if_fail (KONTOR_IS_EXPORTER (self));

  g_free (self->extra_field);
  self->extra_field = g_strdup (field);
}

guint
kontor_exporter_get_n_exported (KontorExporter *self)
{
  g_return_val_if_fail (KONTOR_IS_EXPORTER (self), 0);
  return self->n_exported;
}

static gboolean
refers_to_organizations (KontorField *field)
{
  const char * const *kinds = kontor_field_get_ref_kinds (field);

  return kontor_field_get_field_type (field) == KONTOR_FIELD_REFERENCE && kinds != NULL &&
         g_strv_length ((GStrv) kinds) == 1 && g_str_equal (kinds[0], "organization");
}

/* An organization's name by id (cached); the id itself if it is gone. */
static const char *
organization_name (KontorExporter *self,
                   const char     *id)
{
  const char *cached = g_hash_table_lookup (self->names, id);
  g_autoptr(KontorRecord) record = NULL;
  const char *name;

  if (cached != NULL)
    return cached;

  record = kontor_store_get (self->store, id, NULL);
  name = record ? kontor_record_get_string (record, "name") : NULL;

  if (g_hash_table_size (self->names) >= MAX_NAME_CACHE)
    g_hash_table_remove_all (self->names);
  g_hash_table_insert (self->names, g_strdup (id), g_strdup (name ? name : id));

  return g_hash_table_lookup (self->names, id);
}

static char *
field_text (KontorExporter *self,
            KontorField    *field,
            JsonNode       *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("");

  if (refers_to_organizations (field) && JSON_NODE_HOLDS_VALUE (value) &&
      json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (organization_name (self, json_node_get_string (value)));

  return kontor_field_format (field, value);
}

static gboolean
write_string (GOutputStream  *out,
              GString        *text,
              GCancellable   *cancellable,
              GError        **error)
{
  gboolean ok = g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);

  g_string_truncate (text, 0);
  return ok;
}

static gboolean
write_csv_record (KontorExporter *self,
                  KontorKind     *kind,
                  KontorRecord   *record,
                  GString        *out)
{
  GPtrArray *fields = kontor_kind_get_fields (kind);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);

      g_ptr_array_add (texts, field_text (self, f,
                                          kontor_record_get_value (record,
                                                                   kontor_field_get_name (f))));
    }

  kontor_csv_append_row (out, (const char * const *) texts->pdata, texts->len, ',');
  return TRUE;
}

static gboolean
write_vcard_record (KontorExporter  *self,
                    KontorKind      *kind,
                    KontorRecord    *record,
                    GString         *out)
{
  JsonObject *values = kontor_record_get_values (record);
  const char *org_id = kontor_record_get_string (record, "organization");
  const char *photo_hash = kontor_record_get_string (record, "photo");
  const char *org_name = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(KontorVCard) card = NULL;
  g_autofree char *text = NULL;
  KontorField *org_field = kontor_kind_get_field (kind, "organization");

  if (org_id != NULL && org_field != NULL && refers_to_organizations (org_field))
    org_name = organization_name (self, org_id);

  if (photo_hash != NULL && self->blob_func != NULL)
    {
      g_autoptr(GError) local = NULL;

      photo = self->blob_func (photo_hash, self->blob_data, &local);
      if (local != NULL)
        g_warning ("Photo %s of %s not exported: %s", photo_hash,
                   kontor_record_get_id (record), local->message);
    }

  card = kontor_vcard_new_from_values (kind, kontor_record_get_id (record), values,
                                       self->format == KONTOR_EXPORT_VCARD_30 ? 30 : 40,
                                       org_name, photo, self->extra_field);
  text = kontor_vcard_to_string (card);
  g_string_append (out, text);
  return TRUE;
}

gboolean
kontor_exporter_run (KontorExporter  *self,
                     GOutputStream   *out,
                     GCancellable    *cancellable,
                     GError         **error)
{
  g_autoptr(KontorQuery) query = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  KontorKind *kind;
  guint offset = 0;

  g_return_val_if_fail (KONTOR_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  self->n_exported = 0;
  kind = kontor_schema_require_kind (kontor_store_get_schema (self->store), self->kind, error);
  if (kind == NULL)
    return FALSE;

  query = self->query ? kontor_query_ref (self->query) : kontor_query_new (self->kind);

  if (self->format == KONTOR_EXPORT_CSV)
    {
      GPtrArray *fields = kontor_kind_get_fields (kind);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (guint i = 0; i < fields->len; i++)
        g_ptr_array_add (names, (gpointer) kontor_field_get_name (g_ptr_array_index (fields, i)));
      kontor_csv_append_row (buffer, (const char * const *) names->pdata, names->len, ',');
    }

  for (;;)
    {
      g_autoptr(GPtrArray) page = kontor_store_query (self->store, query, offset, PAGE_SIZE, error);

      if (page == NULL)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          KontorRecord *record = g_ptr_array_index (page, i);

          if (self->format == KONTOR_EXPORT_CSV)
            write_csv_record (self, kind, record, buffer);
          else
            write_vcard_record (self, kind, record, buffer);
          self->n_exported++;

          if (buffer->len >= 64 * 1024 && !write_string (out, buffer, cancellable, error))
            return FALSE;
        }

      if (page->len < PAGE_SIZE)
        break;
      offset += page->len;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  return write_string (out, buffer, cancellable, error);
}

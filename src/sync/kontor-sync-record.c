/* kontor-sync-record.c: the causal state of one record and its merge
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kontor-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kontor-sync-record.h"

/* Field names: 1 to FIELD_NAME_MAX bytes from [a-z0-9_]. */
#define FIELD_NAME_MAX 128

/* Values may nest this many arrays/objects; the record around a value adds
 * four more levels, which keeps a serialised record within
 * KONTOR_SYNC_JSON_MAX_DEPTH. */
#define VALUE_MAX_DEPTH (KONTOR_SYNC_JSON_MAX_DEPTH - 8)

struct _KontorSyncRecord
{
  KontorVersionVector *vv;
  /* field name -> GPtrArray of KontorFieldVersion, never empty, sorted by
   * dot, highest (the provisional winner) first; dots unique per field */
  GHashTable          *fields;
};

G_DEFINE_BOXED_TYPE (KontorSyncRecord, kontor_sync_record,
                     kontor_sync_record_copy, kontor_sync_record_free)

/* Versions ---------------------------------------------------------------- */

/* Takes value (sealed, immutable) and context. */
static KontorFieldVersion *
field_version_new (const KontorDot     *dot,
                   JsonNode            *value,
                   KontorVersionVector *context)
{
  KontorFieldVersion *v = g_new0 (KontorFieldVersion, 1);

  v->dot = *dot;
  v->value = value;
  v->context = context;

  return v;
}

static void
field_version_free (gpointer data)
{
  KontorFieldVersion *v = data;

  if (v == NULL)
    return;

  g_clear_pointer (&v->value, json_node_unref);
  g_clear_pointer (&v->context, kontor_version_vector_free);
  g_free (v);
}

static KontorFieldVersion *
field_version_copy (const KontorFieldVersion *v)
{
  /* Values are sealed, so sharing them is safe. */
  return field_version_new (&v->dot,
                            json_node_ref (v->value),
                            v->context != NULL ? kontor_version_vector_copy (v->context) : NULL);
}

static GPtrArray *
versions_new (void)
{
  return g_ptr_array_new_with_free_func (field_version_free);
}

static GPtrArray *
versions_copy (const GPtrArray *versions)
{
  GPtrArray *copy = g_ptr_array_new_full (versions->len, field_version_free);

  for (guint i = 0; i < versions->len; i++)
    g_ptr_array_add (copy, field_version_copy (g_ptr_array_index (versions, i)));

  return copy;
}

/* Winner first: descending by kontor_dot_compare(). */
static int
version_order (gconstpointer a,
               gconstpointer b)
{
  const KontorFieldVersion *va = *(KontorFieldVersion * const *) a;
  const KontorFieldVersion *vb = *(KontorFieldVersion * const *) b;

  return kontor_dot_compare (&vb->dot, &va->dot);
}

static const KontorFieldVersion *
versions_find_dot (const GPtrArray *versions,
                   const KontorDot *dot)
{
  for (guint i = 0; i < versions->len; i++)
    {
      const KontorFieldVersion *v = g_ptr_array_index (versions, i);

      if (kontor_dot_equal (&v->dot, dot))
        return v;
    }

  return NULL;
}

static gboolean
value_is_true (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value)
         && json_node_get_value_type (value) == G_TYPE_BOOLEAN
         && json_node_get_boolean (value);
}

static gboolean
value_is_boolean (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value)
         && json_node_get_value_type (value) == G_TYPE_BOOLEAN;
}

/* Exact equality, consistent with the canonical text: an integer is not
 * equal to a double, and doubles are compared bit by bit (so -0.0 != 0.0).
 * json_node_equal() is looser than that. */
static gboolean
value_equal (JsonNode *a,
             JsonNode *b)
{
  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return FALSE;

  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;

      switch (json_node_get_value_type (a))
        {
        case G_TYPE_INT64:
          return json_node_get_int (a) == json_node_get_int (b);
        case G_TYPE_DOUBLE:
          {
            double da = json_node_get_double (a);
            double db = json_node_get_double (b);

            return memcmp (&da, &db, sizeof da) == 0;
          }
        case G_TYPE_BOOLEAN:
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        case G_TYPE_STRING:
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        default:
          return FALSE;
        }

    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);
        guint len = json_array_get_length (aa);

        if (len != json_array_get_length (ab))
          return FALSE;

        for (guint i = 0; i < len; i++)
          if (!value_equal (json_array_get_element (aa, i), json_array_get_element (ab, i)))
            return FALSE;

        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        g_autoptr(GList) members = NULL;

        if (json_object_get_size (oa) != json_object_get_size (ob))
          return FALSE;

        members = json_object_get_members (oa);
        for (const GList *l = members; l != NULL; l = l->next)
          {
            JsonNode *mb = json_object_get_member (ob, l->data);

            if (mb == NULL || !value_equal (json_object_get_member (oa, l->data), mb))
              return FALSE;
          }

        return TRUE;
      }

    default:
      return FALSE;
    }
}

static gboolean
version_equal (const KontorFieldVersion *a,
               const KontorFieldVersion *b)
{
  if (!kontor_dot_equal (&a->dot, &b->dot) || !value_equal (a->value, b->value))
    return FALSE;

  if (a->context == NULL || b->context == NULL)
    return a->context == b->context;

  return kontor_version_vector_equal (a->context, b->context);
}

static char *
version_content_string (const KontorFieldVersion *v)
{
  g_autofree char *value = kontor_sync_json_to_string (v->value);
  g_autofree char *context = NULL;

  if (v->context != NULL)
    context = kontor_version_vector_to_string (v->context);

  /* "\n" never occurs in compact JSON outside strings, where it is escaped */
  return g_strconcat (value, "\n", context, NULL);
}

/* Two sides holding the same dot with different content should not happen
 * (the server detects a copied database), but the merge must still be
 * commutative then: keep the greater content in a total order. */
static const KontorFieldVersion *
choose_same_dot (const KontorFieldVersion *a,
                 const KontorFieldVersion *b)
{
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;

  if (version_equal (a, b))
    return a;

  sa = version_content_string (a);
  sb = version_content_string (b);

  return strcmp (sa, sb) >= 0 ? a : b;
}

/* The multi-value register merge of one field present on both sides. */
static GPtrArray *
merge_versions (const GPtrArray           *mine,
                const KontorVersionVector *my_vv,
                const GPtrArray           *theirs,
                const KontorVersionVector *their_vv)
{
  GPtrArray *merged = versions_new ();

  for (guint i = 0; i < mine->len; i++)
    {
      const KontorFieldVersion *v = g_ptr_array_index (mine, i);
      const KontorFieldVersion *w = versions_find_dot (theirs, &v->dot);

      if (w != NULL)
        g_ptr_array_add (merged, field_version_copy (choose_same_dot (v, w)));
      else if (!kontor_version_vector_covers (their_vv, &v->dot))
        g_ptr_array_add (merged, field_version_copy (v));
      /* else: they have seen v and overwrote it */
    }

  for (guint i = 0; i < theirs->len; i++)
    {
      const KontorFieldVersion *w = g_ptr_array_index (theirs, i);

      if (versions_find_dot (mine, &w->dot) != NULL)
        continue;   /* handled above */

      if (!kontor_version_vector_covers (my_vv, &w->dot))
        g_ptr_array_add (merged, field_version_copy (w));
    }

  g_ptr_array_sort (merged, version_order);

  return merged;
}

/* Values ------------------------------------------------------------------ */

static gboolean
field_name_is_valid (const char *name)
{
  gsize len = 0;

  for (const char *p = name; *p != '\0'; p++, len++)
    {
      if (len >= FIELD_NAME_MAX)
        return FALSE;
      if (!((*p >= 'a' && *p <= 'z') || g_ascii_isdigit (*p) || *p == '_'))
        return FALSE;
    }

  return len > 0;
}

static char *
quote_for_message (const char *name)
{
  g_autofree char *head = NULL;
  g_autofree char *escaped = NULL;
  gsize len = strlen (name);

  head = g_strndup (name, MIN (len, 40));
  escaped = g_strescape (head, NULL);

  return g_strdup_printf ("%s%s", escaped, len > 40 ? "…" : "");
}

/* g_string_append_printf() allocates on every call; serialisation is hot. */
static void
append_uint64 (GString *out,
               guint64  value)
{
  char buf[24];
  char *p = buf + sizeof buf;

  *--p = '\0';
  do
    {
      *--p = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value != 0);

  g_string_append (out, p);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A deep copy that checks the value can be stored and written as JSON, and
 * sorts object members so that equal values give equal text. depth counts
 * the arrays and objects around src. */
static JsonNode *
copy_value (JsonNode  *src,
            guint      depth,
            GError   **error)
{
  switch (json_node_get_node_type (src))
    {
    case JSON_NODE_NULL:
      return json_node_init_null (json_node_alloc ());

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (src))
        {
        case G_TYPE_INT64:
          return json_node_init_int (json_node_alloc (), json_node_get_int (src));

        case G_TYPE_DOUBLE:
          if (!isfinite (json_node_get_double (src)))
            {
              g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                           _("a number is not finite"));
              return NULL;
            }
          return json_node_init_double (json_node_alloc (), json_node_get_double (src));

        case G_TYPE_BOOLEAN:
          return json_node_init_boolean (json_node_alloc (), json_node_get_boolean (src));

        case G_TYPE_STRING:
          {
            const char *str = json_node_get_string (src);

            if (str == NULL || !g_utf8_validate (str, -1, NULL))
              {
                g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                             _("a string is not valid UTF-8"));
                return NULL;
              }
            return json_node_init_string (json_node_alloc (), str);
          }

        default:
          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("a value of type %s has no JSON form"),
                       g_type_name (json_node_get_value_type (src)));
          return NULL;
        }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (src);
        g_autoptr(JsonArray) copy = NULL;
        guint len = json_array_get_length (array);

        if (depth >= VALUE_MAX_DEPTH)
          {
            g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                         _("the value nests more than %u arrays and objects"),
                         (guint) VALUE_MAX_DEPTH);
            return NULL;
          }

        copy = json_array_sized_new (len);
        for (guint i = 0; i < len; i++)
          {
            JsonNode *element = copy_value (json_array_get_element (array, i), depth + 1, error);

            if (element == NULL)
              return NULL;
            json_array_add_element (copy, element);
          }

        return json_node_init_array (json_node_alloc (), copy);
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (src);
        g_autoptr(JsonObject) copy = NULL;
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        g_autoptr(GList) members = NULL;

        if (depth >= VALUE_MAX_DEPTH)
          {
            g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                         _("the value nests more than %u arrays and objects"),
                         (guint) VALUE_MAX_DEPTH);
            return NULL;
          }

        members = json_object_get_members (object);
        for (GList *l = members; l != NULL; l = l->next)
          g_ptr_array_add (names, l->data);
        g_ptr_array_sort (names, compare_strings);

        copy = json_object_new ();
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);
            JsonNode *member;

            if (!g_utf8_validate (name, -1, NULL))
              {
                g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                             _("an object member name is not valid UTF-8"));
                return NULL;
              }

            member = copy_value (json_object_get_member (object, name), depth + 1, error);
            if (member == NULL)
              return NULL;
            json_object_set_member (copy, name, member);
          }

        return json_node_init_object (json_node_alloc (), copy);
      }

    default:
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("a JSON node has no type"));
      return NULL;
    }
}

/* A sealed, validated, canonical copy of value. */
static JsonNode *
import_value (JsonNode  *value,
              GError   **error)
{
  JsonNode *copy = copy_value (value, 0, error);

  if (copy != NULL)
    json_node_seal (copy);

  return copy;
}

/* Record ------------------------------------------------------------------ */

KontorSyncRecord *
kontor_sync_record_new (void)
{
  KontorSyncRecord *rec = g_new0 (KontorSyncRecord, 1);

  rec->vv = kontor_version_vector_new ();
  rec->fields = g_hash_table_new_full (g_str_hash, g_str_equal,
                                       g_free, (GDestroyNotify) g_ptr_array_unref);

  return rec;
}

KontorSyncRecord *
kontor_sync_record_copy (const KontorSyncRecord *rec)
{
  KontorSyncRecord *copy;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (rec != NULL, NULL);

  copy = kontor_sync_record_new ();
  kontor_version_vector_merge (copy->vv, rec->vv);

  g_hash_table_iter_init (&iter, rec->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->fields, g_strdup (key), versions_copy (value));

  return copy;
}

void
kontor_sync_record_free (KontorSyncRecord *rec)
{
  if (rec == NULL)
    return;

  kontor_version_vector_free (rec->vv);
  g_hash_table_unref (rec->fields);
  g_free (rec);
}

const KontorVersionVector *
kontor_sync_record_get_vv (const KontorSyncRecord *rec)
{
  g_return_val_if_fail (rec != NULL, NULL);

  return rec->vv;
}

GPtrArray *
kontor_sync_record_list_fields (const KontorSyncRecord *rec)
{
  GPtrArray *names;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (rec != NULL, NULL);

  names = g_ptr_array_new_full (g_hash_table_size (rec->fields), g_free);
  g_hash_table_iter_init (&iter, rec->fields);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_sort (names, compare_strings);

  return names;
}

const GPtrArray *
kontor_sync_record_get_versions (const KontorSyncRecord *rec,
                                 const char             *field)
{
  g_return_val_if_fail (rec != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  return g_hash_table_lookup (rec->fields, field);
}

JsonNode *
kontor_sync_record_get_value (const KontorSyncRecord *rec,
                              const char             *field)
{
  const GPtrArray *versions;

  g_return_val_if_fail (rec != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  versions = g_hash_table_lookup (rec->fields, field);
  if (versions == NULL)
    return NULL;

  return ((const KontorFieldVersion *) g_ptr_array_index (versions, 0))->value;
}

gboolean
kontor_sync_record_is_deleted (const KontorSyncRecord *rec)
{
  JsonNode *winner;

  g_return_val_if_fail (rec != NULL, FALSE);

  winner = kontor_sync_record_get_value (rec, KONTOR_SYNC_FIELD_DELETED);

  return winner != NULL && value_is_true (winner);
}

void
kontor_sync_record_apply_edit (KontorSyncRecord *rec,
                               const KontorDot  *dot,
                               JsonObject       *changes)
{
  g_autoptr(GList) members = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(KontorVersionVector) before = NULL;
  guint i = 0;

  g_return_if_fail (rec != NULL);
  g_return_if_fail (dot != NULL);
  g_return_if_fail (changes != NULL);
  g_return_if_fail (dot->counter > 0 && dot->counter <= G_MAXINT64);
  g_return_if_fail (dot->counter > kontor_version_vector_get (rec->vv, dot->replica));

  members = json_object_get_members (changes);
  values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  /* Check everything first: a refused edit changes nothing. */
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autoptr(GError) error = NULL;
      JsonNode *value;

      if (!field_name_is_valid (name))
        {
          g_autofree char *quoted = quote_for_message (name);

          g_critical ("Cannot edit field “%s”: field names are 1 to %u characters "
                      "from a-z, 0-9 and _", quoted, (guint) FIELD_NAME_MAX);
          return;
        }

      value = import_value (json_object_get_member (changes, name), &error);
      if (value == NULL)
        {
          g_critical ("Cannot edit field “%s”: %s", name, error->message);
          return;
        }
      g_ptr_array_add (values, value);

      if (g_str_equal (name, KONTOR_SYNC_FIELD_DELETED) && !value_is_boolean (value))
        {
          g_critical ("Cannot edit field “%s”: the value must be true or false", name);
          return;
        }
    }

  /* The context of a delete: what the editor had seen. The editor's own
   * entry is dot.counter - 1 rather than this record's last counter of
   * that replica: no dot of it lies in between for this record, so the
   * meaning is the same, and a server that rebuilds the delete from the
   * pushed op (which carries only the vector after the edit) gets a
   * byte-identical state. */
  before = kontor_version_vector_copy (rec->vv);
  kontor_version_vector_set (before, dot->replica, dot->counter - 1);

  for (const GList *l = members; l != NULL; l = l->next, i++)
    {
      const char *name = l->data;
      JsonNode *value = g_ptr_array_index (values, i);
      KontorVersionVector *context = NULL;
      GPtrArray *versions = versions_new ();

      if (g_str_equal (name, KONTOR_SYNC_FIELD_DELETED) && value_is_true (value))
        context = kontor_version_vector_copy (before);

      g_ptr_array_add (versions, field_version_new (dot, json_node_ref (value), context));
      g_hash_table_insert (rec->fields, g_strdup (name), versions);
    }

  kontor_version_vector_set (rec->vv, dot->replica, dot->counter);
}

GPtrArray *
kontor_sync_record_conflicts (const KontorSyncRecord *rec)
{
  GPtrArray *names;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (rec != NULL, NULL);

  names = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, rec->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((GPtrArray *) value)->len > 1)
      g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_sort (names, compare_strings);

  return names;
}

GPtrArray *
kontor_sync_record_merge (KontorSyncRecord       *rec,
                          const KontorSyncRecord *other)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  GPtrArray *newly;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (rec != NULL, NULL);
  g_return_val_if_fail (other != NULL, NULL);

  newly = g_ptr_array_new_with_free_func (g_free);

  if (rec == other)
    return newly;

  before = kontor_sync_record_conflicts (rec);

  /* Fields only in rec keep their versions; so do fields only in other. */
  g_hash_table_iter_init (&iter, other->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const GPtrArray *theirs = value;
      const GPtrArray *mine = g_hash_table_lookup (rec->fields, key);
      GPtrArray *merged;

      if (mine == NULL)
        {
          g_hash_table_insert (rec->fields, g_strdup (key), versions_copy (theirs));
          continue;
        }

      merged = merge_versions (mine, rec->vv, theirs, other->vv);

      /* Only states that no sequence of edits and merges produces (each side
       * claims to have seen and overwritten the other's versions) can leave
       * nothing; drop the field rather than keep an empty register. */
      if (merged->len == 0)
        {
          g_ptr_array_unref (merged);
          g_hash_table_remove (rec->fields, key);
        }
      else
        {
          g_hash_table_insert (rec->fields, g_strdup (key), merged);
        }
    }

  kontor_version_vector_merge (rec->vv, other->vv);

  after = kontor_sync_record_conflicts (rec);
  for (guint i = 0; i < after->len; i++)
    {
      const char *name = g_ptr_array_index (after, i);

      if (!g_ptr_array_find_with_equal_func (before, name, g_str_equal, NULL))
        g_ptr_array_add (newly, g_strdup (name));
    }

  return newly;
}

/* Concurrent deletes: the context that counts is the union (pointwise
 * maximum) of the contexts of all surviving "true" versions. A version that
 * any surviving delete has seen was deleted knowingly; this only depends on
 * the merged state, so it is as commutative as the merge. */
gboolean
kontor_sync_record_delete_conflict (const KontorSyncRecord *rec)
{
  const GPtrArray *deletes;
  g_autoptr(KontorVersionVector) context = NULL;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (rec != NULL, FALSE);

  if (!kontor_sync_record_is_deleted (rec))
    return FALSE;

  deletes = g_hash_table_lookup (rec->fields, KONTOR_SYNC_FIELD_DELETED);
  context = kontor_version_vector_new ();
  for (guint i = 0; i < deletes->len; i++)
    {
      const KontorFieldVersion *d = g_ptr_array_index (deletes, i);

      if (value_is_true (d->value) && d->context != NULL)
        kontor_version_vector_merge (context, d->context);
    }

  g_hash_table_iter_init (&iter, rec->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const GPtrArray *versions = value;

      if (g_str_equal (key, KONTOR_SYNC_FIELD_DELETED))
        continue;

      for (guint i = 0; i < versions->len; i++)
        {
          const KontorFieldVersion *v = g_ptr_array_index (versions, i);
          const KontorFieldVersion *d;

          if (kontor_version_vector_covers (context, &v->dot))
            continue;

          /* written by a delete itself, in the same edit */
          d = versions_find_dot (deletes, &v->dot);
          if (d != NULL && value_is_true (d->value))
            continue;

          return TRUE;
        }
    }

  return FALSE;
}

gboolean
kontor_sync_record_equal (const KontorSyncRecord *a,
                          const KontorSyncRecord *b)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;

  if (!kontor_version_vector_equal (a->vv, b->vv)
      || g_hash_table_size (a->fields) != g_hash_table_size (b->fields))
    return FALSE;

  g_hash_table_iter_init (&iter, a->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const GPtrArray *va = value;
      const GPtrArray *vb = g_hash_table_lookup (b->fields, key);

      if (vb == NULL || va->len != vb->len)
        return FALSE;

      /* both sorted the same way, dots unique */
      for (guint i = 0; i < va->len; i++)
        if (!version_equal (g_ptr_array_index (va, i), g_ptr_array_index (vb, i)))
          return FALSE;
    }

  return TRUE;
}

/* JSON -------------------------------------------------------------------- */

static JsonNode *
version_to_json (const KontorFieldVersion *v)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *dot = json_array_sized_new (2);

  /* members in the order of the canonical form: d, v, c */
  json_array_add_int_element (dot, (gint64) v->dot.replica);
  json_array_add_int_element (dot, (gint64) v->dot.counter);
  json_object_set_array_member (object, "d", dot);
  json_object_set_member (object, "v", json_node_ref (v->value));
  if (v->context != NULL)
    json_object_set_member (object, "c", kontor_version_vector_to_json (v->context));

  return json_node_init_object (json_node_alloc (), object);
}

JsonNode *
kontor_sync_record_to_json (const KontorSyncRecord *rec)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GPtrArray) names = NULL;
  JsonObject *fields;

  g_return_val_if_fail (rec != NULL, NULL);

  root = json_object_new ();
  json_object_set_member (root, "vv", kontor_version_vector_to_json (rec->vv));

  fields = json_object_new ();
  names = kontor_sync_record_list_fields (rec);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const GPtrArray *versions = g_hash_table_lookup (rec->fields, name);
      JsonArray *array = json_array_sized_new (versions->len);

      for (guint j = 0; j < versions->len; j++)
        json_array_add_element (array, version_to_json (g_ptr_array_index (versions, j)));
      json_object_set_array_member (fields, name, array);
    }
  json_object_set_object_member (root, "f", fields);

  return json_node_init_object (json_node_alloc (), root);
}

/* The same text as kontor_sync_json_to_string (kontor_sync_record_to_json
 * (rec)), written directly: building the JsonNode tree first costs several
 * times more, and merges are compared by their text. */
char *
kontor_sync_record_to_string (const KontorSyncRecord *rec)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *vv = NULL;

  g_return_val_if_fail (rec != NULL, NULL);

  out = g_string_new ("{\"vv\":");
  vv = kontor_version_vector_to_string (rec->vv);
  g_string_append (out, vv);
  g_string_append (out, ",\"f\":{");

  names = kontor_sync_record_list_fields (rec);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const GPtrArray *versions = g_hash_table_lookup (rec->fields, name);

      /* field names are [a-z0-9_]: nothing to escape */
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      g_string_append (out, name);
      g_string_append (out, "\":[");

      for (guint j = 0; j < versions->len; j++)
        {
          const KontorFieldVersion *v = g_ptr_array_index (versions, j);
          g_autofree char *value = kontor_sync_json_to_string (v->value);

          g_string_append (out, j > 0 ? ",{\"d\":[" : "{\"d\":[");
          append_uint64 (out, v->dot.replica);
          g_string_append_c (out, ',');
          append_uint64 (out, v->dot.counter);
          g_string_append (out, "],\"v\":");
          g_string_append (out, value);
          if (v->context != NULL)
            {
              g_autofree char *context = kontor_version_vector_to_string (v->context);

              g_string_append (out, ",\"c\":");
              g_string_append (out, context);
            }
          g_string_append_c (out, '}');
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "}}");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
check_members (JsonObject         *object,
               const char * const *allowed,
               char              **unknown)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        *unknown = quote_for_message (l->data);
        return FALSE;
      }

  return TRUE;
}

static gboolean
dot_from_json (JsonNode  *node,
               KontorDot *dot)
{
  JsonArray *array;
  JsonNode *replica;
  JsonNode *counter;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  array = json_node_get_array (node);
  if (json_array_get_length (array) != 2)
    return FALSE;

  replica = json_array_get_element (array, 0);
  counter = json_array_get_element (array, 1);
  if (!JSON_NODE_HOLDS_VALUE (replica) || json_node_get_value_type (replica) != G_TYPE_INT64
      || !JSON_NODE_HOLDS_VALUE (counter) || json_node_get_value_type (counter) != G_TYPE_INT64)
    return FALSE;

  if (json_node_get_int (replica) < 0 || json_node_get_int (replica) > G_MAXUINT32
      || json_node_get_int (counter) < 1)
    return FALSE;

  dot->replica = (guint32) json_node_get_int (replica);
  dot->counter = (guint64) json_node_get_int (counter);

  return TRUE;
}

static char *
dot_to_string (const KontorDot *dot)
{
  return g_strdup_printf ("[%u,%" G_GUINT64_FORMAT "]", (guint) dot->replica, dot->counter);
}

static KontorFieldVersion *
version_from_json (JsonNode                  *node,
                   const char                *field,
                   const KontorVersionVector *vv,
                   GError                   **error)
{
  static const char * const allowed[] = { "d", "v", "c", NULL };
  g_autofree char *unknown = NULL;
  g_autofree char *dot_str = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(KontorVersionVector) context = NULL;
  gboolean is_deleted_field = g_str_equal (field, KONTOR_SYNC_FIELD_DELETED);
  JsonObject *object;
  JsonNode *c;
  KontorDot dot;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!check_members (object, allowed, &unknown))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("unknown member “%s”"), unknown);
      return NULL;
    }

  if (!json_object_has_member (object, "d") || !json_object_has_member (object, "v"))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("member “%s” is missing"),
                   json_object_has_member (object, "d") ? "v" : "d");
      return NULL;
    }

  if (!dot_from_json (json_object_get_member (object, "d"), &dot))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("the dot “d” is not [replica, counter] with a replica from 0 to %u "
                     "and a positive counter"), (guint) G_MAXUINT32);
      return NULL;
    }

  dot_str = dot_to_string (&dot);

  /* A state never holds a write it has not seen: refusing this keeps every
   * dot covered by the vector, which the merge relies on. */
  if (!kontor_version_vector_covers (vv, &dot))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("dot %s is not covered by the record’s version vector"), dot_str);
      return NULL;
    }

  value = import_value (json_object_get_member (object, "v"), error);
  if (value == NULL)
    return NULL;

  if (is_deleted_field && !value_is_boolean (value))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("the value of “%s” is not true or false"), KONTOR_SYNC_FIELD_DELETED);
      return NULL;
    }

  c = json_object_get_member (object, "c");
  if (is_deleted_field && value_is_true (value))
    {
      if (c == NULL)
        {
          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("a delete has no context “c”"));
          return NULL;
        }

      context = kontor_version_vector_from_json (c, error);
      if (context == NULL)
        {
          g_prefix_error (error, _("context “c”: "));
          return NULL;
        }

      /* The context is the vector before the delete: behind the record's
       * vector, and not covering the delete itself. */
      switch (kontor_version_vector_compare (context, vv))
        {
        case KONTOR_VV_EQUAL:
        case KONTOR_VV_BEFORE:
          break;
        case KONTOR_VV_AFTER:
        case KONTOR_VV_CONCURRENT:
        default:
          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("the context “c” is ahead of the record’s version vector"));
          return NULL;
        }

      if (kontor_version_vector_covers (context, &dot))
        {
          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("the context “c” covers the delete’s own dot %s"), dot_str);
          return NULL;
        }
    }
  else if (c != NULL)
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("only a “%s” version with the value true has a context “c”"),
                   KONTOR_SYNC_FIELD_DELETED);
      return NULL;
    }

  return field_version_new (&dot, g_steal_pointer (&value), g_steal_pointer (&context));
}

static GPtrArray *
versions_from_json (JsonNode                  *node,
                    const char                *field,
                    const KontorVersionVector *vv,
                    GError                   **error)
{
  g_autoptr(GPtrArray) versions = NULL;
  JsonArray *array;
  guint len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("Field “%s” is not a JSON array of versions"), field);
      return NULL;
    }

  array = json_node_get_array (node);
  len = json_array_get_length (array);
  if (len == 0)
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("Field “%s” has no versions"), field);
      return NULL;
    }

  versions = g_ptr_array_new_full (len, field_version_free);
  for (guint i = 0; i < len; i++)
    {
      KontorFieldVersion *v = version_from_json (json_array_get_element (array, i),
                                                 field, vv, error);

      if (v == NULL)
        {
          g_prefix_error (error, _("Field “%s”, version %u: "), field, i);
          return NULL;
        }

      if (versions_find_dot (versions, &v->dot) != NULL)
        {
          g_autofree char *dot_str = dot_to_string (&v->dot);

          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("Field “%s” holds dot %s twice"), field, dot_str);
          field_version_free (v);
          return NULL;
        }

      g_ptr_array_add (versions, v);
    }

  /* Any order is accepted; the canonical one is restored. */
  g_ptr_array_sort (versions, version_order);

  return g_steal_pointer (&versions);
}

KontorSyncRecord *
kontor_sync_record_from_json (JsonNode  *node,
                              GError   **error)
{
  static const char * const allowed[] = { "vv", "f", NULL };
  g_autoptr(KontorSyncRecord) rec = NULL;
  g_autoptr(KontorVersionVector) vv = NULL;
  g_autofree char *unknown = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *object;
  JsonNode *fields_node;
  JsonObject *fields;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("Sync record is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!check_members (object, allowed, &unknown))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("Sync record has an unknown member “%s”"), unknown);
      return NULL;
    }

  if (!json_object_has_member (object, "vv") || !json_object_has_member (object, "f"))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("Sync record has no member “%s”"),
                   json_object_has_member (object, "vv") ? "f" : "vv");
      return NULL;
    }

  vv = kontor_version_vector_from_json (json_object_get_member (object, "vv"), error);
  if (vv == NULL)
    {
      g_prefix_error (error, _("Sync record member “vv”: "));
      return NULL;
    }

  fields_node = json_object_get_member (object, "f");
  if (!JSON_NODE_HOLDS_OBJECT (fields_node))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("Sync record member “f” is not a JSON object"));
      return NULL;
    }

  rec = kontor_sync_record_new ();
  kontor_version_vector_merge (rec->vv, vv);

  fields = json_node_get_object (fields_node);
  names = json_object_get_members (fields);
  for (const GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      GPtrArray *versions;

      if (!field_name_is_valid (name))
        {
          g_autofree char *quoted = quote_for_message (name);

          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("Field name “%s” is not valid: field names are 1 to %u characters "
                         "from a–z, 0–9 and “_”"), quoted, (guint) FIELD_NAME_MAX);
          return NULL;
        }

      versions = versions_from_json (json_object_get_member (fields, name), name, vv, error);
      if (versions == NULL)
        return NULL;

      g_hash_table_insert (rec->fields, g_strdup (name), versions);
    }

  return g_steal_pointer (&rec);
}

/* Fast path: the canonical text ------------------------------------------ */

static gboolean
skip_literal (const char **pos,
              const char  *literal)
{
  gsize len = strlen (literal);

  if (strncmp (*pos, literal, len) != 0)
    return FALSE;
  *pos += len;
  return TRUE;
}

/* Doubles are left to the general path: their text is read by json-glib
 * there when a state arrives over the wire. */
static gboolean
holds_double (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) == G_TYPE_DOUBLE;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (holds_double (json_array_get_element (array, i)))
            return TRUE;
        return FALSE;
      }
    case JSON_NODE_OBJECT:
      {
        g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));

        for (GList *l = members; l != NULL; l = l->next)
          if (holds_double (l->data))
            return TRUE;
        return FALSE;
      }
    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

/* One version in the canonical form {"d":[r,c],"v":…[,"c":{…}]}, with every
 * check of version_from_json(); NULL if anything differs. */
static KontorFieldVersion *
version_from_canonical (const char                **pos,
                        const char                 *field,
                        const KontorVersionVector  *vv)
{
  const char *p = *pos;
  g_autoptr(JsonNode) raw = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(KontorVersionVector) context = NULL;
  guint64 replica, counter;
  KontorDot dot;

  if (!skip_literal (&p, "{\"d\":[") || !_kontor_sync_read_uint (&p, G_MAXUINT32, &replica) ||
      *p++ != ',' || !_kontor_sync_read_uint (&p, G_MAXINT64, &counter) || counter < 1 ||
      !skip_literal (&p, "],\"v\":"))
    return NULL;
  dot.replica = (guint32) replica;
  dot.counter = counter;
  if (!kontor_version_vector_covers (vv, &dot))
    return NULL;

  /* depth 4: the value sits in the record, "f", the array and the version */
  raw = _kontor_sync_json_read_at (&p, 4, NULL);
  if (raw == NULL || holds_double (raw))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (raw) || JSON_NODE_HOLDS_NULL (raw))
    {
      /* a scalar read by the strict reader is what import_value() makes */
      json_node_seal (raw);
      value = g_steal_pointer (&raw);
    }
  else if ((value = import_value (raw, NULL)) == NULL)
    return NULL;

  if (skip_literal (&p, ",\"c\":") &&
      (context = _kontor_version_vector_read_canonical (&p)) == NULL)
    return NULL;
  if (*p != '}')
    return NULL;
  p++;

  if (g_str_equal (field, KONTOR_SYNC_FIELD_DELETED))
    {
      if (!value_is_boolean (value))
        return NULL;
      if (value_is_true (value))
        {
          KontorVvOrder order;

          if (context == NULL)
            return NULL;
          order = kontor_version_vector_compare (context, vv);
          if ((order != KONTOR_VV_EQUAL && order != KONTOR_VV_BEFORE) ||
              kontor_version_vector_covers (context, &dot))
            return NULL;
        }
      else if (context != NULL)
        return NULL;
    }
  else if (context != NULL)
    return NULL;

  *pos = p;
  return field_version_new (&dot, g_steal_pointer (&value), g_steal_pointer (&context));
}

KontorSyncRecord *
_kontor_sync_record_read_canonical (const char **pos)
{
  g_autoptr(KontorSyncRecord) rec = kontor_sync_record_new ();
  const char *p = *pos;
  KontorVersionVector *vv;

  if (!skip_literal (&p, "{\"vv\":") || (vv = _kontor_version_vector_read_canonical (&p)) == NULL)
    return NULL;
  kontor_version_vector_free (rec->vv);
  rec->vv = vv;
  if (!skip_literal (&p, ",\"f\":{"))
    return NULL;

  if (*p != '}')
    for (;;)
      {
        g_autofree char *name = NULL;
        g_autoptr(GPtrArray) versions = NULL;
        const char *start;

        if (*p != '"')
          return NULL;
        start = ++p;
        while ((*p >= 'a' && *p <= 'z') || g_ascii_isdigit (*p) || *p == '_')
          p++;
        if (*p != '"')
          return NULL;
        name = g_strndup (start, (gsize) (p - start));
        if (!field_name_is_valid (name) || g_hash_table_contains (rec->fields, name))
          return NULL;
        p++;
        if (!skip_literal (&p, ":["))
          return NULL;

        versions = versions_new ();
        for (;;)
          {
            KontorFieldVersion *v = version_from_canonical (&p, name, rec->vv);

            if (v == NULL)
              return NULL;
            if (versions_find_dot (versions, &v->dot) != NULL)
              {
                field_version_free (v);
                return NULL;
              }
            g_ptr_array_add (versions, v);
            if (*p == ',')
              p++;
            else if (*p == ']')
              break;
            else
              return NULL;
          }
        p++;
        g_ptr_array_sort (versions, version_order);
        g_hash_table_insert (rec->fields, g_steal_pointer (&name), g_steal_pointer (&versions));

        if (*p == ',')
          p++;
        else if (*p == '}')
          break;
        else
          return NULL;
      }
  p++;
  if (*p != '}')
    return NULL;

  *pos = p + 1;
  return g_steal_pointer (&rec);
}

KontorSyncRecord *
kontor_sync_record_from_string (const char  *json,
                                GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Stored and sent states are canonical: read them straight into the
   * record. Anything else (and every error message) takes the general
   * path below. */
  if (g_utf8_validate (json, -1, NULL))
    {
      const char *end = json;
      KontorSyncRecord *rec = _kontor_sync_record_read_canonical (&end);

      if (rec != NULL && *end == '\0')
        return rec;
      g_clear_pointer (&rec, kontor_sync_record_free);
    }

  node = kontor_sync_json_parse (json, error);
  if (node == NULL)
    return NULL;

  return kontor_sync_record_from_json (node, error);
}

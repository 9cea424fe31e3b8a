/* kontor-import-profile.c: several related CSV files imported as one
 *
 * A profile lists tables (a CSV file, or a few rows written in the profile
 * itself) in the order they are imported. Each row of a table becomes a
 * record of one kind; a "key" column names the row for the tables after
 * it, whose "link" fields look the key up and store the id of the record
 * it became. The whole of a file is never held: per table only its keys
 * and the match index of the kind's existing records are kept.
 *
 * Nothing is guessed. Columns, fields and links are checked before the
 * first row is written; a value that matches no key is reported with an
 * alias to add, never dropped without a word (docs/import-profiles.md).
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-io"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-csv-reader.h"
#include "kontor-fold.h"
#include "kontor-import-profile.h"

#define MAX_PROBLEMS    10000
#define PROGRESS_EVERY  100
#define BATCH_SIZE      1000
#define MAX_SCALE_EXP   18

/* Stands for the id of a record a dry run would create. */
#define PLACEHOLDER_ID  "00000000-0000-0000-0000-000000000000"

typedef struct _Table Table;

typedef struct
{
  char        *field;
  char        *column;          /* one of column, value, template */
  char        *value;
  char        *template_text;
  GHashTable  *map;             /* text -> text, NULL for "no value" */
  char        *default_text;
  guint        scale_exp;       /* the value times 10^scale_exp */
  char        *link;
  gboolean     fail_unmatched;

  /* resolved when run */
  Table       *link_table;
  int          column_index;
  KontorField *kfield;
} FieldSpec;

typedef struct
{
  char       *id;
  JsonObject *values;
} Existing;

typedef struct
{
  char      *id;
  FieldSpec *spec;
  char      *text;
  guint      line;
} Pending;

struct _Table
{
  char            *name;
  char            *kind;
  char            *file;
  GStrv            inline_header;
  GPtrArray       *inline_rows;     /* GStrv */
  char            *key;
  GStrv            match;
  gboolean         distinct;
  char            *encoding;
  char             delimiter;
  gboolean         has_date_order;
  KontorDateOrder  date_order;
  char            *currency;
  GPtrArray       *fields;          /* FieldSpec */
  GHashTable      *aliases;         /* value -> key, for links to this table */
  gboolean         is_target;

  /* state of a run */
  GFile           *gfile;
  guint64          size;
  GStrv            header;
  GHashTable      *columns;         /* name -> index + 1 */
  int              key_index;
  GHashTable      *keys;            /* key -> id ("" in a dry run: would be created) */
  GHashTable      *squashed;        /* squashed key -> key */
  GHashTable      *failed_keys;     /* key -> line */
  GHashTable      *first_rows;      /* key of a distinct table -> "line\nsignature" */
  GHashTable      *existing;        /* match text -> Existing */
  GPtrArray       *pending;         /* Pending: links within the table */
  GPtrArray       *problems;
  KontorProfileTableStats stats;
};

struct _KontorImportProfile
{
  GObject                    parent_instance;

  char                      *name;
  GFile                     *base;
  char                      *currency;
  KontorDateOrder            date_order;
  GPtrArray                 *tables;          /* Table */
  GHashTable                *tables_by_name;  /* name -> Table */
  JsonArray                 *custom_fields;

  gboolean                   dry_run;
  gboolean                   skip_invalid;
  KontorProfileProgressFunc  progress_func;
  gpointer                   progress_data;
  GDestroyNotify             progress_destroy;

  /* state of a run */
  KontorStore               *store;
  GHashTable                *virtual_fields;  /* "kind\nname" -> KontorField (dry run) */
  GPtrArray                 *unmatched;       /* KontorProfileUnmatched */
  GHashTable                *unmatched_index; /* "table\nfield\nvalue" -> KontorProfileUnmatched */
  guint                      n_writes;
  GError                    *fatal;
};

G_DEFINE_FINAL_TYPE (KontorImportProfile, kontor_import_profile, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------- */
/* Small things                                                           */

void
kontor_profile_unmatched_free (KontorProfileUnmatched *unmatched)
{
  if (unmatched == NULL)
    return;
  g_free (unmatched->table);
  g_free (unmatched->field);
  g_free (unmatched->target);
  g_free (unmatched->value);
  g_free (unmatched->suggestion);
  g_free (unmatched);
}

static char *
alias_json (const char *target,
            const char *value,
            const char *key)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, target);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, value);
  json_builder_add_string_value (b, key ? key : "…");
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);

  return g_strdup_printf ("\"aliases\": %s", text);
}

char *
kontor_profile_unmatched_alias_json (const KontorProfileUnmatched *unmatched)
{
  g_return_val_if_fail (unmatched != NULL, NULL);

  return alias_json (unmatched->target, unmatched->value, unmatched->suggestion);
}

static void
field_spec_free (FieldSpec *spec)
{
  g_free (spec->field);
  g_free (spec->column);
  g_free (spec->value);
  g_free (spec->template_text);
  g_clear_pointer (&spec->map, g_hash_table_unref);
  g_free (spec->default_text);
  g_free (spec->link);
  g_clear_pointer (&spec->kfield, kontor_field_unref);
  g_free (spec);
}

static void
existing_free (Existing *e)
{
  g_free (e->id);
  g_clear_pointer (&e->values, json_object_unref);
  g_free (e);
}

static void
pending_free (Pending *p)
{
  if (p == NULL)
    return;
  g_free (p->id);
  g_free (p->text);
  g_free (p);
}

static void
table_reset (Table *t)
{
  g_clear_object (&t->gfile);
  g_clear_pointer (&t->header, g_strfreev);
  g_clear_pointer (&t->columns, g_hash_table_unref);
  g_clear_pointer (&t->keys, g_hash_table_unref);
  g_clear_pointer (&t->squashed, g_hash_table_unref);
  g_clear_pointer (&t->failed_keys, g_hash_table_unref);
  g_clear_pointer (&t->first_rows, g_hash_table_unref);
  g_clear_pointer (&t->existing, g_hash_table_unref);
  g_clear_pointer (&t->pending, g_ptr_array_unref);
  g_clear_pointer (&t->problems, g_ptr_array_unref);

  t->size = 0;
  t->key_index = -1;
  t->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  t->squashed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  t->failed_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->first_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  t->existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) existing_free);
  t->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  t->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);

  memset (&t->stats, 0, sizeof t->stats);
  t->stats.name = t->name;
  t->stats.kind = t->kind;
  t->stats.file = t->file;
}

static void
table_free (Table *t)
{
  g_free (t->name);
  g_free (t->kind);
  g_free (t->file);
  g_strfreev (t->inline_header);
  g_clear_pointer (&t->inline_rows, g_ptr_array_unref);
  g_free (t->key);
  g_strfreev (t->match);
  g_free (t->encoding);
  g_free (t->currency);
  g_clear_pointer (&t->fields, g_ptr_array_unref);
  g_clear_pointer (&t->aliases, g_hash_table_unref);
  g_clear_object (&t->gfile);
  g_clear_pointer (&t->header, g_strfreev);
  g_clear_pointer (&t->columns, g_hash_table_unref);
  g_clear_pointer (&t->keys, g_hash_table_unref);
  g_clear_pointer (&t->squashed, g_hash_table_unref);
  g_clear_pointer (&t->failed_keys, g_hash_table_unref);
  g_clear_pointer (&t->first_rows, g_hash_table_unref);
  g_clear_pointer (&t->existing, g_hash_table_unref);
  g_clear_pointer (&t->pending, g_ptr_array_unref);
  g_clear_pointer (&t->problems, g_ptr_array_unref);
  g_free (t);
}

/* Lower case, letters and digits only: "GTX Pro" and "GTXPro" meet. */
static char *
squash (const char *text)
{
  g_autofree char *folded = kontor_fold (text, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* "4.54" and 6 -> "4540000": a power of ten applied to the digits, so no
 * binary fraction ever comes near a value. */
static char *
shift_decimal (const char  *text,
               guint        exp,
               GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;
  gboolean negative = FALSE;
  gsize n_int = 0;
  gsize n_frac = 0;
  gsize int_len;
  gsize start = 0;
  gsize end;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  for (; g_ascii_isdigit (*p); p++, n_int++)
    g_string_append_c (digits, *p);
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++, n_frac++)
      g_string_append_c (digits, *p);

  if (*p != '\0' || n_int + n_frac == 0)
    {
      g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FAILED,
                   _("“%s” is not a plain number, which the profile’s “scale” needs"), text);
      return NULL;
    }

  for (guint i = 0; i < exp; i++)
    if (n_frac > 0)
      n_frac--;
    else
      g_string_append_c (digits, '0');

  int_len = digits->len - n_frac;
  end = digits->len;
  while (end > int_len && digits->str[end - 1] == '0')
    end--;
  while (start + 1 < int_len && digits->str[start] == '0')
    start++;

  if (negative)
    g_string_append_c (out, '-');
  if (int_len == 0)
    g_string_append_c (out, '0');
  else
    g_string_append_len (out, digits->str + start, int_len - start);
  if (end > int_len)
    {
      g_string_append_c (out, '.');
      g_string_append_len (out, digits->str + int_len, end - int_len);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
parse_date_order (const char       *text,
                  KontorDateOrder  *order)
{
  if (g_ascii_strcasecmp (text, "iso") == 0)
    *order = KONTOR_DATE_ORDER_ISO;
  else if (g_ascii_strcasecmp (text, "dmy") == 0)
    *order = KONTOR_DATE_ORDER_DMY;
  else if (g_ascii_strcasecmp (text, "mdy") == 0)
    *order = KONTOR_DATE_ORDER_MDY;
  else if (g_ascii_strcasecmp (text, "ymd") == 0)
    *order = KONTOR_DATE_ORDER_YMD;
  else
    return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
kontor_import_profile_dispose (GObject *object)
{
  KontorImportProfile *self = (KontorImportProfile *) object;

  g_clear_object (&self->base);
  g_clear_object (&self->store);
  if (self->progress_destroy != NULL)
    g_clear_pointer (&self->progress_data, self->progress_destroy);
  self->progress_destroy = NULL;

  G_OBJECT_CLASS (kontor_import_profile_parent_class)->dispose (object);
}

static void
kontor_import_profile_finalize (GObject *object)
{
  KontorImportProfile *self = (KontorImportProfile *) object;

  g_free (self->name);
  g_free (self->currency);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->tables_by_name, g_hash_table_unref);
  g_clear_pointer (&self->custom_fields, json_array_unref);
  g_clear_pointer (&self->virtual_fields, g_hash_table_unref);
  g_clear_pointer (&self->unmatched, g_ptr_array_unref);
  g_clear_pointer (&self->unmatched_index, g_hash_table_unref);
  g_clear_error (&self->fatal);

  G_OBJECT_CLASS (kontor_import_profile_parent_class)->finalize (object);
}

static void
kontor_import_profile_class_init (KontorImportProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_import_profile_dispose;
  object_class->finalize = kontor_import_profile_finalize;
}

static void
kontor_import_profile_init (KontorImportProfile *self)
{
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);
  self->tables_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->unmatched = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_profile_unmatched_free);
  self->unmatched_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->virtual_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) kontor_field_unref);
}

/* ---------------------------------------------------------------------- */
/* Reading a profile                                                      */

static gboolean G_GNUC_PRINTF (2, 3)
profile_error (GError     **error,
               const char  *format,
               ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FORMAT, _("Import profile: %s"), detail);
  return FALSE;
}

/* A string, number or boolean as text; NULL for null and containers. */
static char *
scalar_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static gboolean
check_members (JsonObject          *obj,
               const char * const  *allowed,
               const char          *where,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return profile_error (error, _("%s: unknown member “%s”"), where, (const char *) l->data);

  return TRUE;
}

static gboolean
get_string_member (JsonObject  *obj,
                   const char  *member,
                   const char  *where,
                   gboolean     required,
                   char       **out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return profile_error (error, _("%s: “%s” is missing"), where, member);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0')
    return profile_error (error, _("%s: “%s” must be a text that is not empty"), where, member);

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* The column names in "{a} and {b}", checking the braces and brackets. */
static gboolean
template_columns (const char  *text,
                  GPtrArray   *columns,
                  GError     **error)
{
  gboolean in_group = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (*p == '[' || *p == ']')
        {
          if ((*p == '[') == in_group)
            return FALSE;
          in_group = !in_group;
        }
      else if (*p == '{')
        {
          const char *close = strchr (p, '}');

          if (close == NULL || close == p + 1)
            return FALSE;
          if (columns != NULL)
            g_ptr_array_add (columns, g_strndup (p + 1, close - p - 1));
          p = close;
        }
      else if (*p == '}')
        return FALSE;
    }

  return !in_group;
}

static FieldSpec *
parse_field_spec (const char  *field,
                  JsonNode    *node,
                  const char  *where,
                  GError     **error)
{
  static const char * const allowed[] = {
    "column", "value", "template", "map", "default", "scale", "link", "unmatched", "comment",
    NULL
  };
  FieldSpec *spec = g_new0 (FieldSpec, 1);
  g_autoptr(GPtrArray) owner = g_ptr_array_new_with_free_func ((GDestroyNotify) field_spec_free);
  g_autofree char *here = g_strdup_printf (_("%s, field “%s”"), where, field);
  JsonObject *obj;
  guint n_sources;

  g_ptr_array_add (owner, spec);
  spec->field = g_strdup (field);
  spec->column_index = -1;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      spec->column = g_strdup (json_node_get_string (node));
      if (spec->column[0] == '\0')
        {
          profile_error (error, _("%s: the column name is empty"), here);
          return NULL;
        }
      return g_ptr_array_steal_index (owner, 0);
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      profile_error (error, _("%s: must be a column name or an object"), here);
      return NULL;
    }
  obj = json_node_get_object (node);
  if (!check_members (obj, allowed, here, error))
    return NULL;

  if (!get_string_member (obj, "column", here, FALSE, &spec->column, error) ||
      !get_string_member (obj, "template", here, FALSE, &spec->template_text, error) ||
      !get_string_member (obj, "default", here, FALSE, &spec->default_text, error) ||
      !get_string_member (obj, "link", here, FALSE, &spec->link, error))
    return NULL;

  if (json_object_has_member (obj, "value"))
    {
      spec->value = scalar_text (json_object_get_member (obj, "value"));
      if (spec->value == NULL)
        {
          profile_error (error, _("%s: “value” must be a text, number or boolean"), here);
          return NULL;
        }
    }

  n_sources = (spec->column != NULL) + (spec->value != NULL) + (spec->template_text != NULL);
  if (n_sources != 1)
    {
      profile_error (error, _("%s: give exactly one of “column”, “value” and “template”"), here);
      return NULL;
    }

  if (spec->template_text != NULL && !template_columns (spec->template_text, NULL, NULL))
    {
      profile_error (error, _("%s: the template “%s” does not close its {column} or [part]"),
                     here, spec->template_text);
      return NULL;
    }

  if (json_object_has_member (obj, "map"))
    {
      JsonNode *map_node = json_object_get_member (obj, "map");
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (map_node))
        {
          profile_error (error, _("%s: “map” must be an object of value: replacement"), here);
          return NULL;
        }
      spec->map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      members = json_object_get_members (json_node_get_object (map_node));
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (json_node_get_object (map_node), l->data);
          char *text = scalar_text (v);

          if (text == NULL && !JSON_NODE_HOLDS_NULL (v))
            {
              profile_error (error, _("%s: the map value for “%s” must be a text, number, "
                                      "boolean or null"), here, (const char *) l->data);
              return NULL;
            }
          g_hash_table_insert (spec->map, g_strdup (l->data), text);
        }
    }

  if (json_object_has_member (obj, "scale"))
    {
      JsonNode *s = json_object_get_member (obj, "scale");
      gint64 factor = 0;

      if (JSON_NODE_HOLDS_VALUE (s) && json_node_get_value_type (s) == G_TYPE_INT64)
        factor = json_node_get_int (s);
      for (spec->scale_exp = 0; factor >= 10 && factor % 10 == 0; spec->scale_exp++)
        factor /= 10;
      if (factor != 1 || spec->scale_exp > MAX_SCALE_EXP)
        {
          profile_error (error, _("%s: “scale” must be a power of ten (10, 1000, 1000000, …)"),
                         here);
          return NULL;
        }
    }

  if (json_object_has_member (obj, "unmatched"))
    {
      g_autofree char *mode = NULL;

      if (!get_string_member (obj, "unmatched", here, FALSE, &mode, error))
        return NULL;
      if (spec->link == NULL || (!g_str_equal (mode, "warn") && !g_str_equal (mode, "fail")))
        {
          profile_error (error, _("%s: “unmatched” is “warn” or “fail”, and only for a link"),
                         here);
          return NULL;
        }
      spec->fail_unmatched = g_str_equal (mode, "fail");
    }

  return g_ptr_array_steal_index (owner, 0);
}

static gboolean
parse_inline_rows (Table       *t,
                   JsonNode    *node,
                   const char  *where,
                   GError     **error)
{
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  JsonArray *rows;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return profile_error (error, _("%s: “rows” must be an array of objects"), where);
  rows = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        return profile_error (error, _("%s: row %u is not an object"), where, i + 1);
      members = json_object_get_members (json_node_get_object (row));
      for (GList *l = members; l; l = l->next)
        {
          gboolean known = FALSE;

          for (guint c = 0; c < header->len && !known; c++)
            known = g_str_equal (g_ptr_array_index (header, c), l->data);
          if (!known)
            g_ptr_array_add (header, g_strdup (l->data));
        }
    }
  g_ptr_array_add (header, NULL);
  t->inline_header = (GStrv) g_ptr_array_free (g_steal_pointer (&header), FALSE);

  t->inline_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      guint n = g_strv_length (t->inline_header);
      GStrv cells = g_new0 (char *, n + 1);

      for (guint c = 0; c < n; c++)
        {
          JsonNode *v = json_object_get_member (row, t->inline_header[c]);
          char *text = v ? scalar_text (v) : NULL;

          if (v != NULL && text == NULL && !JSON_NODE_HOLDS_NULL (v))
            {
              g_strfreev (cells);
              return profile_error (error, _("%s: row %u, “%s” must be a text, number, boolean "
                                             "or null"), where, i + 1, t->inline_header[c]);
            }
          cells[c] = text ? text : g_strdup ("");
        }
      g_ptr_array_add (t->inline_rows, cells);
    }

  return TRUE;
}

static Table *
parse_table (KontorImportProfile  *self,
             JsonNode             *node,
             guint                 index,
             GError              **error)
{
  static const char * const allowed[] = {
    "name", "file", "rows", "kind", "key", "match", "distinct", "encoding", "delimiter",
    "date_order", "currency", "fields", "description", "comment", NULL
  };
  g_autoptr(GPtrArray) owner = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;
  Table *t = g_new0 (Table, 1);
  JsonObject *obj;
  JsonNode *member;

  g_ptr_array_add (owner, t);
  t->key_index = -1;
  t->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_spec_free);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      profile_error (error, _("table %u is not an object"), index + 1);
      return NULL;
    }
  obj = json_node_get_object (node);

  where = g_strdup_printf (_("table %u"), index + 1);
  if (!get_string_member (obj, "name", where, TRUE, &t->name, error))
    return NULL;
  g_free (where);
  where = g_strdup_printf (_("table “%s”"), t->name);

  if (!check_members (obj, allowed, where, error) ||
      !get_string_member (obj, "kind", where, TRUE, &t->kind, error) ||
      !get_string_member (obj, "file", where, FALSE, &t->file, error) ||
      !get_string_member (obj, "key", where, FALSE, &t->key, error) ||
      !get_string_member (obj, "encoding", where, FALSE, &t->encoding, error) ||
      !get_string_member (obj, "currency", where, FALSE, &t->currency, error))
    return NULL;

  if (g_hash_table_contains (self->tables_by_name, t->name))
    {
      profile_error (error, _("two tables are called “%s”"), t->name);
      return NULL;
    }

  member = json_object_get_member (obj, "rows");
  if ((t->file != NULL) == (member != NULL))
    {
      profile_error (error, _("%s: give either “file” or “rows”"), where);
      return NULL;
    }
  if (member != NULL && !parse_inline_rows (t, member, where, error))
    return NULL;

  if (!get_string_member (obj, "delimiter", where, FALSE, &text, error))
    return NULL;
  if (text != NULL)
    {
      if (g_str_equal (text, "\\t") || g_ascii_strcasecmp (text, "tab") == 0)
        t->delimiter = '\t';
      else if (strlen (text) == 1 && strchr (",;\t|", text[0]) != NULL)
        t->delimiter = text[0];
      else
        {
          profile_error (error, _("%s: “delimiter” is one of “,” “;” “|” and “tab”"), where);
          return NULL;
        }
      g_clear_pointer (&text, g_free);
    }

  if (!get_string_member (obj, "date_order", where, FALSE, &text, error))
    return NULL;
  if (text != NULL)
    {
      if (!parse_date_order (text, &t->date_order))
        {
          profile_error (error, _("%s: “date_order” is iso, dmy, mdy or ymd"), where);
          return NULL;
        }
      t->has_date_order = TRUE;
    }

  member = json_object_get_member (obj, "distinct");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          profile_error (error, _("%s: “distinct” is true or false"), where);
          return NULL;
        }
      t->distinct = json_node_get_boolean (member);
      if (t->distinct && t->key == NULL)
        {
          profile_error (error, _("%s: a distinct table needs a “key”"), where);
          return NULL;
        }
    }

  member = json_object_get_member (obj, "match");
  if (member != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (member));
      else if (JSON_NODE_HOLDS_ARRAY (member))
        {
          JsonArray *a = json_node_get_array (member);

          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              JsonNode *e = json_array_get_element (a, i);

              if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
                {
                  profile_error (error, _("%s: “match” is a list of field names"), where);
                  return NULL;
                }
              g_strv_builder_add (builder, json_node_get_string (e));
            }
        }
      else
        {
          profile_error (error, _("%s: “match” is a list of field names"), where);
          return NULL;
        }
      t->match = g_strv_builder_end (builder);
    }

  member = json_object_get_member (obj, "fields");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      profile_error (error, _("%s: “fields” must be an object of field: source"), where);
      return NULL;
    }
  {
    JsonObject *fields = json_node_get_object (member);
    g_autoptr(GList) names = json_object_get_members (fields);

    for (GList *l = names; l; l = l->next)
      {
        FieldSpec *spec = parse_field_spec (l->data, json_object_get_member (fields, l->data),
                                            where, error);

        if (spec == NULL)
          return NULL;
        g_ptr_array_add (t->fields, spec);

        if (spec->link != NULL)
          {
            Table *target = g_hash_table_lookup (self->tables_by_name, spec->link);

            if (target == NULL && !g_str_equal (spec->link, t->name))
              {
                profile_error (error, _("%s, field “%s”: links to “%s”, which is no table "
                                        "listed before it"), where, spec->field, spec->link);
                return NULL;
              }
            spec->link_table = target ? target : t;
            spec->link_table->is_target = TRUE;
          }
      }
  }

  for (guint i = 0; t->match && t->match[i]; i++)
    {
      gboolean found = FALSE;

      for (guint f = 0; f < t->fields->len && !found; f++)
        found = g_str_equal (((FieldSpec *) g_ptr_array_index (t->fields, f))->field,
                             t->match[i]);
      if (!found)
        {
          profile_error (error, _("%s: “match” names “%s”, which the table does not fill"),
                         where, t->match[i]);
          return NULL;
        }
    }

  return g_ptr_array_steal_index (owner, 0);
}

static gboolean
parse_aliases (KontorImportProfile  *self,
               JsonNode             *node,
               GError              **error)
{
  JsonObject *obj;
  g_autoptr(GList) targets = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return profile_error (error, _("“aliases” must be an object of table: {value: key}"));
  obj = json_node_get_object (node);
  targets = json_object_get_members (obj);

  for (GList *l = targets; l; l = l->next)
    {
      Table *t = g_hash_table_lookup (self->tables_by_name, l->data);
      JsonNode *map = json_object_get_member (obj, l->data);
      g_autoptr(GList) values = NULL;

      if (t == NULL)
        return profile_error (error, _("“aliases” names “%s”, which is no table"),
                              (const char *) l->data);
      if (!JSON_NODE_HOLDS_OBJECT (map))
        return profile_error (error, _("aliases of “%s” must be an object of value: key"),
                              (const char *) l->data);
      if (t->aliases == NULL)
        t->aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      values = json_object_get_members (json_node_get_object (map));
      for (GList *v = values; v; v = v->next)
        {
          char *key = scalar_text (json_object_get_member (json_node_get_object (map), v->data));

          if (key == NULL)
            return profile_error (error, _("the alias “%s” of “%s” must name a key"),
                                  (const char *) v->data, (const char *) l->data);
          g_hash_table_insert (t->aliases, g_strdup (v->data), key);
        }
    }

  return TRUE;
}

static gboolean
parse_profile (KontorImportProfile  *self,
               JsonNode             *root,
               GError              **error)
{
  static const char * const allowed[] = {
    "format", "name", "description", "currency", "date_order", "custom_fields", "tables",
    "aliases", "comment", NULL
  };
  g_autofree char *format = NULL;
  g_autofree char *order = NULL;
  JsonObject *obj;
  JsonNode *tables;
  JsonNode *custom;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return profile_error (error, _("the file is not a JSON object"));
  obj = json_node_get_object (root);

  if (!check_members (obj, allowed, _("the profile"), error) ||
      !get_string_member (obj, "format", _("the profile"), FALSE, &format, error) ||
      !get_string_member (obj, "name", _("the profile"), FALSE, &self->name, error) ||
      !get_string_member (obj, "currency", _("the profile"), FALSE, &self->currency, error) ||
      !get_string_member (obj, "date_order", _("the profile"), FALSE, &order, error))
    return FALSE;

  if (format != NULL && !g_str_equal (format, KONTOR_IMPORT_PROFILE_FORMAT))
    return profile_error (error, _("the format “%s” is not known (this version reads “%s”)"),
                          format, KONTOR_IMPORT_PROFILE_FORMAT);
  if (order != NULL && !parse_date_order (order, &self->date_order))
    return profile_error (error, _("“date_order” is iso, dmy, mdy or ymd"));

  custom = json_object_get_member (obj, "custom_fields");
  if (custom != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (custom))
        return profile_error (error, _("“custom_fields” must be an array"));
      for (guint i = 0; i < json_array_get_length (json_node_get_array (custom)); i++)
        {
          static const char * const cf_allowed[] = {
            "kind", "name", "label", "type", "choices", "comment", NULL
          };
          JsonNode *e = json_array_get_element (json_node_get_array (custom), i);
          g_autofree char *where = g_strdup_printf (_("custom field %u"), i + 1);
          g_autofree char *kind = NULL;
          g_autofree char *name = NULL;
          g_autofree char *type = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (e))
            return profile_error (error, _("%s is not an object"), where);
          if (!check_members (json_node_get_object (e), cf_allowed, where, error) ||
              !get_string_member (json_node_get_object (e), "kind", where, TRUE, &kind, error) ||
              !get_string_member (json_node_get_object (e), "name", where, TRUE, &name, error) ||
              !get_string_member (json_node_get_object (e), "type", where, TRUE, &type, error))
            return FALSE;
        }
      self->custom_fields = json_array_ref (json_node_get_array (custom));
    }

  tables = json_object_get_member (obj, "tables");
  if (tables == NULL || !JSON_NODE_HOLDS_ARRAY (tables) ||
      json_array_get_length (json_node_get_array (tables)) == 0)
    return profile_error (error, _("“tables” must be an array of at least one table"));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (tables)); i++)
    {
      Table *t = parse_table (self, json_array_get_element (json_node_get_array (tables), i), i,
                              error);

      if (t == NULL)
        return FALSE;
      g_ptr_array_add (self->tables, t);
      g_hash_table_insert (self->tables_by_name, t->name, t);
      table_reset (t);
    }

  if (json_object_has_member (obj, "aliases") &&
      !parse_aliases (self, json_object_get_member (obj, "aliases"), error))
    return FALSE;

  if (self->name == NULL)
    self->name = g_strdup (_("Import profile"));

  return TRUE;
}

KontorImportProfile *
kontor_import_profile_new_from_data (const char  *data,
                                     gssize       length,
                                     GFile       *base,
                                     GError     **error)
{
  g_autoptr(KontorImportProfile) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (base == NULL || G_IS_FILE (base), NULL);

  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      profile_error (error, "%s", local->message);
      return NULL;
    }

  self = g_object_new (KONTOR_TYPE_IMPORT_PROFILE, NULL);
  self->base = base ? g_object_ref (base) : g_file_new_for_path (".");
  if (!parse_profile (self, json_parser_get_root (parser), error))
    return NULL;

  return g_steal_pointer (&self);
}

KontorImportProfile *
kontor_import_profile_new_from_file (GFile   *file,
                                     GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GFile) parent = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;
  parent = g_file_get_parent (file);

  return kontor_import_profile_new_from_data (contents, length, parent, error);
}

const char *
kontor_import_profile_get_name (KontorImportProfile *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORT_PROFILE (self), NULL);
  return self->name;
}

GFile *
kontor_import_profile_get_base (KontorImportProfile *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORT_PROFILE (self), NULL);
  return self->base;
}

void
kontor_import_profile_set_base (KontorImportProfile *self,
                                GFile               *base)
{
  g_return_if_fail (KONTOR_IS_IMPORT_PROFILE (self));
  g_return_if_fail (G_IS_FILE (base));

  g_set_object (&self->base, base);
}

void
kontor_import_profile_set_dry_run (KontorImportProfile *self,
                                   gboolean             dry_run)
{
  g_return_if_fail (KONTOR_IS_IMPORT_PROFILE (self));
  self->dry_run = !!dry_run;
}

void
kontor_import_profile_set_skip_invalid_values (KontorImportProfile *self,
                                               gboolean             skip)
{
  g_return_if_fail (KONTOR_IS_IMPORT_PROFILE (self));
  self->skip_invalid = !!skip;
}

void
kontor_import_profile_set_progress_func (KontorImportProfile       *self,
                                         KontorProfileProgressFunc  func,
                                         gpointer                   user_data,
                                         GDestroyNotify             destroy)
{
  g_return_if_fail (KONTOR_IS_IMPORT_PROFILE (self));

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

guint
kontor_import_profile_get_n_tables (KontorImportProfile *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORT_PROFILE (self), 0);
  return self->tables->len;
}

const KontorProfileTableStats *
kontor_import_profile_get_stats (KontorImportProfile *self,
                                 guint                table)
{
  g_return_val_if_fail (KONTOR_IS_IMPORT_PROFILE (self), NULL);
  g_return_val_if_fail (table < self->tables->len, NULL);

  return &((Table *) g_ptr_array_index (self->tables, table))->stats;
}

GPtrArray *
kontor_import_profile_get_problems (KontorImportProfile *self,
                                    guint                table)
{
  g_return_val_if_fail (KONTOR_IS_IMPORT_PROFILE (self), NULL);
  g_return_val_if_fail (table < self->tables->len, NULL);

  return ((Table *) g_ptr_array_index (self->tables, table))->problems;
}

GPtrArray *
kontor_import_profile_get_unmatched (KontorImportProfile *self)
{
  g_return_val_if_fail (KONTOR_IS_IMPORT_PROFILE (self), NULL);
  return self->unmatched;
}

/* ---------------------------------------------------------------------- */
/* Before the first row: schema, files, headers                           */

static KontorField *
lookup_field (KontorImportProfile *self,
              const char          *kind_name,
              const char          *name)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self->store), kind_name);
  g_autofree char *key = g_strdup_printf ("%s\n%s", kind_name, name);
  KontorField *f = kind ? kontor_kind_get_field (kind, name) : NULL;

  return f ? f : g_hash_table_lookup (self->virtual_fields, key);
}

/* Custom fields the profile needs: present with the same type, or to be
 * added (a dry run only pretends they are there). */
static gboolean
check_custom_fields (KontorImportProfile  *self,
                     gboolean              create,
                     GError              **error)
{
  KontorSchema *schema = kontor_store_get_schema (self->store);

  for (guint i = 0; self->custom_fields && i < json_array_get_length (self->custom_fields); i++)
    {
      JsonObject *def = json_array_get_object_element (self->custom_fields, i);
      const char *kind_name = json_object_get_string_member (def, "kind");
      const char *name = json_object_get_string_member (def, "name");
      const char *type_name = json_object_get_string_member (def, "type");
      const char *label = json_object_get_string_member_with_default (def, "label", name);
      KontorKind *kind = kontor_schema_require_kind (schema, kind_name, error);
      KontorField *existing;
      KontorFieldType type;
      g_auto(GStrv) choices = NULL;

      if (kind == NULL)
        return FALSE;
      if (!kontor_field_type_from_string (type_name, &type))
        return profile_error (error, _("custom field “%s”: “%s” is not a field type"), name,
                              type_name);

      existing = kontor_kind_get_field (kind, name);
      if (existing != NULL)
        {
          KontorFieldType had = kontor_field_get_field_type (existing);

          if (had != type)
            return profile_error (error, _("a %s has a field “%s” of type %s already, the "
                                           "profile wants %s"), kind_name, name,
                                  kontor_field_type_to_string (had), type_name);
          continue;
        }

      if (json_object_has_member (def, "choices"))
        {
          JsonArray *a = json_object_get_array_member (def, "choices");
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          for (guint c = 0; a && c < json_array_get_length (a); c++)
            g_strv_builder_add (builder, json_array_get_string_element (a, c));
          choices = g_strv_builder_end (builder);
        }

      if (create)
        {
          if (kontor_store_add_custom_field (self->store, kind_name, name, label, type_name,
                                             (const char * const *) choices, error) == NULL)
            return FALSE;
        }
      else
        {
          g_autoptr(KontorField) f = NULL;

          if (!kontor_field_name_is_valid (name))
            return profile_error (error, _("custom field “%s”: not a valid field name"), name);
          f = kontor_field_new (name, label, type, KONTOR_FIELD_FLAG_CUSTOM);
          if (choices != NULL)
            kontor_field_set_choices (f, (const char * const *) choices);
          g_hash_table_insert (self->virtual_fields, g_strdup_printf ("%s\n%s", kind_name, name),
                               g_steal_pointer (&f));
        }
    }

  return TRUE;
}

static gboolean
resolve_fields (KontorImportProfile  *self,
                GError              **error)
{
  KontorSchema *schema = kontor_store_get_schema (self->store);

  for (guint i = 0; i < self->tables->len; i++)
    {
      Table *t = g_ptr_array_index (self->tables, i);
      g_autoptr(GError) local = NULL;

      if (kontor_schema_require_kind (schema, t->kind, &local) == NULL)
        return profile_error (error, _("table “%s”: %s"), t->name, local->message);

      for (guint f = 0; f < t->fields->len; f++)
        {
          FieldSpec *spec = g_ptr_array_index (t->fields, f);
          KontorField *field = lookup_field (self, t->kind, spec->field);

          if (field == NULL)
            return profile_error (error, _("table “%s”: “%s” is no field of a %s"), t->name,
                                  spec->field, t->kind);
          g_clear_pointer (&spec->kfield, kontor_field_unref);
          spec->kfield = kontor_field_ref (field);

          if (spec->link != NULL)
            {
              const char * const *kinds = kontor_field_get_ref_kinds (field);

              if (kontor_field_get_field_type (field) != KONTOR_FIELD_REFERENCE)
                return profile_error (error, _("table “%s”, field “%s”: a link needs a "
                                               "reference field"), t->name, spec->field);
              if (kinds != NULL && !g_strv_contains (kinds, spec->link_table->kind))
                return profile_error (error, _("table “%s”, field “%s”: refers to a %s, but "
                                               "“%s” holds records of kind %s"), t->name,
                                      spec->field, kinds[0], spec->link, spec->link_table->kind);
            }
          else if (spec->scale_exp > 0)
            {
              KontorFieldType type = kontor_field_get_field_type (field);

              if (type != KONTOR_FIELD_MONEY && type != KONTOR_FIELD_DECIMAL &&
                  type != KONTOR_FIELD_INTEGER)
                return profile_error (error, _("table “%s”, field “%s”: “scale” is for numbers "
                                               "and money"), t->name, spec->field);
            }
        }
    }

  return TRUE;
}

static int
column_index (Table      *t,
              const char *name)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (t->columns, name)) - 1;
}

static gboolean
check_column (Table       *t,
              const char  *name,
              const char  *what,
              GError     **error)
{
  g_autofree char *list = NULL;

  if (column_index (t, name) >= 0)
    return TRUE;

  list = g_strjoinv ("”, “", t->header);
  return profile_error (error, _("table “%s”: %s names the column “%s”, which %s does not "
                                 "have (its columns: “%s”)"), t->name, what, name,
                        t->file ? t->file : _("the table"), list);
}

static KontorCsvReader *
open_reader (Table         *t,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInputStream) in = g_file_read (t->gfile, cancellable, error);
  KontorCsvReader *reader;

  if (in == NULL)
    return NULL;
  reader = kontor_csv_reader_new (G_INPUT_STREAM (in));
  if (t->encoding != NULL)
    kontor_csv_reader_set_encoding (reader, t->encoding);
  if (t->delimiter != 0)
    kontor_csv_reader_set_delimiter (reader, t->delimiter);

  return reader;
}

/* The header row of a file, or the member names of rows in the profile,
 * and the columns every field, key and template names. */
static gboolean
check_table_source (KontorImportProfile  *self,
                    Table                *t,
                    GCancellable         *cancellable,
                    GError              **error)
{
  if (t->file != NULL)
    {
      g_autoptr(KontorCsvReader) reader = NULL;
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) local = NULL;
      guint line = 0;

      t->gfile = g_file_resolve_relative_path (self->base, t->file);
      info = g_file_query_info (t->gfile, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                cancellable, &local);
      if (info == NULL)
        {
          g_autofree char *path = g_file_get_parse_name (t->gfile);

          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("table “%s”: %s does not exist"), t->name, path);
          else
            g_set_error (error, local->domain, local->code, _("table “%s”: %s"), t->name,
                         local->message);
          return FALSE;
        }
      t->size = g_file_info_get_size (info);

      reader = open_reader (t, cancellable, error);
      if (reader == NULL)
        return FALSE;
      t->header = kontor_csv_reader_read_row (reader, &line, cancellable, &local);
      if (t->header == NULL)
        {
          if (local != NULL)
            g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_HEADER,
                         _("table “%s”: %s: %s"), t->name, t->file, local->message);
          else
            g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_EMPTY,
                         _("table “%s”: %s is empty"), t->name, t->file);
          return FALSE;
        }
    }
  else
    t->header = g_strdupv (t->inline_header);

  for (guint c = 0; t->header[c]; c++)
    {
      g_strstrip (t->header[c]);
      if (!g_hash_table_contains (t->columns, t->header[c]))
        g_hash_table_insert (t->columns, g_strdup (t->header[c]), GINT_TO_POINTER (c + 1));
    }

  if (t->key != NULL)
    {
      if (!check_column (t, t->key, _("“key”"), error))
        return FALSE;
      t->key_index = column_index (t, t->key);
    }

  for (guint f = 0; f < t->fields->len; f++)
    {
      FieldSpec *spec = g_ptr_array_index (t->fields, f);
      g_autofree char *what = g_strdup_printf (_("the field “%s”"), spec->field);

      if (spec->column != NULL)
        {
          if (!check_column (t, spec->column, what, error))
            return FALSE;
          spec->column_index = column_index (t, spec->column);
        }
      else if (spec->template_text != NULL)
        {
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

          template_columns (spec->template_text, names, NULL);
          for (guint n = 0; n < names->len; n++)
            if (!check_column (t, g_ptr_array_index (names, n), what, error))
              return FALSE;
        }
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Rows                                                                   */

static void
add_problem (Table               *t,
             KontorImportProblem *problem)
{
  t->stats.n_problems++;
  if (!problem->fatal)
    t->stats.n_warnings++;
  if (t->problems->len < MAX_PROBLEMS)
    g_ptr_array_add (t->problems, problem);
  else
    kontor_import_problem_free (problem);
}

static void
flush_problems (Table     *t,
                GPtrArray *row_problems)
{
  for (guint i = 0; i < row_problems->len; i++)
    add_problem (t, g_steal_pointer (&row_problems->pdata[i]));
  g_ptr_array_set_size (row_problems, 0);
}

static const char *
cell (const char * const *row,
      guint               n_cells,
      int                 index)
{
  return index >= 0 && (guint) index < n_cells ? row[index] : "";
}

/* "{product}[ – {account}]": a part in brackets is left out when one of
 * its columns is empty. */
static char *
render_template (Table              *t,
                 const char         *text,
                 const char * const *row,
                 guint               n_cells)
{
  GString *out = g_string_new (NULL);
  gsize group_start = 0;
  gboolean group_ok = TRUE;

  for (const char *p = text; *p; p++)
    {
      if (*p == '[')
        {
          group_start = out->len;
          group_ok = TRUE;
        }
      else if (*p == ']')
        {
          if (!group_ok)
            g_string_truncate (out, group_start);
        }
      else if (*p == '{')
        {
          const char *close = strchr (p, '}');
          g_autofree char *name = g_strndup (p + 1, close - p - 1);
          g_autofree char *value = g_strstrip (g_strdup (cell (row, n_cells,
                                                               column_index (t, name))));

          if (value[0] == '\0')
            group_ok = FALSE;
          g_string_append (out, value);
          p = close;
        }
      else
        g_string_append_c (out, *p);
    }

  return g_strstrip (g_string_free (out, FALSE));
}

/* The text a field gets from a row, after the map and the default. */
static char *
source_text (Table              *t,
             FieldSpec          *spec,
             const char * const *row,
             guint               n_cells)
{
  g_autofree char *text = NULL;
  gpointer mapped;

  if (spec->column != NULL)
    text = g_strstrip (g_strdup (cell (row, n_cells, spec->column_index)));
  else if (spec->value != NULL)
    text = g_strdup (spec->value);
  else
    text = render_template (t, spec->template_text, row, n_cells);

  if (spec->map != NULL && g_hash_table_lookup_extended (spec->map, text, NULL, &mapped))
    {
      g_free (text);
      text = g_strdup (mapped ? mapped : "");
    }

  if (text[0] == '\0' && spec->default_text != NULL)
    {
      g_free (text);
      text = g_strdup (spec->default_text);
    }

  return g_steal_pointer (&text);
}

static void
note_unmatched (KontorImportProfile *self,
                Table               *t,
                FieldSpec           *spec,
                const char          *value,
                const char          *suggestion,
                guint                line)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", t->name, spec->field, value);
  KontorProfileUnmatched *u = g_hash_table_lookup (self->unmatched_index, key);

  if (u == NULL)
    {
      u = g_new0 (KontorProfileUnmatched, 1);
      u->table = g_strdup (t->name);
      u->field = g_strdup (spec->field);
      u->target = g_strdup (spec->link_table->name);
      u->value = g_strdup (value);
      u->suggestion = g_strdup (suggestion);
      u->first_line = line;
      g_ptr_array_add (self->unmatched, u);
      g_hash_table_insert (self->unmatched_index, g_steal_pointer (&key), u);
    }
  u->n_rows++;
}

/* The id a link's text leads to: "" for a record a dry run would create,
 * NULL (with a problem added) when it leads nowhere. */
static const char *
resolve_link (KontorImportProfile *self,
              Table               *t,
              FieldSpec           *spec,
              const char          *text,
              guint                line,
              GPtrArray           *row_problems,
              gboolean            *fatal)
{
  Table *target = spec->link_table;
  const char *lookup = text;
  const char *alias = target->aliases ? g_hash_table_lookup (target->aliases, text) : NULL;
  const char *id;
  gpointer failed_line;
  gboolean fail = spec->fail_unmatched ||
                  kontor_field_has_flag (spec->kfield, KONTOR_FIELD_FLAG_REQUIRED);
  g_autofree char *msg = NULL;

  if (alias != NULL)
    lookup = alias;

  id = g_hash_table_lookup (target->keys, lookup);
  if (id != NULL)
    return id;

  if (g_hash_table_lookup_extended (target->failed_keys, lookup, NULL, &failed_line))
    msg = g_strdup_printf (_("“%s” is the row of “%s” on line %u, which was not imported"),
                           lookup, target->name, GPOINTER_TO_UINT (failed_line));
  else
    {
      g_autofree char *squashed = squash (lookup);
      const char *suggestion = g_hash_table_lookup (target->squashed, squashed);
      g_autofree char *json = alias_json (target->name, text, suggestion);

      if (alias != NULL)
        msg = g_strdup_printf (_("“%s” (an alias of “%s”) matches no row of “%s”"), alias, text,
                               target->name);
      else if (suggestion != NULL)
        msg = g_strdup_printf (_("“%s” matches no row of “%s” (did you mean “%s”?); map it "
                                 "by adding to the profile: %s"), text, target->name,
                               suggestion, json);
      else
        msg = g_strdup_printf (_("“%s” matches no row of “%s”; map it by adding to the "
                                 "profile: %s"), text, target->name, json);
      note_unmatched (self, t, spec, text, suggestion, line);
    }

  {
    g_autofree char *full = g_strdup_printf ("%s%s", msg,
                                             fail ? _(" — the row was not imported")
                                                  : _(" — imported without it"));

    g_ptr_array_add (row_problems, kontor_import_problem_new (line, spec->field, full, fail));
  }
  if (fail)
    *fatal = TRUE;

  return NULL;
}

static JsonNode *
parse_value (KontorImportProfile  *self,
             Table                *t,
             FieldSpec            *spec,
             const char           *text,
             GError              **error)
{
  const KontorParseContext *store_ctx = kontor_store_get_parse_context (self->store);
  KontorParseContext ctx = *store_ctx;
  KontorFieldType type = kontor_field_get_field_type (spec->kfield);
  g_autofree char *scaled = NULL;
  g_autofree char *iso = NULL;

  if (t->currency != NULL)
    ctx.default_currency = t->currency;
  else if (self->currency != NULL)
    ctx.default_currency = self->currency;

  if (spec->scale_exp > 0)
    {
      scaled = shift_decimal (text, spec->scale_exp, error);
      if (scaled == NULL)
        return NULL;
      text = scaled;
    }

  if (type == KONTOR_FIELD_DATE)
    {
      if (!kontor_date_parse (text, t->has_date_order ? t->date_order : self->date_order, &iso,
                              error))
        return NULL;
      text = iso;
    }

  return kontor_field_parse_text (spec->kfield, text, &ctx, error);
}

/* The values of the match fields as one text ("" parts never match). */
static char *
match_text (Table      *t,
            JsonObject *values)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (t->match == NULL)
    return NULL;

  for (guint i = 0; t->match[i]; i++)
    {
      JsonNode *node = json_object_get_member (values, t->match[i]);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        return NULL;
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *folded = kontor_fold (json_node_get_string (node), -1);

          g_string_append (out, folded);
        }
      else
        {
          g_autofree char *json = json_to_string (node, FALSE);

          g_string_append (out, json);
        }
      g_string_append_c (out, '\x1f');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
load_existing (KontorImportProfile  *self,
               Table                *t,
               GError              **error)
{
  g_autoptr(KontorQuery) query = NULL;
  guint offset = 0;

  if (t->match == NULL)
    return TRUE;

  query = kontor_query_new (t->kind);
  for (;;)
    {
      g_autoptr(GPtrArray) page = kontor_store_query (self->store, query, offset, 1000, error);

      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          KontorRecord *r = g_ptr_array_index (page, i);
          g_autofree char *text = match_text (t, kontor_record_get_values (r));
          Existing *e;

          if (text == NULL || g_hash_table_contains (t->existing, text))
            continue;
          e = g_new0 (Existing, 1);
          e->id = g_strdup (kontor_record_get_id (r));
          e->values = kontor_json_object_copy (kontor_record_get_values (r));
          g_hash_table_insert (t->existing, g_steal_pointer (&text), e);
        }
      if (page->len < 1000)
        break;
      offset += page->len;
    }

  return TRUE;
}

static gboolean
count_write (KontorImportProfile  *self,
             GError              **error)
{
  if (++self->n_writes % BATCH_SIZE != 0)
    return TRUE;
  return kontor_store_commit (self->store, error) && kontor_store_begin (self->store, error);
}

static void
remember_key (Table      *t,
              const char *key,
              const char *id)
{
  if (key == NULL || key[0] == '\0')
    return;
  g_hash_table_insert (t->keys, g_strdup (key), g_strdup (id));
  if (t->is_target)
    {
      char *squashed = squash (key);

      if (!g_hash_table_contains (t->squashed, squashed))
        g_hash_table_insert (t->squashed, squashed, g_strdup (key));
      else
        g_free (squashed);
    }
}

/* A record that is in Kontor already takes the references it lacks. */
static void
complete_existing (KontorImportProfile *self,
                   Table               *t,
                   Existing            *e,
                   JsonObject          *values,
                   guint                line,
                   GPtrArray           *row_problems)
{
  g_autoptr(JsonObject) changes = json_object_new ();

  for (guint f = 0; f < t->fields->len; f++)
    {
      FieldSpec *spec = g_ptr_array_index (t->fields, f);
      JsonNode *now = json_object_get_member (values, spec->field);
      JsonNode *before = json_object_get_member (e->values, spec->field);

      if (spec->link == NULL || now == NULL || (before != NULL && !JSON_NODE_HOLDS_NULL (before)))
        continue;
      json_object_set_member (changes, spec->field, json_node_copy (now));
    }

  if (json_object_get_size (changes) == 0)
    return;

  if (!self->dry_run)
    {
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) local = NULL;
      g_autoptr(KontorRecord) record = kontor_store_update (self->store, e->id, changes,
                                                            &problems, &local);

      if (record == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("the record in Kontor could not take the "
                                                    "references it lacks: %s"), local->message);

          g_ptr_array_add (row_problems, kontor_import_problem_new (line, NULL, msg, FALSE));
          return;
        }
      if (!count_write (self, &self->fatal))
        return;
    }

  {
    g_autoptr(GList) members = json_object_get_members (changes);

    for (GList *l = members; l; l = l->next)
      json_object_set_member (e->values, l->data,
                              json_node_copy (json_object_get_member (changes, l->data)));
  }
  t->stats.n_completed++;
}

/* One row of a table: values, links, then the record (created, or found). */
static void
import_row (KontorImportProfile *self,
            Table               *t,
            const char * const  *row,
            guint                n_cells,
            guint                line)
{
  g_autoptr(GPtrArray) row_problems =
    g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);
  g_autoptr(GPtrArray) deferred = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GString) signature = g_string_new (NULL);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  g_autofree char *match = NULL;
  g_autofree char *id = NULL;
  gboolean fatal = FALSE;
  Existing *existing;

  t->stats.n_rows++;

  if (t->key_index >= 0)
    {
      key = g_strstrip (g_strdup (cell (row, n_cells, t->key_index)));

      if (key[0] == '\0' && t->distinct)
        {
          g_autofree char *msg = g_strdup_printf (_("no value in the key column “%s”; skipped"),
                                                  t->key);

          add_problem (t, kontor_import_problem_new (line, t->key, msg, FALSE));
          t->stats.n_skipped++;
          return;
        }
      if (key[0] == '\0' && t->is_target)
        {
          g_autofree char *msg = g_strdup_printf (_("no value in the key column “%s”: no other "
                                                    "row can refer to this one"), t->key);

          g_ptr_array_add (row_problems, kontor_import_problem_new (line, t->key, msg, FALSE));
        }
      if (key[0] != '\0' && !t->distinct)
        {
          const char *first = g_hash_table_lookup (t->first_rows, key);

          if (first != NULL)
            {
              g_autofree char *msg = g_strdup_printf (_("the key “%s” repeats line %s; this row "
                                                        "was skipped"), key, first);

              add_problem (t, kontor_import_problem_new (line, t->key, msg, FALSE));
              t->stats.n_skipped++;
              return;
            }
          g_hash_table_insert (t->first_rows, g_strdup (key), g_strdup_printf ("%u", line));
        }
    }

  for (guint f = 0; f < t->fields->len; f++)
    {
      char *text = source_text (t, g_ptr_array_index (t->fields, f), row, n_cells);

      g_string_append_printf (signature, "%s\x1f", text);
      g_ptr_array_add (texts, text);
    }

  /* a distinct table: one record per key, from the first row that has it */
  if (t->distinct)
    {
      const char *first = g_hash_table_lookup (t->first_rows, key);

      if (first != NULL)
        {
          const char *first_signature = strchr (first, '\n') + 1;

          if (!g_str_equal (first_signature, signature->str))
            {
              g_autofree char *msg =
                g_strdup_printf (_("differs from line %.*s, the first row for “%s”, whose "
                                   "values were kept"),
                                 (int) (first_signature - first - 1), first, key);

              add_problem (t, kontor_import_problem_new (line, NULL, msg, FALSE));
            }
          t->stats.n_merged++;
          return;
        }
      g_hash_table_insert (t->first_rows, g_strdup (key),
                           g_strdup_printf ("%u\n%s", line, signature->str));
    }

  for (guint f = 0; f < t->fields->len; f++)
    {
      FieldSpec *spec = g_ptr_array_index (t->fields, f);
      const char *text = g_ptr_array_index (texts, f);
      g_autoptr(GError) local = NULL;
      JsonNode *node;

      if (text[0] == '\0')
        continue;

      if (spec->link != NULL)
        {
          const char *target_id;

          if (spec->link_table == t)
            {
              Pending *p = g_new0 (Pending, 1);

              p->spec = spec;
              p->text = g_strdup (text);
              p->line = line;
              g_ptr_array_add (deferred, p);
              continue;
            }
          target_id = resolve_link (self, t, spec, text, line, row_problems, &fatal);
          if (target_id != NULL)
            json_object_set_string_member (values, spec->field,
                                           target_id[0] ? target_id : PLACEHOLDER_ID);
          continue;
        }

      node = parse_value (self, t, spec, text, &local);
      if (node == NULL)
        {
          gboolean drop = self->skip_invalid &&
                          !kontor_field_has_flag (spec->kfield, KONTOR_FIELD_FLAG_REQUIRED);
          g_autofree char *msg = g_strdup_printf ("“%s”: %s%s", text, local->message,
                                                  drop ? _(" — imported without it") : "");

          g_ptr_array_add (row_problems, kontor_import_problem_new (line, spec->field, msg, !drop));
          if (!drop)
            fatal = TRUE;
          continue;
        }
      if (JSON_NODE_HOLDS_NULL (node))
        json_node_unref (node);
      else
        json_object_set_member (values, spec->field, node);
    }

  if (fatal)
    {
      t->stats.n_failed++;
      if (key != NULL && key[0] != '\0')
        g_hash_table_insert (t->failed_keys, g_strdup (key), GUINT_TO_POINTER (line));
      flush_problems (t, row_problems);
      return;
    }

  match = match_text (t, values);
  existing = match ? g_hash_table_lookup (t->existing, match) : NULL;
  if (existing != NULL)
    {
      t->stats.n_existing++;
      remember_key (t, key, existing->id);
      complete_existing (self, t, existing, values, line, row_problems);
      id = g_strdup (existing->id);
    }
  else if (self->dry_run)
    {
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(JsonObject) copy = kontor_json_object_copy (values);
      KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self->store), t->kind);
      g_autoptr(GList) members = json_object_get_members (copy);

      /* custom fields the run would add first are known to the dry run only */
      for (GList *l = members; l; l = l->next)
        if (kontor_kind_get_field (kind, l->data) == NULL)
          json_object_remove_member (copy, l->data);

      if (!kontor_kind_validate (kind, copy, FALSE, kontor_store_get_parse_context (self->store),
                                 NULL, NULL, &found))
        {
          for (guint i = 0; i < found->len; i++)
            {
              KontorFieldProblem *fp = g_ptr_array_index (found, i);

              g_ptr_array_add (row_problems, kontor_import_problem_new (line, fp->field,
                                                                       fp->message, TRUE));
            }
          fatal = TRUE;
        }
      id = g_strdup ("");
    }
  else
    {
      g_autoptr(GPtrArray) store_problems = NULL;
      g_autoptr(GError) local = NULL;
      g_autoptr(KontorRecord) record = kontor_store_create (self->store, t->kind, NULL, values,
                                                            &store_problems, &local);

      if (record == NULL && store_problems == NULL)
        {
          self->fatal = g_steal_pointer (&local);
          return;
        }
      if (record == NULL)
        {
          for (guint i = 0; i < store_problems->len; i++)
            {
              KontorFieldProblem *fp = g_ptr_array_index (store_problems, i);

              g_ptr_array_add (row_problems, kontor_import_problem_new (line, fp->field,
                                                                       fp->message, TRUE));
            }
          fatal = TRUE;
        }
      else
        {
          id = g_strdup (kontor_record_get_id (record));
          if (match != NULL)
            {
              Existing *e = g_new0 (Existing, 1);

              e->id = g_strdup (id);
              e->values = kontor_json_object_copy (kontor_record_get_values (record));
              g_hash_table_insert (t->existing, g_steal_pointer (&match), e);
            }
          if (!count_write (self, &self->fatal))
            return;
        }
    }

  if (fatal)
    {
      t->stats.n_failed++;
      if (key != NULL && key[0] != '\0')
        g_hash_table_insert (t->failed_keys, g_strdup (key), GUINT_TO_POINTER (line));
      flush_problems (t, row_problems);
      return;
    }

  if (existing == NULL)
    {
      t->stats.n_imported++;
      remember_key (t, key, id);
    }

  for (guint i = 0; i < deferred->len; i++)
    {
      Pending *p = g_ptr_array_index (deferred, i);
      JsonNode *before = existing ? json_object_get_member (existing->values, p->spec->field)
                                  : NULL;

      if (before != NULL && !JSON_NODE_HOLDS_NULL (before))
        continue;
      p->id = g_strdup (id);
      g_ptr_array_add (t->pending, g_steal_pointer (&deferred->pdata[i]));
    }

  flush_problems (t, row_problems);
}

/* Links of a table to its own rows, once all of them are in. */
static void
resolve_pending (KontorImportProfile *self,
                 Table               *t)
{
  for (guint i = 0; i < t->pending->len && self->fatal == NULL; i++)
    {
      Pending *p = g_ptr_array_index (t->pending, i);
      g_autoptr(GPtrArray) row_problems =
        g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);
      gboolean fatal = FALSE;
      const char *target_id = resolve_link (self, t, p->spec, p->text, p->line, row_problems,
                                            &fatal);

      /* the row is in: a link that fails now is a warning whatever the profile says */
      for (guint n = 0; n < row_problems->len; n++)
        ((KontorImportProblem *) g_ptr_array_index (row_problems, n))->fatal = FALSE;

      if (target_id != NULL && target_id[0] != '\0' && p->id[0] != '\0' && !self->dry_run)
        {
          g_autoptr(JsonObject) changes = json_object_new ();
          g_autoptr(GPtrArray) problems = NULL;
          g_autoptr(GError) local = NULL;
          g_autoptr(KontorRecord) record = NULL;

          json_object_set_string_member (changes, p->spec->field, target_id);
          record = kontor_store_update (self->store, p->id, changes, &problems, &local);
          if (record == NULL)
            {
              g_autofree char *msg = g_strdup_printf (_("“%s”: %s — imported without it"),
                                                      p->text, local->message);

              g_ptr_array_add (row_problems, kontor_import_problem_new (p->line, p->spec->field,
                                                                       msg, FALSE));
            }
          else
            count_write (self, &self->fatal);
        }
      flush_problems (t, row_problems);
    }

  g_ptr_array_set_size (t->pending, 0);
}

static void
report_progress (KontorImportProfile *self,
                 Table               *t,
                 guint64              bytes_read)
{
  if (self->progress_func != NULL)
    self->progress_func (t->name, t->stats.n_rows, bytes_read, t->size, self->progress_data);
}

static gboolean
import_table (KontorImportProfile  *self,
              Table                *t,
              GCancellable         *cancellable,
              GError              **error)
{
  if (!load_existing (self, t, error))
    return FALSE;

  if (t->file == NULL)
    {
      for (guint i = 0; i < t->inline_rows->len && self->fatal == NULL; i++)
        {
          GStrv row = g_ptr_array_index (t->inline_rows, i);

          import_row (self, t, (const char * const *) row, g_strv_length (row), i + 1);
        }
      report_progress (self, t, 0);
    }
  else
    {
      g_autoptr(KontorCsvReader) reader = open_reader (t, cancellable, error);
      guint line = 0;

      if (reader == NULL)
        return FALSE;

      /* the header, read and checked before */
      g_strfreev (kontor_csv_reader_read_row (reader, &line, cancellable, NULL));

      while (self->fatal == NULL)
        {
          g_autoptr(GError) local = NULL;
          g_auto(GStrv) row = NULL;

          if (g_cancellable_set_error_if_cancelled (cancellable, &self->fatal))
            break;

          row = kontor_csv_reader_read_row (reader, &line, cancellable, &local);
          if (row == NULL && local == NULL)
            break;
          if (row == NULL && g_error_matches (local, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW))
            {
              g_autofree char *prefix = g_strdup_printf (_("line %u: "), line);
              const char *msg = local->message;

              if (g_str_has_prefix (msg, prefix))
                msg += strlen (prefix);
              t->stats.n_rows++;
              t->stats.n_failed++;
              add_problem (t, kontor_import_problem_new (line, NULL, msg, TRUE));
              continue;
            }
          if (row == NULL)
            {
              self->fatal = g_steal_pointer (&local);
              break;
            }

          import_row (self, t, (const char * const *) row, g_strv_length (row), line);
          if (t->stats.n_rows % PROGRESS_EVERY == 0)
            report_progress (self, t, kontor_csv_reader_get_bytes_read (reader));
        }
      report_progress (self, t, kontor_csv_reader_get_bytes_read (reader));
    }

  if (self->fatal == NULL)
    resolve_pending (self, t);

  if (self->fatal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->fatal));
      return FALSE;
    }

  if (t->stats.n_rows > 0 && t->stats.n_imported + t->stats.n_existing == 0)
    add_problem (t, kontor_import_problem_new (0, NULL, _("not one row of this table could be "
                                                          "imported"), TRUE));

  return TRUE;
}

static void
reset_run (KontorImportProfile *self)
{
  g_clear_error (&self->fatal);
  g_ptr_array_set_size (self->unmatched, 0);
  g_hash_table_remove_all (self->unmatched_index);
  g_hash_table_remove_all (self->virtual_fields);
  self->n_writes = 0;
  for (guint i = 0; i < self->tables->len; i++)
    table_reset (g_ptr_array_index (self->tables, i));
}

gboolean
kontor_import_profile_run (KontorImportProfile  *self,
                           KontorStore          *store,
                           GCancellable         *cancellable,
                           GError              **error)
{
  guint n_records = 0;
  guint n_rows = 0;

  g_return_val_if_fail (KONTOR_IS_IMPORT_PROFILE (self), FALSE);
  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reset_run (self);
  g_set_object (&self->store, store);

  /* everything that can be checked before a row is written */
  if (!check_custom_fields (self, FALSE, error) || !resolve_fields (self, error))
    return FALSE;
  for (guint i = 0; i < self->tables->len; i++)
    if (!check_table_source (self, g_ptr_array_index (self->tables, i), cancellable, error))
      return FALSE;

  if (!self->dry_run)
    {
      g_hash_table_remove_all (self->virtual_fields);
      if (!check_custom_fields (self, TRUE, error) || !resolve_fields (self, error) ||
          !kontor_store_begin (store, error))
        return FALSE;
    }

  for (guint i = 0; i < self->tables->len; i++)
    {
      Table *t = g_ptr_array_index (self->tables, i);

      if (!import_table (self, t, cancellable, error))
        {
          if (!self->dry_run)
            kontor_store_rollback (store);
          return FALSE;
        }
      n_records += t->stats.n_imported + t->stats.n_existing;
      n_rows += t->stats.n_rows;
    }

  if (!self->dry_run && !kontor_store_commit (store, error))
    return FALSE;

  if (n_records == 0)
    {
      if (n_rows == 0)
        g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS,
                             _("The files of the profile hold no rows"));
      else
        g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS,
                             _("Not one record could be imported"));
      return FALSE;
    }

  return TRUE;
}

/* kontor-store-query.c: lists filtered and sorted by any schema field
 *
 * Queries are compiled to SQL that sorts and filters indexed fields by
 * the columns of the kind's key table (kontor-store-keys.c), joined as
 * "x", so that sorting a million contacts by last name walks an index
 * instead of sorting. Other fields are read out of the state.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-fold.h"
#include "kontor-store-private.h"

typedef struct
{
  GString   *sql;
  GPtrArray *binds;   /* GVariant: int64 or string */
  gboolean   join;    /* the key table is joined as x */
} Compiled;

static void
compiled_clear (Compiled *c)
{
  if (c->sql)
    g_string_free (c->sql, TRUE);
  g_clear_pointer (&c->binds, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Compiled, compiled_clear)

static KontorField *
require_field (KontorKind  *kind,
               const char  *name,
               GError     **error)
{
  KontorField *field = kontor_kind_get_field (kind, name);

  if (field == NULL)
    g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_FIELD,
                 _("%s: unknown field of a %s"), name, kontor_kind_get_name (kind));

  return field;
}

/* A typed value of a condition as a bind parameter. */
static GVariant *
condition_value (KontorStore  *self,
                 KontorField  *field,
                 const char   *text,
                 GError      **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local = NULL;
  KontorFieldType type = kontor_field_get_field_type (field);

  if (type == KONTOR_FIELD_MULTI_CHOICE || type == KONTOR_FIELD_LONG_TEXT)
    return g_variant_new_string (text);

  node = kontor_field_parse_text (field, text, kontor_store_get_parse_context (self), &local);
  if (node == NULL)
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   "%s: %s", kontor_field_get_name (field), local->message);
      return NULL;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))  /* money: compare minor units */
    return g_variant_new_int64 (json_object_get_int_member (json_node_get_object (node), "minor"));
  if (JSON_NODE_HOLDS_NULL (node))
    return g_variant_new_string ("");
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_variant_new_int64 (json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_variant_new_int64 (json_node_get_boolean (node) ? 1 : 0);
  if (type == KONTOR_FIELD_DECIMAL)
    {
      /* compared as REAL, like the sort expression */
      return g_variant_new_double (g_ascii_strtod (json_node_get_string (node), NULL));
    }

  return g_variant_new_string (json_node_get_string (node));
}

/* The key column when the kind's key table has one (then c->join is
 * set), else the value out of the state. */
static char *
field_expr (KontorStore *self,
            KontorKind  *kind,
            KontorField *field,
            Compiled    *c,
            gboolean    *folded)
{
  char *expr = _kontor_store_key_expr (self, kontor_kind_get_name (kind), field, "x.");

  if (folded != NULL)
    *folded = expr != NULL && _kontor_store_key_folds (kontor_field_get_field_type (field));
  if (expr != NULL)
    {
      c->join = TRUE;
      return expr;
    }
  return _kontor_store_field_expr (field, "record.");
}

/* A condition's value as the expression holds it: folded for a folded
 * key column. */
static GVariant *
key_value (KontorStore  *self,
           KontorField  *field,
           const char   *text,
           gboolean      folded,
           GError      **error)
{
  GVariant *v = condition_value (self, field, text, error);

  if (v != NULL && folded && g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    {
      g_autoptr(GVariant) given = g_variant_ref_sink (v);
      g_autofree char *f = kontor_fold (g_variant_get_string (given, NULL), -1);

      return g_variant_new_string (f);
    }
  return v;   /* floating, as condition_value() gives it */
}

static gboolean
compile_condition (KontorStore           *self,
                   KontorKind            *kind,
                   const KontorCondition *cond,
                   Compiled              *c,
                   GError               **error)
{
  static const char * const cmp[] = {
    [KONTOR_QUERY_EQ] = "=", [KONTOR_QUERY_NE] = "!=", [KONTOR_QUERY_LT] = "<",
    [KONTOR_QUERY_LE] = "<=", [KONTOR_QUERY_GT] = ">", [KONTOR_QUERY_GE] = ">=",
  };
  KontorField *field = require_field (kind, cond->field, error);
  g_autofree char *expr = NULL;
  g_autofree char *raw = NULL;
  gboolean key_folded = FALSE;
  guint n_values;

  if (field == NULL)
    return FALSE;

  expr = field_expr (self, kind, field, c, &key_folded);
  raw = g_strdup_printf ("json_extract(record.state, '$.f.%s[0].v')", kontor_field_get_name (field));
  n_values = g_strv_length (cond->values);

  if (cond->op != KONTOR_QUERY_EMPTY && cond->op != KONTOR_QUERY_NOT_EMPTY && n_values == 0)
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   _("%s: the filter needs a value"), cond->field);
      return FALSE;
    }

  g_string_append (c->sql, " AND ");

  switch (cond->op)
    {
    case KONTOR_QUERY_EMPTY:
      g_string_append_printf (c->sql, "(%s IS NULL OR %s IN ('', '[]'))", raw, raw);
      return TRUE;

    case KONTOR_QUERY_NOT_EMPTY:
      g_string_append_printf (c->sql, "(%s IS NOT NULL AND %s NOT IN ('', '[]'))", raw, raw);
      return TRUE;

    case KONTOR_QUERY_CONTAINS:
      {
        g_autofree char *folded = kontor_fold (cond->values[0], -1);

        g_string_append_printf (c->sql, "instr(kontor_fold(%s), ?) > 0", raw);
        g_ptr_array_add (c->binds, g_variant_ref_sink (g_variant_new_string (folded)));
        return TRUE;
      }

    case KONTOR_QUERY_IN:
    case KONTOR_QUERY_EQ:
    case KONTOR_QUERY_NE:
      if (kontor_field_get_field_type (field) == KONTOR_FIELD_MULTI_CHOICE)
        {
          /* any of the record's choices is one of the values */
          g_string_append_printf (c->sql,
                                  "%sEXISTS (SELECT 1 FROM json_each(record.state, '$.f.%s[0].v') "
                                  "WHERE value IN (",
                                  cond->op == KONTOR_QUERY_NE ? "NOT " : "",
                                  kontor_field_get_name (field));
          for (guint i = 0; i < n_values; i++)
            {
              g_string_append (c->sql, i ? ", ?" : "?");
              g_ptr_array_add (c->binds, g_variant_ref_sink (g_variant_new_string (cond->values[i])));
            }
          g_string_append (c->sql, "))");
          return TRUE;
        }
      if (cond->op == KONTOR_QUERY_IN)
        {
          g_string_append_printf (c->sql, "%s IN (", expr);
          for (guint i = 0; i < n_values; i++)
            {
              GVariant *v = key_value (self, field, cond->values[i], key_folded, error);

              if (v == NULL)
                return FALSE;
              g_string_append (c->sql, i ? ", ?" : "?");
              g_ptr_array_add (c->binds, g_variant_ref_sink (v));
            }
          g_string_append_c (c->sql, ')');
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;

    case KONTOR_QUERY_LT:
    case KONTOR_QUERY_LE:
    case KONTOR_QUERY_GT:
    case KONTOR_QUERY_GE:
    default:
      {
        GVariant *v = key_value (self, field, cond->values[0], key_folded, error);

        if (v == NULL)
          return FALSE;
        if (cond->op == KONTOR_QUERY_NE)
          g_string_append_printf (c->sql, "(%s IS NULL OR %s != ?)", raw, expr);
        else
          g_string_append_printf (c->sql, "%s %s ?", expr, cmp[cond->op]);
        g_ptr_array_add (c->binds, g_variant_ref_sink (v));
        return TRUE;
      }
    }
}

/* select_list is what to select; with_order adds ORDER BY and paging. */
static gboolean
compile (KontorStore  *self,
         KontorQuery  *query,
         const char   *select_list,
         gboolean      with_order,
         Compiled     *c,
         GError      **error)
{
  const char *kind_name = kontor_query_get_kind (query);
  KontorKind *kind;
  gboolean last_desc = FALSE;

  kind = kontor_schema_require_kind (kontor_store_get_schema (self), kind_name, error);
  if (kind == NULL)
    return FALSE;

  c->sql = g_string_new (NULL);
  c->binds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  c->join = FALSE;

  /* the conditions and the order first: they tell whether the key table
   * is needed. It holds exactly the kind's live records, so with it the
   * kind and deleted columns need no test; the kind is a schema name
   * ([a-z_]), written literally. */
  g_string_append (c->sql, " WHERE @kind");

  for (guint i = 0; i < kontor_query_get_n_conditions (query); i++)
    if (!compile_condition (self, kind, kontor_query_get_condition (query, i), c, error))
      return FALSE;

  if (kontor_query_get_search (query) != NULL)
    {
      g_autofree char *expr = kontor_store_search_expression (kontor_query_get_search (query),
                                                              kind_name);

      if (expr == NULL)
        g_string_append (c->sql, " AND 0");
      else
        {
          /* "rid" becomes x.rid or record.rid below */
          g_string_append (c->sql,
                           " AND @rid IN (SELECT rowid FROM record_fts WHERE record_fts MATCH ?)");
          g_ptr_array_add (c->binds, g_variant_ref_sink (g_variant_new_string (expr)));
        }
    }

  if (with_order)
    {
      g_string_append (c->sql, " ORDER BY ");
      for (guint i = 0; i < kontor_query_get_n_sorts (query); i++)
        {
          gboolean desc;
          const char *name = kontor_query_get_sort (query, i, &desc);
          KontorField *field = require_field (kind, name, error);
          g_autofree char *expr = NULL;

          if (field == NULL)
            return FALSE;
          expr = field_expr (self, kind, field, c, NULL);
          g_string_append_printf (c->sql, "%s %s, ", expr, desc ? "DESC" : "ASC");
          last_desc = desc;
        }
      /* rid breaks ties, in the direction of the last key so one index
       * walk serves the whole order (x.rid is the index's own) */
      g_string_append (c->sql, "@rid ");
      g_string_append (c->sql, last_desc ? "DESC" : "ASC");
      g_string_append (c->sql, " LIMIT ? OFFSET ?");
    }

  {
    g_autofree char *head = NULL;

    /* CROSS JOIN keeps x the outer loop: its indexes give the order, and
     * each of its rows finds its record by rowid */
    if (c->join)
      head = g_strdup_printf ("SELECT %s FROM \"x_%s\" AS x CROSS JOIN record "
                              "ON record.rid = x.rid", select_list, kind_name);
    else
      head = g_strdup_printf ("SELECT %s FROM record", select_list);
    g_string_prepend (c->sql, head);
    /* field names are [a-z0-9_] and values are bound: '@' is ours */
    if (c->join)
      g_string_replace (c->sql, "@kind", "1", 0);
    else
      {
        g_autofree char *kind_test = g_strdup_printf ("record.kind = '%s' AND record.deleted = 0",
                                                      kind_name);

        g_string_replace (c->sql, "@kind", kind_test, 0);
      }
    g_string_replace (c->sql, "@rid", c->join ? "x.rid" : "record.rid", 0);
  }

  return TRUE;
}

static void
bind_all (sqlite3_stmt *stmt,
          GPtrArray    *binds)
{
  for (guint i = 0; i < binds->len; i++)
    {
      GVariant *v = g_ptr_array_index (binds, i);

      if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
        sqlite3_bind_int64 (stmt, i + 1, g_variant_get_int64 (v));
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
        sqlite3_bind_double (stmt, i + 1, g_variant_get_double (v));
      else
        sqlite3_bind_text (stmt, i + 1, g_variant_get_string (v, NULL), -1, SQLITE_TRANSIENT);
    }
}

GPtrArray *
kontor_store_query (KontorStore  *self,
                    KontorQuery  *query,
                    guint         offset,
                    guint         limit,
                    GError      **error)
{
  g_auto(Compiled) c = { 0 };
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!compile (self, query, "record.id, record.kind, record.state", TRUE, &c, error))
    return NULL;

  stmt = prepare (self, c.sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_all (stmt, c.binds);
  sqlite3_bind_int64 (stmt, c.binds->len + 1, limit ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, c.binds->len + 2, offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KontorSyncRecord) state = NULL;
      g_autoptr(JsonObject) values = NULL;
      KontorRecord *record;

      state = parse_state ((const char *) sqlite3_column_text (stmt, 2), error);
      if (state == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      values = _kontor_store_state_values (state);
      record = kontor_record_new ((const char *) sqlite3_column_text (stmt, 0),
                                  (const char *) sqlite3_column_text (stmt, 1), values);
      {
        KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self),
                                                   kontor_query_get_kind (query));
        g_autofree char *title = kontor_kind_format_title (kind, values);
        g_autoptr(GPtrArray) conflicts = kontor_sync_record_conflicts (state);

        kontor_record_set_title (record, title);
        if (conflicts->len > 0)
          {
            g_ptr_array_add (conflicts, NULL);
            kontor_record_set_conflicts (record, (const char * const *) conflicts->pdata);
          }
      }
      g_ptr_array_add (results, record);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("The list query failed"));
      return NULL;
    }

  return g_steal_pointer (&results);
}

gboolean
kontor_store_count (KontorStore  *self,
                    KontorQuery  *query,
                    guint        *count,
                    GError      **error)
{
  g_auto(Compiled) c = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  if (!compile (self, query, "count(*)", FALSE, &c, error))
    return FALSE;

  stmt = prepare (self, c.sql->str, error);
  if (stmt == NULL)
    return FALSE;
  bind_all (stmt, c.binds);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return set_sqlite_error (error, _kontor_store_get_db (self), rc, _("The count failed"));

  return TRUE;
}

char *
kontor_store_explain_query (KontorStore  *self,
                            KontorQuery  *query,
                            GError      **error)
{
  g_auto(Compiled) c = { 0 };
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);

  if (!compile (self, query, "record.id, record.kind, record.state", TRUE, &c, error))
    return NULL;

  sql = g_strconcat ("EXPLAIN QUERY PLAN ", c.sql->str, NULL);
  rc = sqlite3_prepare_v2 (_kontor_store_get_db (self), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot explain the query"));
      return NULL;
    }
  bind_all (stmt, c.binds);
  sqlite3_bind_int64 (stmt, c.binds->len + 1, 100);
  sqlite3_bind_int64 (stmt, c.binds->len + 2, 0);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&plan), FALSE);
}

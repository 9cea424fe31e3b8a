/* kontor-query.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-query.h"
#include "kontor-types.h"

typedef struct
{
  char     *field;
  gboolean  descending;
} SortKey;

struct _KontorQuery
{
  gatomicrefcount  ref_count;
  char            *kind;
  GArray          *conditions;  /* KontorCondition */
  GArray          *sorts;       /* SortKey */
  char            *search;
};

G_DEFINE_BOXED_TYPE (KontorQuery, kontor_query, kontor_query_ref, kontor_query_unref)

static void
condition_clear (gpointer data)
{
  KontorCondition *c = data;

  g_free (c->field);
  g_strfreev (c->values);
}

static void
sort_key_clear (gpointer data)
{
  SortKey *k = data;

  g_free (k->field);
}

KontorQuery *
kontor_query_new (const char *kind)
{
  KontorQuery *self;

  g_return_val_if_fail (kind != NULL, NULL);

  self = g_new0 (KontorQuery, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = g_strdup (kind);
  self->conditions = g_array_new (FALSE, TRUE, sizeof (KontorCondition));
  g_array_set_clear_func (self->conditions, condition_clear);
  self->sorts = g_array_new (FALSE, TRUE, sizeof (SortKey));
  g_array_set_clear_func (self->sorts, sort_key_clear);

  return self;
}

KontorQuery *
kontor_query_ref (KontorQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);
  g_atomic_ref_count_inc (&query->ref_count);
  return query;
}

void
kontor_query_unref (KontorQuery *query)
{
  g_return_if_fail (query != NULL);

  if (g_atomic_ref_count_dec (&query->ref_count))
    {
      g_free (query->kind);
      g_array_unref (query->conditions);
      g_array_unref (query->sorts);
      g_free (query->search);
      g_free (query);
    }
}

const char *
kontor_query_get_kind (const KontorQuery *query)
{
  return query->kind;
}

void
kontor_query_add_condition (KontorQuery        *query,
                            const char         *field,
                            KontorQueryOp       op,
                            const char * const *values)
{
  KontorCondition c = { 0 };

  g_return_if_fail (query != NULL);
  g_return_if_fail (field != NULL);

  c.field = g_strdup (field);
  c.op = op;
  c.values = values ? g_strdupv ((char **) values) : g_new0 (char *, 1);
  g_array_append_val (query->conditions, c);
}

gboolean
kontor_query_parse_condition (KontorQuery  *query,
                              const char   *text,
                              GError      **error)
{
  static const struct { const char *token; KontorQueryOp op; } ops[] = {
    /* longest first */
    { "!?", KONTOR_QUERY_NOT_EMPTY },
    { "!=", KONTOR_QUERY_NE },
    { "<=", KONTOR_QUERY_LE },
    { ">=", KONTOR_QUERY_GE },
    { "=", KONTOR_QUERY_EQ },
    { "<", KONTOR_QUERY_LT },
    { ">", KONTOR_QUERY_GT },
    { "~", KONTOR_QUERY_CONTAINS },
    { "?", KONTOR_QUERY_EMPTY },
  };
  const char *best = NULL;
  guint best_op = 0;
  gsize best_len = 0;
  const char *in;
  g_autofree char *field = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  /* "field in a,b,c" */
  in = strstr (text, " in ");
  if (in != NULL)
    {
      g_autofree char *head = g_strndup (text, in - text);

      /* "notes~ in town" is a contains filter, not a list */
      if (strpbrk (head, "=<>~?!") != NULL)
        in = NULL;
    }

  if (in != NULL)
    {
      g_auto(GStrv) values = NULL;

      field = g_strstrip (g_strndup (text, in - text));
      values = g_strsplit (in + 4, ",", -1);
      for (guint i = 0; values[i]; i++)
        g_strstrip (values[i]);
      if (field[0] == '\0' || values[0] == NULL || values[0][0] == '\0')
        goto bad;
      kontor_query_add_condition (query, field, KONTOR_QUERY_IN, (const char * const *) values);
      return TRUE;
    }

  for (const char *p = text; *p && best == NULL; p++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
        {
          gsize len = strlen (ops[i].token);

          if (strncmp (p, ops[i].token, len) == 0)
            {
              best = p;
              best_op = ops[i].op;
              best_len = len;
              break;
            }
        }
    }

  if (best == NULL)
    goto bad;

  field = g_strstrip (g_strndup (text, best - text));
  value = g_strstrip (g_strdup (best + best_len));
  if (field[0] == '\0')
    goto bad;

  if (best_op == KONTOR_QUERY_EMPTY || best_op == KONTOR_QUERY_NOT_EMPTY)
    {
      if (value[0] != '\0')
        goto bad;
      kontor_query_add_condition (query, field, best_op, NULL);
    }
  else if (best_op == KONTOR_QUERY_NE && value[0] == '\0')
    kontor_query_add_condition (query, field, KONTOR_QUERY_NOT_EMPTY, NULL);
  else if (best_op == KONTOR_QUERY_EQ && value[0] == '\0')
    kontor_query_add_condition (query, field, KONTOR_QUERY_EMPTY, NULL);
  else
    {
      const char *values[] = { value, NULL };
      kontor_query_add_condition (query, field, best_op, values);
    }

  return TRUE;

bad:
  g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
               _("Cannot read the filter “%s”: write field=value, field>value, "
                 "field in a,b or field~text"), text);
  return FALSE;
}

guint
kontor_query_get_n_conditions (const KontorQuery *query)
{
  return query->conditions->len;
}

const KontorCondition *
kontor_query_get_condition (const KontorQuery *query,
                            guint              i)
{
  g_return_val_if_fail (i < query->conditions->len, NULL);
  return &g_array_index (query->conditions, KontorCondition, i);
}

void
kontor_query_add_sort (KontorQuery *query,
                       const char  *field,
                       gboolean     descending)
{
  SortKey k = { g_strdup (field), descending };

  g_array_append_val (query->sorts, k);
}

void
kontor_query_parse_sort (KontorQuery *query,
                         const char  *spec)
{
  g_auto(GStrv) keys = g_strsplit (spec, ",", -1);

  for (guint i = 0; keys[i]; i++)
    {
      const char *k = g_strstrip (keys[i]);
      gboolean desc = FALSE;

      if (k[0] == '-')
        {
          desc = TRUE;
          k++;
        }
      else if (k[0] == '+')
        k++;
      if (k[0] != '\0')
        kontor_query_add_sort (query, k, desc);
    }
}

guint
kontor_query_get_n_sorts (const KontorQuery *query)
{
  return query->sorts->len;
}

const char *
kontor_query_get_sort (const KontorQuery *query,
                       guint              i,
                       gboolean          *descending)
{
  const SortKey *k;

  g_return_val_if_fail (i < query->sorts->len, NULL);

  k = &g_array_index (query->sorts, SortKey, i);
  if (descending)
    *descending = k->descending;
  return k->field;
}

void
kontor_query_set_search (KontorQuery *query,
                         const char  *text)
{
  g_free (query->search);
  query->search = (text && text[0]) ? g_strdup (text) : NULL;
}

const char *
kontor_query_get_search (const KontorQuery *query)
{
  return query->search;
}

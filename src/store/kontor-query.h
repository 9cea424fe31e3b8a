/* kontor-query.h: what a list shows: kind, conditions, order, search
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  KONTOR_QUERY_EQ,
  KONTOR_QUERY_NE,
  KONTOR_QUERY_LT,
  KONTOR_QUERY_LE,
  KONTOR_QUERY_GT,
  KONTOR_QUERY_GE,
  KONTOR_QUERY_IN,
  KONTOR_QUERY_CONTAINS,
  KONTOR_QUERY_EMPTY,
  KONTOR_QUERY_NOT_EMPTY,
} KontorQueryOp;

typedef struct
{
  char          *field;
  KontorQueryOp  op;
  GStrv          values;   /* as typed; parsed by the field's type when run */
} KontorCondition;

typedef struct _KontorQuery KontorQuery;

#define KONTOR_TYPE_QUERY (kontor_query_get_type ())

GType        kontor_query_get_type        (void) G_GNUC_CONST;
KontorQuery *kontor_query_new             (const char          *kind);
KontorQuery *kontor_query_ref             (KontorQuery         *query);
void         kontor_query_unref           (KontorQuery         *query);
const char  *kontor_query_get_kind        (const KontorQuery   *query);
void         kontor_query_add_condition   (KontorQuery         *query,
                                           const char          *field,
                                           KontorQueryOp        op,
                                           const char * const  *values);
/* Parses "region=Süd", "score>60", "stage in Angebot,Verhandlung",
 * "email~@example", "phone!=", "notes?" (empty) and "notes!?" (not
 * empty). Operators: = != < <= > >= ~ (contains) " in ". Values of "in"
 * are comma-separated. Field names are checked when the query runs. */
gboolean     kontor_query_parse_condition (KontorQuery         *query,
                                           const char          *text,
                                           GError             **error);
guint        kontor_query_get_n_conditions (const KontorQuery  *query);
const KontorCondition *
             kontor_query_get_condition   (const KontorQuery   *query,
                                           guint                i);
/* Sort keys in priority order; "-field" in parse_sort means descending. */
void         kontor_query_add_sort        (KontorQuery         *query,
                                           const char          *field,
                                           gboolean             descending);
void         kontor_query_parse_sort      (KontorQuery         *query,
                                           const char          *spec);
guint        kontor_query_get_n_sorts     (const KontorQuery   *query);
const char  *kontor_query_get_sort        (const KontorQuery   *query,
                                           guint                i,
                                           gboolean            *descending);
/* Full-text restriction (prefix match, folded), NULL for none. */
void         kontor_query_set_search      (KontorQuery         *query,
                                           const char          *text);
const char  *kontor_query_get_search      (const KontorQuery   *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorQuery, kontor_query_unref)

G_END_DECLS

/* kontor-kind.h: a kind of record (contact, deal, ...) and its fields
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-field.h"
#include "kontor-types.h"

G_BEGIN_DECLS

/* A per-field validation problem, for inline messages in forms and the
 * per-row errors of an import. */
typedef struct
{
  char *field;
  char *message;
} KontorFieldProblem;

void kontor_field_problem_free (KontorFieldProblem *problem);

/* Joins problems into one KONTOR_MODEL_ERROR_INVALID error whose message
 * reads "email: not a valid e-mail address; phone: too short". */
void kontor_field_problems_to_error (GPtrArray  *problems,
                                     GError    **error);

#define KONTOR_TYPE_KIND (kontor_kind_get_type ())

G_DECLARE_FINAL_TYPE (KontorKind, kontor_kind, KONTOR, KIND, GObject)

KontorKind  *kontor_kind_new             (const char  *name,
                                          const char  *label,
                                          const char  *plural_label);
const char  *kontor_kind_get_name        (KontorKind  *self);
const char  *kontor_kind_get_label       (KontorKind  *self);
const char  *kontor_kind_get_plural_label (KontorKind *self);
/* Fields in display order; custom fields after built-in ones. */
GPtrArray   *kontor_kind_get_fields      (KontorKind  *self);
KontorField *kontor_kind_get_field       (KontorKind  *self,
                                          const char  *name);
void         kontor_kind_add_field       (KontorKind  *self,
                                          KontorField *field);
gboolean     kontor_kind_remove_field    (KontorKind  *self,
                                          const char  *name);
/* The record's display title from its TITLE fields ("Anna Müller"). */
/* The fields a list sorts by when sorted by title: people by last name
 * first, then the other title fields in schema order. The store keeps one
 * index over them, so the sort never reads every row. */
GStrv        kontor_kind_dup_title_sort_keys (KontorKind *self);
char        *kontor_kind_format_title    (KontorKind  *self,
                                          JsonObject  *values);

/* Validates and normalises values in place (phones to E.164, e-mail
 * domains lower-cased, choices as declared, ...). With partial (an update)
 * only the given members are checked, but a required field cannot be
 * cleared. resolver may be NULL (references are then only checked for
 * form). Returns FALSE with one problem per bad field in *problems. */
gboolean     kontor_kind_validate        (KontorKind               *self,
                                          JsonObject               *values,
                                          gboolean                  partial,
                                          const KontorParseContext *ctx,
                                          KontorKindResolver        resolver,
                                          gpointer                  resolver_data,
                                          GPtrArray               **problems);

G_END_DECLS

/* kontor-import-mapping.h: which column of a file fills which field
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-kind.h"

G_BEGIN_DECLS

/* A column may also be mapped to these instead of a field. */
#define KONTOR_MAPPING_FULL_NAME "_full_name"  /* "Display Name", used when no first/last name */
#define KONTOR_MAPPING_IGNORE    "_ignore"

typedef struct _KontorImportMapping KontorImportMapping;

#define KONTOR_TYPE_IMPORT_MAPPING (kontor_import_mapping_get_type ())

GType                kontor_import_mapping_get_type   (void) G_GNUC_CONST;

/* An empty mapping, for columns chosen by hand. */
KontorImportMapping *kontor_import_mapping_new        (void);
KontorImportMapping *kontor_import_mapping_ref        (KontorImportMapping *self);
void                 kontor_import_mapping_unref      (KontorImportMapping *self);

/* Maps a header row onto the fields of kind. Knows the exports of Google
 * Contacts (both CSV formats, with " ::: " multi-values and typed "E-mail
 * 1 - Type/Value" pairs), Outlook (English and German), Thunderbird,
 * Apple Contacts (English and German), LinkedIn ("Connections.csv") and
 * Kontor's own (field names, custom fields included); any other header
 * that names a field, its label or a common synonym is mapped too. */
KontorImportMapping *kontor_import_mapping_detect     (KontorKind          *kind,
                                                       const char * const  *header);
/* "google", "outlook", "thunderbird", "apple", "linkedin", "kontor" or
 * NULL: the export whose header the detected mapping matched best. */
const char          *kontor_import_mapping_get_preset (KontorImportMapping *self);
/* Columns that fill something. */
guint                kontor_import_mapping_get_n_mapped (KontorImportMapping *self);
guint                kontor_import_mapping_get_n_columns (KontorImportMapping *self);

/* Maps column (0-based) to a field of the kind, KONTOR_MAPPING_FULL_NAME,
 * or KONTOR_MAPPING_IGNORE / NULL. */
void                 kontor_import_mapping_set_column (KontorImportMapping *self,
                                                       guint                column,
                                                       const char          *target);
/* What a column fills, for showing the mapping: a field name, perhaps
 * with its role ("phone (work)", "street (home address)"), or NULL if the
 * column is ignored. */
char                *kontor_import_mapping_describe_column (KontorImportMapping *self,
                                                            guint                column);
/* Field names the mapping sets directly (not by role), for checking them
 * against a kind. */
GPtrArray           *kontor_import_mapping_list_fields (KontorImportMapping *self);

/* Applies the mapping to one row: returns the row's values as text by
 * field name (what kontor_field_parse_text() takes), plus
 * "_organization" for an organization's name in a contact row. Values
 * that had to be dropped are added to problems as warnings. */
JsonObject          *kontor_import_mapping_apply      (KontorImportMapping *self,
                                                       KontorKind          *kind,
                                                       const char * const  *row,
                                                       const char * const  *header,
                                                       guint                line,
                                                       GPtrArray           *problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorImportMapping, kontor_import_mapping_unref)

G_END_DECLS

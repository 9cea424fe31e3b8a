/* kontor-exporter.h: records of the store to CSV and vCard
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-store.h"

G_BEGIN_DECLS

typedef enum
{
  KONTOR_EXPORT_CSV,       /* Kontor's own: field names as header, UTF-8, RFC 4180 */
  KONTOR_EXPORT_VCARD,     /* vCard 4.0 */
  KONTOR_EXPORT_VCARD_30,  /* vCard 3.0, for older programs */
} KontorExportFormat;

/* The bytes of an attached file, by SHA-256; NULL (with or without an
 * error) if there are none. */
typedef GBytes *(*KontorBlobLoadFunc) (const char  *sha256,
                                       gpointer     user_data,
                                       GError     **error);

#define KONTOR_TYPE_EXPORTER (kontor_exporter_get_type ())

G_DECLARE_FINAL_TYPE (KontorExporter, kontor_exporter, KONTOR, EXPORTER, GObject)

KontorExporter *kontor_exporter_new             (KontorStore         *store,
                                                 const char          *kind,
                                                 KontorExportFormat   format);
/* Which records (default: all of the kind, oldest first). */
void            kontor_exporter_set_query       (KontorExporter      *self,
                                                 KontorQuery         *query);
/* Where photos come from, for vCard; without it a photo is written as
 * its hash (X-KONTOR-PHOTO). */
void            kontor_exporter_set_blob_func   (KontorExporter      *self,
                                                 KontorBlobLoadFunc   func,
                                                 gpointer             user_data,
                                                 GDestroyNotify       destroy);
/* The field an import kept unknown vCard properties in
 * (kontor_importer_set_extra_field()); a vCard export writes them back. */
void            kontor_exporter_set_extra_field (KontorExporter      *self,
                                                 const char          *field);
/* Writes every record, a page at a time. Organization references are
 * written as the organization's name, other references as ids, custom
 * fields like built-in ones. */
gboolean        kontor_exporter_run             (KontorExporter      *self,
                                                 GOutputStream       *out,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
guint           kontor_exporter_get_n_exported  (KontorExporter      *self);

G_END_DECLS

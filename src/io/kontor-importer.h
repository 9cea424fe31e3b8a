/* kontor-importer.h: CSV and vCard files into the store
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-import-mapping.h"
#include "kontor-io.h"
#include "kontor-store.h"

G_BEGIN_DECLS

typedef enum
{
  KONTOR_IMPORT_FORMAT_AUTO,
  KONTOR_IMPORT_FORMAT_CSV,
  KONTOR_IMPORT_FORMAT_VCARD,
} KontorImportFormat;

/* Called every 100 rows and at the end. bytes_total is 0 if unknown. */
typedef void     (*KontorImportProgressFunc) (guint64      bytes_read,
                                              guint64      bytes_total,
                                              guint        n_rows,
                                              gpointer     user_data);

/* Stores the bytes of an attached file (a contact's photo) under its
 * SHA-256; the record then refers to it by that hash. */
typedef gboolean (*KontorBlobStoreFunc)      (const char  *sha256,
                                              GBytes      *bytes,
                                              const char  *mime_type,
                                              gpointer     user_data,
                                              GError     **error);

#define KONTOR_TYPE_IMPORTER (kontor_importer_get_type ())

G_DECLARE_FINAL_TYPE (KontorImporter, kontor_importer, KONTOR, IMPORTER, GObject)

/* Imports records of kind ("contact", "organization", ...) into store. */
KontorImporter     *kontor_importer_new                 (KontorStore          *store,
                                                         const char           *kind);

/* Options, to be set before running. */
void                kontor_importer_set_format          (KontorImporter       *self,
                                                         KontorImportFormat    format);
/* NULL detects. For vCard: the charset of values that name none. */
void                kontor_importer_set_encoding        (KontorImporter       *self,
                                                         const char           *encoding);
/* CSV only; 0 sniffs. */
void                kontor_importer_set_delimiter       (KontorImporter       *self,
                                                         char                  delimiter);
/* The order of day, month and year in the file's dates (one for the whole
 * file). The default, KONTOR_DATE_ORDER_ISO, accepts ISO dates only. */
void                kontor_importer_set_date_order      (KontorImporter       *self,
                                                         KontorDateOrder       order);
/* Read and check everything, write nothing. */
void                kontor_importer_set_dry_run         (KontorImporter       *self,
                                                         gboolean              dry_run);
/* By default a row with an invalid value is not imported. With this, the
 * row is imported without the invalid values, each reported as a warning
 * (a required field that is invalid still fails the row). */
void                kontor_importer_set_skip_invalid_values (KontorImporter   *self,
                                                             gboolean          skip);
/* A mapping for CSV columns; NULL (the default) detects it from the
 * header. With a mapping given, a first row that looks like a header is
 * skipped. */
void                kontor_importer_set_mapping         (KontorImporter       *self,
                                                         KontorImportMapping  *mapping);
/* A long-text field (usually a custom one) that keeps, one per line, the
 * vCard properties no field took (X-..., IMPP, a second address, ...), so
 * that a vCard export writes them back. NULL (the default) drops them and
 * says so once in the problems. */
void                kontor_importer_set_extra_field     (KontorImporter       *self,
                                                         const char           *field);
/* Where photos go. Without it photos are not imported (a warning per
 * record says so). */
void                kontor_importer_set_blob_func       (KontorImporter       *self,
                                                         KontorBlobStoreFunc   func,
                                                         gpointer              user_data,
                                                         GDestroyNotify        destroy);
void                kontor_importer_set_progress_func   (KontorImporter       *self,
                                                         KontorImportProgressFunc func,
                                                         gpointer              user_data,
                                                         GDestroyNotify        destroy);
/* Rows per transaction at most (default 20000); a transaction also ends
 * after half a second. */
void                kontor_importer_set_batch_size      (KontorImporter       *self,
                                                         guint                 size);

/* Imports stream, bytes_total (0: unknown) for progress. Rows are written
 * in transactions of batch-size rows; a row that fails is reported and
 * skipped, the others go on. Fails for errors of the stream or store (the
 * current transaction is rolled back; earlier ones stay), for a file that
 * is empty (KONTOR_IO_ERROR_EMPTY), has no header and no mapping was
 * given (KONTOR_IO_ERROR_NO_HEADER), or from which not one record could be
 * imported (KONTOR_IO_ERROR_NO_RECORDS). The results below are set in
 * every case. */
gboolean            kontor_importer_run                 (KontorImporter       *self,
                                                         GInputStream         *stream,
                                                         guint64               bytes_total,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
gboolean            kontor_importer_run_file            (KontorImporter       *self,
                                                         GFile                *file,
                                                         GCancellable         *cancellable,
                                                         GError              **error);

/* Results of the last run. In a dry run "imported" counts the records
 * that would be. Records of another kind than asked (an organization from
 * a company vCard) count as imported; organizations created for the
 * "Company" of a contact count only in n_organizations_created. */
guint               kontor_importer_get_n_imported      (KontorImporter       *self);
guint               kontor_importer_get_n_skipped       (KontorImporter       *self);
guint               kontor_importer_get_n_failed        (KontorImporter       *self);
guint               kontor_importer_get_n_organizations_created (KontorImporter *self);
/* KontorImportProblem, in file order; at most the first 1000. */
GPtrArray          *kontor_importer_get_problems        (KontorImporter       *self);
/* All problems, including those not kept. */
guint               kontor_importer_get_n_problems      (KontorImporter       *self);
/* The first records (JsonObject values as they are or would be stored,
 * plus "_line", "_kind" and, in a dry run, "_organization"). */
GPtrArray          *kontor_importer_get_preview         (KontorImporter       *self);
void                kontor_importer_set_preview_size    (KontorImporter       *self,
                                                         guint                 size);
KontorImportFormat  kontor_importer_get_format          (KontorImporter       *self);
KontorImportMapping *kontor_importer_get_mapping        (KontorImporter       *self);
const char         *kontor_importer_get_encoding        (KontorImporter       *self);
char                kontor_importer_get_delimiter       (KontorImporter       *self);
/* The date orders under which every date of the file was valid (a mask
 * of KontorDateOrder): after a dry run, an order to offer. */
KontorDateOrder     kontor_importer_get_date_orders_possible (KontorImporter  *self);

G_END_DECLS

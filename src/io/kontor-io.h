/* kontor-io.h: what the import and export code shares
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KONTOR_IO_ERROR (kontor_io_error_quark ())

typedef enum
{
  KONTOR_IO_ERROR_EMPTY,       /* the file holds nothing at all */
  KONTOR_IO_ERROR_NO_RECORDS,  /* not empty, but not one record could be imported */
  KONTOR_IO_ERROR_BAD_ROW,     /* one row or card is broken; reading may go on */
  KONTOR_IO_ERROR_ENCODING,    /* an unknown encoding was asked for */
  KONTOR_IO_ERROR_NO_HEADER,   /* no header row and no column mapping */
  KONTOR_IO_ERROR_FORMAT,      /* not the format it was read as */
  KONTOR_IO_ERROR_FAILED,
} KontorIoError;

GQuark kontor_io_error_quark (void);

/* The order of day, month and year in the dates of one file. It is chosen
 * once per file (by the person importing, perhaps helped by
 * kontor_date_orders_possible()), never guessed per value. ISO 8601 dates
 * ("2026-12-03") are always accepted. */
typedef enum
{
  KONTOR_DATE_ORDER_ISO = 0,   /* ISO 8601 only */
  KONTOR_DATE_ORDER_DMY = 1 << 0,
  KONTOR_DATE_ORDER_MDY = 1 << 1,
  KONTOR_DATE_ORDER_YMD = 1 << 2,
} KontorDateOrder;

#define KONTOR_DATE_ORDER_ALL \
  (KONTOR_DATE_ORDER_DMY | KONTOR_DATE_ORDER_MDY | KONTOR_DATE_ORDER_YMD)

/* Turns a date as a file holds it into "YYYY-MM-DD". Accepts ISO 8601
 * ("2026-12-03", "20261203"), and with an order other than ISO three
 * numbers separated by '.', '/' or '-' ("03.12.2026", "12/3/2026").
 * A two-digit year, a missing part or a day that does not exist is an
 * error (KONTOR_IO_ERROR_FAILED), never a guess. */
gboolean kontor_date_parse            (const char       *text,
                                       KontorDateOrder   order,
                                       char            **iso,
                                       GError          **error);

/* The orders (a mask of KontorDateOrder) under which text is a valid date:
 * all of them for ISO dates and empty text, none for text that is no date
 * at all. ANDing this over a file's dates tells which orders remain. */
KontorDateOrder kontor_date_orders_possible (const char *text);

/* One problem of an import: line is the 1-based line of the row or card in
 * the source file (0 for the file as a whole), field the Kontor field or
 * the source column/property (may be NULL). */
typedef struct
{
  guint     line;
  char     *field;
  char     *message;
  gboolean  fatal;   /* TRUE: the row was (or would be) not imported */
} KontorImportProblem;

KontorImportProblem *kontor_import_problem_new  (guint       line,
                                                 const char *field,
                                                 const char *message,
                                                 gboolean    fatal);
void                 kontor_import_problem_free (KontorImportProblem *problem);
/* "line 4: email: not a valid e-mail address" */
char                *kontor_import_problem_to_string (const KontorImportProblem *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorImportProblem, kontor_import_problem_free)

G_END_DECLS

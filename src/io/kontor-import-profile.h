/* kontor-import-profile.h: several related CSV files imported as one
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-io.h"
#include "kontor-store.h"

G_BEGIN_DECLS

/* The format written in a profile's "format" member. */
#define KONTOR_IMPORT_PROFILE_FORMAT "kontor-import-profile/1"

/* What one table of a profile (a CSV file, or rows written in the profile)
 * gave in the last run. In a dry run "imported" counts the records that
 * would be created. */
typedef struct
{
  const char *name;         /* the table's name in the profile */
  const char *kind;
  const char *file;         /* as the profile names it; NULL for rows in the profile */
  guint       n_rows;       /* data rows read (the header not counted) */
  guint       n_imported;   /* records created */
  guint       n_existing;   /* rows whose record is in Kontor already (by "match") */
  guint       n_completed;  /* of those, records given references they lacked */
  guint       n_merged;     /* rows of a "distinct" table that repeat a key */
  guint       n_skipped;    /* rows left out: a repeated or missing key */
  guint       n_failed;     /* rows not imported because of a problem */
  guint       n_warnings;   /* problems that did not stop a row */
  guint       n_problems;   /* all problems, kept or not */
} KontorProfileTableStats;

/* A value of a linking column that matched no row of the table it links
 * to, summed over the rows that hold it. */
typedef struct
{
  char  *table;       /* the table of the rows that hold the value */
  char  *field;       /* the Kontor field the link fills */
  char  *target;      /* the table linked to */
  char  *value;       /* as the file writes it */
  guint  n_rows;
  guint  first_line;
  char  *suggestion;  /* a key of target that differs only in case, spaces or
                       * punctuation, or NULL */
} KontorProfileUnmatched;

void  kontor_profile_unmatched_free      (KontorProfileUnmatched *unmatched);
/* The "aliases" member that maps the value: {"products": {"GTXPro": "GTX Pro"}};
 * "…" stands for the key when there is no suggestion. */
char *kontor_profile_unmatched_alias_json (const KontorProfileUnmatched *unmatched);

/* Called every 100 rows and at the end of each table; bytes are those of
 * the table's file (0 for rows in the profile). */
typedef void (*KontorProfileProgressFunc) (const char *table,
                                           guint       n_rows,
                                           guint64     bytes_read,
                                           guint64     bytes_total,
                                           gpointer    user_data);

#define KONTOR_TYPE_IMPORT_PROFILE (kontor_import_profile_get_type ())

G_DECLARE_FINAL_TYPE (KontorImportProfile, kontor_import_profile, KONTOR, IMPORT_PROFILE, GObject)

/* Reads a profile (docs/import-profiles.md). Files named in it are relative
 * to base, which is the profile's folder unless set otherwise. Mistakes in
 * the profile itself (an unknown member, a link to a table that is not
 * listed before it, a template that does not close) fail here with
 * KONTOR_IO_ERROR_FORMAT; whether kinds, fields and columns exist is
 * checked when it runs. */
KontorImportProfile *kontor_import_profile_new_from_file (GFile               *file,
                                                          GError             **error);
KontorImportProfile *kontor_import_profile_new_from_data (const char          *data,
                                                          gssize               length,
                                                          GFile               *base,
                                                          GError             **error);

const char          *kontor_import_profile_get_name      (KontorImportProfile *self);
/* The folder file names are relative to. */
GFile               *kontor_import_profile_get_base      (KontorImportProfile *self);
void                 kontor_import_profile_set_base      (KontorImportProfile *self,
                                                          GFile               *base);
/* Read and check everything, write nothing. */
void                 kontor_import_profile_set_dry_run   (KontorImportProfile *self,
                                                          gboolean             dry_run);
/* Import a row without its invalid values (each a warning) instead of
 * failing it; a required field that is invalid still fails the row. */
void                 kontor_import_profile_set_skip_invalid_values
                                                         (KontorImportProfile *self,
                                                          gboolean             skip);
void                 kontor_import_profile_set_progress_func
                                                         (KontorImportProfile       *self,
                                                          KontorProfileProgressFunc  func,
                                                          gpointer                   user_data,
                                                          GDestroyNotify             destroy);

/* Imports the tables in the profile's order. Before anything is written
 * every file is opened and its header checked against the columns the
 * profile names, and the fields against the store's schema.
 *
 * A row becomes a record unless its record is in Kontor already: the
 * table's "match" fields identify it (so running a profile twice creates
 * nothing twice; the second run only fills in references that the first
 * could not resolve, say after an alias was added). A link whose value
 * matches no key of its table is never dropped silently: the row is
 * imported without the reference and the value is reported, per row and
 * in kontor_import_profile_get_unmatched(), with an alias to add (or the
 * row fails, if the link says "unmatched": "fail" or its field is
 * required).
 *
 * Fails for a profile that does not fit the files or schema, for errors
 * of files and store (records committed before stay; a second run goes
 * on where this one stopped), and when the files yield no record at all
 * (KONTOR_IO_ERROR_NO_RECORDS). The results below are set in every case. */
gboolean             kontor_import_profile_run           (KontorImportProfile *self,
                                                          KontorStore         *store,
                                                          GCancellable        *cancellable,
                                                          GError             **error);

guint                kontor_import_profile_get_n_tables  (KontorImportProfile *self);
const KontorProfileTableStats *
                     kontor_import_profile_get_stats     (KontorImportProfile *self,
                                                          guint                table);
/* KontorImportProblem of a table, in row order; at most the first 10,000. */
GPtrArray           *kontor_import_profile_get_problems  (KontorImportProfile *self,
                                                          guint                table);
/* KontorProfileUnmatched, in the order first seen. */
GPtrArray           *kontor_import_profile_get_unmatched (KontorImportProfile *self);

G_END_DECLS

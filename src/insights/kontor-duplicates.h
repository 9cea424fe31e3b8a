/* kontor-duplicates.h: finding contacts and organizations entered twice
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-store.h"

G_BEGIN_DECLS

/* A score from which a pair is worth showing to a person. */
#define KONTOR_DUPLICATES_DEFAULT_THRESHOLD 0.8

/* What two records have in common; each set flag has one line of text in
 * KontorDuplicateCandidate.reasons. */
typedef enum
{
  KONTOR_DUPLICATE_REASON_NONE              = 0,
  KONTOR_DUPLICATE_REASON_SAME_EMAIL        = 1 << 0,
  KONTOR_DUPLICATE_REASON_SAME_PHONE        = 1 << 1,
  KONTOR_DUPLICATE_REASON_SIMILAR_NAME      = 1 << 2,
  KONTOR_DUPLICATE_REASON_SAME_ORGANIZATION = 1 << 3,
  KONTOR_DUPLICATE_REASON_SAME_WEBSITE      = 1 << 4,
} KontorDuplicateReason;

/* Two records that may be one. In a scan id_a sorts before id_b; from
 * kontor_duplicates_check() id_a is the id given there (may be NULL) and
 * id_b the stored record. */
typedef struct
{
  char                  *id_a;
  char                  *id_b;
  double                 score;    /* 0..1 */
  KontorDuplicateReason  flags;
  GStrv                  reasons;  /* translated, e.g. "same e-mail anna@x.de" */
} KontorDuplicateCandidate;

#define KONTOR_TYPE_DUPLICATE_CANDIDATE (kontor_duplicate_candidate_get_type ())

GType                     kontor_duplicate_candidate_get_type (void) G_GNUC_CONST;
KontorDuplicateCandidate *kontor_duplicate_candidate_copy
                                        (const KontorDuplicateCandidate *self);
void                      kontor_duplicate_candidate_free
                                        (KontorDuplicateCandidate       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorDuplicateCandidate, kontor_duplicate_candidate_free)

/* Called as the scan advances, fraction from 0 to 1 (reading the records
 * is the first half, comparing them the second). Returning FALSE stops the
 * scan with G_IO_ERROR_CANCELLED. */
typedef gboolean (*KontorDuplicatesProgress) (double   fraction,
                                              gpointer user_data);

/* The canonical form of an e-mail address for comparing: trimmed and lower
 * case (local parts are case-sensitive by the letter of RFC 5321, but no
 * mail provider a CRM meets treats them so); for gmail.com and
 * googlemail.com, which ignore dots and "+tag" suffixes in the local part,
 * those are dropped and the domain becomes gmail.com
 * ("Anna.Mueller+crm@googlemail.com" -> "annamueller@gmail.com"). Other
 * providers' "+tags" are kept: at many of them they are part of the
 * address. NULL if text has no '@'. */
char      *kontor_duplicates_normalize_email (const char               *text);

/* Every pair of live records of kind ("contact" or "organization") that
 * scores at least threshold, best first. Records are read page by page
 * and compared only within blocks sharing a key (normalised e-mail,
 * phone, website host, Kölner Phonetik code of the last name or
 * organization name, its first three transliterated letters), so the
 * work grows with the sizes of the blocks, not with the square of the
 * number of records. progress may be NULL. Returns KontorDuplicateCandidate
 * elements. */
GPtrArray *kontor_duplicates_scan            (KontorStore              *store,
                                              const char               *kind,
                                              double                    threshold,
                                              KontorDuplicatesProgress  progress,
                                              gpointer                  user_data,
                                              GError                  **error);

/* Stored records of kind that a record with values (as typed or as
 * stored; fields that do not parse are ignored) may duplicate, best
 * first: for the check before a create or an import row. id is the
 * record's own id if it is stored already (it is never its own
 * duplicate), else NULL. Scores like a scan, but instead of reading every
 * record it looks up a bounded few by index and full-text search: the
 * e-mails, the phones, the ten names on either side of the name (with
 * and without umlauts) in the folded name index, by first name among
 * equal last names, and, for a contact, the other contacts of its
 * organization. So it can miss what only a scan
 * finds: a phonetic variant that sorts far away, outside the organization
 * ("Meier" and "Meyer" among many "Mei…" names), gmail addresses that
 * differ in dots. A large import is better checked by one scan
 * afterwards. */
GPtrArray *kontor_duplicates_check           (KontorStore              *store,
                                              const char               *kind,
                                              const char               *id,
                                              JsonObject               *values,
                                              double                    threshold,
                                              GError                  **error);

G_END_DECLS

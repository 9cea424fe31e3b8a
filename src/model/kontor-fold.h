/* kontor-fold.h: locale-independent folding of names for search and sorting
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lower-case, strip diacritics, ß -> ss, æ -> ae, ø -> o, ... The result
 * depends on nothing but the input (never on the locale), so it can back a
 * database collation whose index must stay valid everywhere. */
char     *kontor_fold                (const char *text,
                                      gssize      len);

/* German transliteration: ä -> ae, ö -> oe, ü -> ue, ß -> ss (any case),
 * then folded. "Müller" -> "mueller". */
char     *kontor_fold_transliterate  (const char *text,
                                      gssize      len);

/* TRUE if text contains ä, ö, ü or ß in any case: letters whose German
 * spelling without them (ae, oe, ue, ss) search must also find. */
gboolean  kontor_fold_has_umlaut     (const char *text);

/* Compares two UTF-8 strings by their folded form: "Müller", "muller" and
 * "MULLER" are equal. Backs the kontor_fold collation of list indexes and
 * filters (lists break ties by row id). */
int       kontor_fold_collate        (const char *a,
                                      gssize      a_len,
                                      const char *b,
                                      gssize      b_len);

G_END_DECLS

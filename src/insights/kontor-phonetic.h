/* kontor-phonetic.h: how alike two names are (Kölner Phonetik, Jaro-Winkler)
 *
 * Pure functions: no I/O, no locale. Names are folded with kontor_fold()
 * (lower case, accents stripped, ß -> ss) and, for a second opinion, with
 * kontor_fold_transliterate() (ä -> ae, ...), so "Müller", "Muller" and
 * "Mueller" compare as the same name.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The Kölner Phonetik code of text (Postel 1969): every letter becomes a
 * digit by its context, repeated digits collapse to one and zeros go
 * except at the start. "Meier", "Meyer" and "Mayr" give "67",
 * "Müller-Lüdenscheidt" gives "65752682". Characters that are not letters
 * (spaces, hyphens, digits) are skipped, so a name of several words gets
 * one code. Returns "" when text has no letters a-z after folding. */
char     *kontor_phonetic_koelner          (const char     *text);

/* The digit string before repeated digits collapse and zeros go
 * ("Müller-Lüdenscheidt" -> "60550750206880022"): the rules' intermediate
 * step, for tests and explanations. */
char     *kontor_phonetic_koelner_raw      (const char     *text);

/* Jaro-Winkler similarity of two code point arrays, 0 (nothing alike) to
 * 1 (equal), with the usual prefix scale 0.1 over at most 4 characters,
 * applied when the Jaro similarity exceeds 0.7 (Winkler's boost
 * threshold). Two empty strings are equal. */
double    kontor_phonetic_jaro_winkler_unichar (const gunichar *a,
                                                gsize           a_len,
                                                const gunichar *b,
                                                gsize           b_len);

/* Jaro-Winkler similarity of two UTF-8 strings after kontor_fold().
 * ("MARTHA", "MARHTA") -> 0.961. */
double    kontor_phonetic_jaro_winkler     (const char     *a,
                                            const char     *b);

/* A name prepared for many comparisons: folded and transliterated forms
 * (words separated by one space, punctuation dropped) and its Kölner
 * Phonetik code. */
typedef struct _KontorNameKey KontorNameKey;

KontorNameKey *kontor_name_key_new         (const char          *name);
void           kontor_name_key_free        (KontorNameKey       *key);
/* The transliterated, folded form ("Müller-Lüdenscheidt" ->
 * "mueller luedenscheidt"). */
const char    *kontor_name_key_get_folded  (const KontorNameKey *key);
const char    *kontor_name_key_get_code    (const KontorNameKey *key);
gboolean       kontor_name_key_is_empty    (const KontorNameKey *key);

/* Similarity of two names, 0 to 1: the better Jaro-Winkler value of the
 * folded and of the transliterated forms, moved halfway towards 1 when
 * both names have the same non-empty Kölner Phonetik code. jaro_winkler
 * and same_code (both may be NULL) receive the parts of the verdict, for
 * explaining it. */
double         kontor_name_key_similarity  (const KontorNameKey *a,
                                            const KontorNameKey *b,
                                            double              *jaro_winkler,
                                            gboolean            *same_code);

/* kontor_name_key_similarity() for two names given once. */
double         kontor_phonetic_name_similarity (const char *a,
                                                const char *b,
                                                double     *jaro_winkler,
                                                gboolean   *same_code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorNameKey, kontor_name_key_free)

G_END_DECLS

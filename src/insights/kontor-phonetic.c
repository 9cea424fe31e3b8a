/* kontor-phonetic.c
 *
 * Kölner Phonetik after Hans Joachim Postel, "Die Kölner Phonetik. Ein
 * Verfahren zur Identifizierung von Personennamen auf der Grundlage der
 * Gestaltanalyse", IBM-Nachrichten 19 (1969), and Jaro-Winkler after
 * W. E. Winkler, "String Comparator Metrics and Enhanced Decision Rules in
 * the Fellegi-Sunter Model of Record Linkage" (1990). ICU has no German
 * phonetic code and no string distance, so both are written here; they
 * are small and tested against the published examples.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-insights"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-fold.h"
#include "kontor-phonetic.h"

/* ---------------------------------------------------------------------- */
/* Kölner Phonetik                                                        */

static gboolean
is_one_of (char        c,
           const char *set)
{
  return c != '\0' && strchr (set, c) != NULL;
}

/* The code of the letter at letters[i]. word_start says whether it opens
 * a word ("im Anlaut"); prev and next are its neighbours within the word
 * ('\0' at the word's ends). */
static const char *
koelner_letter (char     c,
                char     prev,
                char     next,
                gboolean word_start)
{
  switch (c)
    {
    case 'a': case 'e': case 'i': case 'j': case 'o': case 'u': case 'y':
      return "0";
    case 'h':
      return "";
    case 'b':
      return "1";
    case 'p':
      return next == 'h' ? "3" : "1";
    case 'd': case 't':
      return is_one_of (next, "csz") ? "8" : "2";
    case 'f': case 'v': case 'w':
      return "3";
    case 'g': case 'k': case 'q':
      return "4";
    case 'c':
      if (word_start)
        return is_one_of (next, "ahkloqrux") ? "4" : "8";
      if (is_one_of (prev, "sz"))
        return "8";
      return is_one_of (next, "ahkoqux") ? "4" : "8";
    case 'x':
      return is_one_of (prev, "ckq") ? "8" : "48";
    case 'l':
      return "5";
    case 'm': case 'n':
      return "6";
    case 'r':
      return "7";
    case 's': case 'z':
      return "8";
    default:
      return "";
    }
}

char *
kontor_phonetic_koelner_raw (const char *text)
{
  g_autofree char *folded = NULL;
  GString *out;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  /* ä, ö, ü fold to the vowels a, o, u (code 0 like the umlauts), ß to ss */
  folded = kontor_fold (text, -1);
  out = g_string_new (NULL);

  for (p = folded; *p; p++)
    {
      char c = *p;
      gboolean word_start;
      char prev, next;

      if (c < 'a' || c > 'z')
        continue;

      word_start = p == folded || p[-1] < 'a' || p[-1] > 'z';
      prev = word_start ? '\0' : p[-1];
      next = (p[1] >= 'a' && p[1] <= 'z') ? p[1] : '\0';
      g_string_append (out, koelner_letter (c, prev, next, word_start));
    }

  return g_string_free (out, FALSE);
}

char *
kontor_phonetic_koelner (const char *text)
{
  g_autofree char *raw = NULL;
  GString *out;
  char last = '\0';

  g_return_val_if_fail (text != NULL, NULL);

  raw = kontor_phonetic_koelner_raw (text);
  out = g_string_sized_new (strlen (raw));

  for (const char *p = raw; *p; p++)
    {
      /* first collapse runs of one digit, then drop every 0 but a leading one */
      if (*p == last)
        continue;
      last = *p;
      if (*p == '0' && p != raw)
        continue;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Jaro-Winkler                                                           */

#define JW_PREFIX_SCALE     0.1
#define JW_PREFIX_MAX       4
#define JW_BOOST_THRESHOLD  0.7
#define JW_STACK            64

double
kontor_phonetic_jaro_winkler_unichar (const gunichar *a,
                                      gsize           a_len,
                                      const gunichar *b,
                                      gsize           b_len)
{
  guint8 a_stack[JW_STACK], b_stack[JW_STACK];
  g_autofree guint8 *a_heap = NULL;
  g_autofree guint8 *b_heap = NULL;
  guint8 *a_matched, *b_matched;
  gsize window, matches = 0, half_transpositions = 0, prefix = 0, k = 0;
  double jaro;

  if (a_len == 0 && b_len == 0)
    return 1.0;
  if (a_len == 0 || b_len == 0)
    return 0.0;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  if (a_len <= JW_STACK)
    a_matched = memset (a_stack, 0, a_len);
  else
    a_matched = a_heap = g_new0 (guint8, a_len);
  if (b_len <= JW_STACK)
    b_matched = memset (b_stack, 0, b_len);
  else
    b_matched = b_heap = g_new0 (guint8, b_len);

  window = MAX (a_len, b_len) / 2;
  window = window > 0 ? window - 1 : 0;

  for (gsize i = 0; i < a_len; i++)
    {
      gsize lo = i > window ? i - window : 0;
      gsize hi = MIN (i + window + 1, b_len);

      for (gsize j = lo; j < hi; j++)
        {
          if (b_matched[j] || a[i] != b[j])
            continue;
          a_matched[i] = b_matched[j] = 1;
          matches++;
          break;
        }
    }

  if (matches == 0)
    return 0.0;

  for (gsize i = 0; i < a_len; i++)
    {
      if (!a_matched[i])
        continue;
      while (!b_matched[k])
        k++;
      if (a[i] != b[k])
        half_transpositions++;
      k++;
    }

  jaro = ((double) matches / a_len +
          (double) matches / b_len +
          (matches - half_transpositions / 2.0) / matches) / 3.0;

  if (jaro <= JW_BOOST_THRESHOLD)
    return jaro;

  while (prefix < JW_PREFIX_MAX && prefix < a_len && prefix < b_len && a[prefix] == b[prefix])
    prefix++;

  return jaro + prefix * JW_PREFIX_SCALE * (1.0 - jaro);
}

double
kontor_phonetic_jaro_winkler (const char *a,
                              const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;
  g_autofree gunichar *ua = NULL;
  g_autofree gunichar *ub = NULL;
  glong la, lb;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  fa = kontor_fold (a, -1);
  fb = kontor_fold (b, -1);
  ua = g_utf8_to_ucs4 (fa, -1, NULL, &la, NULL);
  ub = g_utf8_to_ucs4 (fb, -1, NULL, &lb, NULL);
  if (ua == NULL || ub == NULL)
    return 0.0;

  return kontor_phonetic_jaro_winkler_unichar (ua, la, ub, lb);
}

/* ---------------------------------------------------------------------- */
/* Name keys                                                              */

struct _KontorNameKey
{
  char     *text;          /* transliterated, folded, one space between words */
  gunichar *folded;        /* folded only ("muller") */
  glong     folded_len;
  gunichar *translit;      /* transliterated ("mueller") */
  glong     translit_len;
  char     *code;          /* Kölner Phonetik */
};

/* Letters and digits of folded text, words joined by single spaces. */
static gunichar *
words_ucs4 (const char *folded,
            glong      *len,
            char      **utf8)
{
  GString *out = g_string_new (NULL);
  gboolean gap = FALSE;
  gunichar *result;

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c))
        {
          gap = TRUE;
          continue;
        }
      if (gap && out->len > 0)
        g_string_append_c (out, ' ');
      gap = FALSE;
      g_string_append_unichar (out, c);
    }

  result = g_utf8_to_ucs4_fast (out->str, -1, len);
  if (utf8 != NULL)
    *utf8 = g_string_free (out, FALSE);
  else
    g_string_free (out, TRUE);

  return result;
}

KontorNameKey *
kontor_name_key_new (const char *name)
{
  KontorNameKey *key;
  g_autofree char *folded = NULL;
  g_autofree char *translit = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  /* fold() keeps invalid bytes; make sure the rest sees valid UTF-8 */
  if (!g_utf8_validate (name, -1, NULL))
    name = "";

  folded = kontor_fold (name, -1);
  translit = kontor_fold_transliterate (name, -1);

  key = g_new0 (KontorNameKey, 1);
  key->folded = words_ucs4 (folded, &key->folded_len, NULL);
  key->translit = words_ucs4 (translit, &key->translit_len, &key->text);
  key->code = kontor_phonetic_koelner (name);

  return key;
}

void
kontor_name_key_free (KontorNameKey *key)
{
  if (key == NULL)
    return;

  g_free (key->text);
  g_free (key->folded);
  g_free (key->translit);
  g_free (key->code);
  g_free (key);
}

const char *
kontor_name_key_get_folded (const KontorNameKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return key->text;
}

const char *
kontor_name_key_get_code (const KontorNameKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return key->code;
}

gboolean
kontor_name_key_is_empty (const KontorNameKey *key)
{
  g_return_val_if_fail (key != NULL, TRUE);

  return key->translit_len == 0;
}

double
kontor_name_key_similarity (const KontorNameKey *a,
                            const KontorNameKey *b,
                            double              *jaro_winkler,
                            gboolean            *same_code)
{
  double jw, jw_translit;
  gboolean same;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  jw = kontor_phonetic_jaro_winkler_unichar (a->folded, a->folded_len,
                                             b->folded, b->folded_len);
  jw_translit = kontor_phonetic_jaro_winkler_unichar (a->translit, a->translit_len,
                                                      b->translit, b->translit_len);
  jw = MAX (jw, jw_translit);
  same = a->code[0] != '\0' && g_str_equal (a->code, b->code);

  if (jaro_winkler != NULL)
    *jaro_winkler = jw;
  if (same_code != NULL)
    *same_code = same;

  /* the same sound is strong evidence for names spelt apart ("Meier",
   * "Meyer"), but not proof: halve the distance instead of erasing it */
  return same ? jw + (1.0 - jw) / 2.0 : jw;
}

double
kontor_phonetic_name_similarity (const char *a,
                                 const char *b,
                                 double     *jaro_winkler,
                                 gboolean   *same_code)
{
  g_autoptr(KontorNameKey) ka = NULL;
  g_autoptr(KontorNameKey) kb = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  ka = kontor_name_key_new (a);
  kb = kontor_name_key_new (b);

  return kontor_name_key_similarity (ka, kb, jaro_winkler, same_code);
}

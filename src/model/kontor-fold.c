/* kontor-fold.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include <string.h>

#include "kontor-fold.h"

/* Letters that canonical decomposition does not split into base + mark. */
static const char *
special_fold (gunichar c)
{
  switch (c)
    {
    case 0x00DF: case 0x1E9E: return "ss";  /* ß ẞ */
    case 0x00E6: case 0x00C6: return "ae";  /* æ Æ */
    case 0x0153: case 0x0152: return "oe";  /* œ Œ */
    case 0x00F8: case 0x00D8: return "o";   /* ø Ø */
    case 0x0142: case 0x0141: return "l";   /* ł Ł */
    case 0x0111: case 0x0110: return "d";   /* đ Đ */
    case 0x00F0: case 0x00D0: return "d";   /* ð Ð */
    case 0x00FE: case 0x00DE: return "th";  /* þ Þ */
    case 0x0131: return "i";                /* dotless ı */
    default: return NULL;
    }
}

static const char *
umlaut_transliteration (gunichar c)
{
  switch (c)
    {
    case 0x00E4: case 0x00C4: return "ae";
    case 0x00F6: case 0x00D6: return "oe";
    case 0x00FC: case 0x00DC: return "ue";
    default: return NULL;
    }
}

static void
append_folded (GString  *out,
               gunichar  c)
{
  const char *special = special_fold (c);
  gunichar decomp[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n;

  if (special != NULL)
    {
      g_string_append (out, special);
      return;
    }

  if (c < 0x80)
    {
      g_string_append_c (out, g_ascii_tolower ((char) c));
      return;
    }

  n = g_unichar_fully_decompose (c, FALSE, decomp, G_N_ELEMENTS (decomp));
  for (gsize i = 0; i < n; i++)
    {
      GUnicodeType t = g_unichar_type (decomp[i]);

      if (t == G_UNICODE_NON_SPACING_MARK ||
          t == G_UNICODE_SPACING_MARK ||
          t == G_UNICODE_ENCLOSING_MARK)
        continue;
      g_string_append_unichar (out, g_unichar_tolower (decomp[i]));
    }
}

static char *
fold_internal (const char *text,
               gssize      len,
               gboolean    transliterate)
{
  g_autoptr(GString) out = NULL;
  const char *end;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  if (len < 0)
    len = strlen (text);
  end = text + len;
  out = g_string_sized_new (len + 4);

  for (p = text; p < end; )
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      const char *u;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* invalid byte: keep it as is so the order stays total */
          g_string_append_c (out, *p);
          p++;
          continue;
        }

      if (transliterate && (u = umlaut_transliteration (c)) != NULL)
        g_string_append (out, u);
      else
        append_folded (out, c);

      p = g_utf8_next_char (p);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
kontor_fold (const char *text,
             gssize      len)
{
  return fold_internal (text, len, FALSE);
}

char *
kontor_fold_transliterate (const char *text,
                           gssize      len)
{
  return fold_internal (text, len, TRUE);
}

gboolean
kontor_fold_has_umlaut (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (umlaut_transliteration (c) != NULL || c == 0x00DF || c == 0x1E9E)
        return TRUE;
    }

  return FALSE;
}

/* The folded bytes of the character at *p, advancing *p: the same bytes
 * fold_internal() appends for it. */
static gsize
fold_step (const char **p,
           const char  *end,
           char         out[80])
{
  gunichar c = g_utf8_get_char_validated (*p, end - *p);
  const char *special;
  gunichar decomp[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n, len = 0;

  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      out[0] = **p;
      (*p)++;
      return 1;
    }
  *p = g_utf8_next_char (*p);

  if ((special = special_fold (c)) != NULL)
    {
      len = strlen (special);
      memcpy (out, special, len);
      return len;
    }
  if (c < 0x80)
    {
      out[0] = g_ascii_tolower ((char) c);
      return 1;
    }

  n = g_unichar_fully_decompose (c, FALSE, decomp, G_N_ELEMENTS (decomp));
  for (gsize i = 0; i < n; i++)
    {
      GUnicodeType t = g_unichar_type (decomp[i]);

      if (t == G_UNICODE_NON_SPACING_MARK ||
          t == G_UNICODE_SPACING_MARK ||
          t == G_UNICODE_ENCLOSING_MARK)
        continue;
      len += g_unichar_to_utf8 (g_unichar_tolower (decomp[i]), out + len);
    }
  return len;
}

typedef struct
{
  const char *p;
  const char *end;
  char        buf[80];   /* 18 decomposed characters of 4 bytes at most */
  gsize       pos;
  gsize       len;
} FoldCursor;

/* The next folded byte, or -1 at the end. */
static inline int
fold_cursor_next (FoldCursor *c)
{
  while (c->pos == c->len)
    {
      if (c->p >= c->end)
        return -1;
      if ((guchar) *c->p < 0x80)
        {
          /* ASCII needs no buffer */
          return (guchar) g_ascii_tolower (*c->p++);
        }
      c->len = fold_step (&c->p, c->end, c->buf);
      c->pos = 0;
    }
  return (guchar) c->buf[c->pos++];
}

/* strcmp (kontor_fold (a), kontor_fold (b)), one character at a time and
 * without allocating: index inserts call it many times per row. A folded
 * string never holds NUL unless the text does, so byte streams compare as
 * strcmp compares. */
int
kontor_fold_collate (const char *a,
                     gssize      a_len,
                     const char *b,
                     gssize      b_len)
{
  FoldCursor ca, cb;

  if (a_len < 0)
    a_len = strlen (a);
  if (b_len < 0)
    b_len = strlen (b);

  ca.p = a; ca.end = a + a_len; ca.pos = ca.len = 0;
  cb.p = b; cb.end = b + b_len; cb.pos = cb.len = 0;

  for (;;)
    {
      int x = fold_cursor_next (&ca);
      int y = fold_cursor_next (&cb);

      /* strcmp stops at a NUL byte */
      if (x == 0)
        x = -1;
      if (y == 0)
        y = -1;
      if (x != y)
        return x < y ? -1 : 1;
      if (x < 0)
        return 0;
    }
}

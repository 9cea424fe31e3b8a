/* kontor-phone.c: phone numbers to E.164
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-phone.h"
#include "kontor-types.h"

#define E164_MAX_DIGITS 15
#define EXTENSION_MAX_DIGITS 10

typedef enum
{
  PHONE_NONE           = 0,
  PHONE_NANP           = 1 << 0,  /* +1: NPA-NXX-XXXX, area code and exchange start 2-9 */
  PHONE_TRUNK_OPTIONAL = 1 << 1,  /* national numbers are often written without trunk */
} PhoneFlags;

typedef struct
{
  char        region[3];
  guint16     code;
  const char *trunk;    /* national (trunk) prefix, NULL: none, the NSN is dialled as is */
  const char *trunk2;   /* an alternative trunk prefix, tried after trunk */
  const char *idd;      /* international prefix besides "00", which is always accepted */
  guint8      min_nsn;  /* national significant number length range */
  guint8      max_nsn;
  PhoneFlags  flags;
} PhoneRegion;

#define NANP(r)                    { r, 1, "1", NULL, "011", 10, 10, PHONE_NANP }
#define TRUNK_0(r, cc, min, max)   { r, cc, "0", NULL, NULL, min, max, PHONE_NONE }
#define NO_TRUNK(r, cc, min, max)  { r, cc, NULL, NULL, NULL, min, max, PHONE_NONE }

/* One row per ISO 3166 region. The first row of a calling code shared by
 * several regions is the one used for international numbers; the rows of
 * a shared code agree on trunk and lengths. Lengths are those of the
 * national significant number (without trunk prefix), taken generously
 * where numbering plans vary. */
static const PhoneRegion regions[] = {
  /* North American Numbering Plan */
  NANP ("US"), NANP ("CA"), NANP ("AG"), NANP ("AI"), NANP ("AS"), NANP ("BB"),
  NANP ("BM"), NANP ("BS"), NANP ("DM"), NANP ("DO"), NANP ("GD"), NANP ("GU"),
  NANP ("JM"), NANP ("KN"), NANP ("KY"), NANP ("LC"), NANP ("MP"), NANP ("MS"),
  NANP ("PR"), NANP ("SX"), NANP ("TC"), NANP ("TT"), NANP ("VC"), NANP ("VG"),
  NANP ("VI"),

  /* Europe */
  NO_TRUNK ("AD", 376, 6, 9),
  TRUNK_0 ("AL", 355, 6, 9),
  TRUNK_0 ("AM", 374, 8, 8),
  TRUNK_0 ("AT", 43, 4, 13),
  TRUNK_0 ("AZ", 994, 9, 9),
  TRUNK_0 ("BA", 387, 8, 9),
  TRUNK_0 ("BE", 32, 8, 9),
  TRUNK_0 ("BG", 359, 6, 9),
  { "BY", 375, "80", "8", "810", 9, 9, PHONE_NONE },
  TRUNK_0 ("CH", 41, 9, 12),
  NO_TRUNK ("CY", 357, 8, 8),
  NO_TRUNK ("CZ", 420, 9, 12),
  TRUNK_0 ("DE", 49, 5, 13),
  NO_TRUNK ("DK", 45, 8, 8),
  NO_TRUNK ("EE", 372, 7, 10),
  NO_TRUNK ("ES", 34, 9, 9),
  TRUNK_0 ("FI", 358, 5, 12),
  TRUNK_0 ("AX", 358, 5, 12),
  NO_TRUNK ("FO", 298, 6, 6),
  TRUNK_0 ("FR", 33, 9, 9),
  TRUNK_0 ("GB", 44, 7, 10),
  TRUNK_0 ("GG", 44, 7, 10),
  TRUNK_0 ("IM", 44, 7, 10),
  TRUNK_0 ("JE", 44, 7, 10),
  TRUNK_0 ("GE", 995, 9, 9),
  NO_TRUNK ("GI", 350, 8, 8),
  NO_TRUNK ("GR", 30, 10, 10),
  TRUNK_0 ("HR", 385, 6, 9),
  { "HU",  36, "06", NULL, NULL, 8, 9, PHONE_NONE },
  TRUNK_0 ("IE", 353, 7, 10),
  NO_TRUNK ("IS", 354, 7, 9),
  NO_TRUNK ("IT", 39, 6, 11),
  NO_TRUNK ("VA", 39, 6, 11),
  NO_TRUNK ("LI", 423, 7, 9),
  { "LT", 370, "8", "0", NULL, 8, 8, PHONE_NONE },
  NO_TRUNK ("LU", 352, 4, 11),
  NO_TRUNK ("LV", 371, 8, 8),
  TRUNK_0 ("MC", 377, 8, 9),
  TRUNK_0 ("MD", 373, 8, 8),
  TRUNK_0 ("ME", 382, 8, 9),
  TRUNK_0 ("MK", 389, 8, 8),
  NO_TRUNK ("MT", 356, 8, 8),
  TRUNK_0 ("NL", 31, 7, 11),
  NO_TRUNK ("NO", 47, 5, 8),
  NO_TRUNK ("SJ", 47, 5, 8),
  NO_TRUNK ("PL", 48, 9, 9),
  NO_TRUNK ("PT", 351, 9, 9),
  TRUNK_0 ("RO", 40, 9, 9),
  TRUNK_0 ("RS", 381, 6, 12),
  { "RU",   7, "8", NULL, "810", 10, 10, PHONE_NONE },
  { "KZ",   7, "8", NULL, "810", 10, 10, PHONE_NONE },
  TRUNK_0 ("SE", 46, 6, 10),
  TRUNK_0 ("SI", 386, 8, 8),
  TRUNK_0 ("SK", 421, 6, 9),
  NO_TRUNK ("SM", 378, 6, 10),
  TRUNK_0 ("TR", 90, 10, 10),
  TRUNK_0 ("UA", 380, 9, 9),
  TRUNK_0 ("XK", 383, 8, 9),

  /* Americas */
  NO_TRUNK ("MX", 52, 10, 10),
  TRUNK_0 ("AR", 54, 10, 11),
  TRUNK_0 ("BO", 591, 8, 8),
  { "BR",  55, "0", NULL, NULL, 10, 11, PHONE_TRUNK_OPTIONAL },
  NO_TRUNK ("BZ", 501, 7, 7),
  NO_TRUNK ("CL", 56, 9, 9),
  TRUNK_0 ("CO", 57, 10, 10),
  NO_TRUNK ("CR", 506, 8, 8),
  TRUNK_0 ("CU", 53, 6, 8),
  TRUNK_0 ("EC", 593, 8, 9),
  NO_TRUNK ("FK", 500, 5, 5),
  TRUNK_0 ("GF", 594, 9, 9),
  NO_TRUNK ("GL", 299, 6, 6),
  TRUNK_0 ("GP", 590, 9, 9),
  TRUNK_0 ("BL", 590, 9, 9),
  TRUNK_0 ("MF", 590, 9, 9),
  NO_TRUNK ("GT", 502, 8, 8),
  NO_TRUNK ("GY", 592, 7, 7),
  NO_TRUNK ("HN", 504, 8, 8),
  NO_TRUNK ("HT", 509, 8, 8),
  TRUNK_0 ("MQ", 596, 9, 9),
  NO_TRUNK ("NI", 505, 8, 8),
  NO_TRUNK ("PA", 507, 7, 8),
  TRUNK_0 ("PE", 51, 8, 9),
  TRUNK_0 ("PM", 508, 6, 6),
  TRUNK_0 ("PY", 595, 9, 9),
  NO_TRUNK ("SR", 597, 6, 7),
  NO_TRUNK ("SV", 503, 8, 8),
  TRUNK_0 ("UY", 598, 8, 8),
  TRUNK_0 ("VE", 58, 10, 10),
  NO_TRUNK ("AW", 297, 7, 7),
  NO_TRUNK ("CW", 599, 7, 8),
  NO_TRUNK ("BQ", 599, 7, 8),

  /* Asia and the Middle East */
  TRUNK_0 ("AE", 971, 8, 9),
  TRUNK_0 ("AF", 93, 9, 9),
  TRUNK_0 ("BD", 880, 8, 10),
  NO_TRUNK ("BH", 973, 8, 8),
  NO_TRUNK ("BN", 673, 7, 7),
  NO_TRUNK ("BT", 975, 7, 8),
  { "CN",  86, "0", NULL, NULL, 7, 12, PHONE_TRUNK_OPTIONAL },
  NO_TRUNK ("HK", 852, 8, 8),
  TRUNK_0 ("ID", 62, 8, 12),
  TRUNK_0 ("IL", 972, 8, 9),
  TRUNK_0 ("IN", 91, 10, 10),
  TRUNK_0 ("IQ", 964, 8, 10),
  TRUNK_0 ("IR", 98, 10, 10),
  TRUNK_0 ("JO", 962, 8, 9),
  { "JP",  81, "0", NULL, "010", 9, 10, PHONE_NONE },
  TRUNK_0 ("KG", 996, 9, 9),
  TRUNK_0 ("KH", 855, 8, 9),
  TRUNK_0 ("KP", 850, 8, 10),
  { "KR",  82, "0", NULL, "001", 8, 10, PHONE_NONE },
  NO_TRUNK ("KW", 965, 8, 8),
  TRUNK_0 ("LA", 856, 8, 10),
  TRUNK_0 ("LB", 961, 7, 8),
  TRUNK_0 ("LK", 94, 9, 9),
  TRUNK_0 ("MM", 95, 7, 10),
  TRUNK_0 ("MN", 976, 8, 8),
  NO_TRUNK ("MO", 853, 8, 8),
  NO_TRUNK ("MV", 960, 7, 7),
  TRUNK_0 ("MY", 60, 8, 10),
  TRUNK_0 ("NP", 977, 8, 10),
  NO_TRUNK ("OM", 968, 8, 8),
  TRUNK_0 ("PH", 63, 8, 10),
  TRUNK_0 ("PK", 92, 9, 10),
  TRUNK_0 ("PS", 970, 8, 9),
  NO_TRUNK ("QA", 974, 8, 8),
  TRUNK_0 ("SA", 966, 9, 9),
  NO_TRUNK ("SG", 65, 8, 8),
  TRUNK_0 ("SY", 963, 8, 9),
  TRUNK_0 ("TH", 66, 8, 9),
  NO_TRUNK ("TJ", 992, 9, 9),
  NO_TRUNK ("TL", 670, 7, 8),
  { "TM", 993, "8", NULL, NULL, 8, 8, PHONE_NONE },
  TRUNK_0 ("TW", 886, 8, 9),
  NO_TRUNK ("UZ", 998, 9, 9),
  TRUNK_0 ("VN", 84, 9, 10),
  TRUNK_0 ("YE", 967, 7, 9),

  /* Oceania */
  { "AU",  61, "0", NULL, "0011", 9, 9, PHONE_NONE },
  { "CX",  61, "0", NULL, "0011", 9, 9, PHONE_NONE },
  { "CC",  61, "0", NULL, "0011", 9, 9, PHONE_NONE },
  TRUNK_0 ("NZ", 64, 8, 10),
  NO_TRUNK ("CK", 682, 5, 5),
  NO_TRUNK ("FJ", 679, 7, 7),
  NO_TRUNK ("FM", 691, 7, 7),
  NO_TRUNK ("KI", 686, 5, 8),
  NO_TRUNK ("MH", 692, 7, 7),
  NO_TRUNK ("NC", 687, 6, 6),
  NO_TRUNK ("NF", 672, 6, 6),
  NO_TRUNK ("NR", 674, 7, 7),
  NO_TRUNK ("NU", 683, 4, 7),
  NO_TRUNK ("PF", 689, 8, 8),
  NO_TRUNK ("PG", 675, 7, 8),
  NO_TRUNK ("PW", 680, 7, 7),
  NO_TRUNK ("SB", 677, 5, 7),
  NO_TRUNK ("TK", 690, 4, 7),
  NO_TRUNK ("TO", 676, 5, 7),
  NO_TRUNK ("TV", 688, 5, 6),
  NO_TRUNK ("VU", 678, 5, 7),
  NO_TRUNK ("WF", 681, 6, 9),
  NO_TRUNK ("WS", 685, 5, 7),

  /* Africa */
  NO_TRUNK ("AO", 244, 9, 9),
  NO_TRUNK ("BF", 226, 8, 8),
  NO_TRUNK ("BI", 257, 8, 8),
  NO_TRUNK ("BJ", 229, 8, 10),
  NO_TRUNK ("BW", 267, 7, 8),
  TRUNK_0 ("CD", 243, 9, 9),
  NO_TRUNK ("CF", 236, 8, 8),
  NO_TRUNK ("CG", 242, 9, 9),
  NO_TRUNK ("CI", 225, 8, 10),
  NO_TRUNK ("CM", 237, 9, 9),
  NO_TRUNK ("CV", 238, 7, 7),
  NO_TRUNK ("DJ", 253, 8, 8),
  TRUNK_0 ("DZ", 213, 8, 9),
  TRUNK_0 ("EG", 20, 8, 10),
  TRUNK_0 ("ER", 291, 7, 7),
  TRUNK_0 ("ET", 251, 9, 9),
  TRUNK_0 ("GA", 241, 7, 8),
  TRUNK_0 ("GH", 233, 9, 9),
  NO_TRUNK ("GM", 220, 7, 7),
  NO_TRUNK ("GN", 224, 8, 9),
  NO_TRUNK ("GQ", 240, 9, 9),
  NO_TRUNK ("GW", 245, 7, 9),
  TRUNK_0 ("KE", 254, 9, 9),
  NO_TRUNK ("KM", 269, 7, 7),
  TRUNK_0 ("LR", 231, 7, 9),
  NO_TRUNK ("LS", 266, 8, 8),
  TRUNK_0 ("LY", 218, 8, 9),
  TRUNK_0 ("MA", 212, 9, 9),
  TRUNK_0 ("EH", 212, 9, 9),
  TRUNK_0 ("MG", 261, 9, 9),
  NO_TRUNK ("ML", 223, 8, 8),
  NO_TRUNK ("MR", 222, 8, 8),
  NO_TRUNK ("MU", 230, 7, 8),
  TRUNK_0 ("MW", 265, 7, 9),
  NO_TRUNK ("MZ", 258, 8, 9),
  TRUNK_0 ("NA", 264, 8, 9),
  NO_TRUNK ("NE", 227, 8, 8),
  TRUNK_0 ("NG", 234, 8, 10),
  TRUNK_0 ("RE", 262, 9, 9),
  TRUNK_0 ("YT", 262, 9, 9),
  TRUNK_0 ("RW", 250, 9, 9),
  NO_TRUNK ("SC", 248, 7, 7),
  TRUNK_0 ("SD", 249, 9, 9),
  NO_TRUNK ("SH", 290, 4, 5),
  TRUNK_0 ("SL", 232, 8, 8),
  NO_TRUNK ("SN", 221, 9, 9),
  TRUNK_0 ("SO", 252, 7, 9),
  TRUNK_0 ("SS", 211, 9, 9),
  NO_TRUNK ("ST", 239, 7, 7),
  NO_TRUNK ("SZ", 268, 8, 8),
  NO_TRUNK ("TD", 235, 8, 8),
  NO_TRUNK ("TG", 228, 8, 8),
  NO_TRUNK ("TN", 216, 8, 8),
  TRUNK_0 ("TZ", 255, 9, 9),
  TRUNK_0 ("UG", 256, 9, 9),
  TRUNK_0 ("ZA", 27, 9, 9),
  TRUNK_0 ("ZM", 260, 9, 9),
  TRUNK_0 ("ZW", 263, 8, 10),
  NO_TRUNK ("IO", 246, 7, 7),
};

#undef NANP
#undef TRUNK_0
#undef NO_TRUNK

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID, message);
  return FALSE;
}

static const PhoneRegion *
find_region (const char *region)
{
  if (region == NULL || strlen (region) != 2)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (regions); i++)
    if (g_ascii_strncasecmp (regions[i].region, region, 2) == 0)
      return &regions[i];
  return NULL;
}

static const PhoneRegion *
find_calling_code (guint code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (regions); i++)
    if (regions[i].code == code)
      return &regions[i];
  return NULL;
}

guint
kontor_phone_calling_code (const char *region)
{
  const PhoneRegion *found;

  g_return_val_if_fail (region != NULL, 0);

  found = find_region (region);
  return found != NULL ? found->code : 0;
}

/* Characters people put between digits. */
static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case ' ':
    case '\t':
    case '-':
    case '.':
    case '/':
    case '(':
    case ')':
    case '[':
    case ']':
    case 0x00A0:  /* no-break space */
    case 0x2007:  /* figure space */
    case 0x2009:  /* thin space */
    case 0x202F:  /* narrow no-break space */
    case 0x3000:  /* ideographic space */
    case 0x2010:  /* hyphen */
    case 0x2011:  /* non-breaking hyphen */
    case 0x2012:  /* figure dash */
    case 0x2013:  /* en dash */
    case 0x2014:  /* em dash */
    case 0x2015:  /* horizontal bar */
    case 0x2212:  /* minus */
    case 0x30FC:  /* katakana prolonged sound mark, used as a dash in Japan */
      return TRUE;
    default:
      return FALSE;
    }
}

/* Returns the extension markers a number may end with, longest first,
 * all lower case; what follows must be digits only. */
static const char * const extension_markers[] = {
  ";ext=", "extension", "ext.", "ext:", "ext", "x.", "x", "#",
};

/* If text, from the first letter, '#' or ';' on, is an extension
 * ("x123", "ext. 123", ";ext=123", "#123"), cuts it off and returns TRUE.
 * Returns FALSE if there is such a character but no extension; TRUE if
 * there is none of them at all. */
static gboolean
strip_extension (char *text)
{
  char *start = text;

  while (*start != '\0' && !g_ascii_isalpha (*start) && *start != '#' && *start != ';')
    start++;
  if (*start == '\0')
    return TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (extension_markers); i++)
    {
      gsize n = strlen (extension_markers[i]);
      const char *p = start + n;
      gsize digits = 0;

      if (g_ascii_strncasecmp (start, extension_markers[i], n) != 0)
        continue;
      while (*p == ' ' || *p == '.' || *p == ':' || *p == '=')
        p++;
      while (g_ascii_isdigit (p[digits]))
        digits++;
      p += digits;
      while (*p == ' ')
        p++;
      if (digits == 0 || digits > EXTENSION_MAX_DIGITS || *p != '\0')
        continue;

      *start = '\0';
      return TRUE;
    }

  return FALSE;
}

/* Checks a national significant number against what its region allows. */
static gboolean
check_nsn (const PhoneRegion  *region,
           const char         *nsn,
           GError            **error)
{
  gsize length = strlen (nsn);
  guint code_length = region->code >= 100 ? 3 : region->code >= 10 ? 2 : 1;

  if (length < region->min_nsn)
    return fail (error, _("too few digits"));
  if (length > region->max_nsn || length + code_length > E164_MAX_DIGITS)
    return fail (error, _("too many digits"));
  if ((region->flags & PHONE_NANP) != 0 && (nsn[0] < '2' || nsn[3] < '2'))
    return fail (error, _("not a valid North American number"));
  /* Where 0 is the trunk prefix no number starts with it. */
  if (nsn[0] == '0' &&
      (g_strcmp0 (region->trunk, "0") == 0 || g_strcmp0 (region->trunk2, "0") == 0))
    return fail (error, _("not a valid phone number"));
  return TRUE;
}

static gboolean
has_trunk (const PhoneRegion *region,
           const char        *digits,
           const char       **trunk)
{
  if (region->trunk != NULL && g_str_has_prefix (digits, region->trunk))
    *trunk = region->trunk;
  else if (region->trunk2 != NULL && g_str_has_prefix (digits, region->trunk2))
    *trunk = region->trunk2;
  else
    return FALSE;
  return TRUE;
}

/* digits follow '+' or an international prefix. */
static gboolean
normalize_international (const char  *digits,
                         gboolean     zero_marker,
                         char       **e164,
                         GError     **error)
{
  const PhoneRegion *region = NULL;
  const char *nsn;
  guint code = 0;
  guint n;

  /* Calling codes never start with 0 and none is a prefix of another. */
  for (n = 1; n <= 3 && digits[0] != '0' && digits[n - 1] != '\0'; n++)
    {
      code = code * 10 + (digits[n - 1] - '0');
      if ((region = find_calling_code (code)) != NULL)
        break;
    }
  if (region == NULL)
    return fail (error, digits[0] == '\0' ? _("no digits after +")
                                          : _("unknown country calling code"));

  /* "+49 (0)711 …" and "+49 0711 …": the trunk prefix has no place after
   * a country code, except where it is part of the number (Italy). */
  nsn = digits + n;
  if (nsn[0] == '0' && region->trunk != NULL && g_str_equal (region->trunk, "0"))
    nsn++;
  else if (zero_marker && nsn[0] == '0' && region->trunk != NULL)
    nsn++;

  if (!check_nsn (region, nsn, error))
    return FALSE;

  if (e164 != NULL)
    *e164 = g_strdup_printf ("+%u%s", region->code, nsn);
  return TRUE;
}

static gboolean
normalize_national (const char         *digits,
                    const PhoneRegion  *region,
                    char              **e164,
                    GError            **error)
{
  const char *trunk = NULL;
  const char *nsn = NULL;
  gboolean whole_allowed;

  whole_allowed = region->trunk == NULL ||
                  (region->flags & PHONE_TRUNK_OPTIONAL) != 0 ||
                  region->min_nsn == region->max_nsn;

  if (has_trunk (region, digits, &trunk) &&
      check_nsn (region, digits + strlen (trunk), NULL))
    nsn = digits + strlen (trunk);
  else if (whole_allowed && check_nsn (region, digits, NULL))
    nsn = digits;

  if (nsn == NULL)
    {
      /* Explain the likeliest reading. */
      if (trunk != NULL)
        return check_nsn (region, digits + strlen (trunk), error);
      if (whole_allowed)
        return check_nsn (region, digits, error);
      return fail (error, _("missing country code or trunk prefix"));
    }

  if (e164 != NULL)
    *e164 = g_strdup_printf ("+%u%s", region->code, nsn);
  return TRUE;
}

/**
 * kontor_phone_normalize:
 *
 * Details of the accepted input:
 *  - a "tel:" prefix is dropped, and so are its ";…" parameters;
 *  - an extension at the end ("x123", "ext. 123", "extension 123",
 *    ";ext=123", "#123") is stripped: E.164 has no extensions, the main
 *    number is kept;
 *  - separators: spaces (also no-break, thin and ideographic), '-', '.',
 *    '/', brackets and Unicode dashes; digits of any script are read as
 *    their values;
 *  - '+' (only before the first digit), "00", and the region's own
 *    international prefix ("011" in North America, "0011" in Australia,
 *    "010" in Japan, "810" in Russia) start an international number;
 *  - in international numbers a trunk '0' after the country code, written
 *    "(0)" or not, is dropped, except where the 0 belongs to the number
 *    (Italy, San Marino, Vatican);
 *  - a national number starts with the region's trunk prefix ("0", "8" in
 *    Russia, "06" in Hungary); it may do without it where the trunk prefix
 *    is optional (North America, Brazil, China) or the region's numbers
 *    have a fixed length, and needs none where the region has no trunk
 *    prefix (Italy, Spain, Denmark, …);
 *  - the national significant number must fit the region's length range,
 *    the whole number at most 15 digits; North American area codes and
 *    exchanges must start with 2 to 9.
 * Non-geographic calling codes (+800, +881, …) count as unknown.
 */
gboolean
kontor_phone_normalize (const char  *text,
                        const char  *default_region,
                        char       **e164,
                        GError     **error)
{
  g_autofree char *work = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);
  const PhoneRegion *region;
  char *p;
  gboolean plus = FALSE;
  gboolean zero_marker = FALSE;
  const char *rest = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, _("not a valid phone number"));

  work = g_strstrip (g_strdup (text));
  p = work;

  if (g_ascii_strncasecmp (p, "tel:", 4) == 0)
    {
      char *params;

      p += 4;
      params = strchr (p, ';');
      if (params != NULL)
        *params = '\0';
    }
  else if (!strip_extension (p))
    {
      for (const char *q = p; *q != '\0'; q++)
        if (g_ascii_isalpha (*q))
          return fail (error, _("letters are not allowed"));
      return fail (error, _("not a valid phone number"));
    }

  for (const char *q = p; *q != '\0'; q = g_utf8_next_char (q))
    {
      gunichar c = g_utf8_get_char (q);
      int value = g_unichar_digit_value (c);

      if (value >= 0)
        {
          g_string_append_c (digits, (char) ('0' + value));
          continue;
        }
      if (c == '+' || c == 0xFF0B)
        {
          if (plus || digits->len > 0)
            return fail (error, _("not a valid phone number"));
          plus = TRUE;
          continue;
        }
      if (c == '(' && g_str_has_prefix (q, "(0)") && plus)
        {
          /* "+49 (0)711": remember that this 0 is a trunk prefix */
          zero_marker = TRUE;
          g_string_append_c (digits, '0');
          q += 2;
          continue;
        }
      if (is_separator (c) || g_unichar_isspace (c))
        continue;
      if (g_unichar_isalpha (c))
        return fail (error, _("letters are not allowed"));
      return fail (error, _("not a valid phone number"));
    }

  if (digits->len == 0)
    return fail (error, _("no digits"));
  if (digits->len > E164_MAX_DIGITS + 4)
    return fail (error, _("too many digits"));

  region = find_region (default_region);

  if (plus)
    rest = digits->str;
  else if (region != NULL && region->idd != NULL && g_str_has_prefix (digits->str, region->idd))
    rest = digits->str + strlen (region->idd);
  else if (g_str_has_prefix (digits->str, "00"))
    rest = digits->str + 2;

  if (rest != NULL)
    return normalize_international (rest, zero_marker, e164, error);

  if (region == NULL)
    return fail (error, _("missing country code"));

  return normalize_national (digits->str, region, e164, error);
}

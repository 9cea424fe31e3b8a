/* kontor-validate.c: parsing and validation of single typed values
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-validate.h"

#define EMAIL_MAX_LENGTH  254
#define EMAIL_LOCAL_MAX    64
#define DOMAIN_MAX_LENGTH 253
#define LABEL_MAX_LENGTH   63
#define URL_MAX_LENGTH   2048

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID, message);
  return FALSE;
}

/* Spaces as they turn up in typed or pasted text: ASCII blanks and the
 * no-break, figure, thin and narrow no-break spaces. */
static gboolean
is_blank (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
         c == 0x00A0 || c == 0x2007 || c == 0x2009 || c == 0x202F;
}

/* Copies text without leading and trailing blanks (see is_blank()).
 * text must be valid UTF-8. */
static char *
strip_blanks (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && is_blank (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_blank (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

/* Lower-cases ASCII letters with g_ascii_tolower() and other letters with
 * g_unichar_tolower(), which, unlike g_utf8_strdown(), ignores the locale. */
static char *
lower_case (const char *text,
            gssize      length)
{
  GString *out = g_string_new (NULL);
  const char *end = length < 0 ? text + strlen (text) : text + length;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        g_string_append_c (out, g_ascii_tolower ((char) c));
      else
        g_string_append_unichar (out, g_unichar_tolower (c));
    }

  return g_string_free (out, FALSE);
}

static gboolean
all_ascii_digits (const char *text,
                  gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* Checks a host or mail domain name: dot-separated labels of letters,
 * digits and inner hyphens, non-ASCII letters allowed (internationalised
 * domain names). An empty label (leading, trailing or double dot) fails. */
static gboolean
is_valid_domain (const char *domain,
                 gsize       length,
                 guint      *n_labels,
                 gboolean   *numeric_tld)
{
  const char *end = domain + length;
  const char *label = domain;
  guint labels = 0;

  if (length == 0 || length > DOMAIN_MAX_LENGTH)
    return FALSE;

  while (label <= end)
    {
      const char *label_end = memchr (label, '.', end - label);
      gboolean numeric = TRUE;

      if (label_end == NULL)
        label_end = end;
      if (label_end == label || label_end - label > LABEL_MAX_LENGTH)
        return FALSE;
      if (label[0] == '-' || label_end[-1] == '-')
        return FALSE;

      for (const char *p = label; p < label_end; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (c < 0x80)
            {
              if (!g_ascii_isalnum ((char) c) && c != '-')
                return FALSE;
              if (!g_ascii_isdigit ((char) c))
                numeric = FALSE;
            }
          else if (g_unichar_isalnum (c) || g_unichar_ismark (c))
            numeric = FALSE;
          else
            return FALSE;
        }

      labels++;
      if (numeric_tld != NULL)
        *numeric_tld = numeric;
      label = label_end + 1;
    }

  if (n_labels != NULL)
    *n_labels = labels;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* E-mail                                                               */

static gboolean
is_local_part_char (gunichar c)
{
  if (c >= 0x80)
    return g_unichar_isgraph (c);
  if (g_ascii_isalnum ((char) c))
    return TRUE;
  return strchr ("!#$%&'*+-/=?^_`{|}~.", (int) c) != NULL;
}

/**
 * kontor_validate_email:
 *
 * The local part is checked against the unquoted ("dot-atom") form of
 * RFC 5322, with UTF-8 allowed (RFC 6531); quoted local parts and address
 * literals ("user@[10.0.0.1]") are refused. The domain needs at least two
 * labels and a top-level label that is not all digits.
 */
gboolean
kontor_validate_email (const char  *text,
                       char       **canonical,
                       GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *domain = NULL;
  const char *at;
  gsize local_length;
  guint n_labels = 0;
  gboolean numeric_tld = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, _("not a valid e-mail address"));

  trimmed = strip_blanks (text);
  if (trimmed[0] == '\0')
    return fail (error, _("empty e-mail address"));
  if (strlen (trimmed) > EMAIL_MAX_LENGTH)
    return fail (error, _("e-mail address is too long"));

  at = strchr (trimmed, '@');
  if (at == NULL)
    return fail (error, _("e-mail address has no @"));
  if (strchr (at + 1, '@') != NULL)
    return fail (error, _("e-mail address has more than one @"));

  local_length = at - trimmed;
  if (local_length == 0 || at[1] == '\0')
    return fail (error, _("not a valid e-mail address"));
  if (local_length > EMAIL_LOCAL_MAX)
    return fail (error, _("e-mail address is too long"));

  for (const char *p = trimmed; p < at; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || is_blank (c))
        return fail (error, _("e-mail address contains spaces"));
      if (!is_local_part_char (c))
        return fail (error, _("not a valid e-mail address"));
    }
  if (trimmed[0] == '.' || at[-1] == '.' || g_strstr_len (trimmed, local_length, "..") != NULL)
    return fail (error, _("not a valid e-mail address"));

  for (const char *p = at + 1; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || is_blank (c))
        return fail (error, _("e-mail address contains spaces"));
    }

  domain = lower_case (at + 1, -1);
  if (!is_valid_domain (domain, strlen (domain), &n_labels, &numeric_tld) ||
      n_labels < 2 || numeric_tld || strlen (strrchr (domain, '.') + 1) < 2)
    return fail (error, _("not a valid e-mail domain"));

  if (canonical != NULL)
    *canonical = g_strdup_printf ("%.*s@%s", (int) local_length, trimmed, domain);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* URL                                                                  */

/* Length of a leading URI scheme ("https" in "https://…"), 0 if none. */
static gsize
scheme_length (const char *text)
{
  gsize i = 0;

  if (!g_ascii_isalpha (text[0]))
    return 0;
  while (g_ascii_isalnum (text[i]) || text[i] == '+' || text[i] == '-' || text[i] == '.')
    i++;
  return text[i] == ':' ? i : 0;
}

static gboolean
is_valid_port (const char *port,
               gsize       length)
{
  guint value = 0;

  if (length == 0 || length > 5 || !all_ascii_digits (port, length))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    value = value * 10 + (port[i] - '0');
  return value >= 1 && value <= 65535;
}

/**
 * kontor_validate_url:
 *
 * Accepts "http://" and "https://" addresses (scheme case-insensitive)
 * and bare host names with a dot ("www.example.de", "example.de/path",
 * "example.de:8080"), which gain "https://". Every other scheme
 * ("javascript:", "mailto:", "ftp://", …), white space, control
 * characters, backslashes, broken %-escapes, user names ("user@host"),
 * bad ports and missing hosts are refused. The canonical form has the
 * scheme and host lower-cased; path, query and fragment stay as written.
 */
gboolean
kontor_validate_url (const char  *text,
                     char       **canonical,
                     GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *host = NULL;
  const char *scheme = "https";
  const char *authority;
  const char *authority_end;
  const char *host_end;
  const char *port = NULL;
  gboolean bare = FALSE;
  gsize n;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, _("not a valid web address"));

  trimmed = strip_blanks (text);
  if (trimmed[0] == '\0')
    return fail (error, _("empty web address"));
  if (strlen (trimmed) > URL_MAX_LENGTH)
    return fail (error, _("web address is too long"));

  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || is_blank (c))
        return fail (error, _("web address contains spaces"));
      if (g_unichar_iscntrl (c) || c == '\\')
        return fail (error, _("not a valid web address"));
      if (c == '%' && !(g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])))
        return fail (error, _("not a valid web address"));
    }

  n = scheme_length (trimmed);
  if (n > 0 && g_str_has_prefix (trimmed + n, "://"))
    {
      if (n == 4 && g_ascii_strncasecmp (trimmed, "http", 4) == 0)
        scheme = "http";
      else if (n == 5 && g_ascii_strncasecmp (trimmed, "https", 5) == 0)
        scheme = "https";
      else
        return fail (error, _("only http and https addresses are allowed"));
      authority = trimmed + n + 3;
    }
  else if (n > 0 && !g_ascii_isdigit (trimmed[n + 1]) && memchr (trimmed, '.', n) == NULL)
    {
      /* "javascript:…", "mailto:…", "http:example.de"; a digit after the
       * colon is a port ("example.de:8080"), and a dotted name a host
       * ("example.de:x"), both handled below. */
      if ((n == 4 && g_ascii_strncasecmp (trimmed, "http", 4) == 0) ||
          (n == 5 && g_ascii_strncasecmp (trimmed, "https", 5) == 0))
        return fail (error, _("not a valid web address"));
      return fail (error, _("only http and https addresses are allowed"));
    }
  else
    {
      if (trimmed[0] == '/')
        return fail (error, _("web address has no host"));
      authority = trimmed;
      bare = TRUE;
    }

  authority_end = authority + strcspn (authority, "/?#");
  if (memchr (authority, '@', authority_end - authority) != NULL)
    return fail (error, _("web address must not contain a user name"));

  if (authority[0] == '[')
    {
      g_autofree char *literal = NULL;

      host_end = memchr (authority, ']', authority_end - authority);
      if (host_end == NULL)
        return fail (error, _("not a valid web address"));
      host_end++;
      literal = g_strndup (authority + 1, host_end - authority - 2);
      if (strchr (literal, ':') == NULL || !g_hostname_is_ip_address (literal))
        return fail (error, _("not a valid web address"));
    }
  else
    {
      host_end = memchr (authority, ':', authority_end - authority);
      if (host_end == NULL)
        host_end = authority_end;
    }

  if (host_end < authority_end)
    {
      if (host_end[0] != ':')
        return fail (error, _("not a valid web address"));
      port = host_end + 1;
      if (!is_valid_port (port, authority_end - port))
        return fail (error, _("not a valid port number"));
    }

  if (host_end == authority)
    return fail (error, _("web address has no host"));

  host = lower_case (authority, host_end - authority);
  if (host[0] != '[')
    {
      guint n_labels = 0;
      gboolean numeric_tld = FALSE;

      if (!is_valid_domain (host, strlen (host), &n_labels, &numeric_tld))
        return fail (error, _("not a valid host name"));
      if (numeric_tld && !g_hostname_is_ip_address (host))
        return fail (error, _("not a valid host name"));
      if (bare && n_labels < 2)
        return fail (error, _("not a valid web address"));
    }

  if (canonical != NULL)
    *canonical = g_strconcat (scheme, "://", host, host_end, NULL);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                              */

/**
 * kontor_validate_decimal:
 *
 * Surrounding white space is ignored and a leading '+' dropped. ".5"
 * becomes "0.5", leading zeros of the integer part are dropped ("007.50"
 * -> "7.50") and a zero loses its sign ("-0.00" -> "0.00"). "5.", "1e3",
 * "1.2.3", "1 000" and "0x10" fail.
 */
gboolean
kontor_validate_decimal (const char  *text,
                         char       **canonical,
                         GError     **error)
{
  g_autofree char *trimmed = NULL;
  const char *p;
  const char *int_start;
  const char *frac_start = NULL;
  gsize int_length;
  gsize frac_length = 0;
  gboolean negative = FALSE;
  gboolean zero = TRUE;
  GString *out;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  p = trimmed;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';

  int_start = p;
  while (g_ascii_isdigit (*p))
    p++;
  int_length = p - int_start;

  if (*p == '.' || *p == ',')
    {
      frac_start = ++p;
      while (g_ascii_isdigit (*p))
        p++;
      frac_length = p - frac_start;
      if (frac_length == 0)
        return fail (error, _("not a valid number"));
    }

  if (*p != '\0' || (int_length == 0 && frac_length == 0))
    return fail (error, _("not a valid number"));

  /* Leading zeros go, but one digit always stays before the point. */
  while (int_length > 1 && int_start[0] == '0')
    {
      int_start++;
      int_length--;
    }

  for (gsize i = 0; i < int_length; i++)
    if (int_start[i] != '0')
      zero = FALSE;
  for (gsize i = 0; i < frac_length; i++)
    if (frac_start[i] != '0')
      zero = FALSE;

  out = g_string_new (NULL);
  if (negative && !zero)
    g_string_append_c (out, '-');
  if (int_length == 0)
    g_string_append_c (out, '0');
  else
    g_string_append_len (out, int_start, int_length);
  if (frac_start != NULL)
    {
      g_string_append_c (out, '.');
      g_string_append_len (out, frac_start, frac_length);
    }

  if (canonical != NULL)
    *canonical = g_string_free (out, FALSE);
  else
    g_string_free (out, TRUE);
  return TRUE;
}

/**
 * kontor_validate_integer:
 *
 * Surrounding white space is ignored; a leading '+' is allowed. Values
 * outside G_MININT64..G_MAXINT64 fail ("out of range").
 */
gboolean
kontor_validate_integer (const char  *text,
                         gint64      *value,
                         GError     **error)
{
  g_autofree char *trimmed = NULL;
  const char *p;
  gboolean negative = FALSE;
  guint64 magnitude = 0;
  guint64 limit;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  p = trimmed;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';

  if (!g_ascii_isdigit (*p))
    return fail (error, _("not a whole number"));

  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  for (; g_ascii_isdigit (*p); p++)
    {
      guint digit = *p - '0';

      if (magnitude > (limit - digit) / 10)
        return fail (error, _("number is out of range"));
      magnitude = magnitude * 10 + digit;
    }

  if (*p != '\0')
    return fail (error, _("not a whole number"));

  if (value != NULL)
    {
      if (!negative)
        *value = (gint64) magnitude;
      else if (magnitude == (guint64) G_MAXINT64 + 1)
        *value = G_MININT64;
      else
        *value = -(gint64) magnitude;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Dates and times                                                      */

/* Reads exactly n ASCII digits. */
static gboolean
read_digits (const char **p,
             guint        n,
             guint       *value)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *value = v;
  return TRUE;
}

/* "YYYY-MM-DD" at *p, a real day of years 1 to 9999. */
static gboolean
read_date (const char **p,
           guint       *year,
           guint       *month,
           guint       *day)
{
  const char *q = *p;

  if (!read_digits (&q, 4, year) || *q++ != '-' ||
      !read_digits (&q, 2, month) || *q++ != '-' ||
      !read_digits (&q, 2, day))
    return FALSE;
  if (*year < 1 || *month < 1 || *month > 12 || *day < 1)
    return FALSE;
  if (*day > g_date_get_days_in_month ((GDateMonth) *month, (GDateYear) *year))
    return FALSE;

  *p = q;
  return TRUE;
}

/**
 * kontor_validate_date:
 *
 * Only the extended ISO form with zero-padded fields ("2026-03-07") is
 * accepted; nothing guesses between day/month orders.
 */
gboolean
kontor_validate_date (const char  *text,
                      char       **canonical,
                      GError     **error)
{
  g_autofree char *trimmed = NULL;
  const char *p;
  guint year, month, day;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  p = trimmed;
  if (!read_date (&p, &year, &month, &day) || *p != '\0')
    return fail (error, _("not a valid date (YYYY-MM-DD)"));

  if (canonical != NULL)
    *canonical = g_strdup_printf ("%04u-%02u-%02u", year, month, day);
  return TRUE;
}

/**
 * kontor_validate_datetime:
 *
 * Accepts "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z", "±hh:mm",
 * "±hhmm", "±hh" or nothing (UTC). The date and time may also be
 * separated by a space, and "t"/"z" may be lower case. Fractional seconds
 * ("." or ",") are dropped, not rounded. Hour 24 and leap seconds fail.
 */
gboolean
kontor_validate_datetime (const char  *text,
                          char       **canonical,
                          GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  const char *p;
  guint year, month, day, hour, minute, second = 0;
  int offset = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  p = trimmed;

  if (!read_date (&p, &year, &month, &day))
    goto invalid;
  if (*p != 'T' && *p != 't' && *p != ' ')
    goto invalid;
  p++;

  if (!read_digits (&p, 2, &hour) || *p++ != ':' || !read_digits (&p, 2, &minute))
    goto invalid;
  if (*p == ':')
    {
      p++;
      if (!read_digits (&p, 2, &second))
        goto invalid;
      if (*p == '.' || *p == ',')
        {
          p++;
          if (!g_ascii_isdigit (*p))
            goto invalid;
          while (g_ascii_isdigit (*p))
            p++;
        }
    }
  if (hour > 23 || minute > 59 || second > 59)
    goto invalid;

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int sign = *p++ == '-' ? -1 : 1;
      guint off_hour, off_minute = 0;

      if (!read_digits (&p, 2, &off_hour))
        goto invalid;
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, &off_minute))
            goto invalid;
        }
      else if (g_ascii_isdigit (*p) && !read_digits (&p, 2, &off_minute))
        goto invalid;
      if (off_hour > 23 || off_minute > 59)
        goto invalid;
      offset = sign * (int) (off_hour * 60 + off_minute);
    }
  if (*p != '\0')
    goto invalid;

  local = g_date_time_new_utc ((int) year, (int) month, (int) day,
                               (int) hour, (int) minute, second);
  if (local == NULL)
    goto invalid;
  utc = g_date_time_add_minutes (local, -offset);
  if (utc == NULL)
    return fail (error, _("date and time out of range"));

  if (canonical != NULL)
    *canonical = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                                  g_date_time_get_year (utc),
                                  g_date_time_get_month (utc),
                                  g_date_time_get_day_of_month (utc),
                                  g_date_time_get_hour (utc),
                                  g_date_time_get_minute (utc),
                                  g_date_time_get_second (utc));
  return TRUE;

invalid:
  return fail (error, _("not a valid date and time (YYYY-MM-DDTHH:MM:SS)"));
}

/* ------------------------------------------------------------------ */
/* Money                                                                */

typedef struct
{
  char  code[4];
  guint digits;
} Currency;

/* Active ISO 4217 codes. Funds and precious metals are left out. */
static const Currency currencies[] = {
  { "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "ANG", 2 }, { "AOA", 2 },
  { "ARS", 2 }, { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 }, { "BAM", 2 }, { "BBD", 2 },
  { "BDT", 2 }, { "BGN", 2 }, { "BHD", 3 }, { "BIF", 0 }, { "BMD", 2 }, { "BND", 2 },
  { "BOB", 2 }, { "BRL", 2 }, { "BSD", 2 }, { "BTN", 2 }, { "BWP", 2 }, { "BYN", 2 },
  { "BZD", 2 }, { "CAD", 2 }, { "CDF", 2 }, { "CHF", 2 }, { "CLF", 4 }, { "CLP", 0 },
  { "CNY", 2 }, { "COP", 2 }, { "CRC", 2 }, { "CUP", 2 }, { "CVE", 2 }, { "CZK", 2 },
  { "DJF", 0 }, { "DKK", 2 }, { "DOP", 2 }, { "DZD", 2 }, { "EGP", 2 }, { "ERN", 2 },
  { "ETB", 2 }, { "EUR", 2 }, { "FJD", 2 }, { "FKP", 2 }, { "GBP", 2 }, { "GEL", 2 },
  { "GHS", 2 }, { "GIP", 2 }, { "GMD", 2 }, { "GNF", 0 }, { "GTQ", 2 }, { "GYD", 2 },
  { "HKD", 2 }, { "HNL", 2 }, { "HTG", 2 }, { "HUF", 2 }, { "IDR", 2 }, { "ILS", 2 },
  { "INR", 2 }, { "IQD", 3 }, { "IRR", 2 }, { "ISK", 0 }, { "JMD", 2 }, { "JOD", 3 },
  { "JPY", 0 }, { "KES", 2 }, { "KGS", 2 }, { "KHR", 2 }, { "KMF", 0 }, { "KPW", 2 },
  { "KRW", 0 }, { "KWD", 3 }, { "KYD", 2 }, { "KZT", 2 }, { "LAK", 2 }, { "LBP", 2 },
  { "LKR", 2 }, { "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 }, { "MAD", 2 }, { "MDL", 2 },
  { "MGA", 2 }, { "MKD", 2 }, { "MMK", 2 }, { "MNT", 2 }, { "MOP", 2 }, { "MRU", 2 },
  { "MUR", 2 }, { "MVR", 2 }, { "MWK", 2 }, { "MXN", 2 }, { "MYR", 2 }, { "MZN", 2 },
  { "NAD", 2 }, { "NGN", 2 }, { "NIO", 2 }, { "NOK", 2 }, { "NPR", 2 }, { "NZD", 2 },
  { "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 }, { "PGK", 2 }, { "PHP", 2 }, { "PKR", 2 },
  { "PLN", 2 }, { "PYG", 0 }, { "QAR", 2 }, { "RON", 2 }, { "RSD", 2 }, { "RUB", 2 },
  { "RWF", 0 }, { "SAR", 2 }, { "SBD", 2 }, { "SCR", 2 }, { "SDG", 2 }, { "SEK", 2 },
  { "SGD", 2 }, { "SHP", 2 }, { "SLE", 2 }, { "SOS", 2 }, { "SRD", 2 }, { "SSP", 2 },
  { "STN", 2 }, { "SVC", 2 }, { "SYP", 2 }, { "SZL", 2 }, { "THB", 2 }, { "TJS", 2 },
  { "TMT", 2 }, { "TND", 3 }, { "TOP", 2 }, { "TRY", 2 }, { "TTD", 2 }, { "TWD", 2 },
  { "TZS", 2 }, { "UAH", 2 }, { "UGX", 0 }, { "USD", 2 }, { "UYU", 2 }, { "UZS", 2 },
  { "VED", 2 }, { "VES", 2 }, { "VND", 0 }, { "VUV", 0 }, { "WST", 2 }, { "XAF", 0 },
  { "XCD", 2 }, { "XCG", 2 }, { "XOF", 0 }, { "XPF", 0 }, { "YER", 2 }, { "ZAR", 2 },
  { "ZMW", 2 }, { "ZWG", 2 },
};

typedef struct
{
  const char *symbol;
  const char *code;
} CurrencySymbol;

/* Longer symbols first where one ends or starts another ("US$", "$"). */
static const CurrencySymbol currency_symbols[] = {
  { "US$", "USD" },
  { "SFr.", "CHF" },
  { "SFr", "CHF" },
  { "Fr.", "CHF" },
  { "Fr", "CHF" },
  { "zł", "PLN" },
  { "Kč", "CZK" },
  { "€", "EUR" },
  { "$", "USD" },
  { "£", "GBP" },
  { "¥", "JPY" },
  { "￥", "JPY" },
  { "₹", "INR" },
  { "₩", "KRW" },
  { "₽", "RUB" },
  { "₺", "TRY" },
  { "₪", "ILS" },
  { "₴", "UAH" },
};

static const Currency *
find_currency (const char *code,
               gsize       length)
{
  if (length != 3)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (g_ascii_strncasecmp (currencies[i].code, code, 3) == 0)
      return &currencies[i];
  return NULL;
}

/**
 * kontor_currency_digits:
 *
 * Case-insensitive. Returns 2 for any code not in the table, whether or
 * not it is well-formed.
 */
guint
kontor_currency_digits (const char *currency)
{
  const Currency *found;

  g_return_val_if_fail (currency != NULL, 2);

  found = find_currency (currency, strlen (currency));
  return found != NULL ? found->digits : 2;
}

static gboolean
is_minus (gunichar c)
{
  return c == '-' || c == 0x2212;
}

static const char *
skip_blanks (const char *p,
             const char *end)
{
  while (p < end && is_blank (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  return p;
}

static const char *
skip_blanks_back (const char *start,
                  const char *end)
{
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_blank (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return end;
}

/* A sign at *p: returns 0 if none, else -1 or +1 and moves *p past it. */
static int
read_sign (const char **p,
           const char  *end)
{
  gunichar c;

  if (*p >= end)
    return 0;
  c = g_utf8_get_char (*p);
  if (c != '+' && !is_minus (c))
    return 0;
  *p = g_utf8_next_char (*p);
  return c == '+' ? 1 : -1;
}

/* Result of looking for a currency at one end of the text. */
typedef enum
{
  CURRENCY_NONE,
  CURRENCY_FOUND,
  CURRENCY_UNKNOWN,
} CurrencyMatch;

static gboolean
symbol_is_word (const char *symbol)
{
  return g_ascii_isalpha (symbol[0]);
}

static CurrencyMatch
match_currency_prefix (const char  *start,
                       const char  *end,
                       const char **code,
                       const char **after)
{
  gsize length = end - start;
  gsize letters = 0;
  const Currency *found;

  for (gsize i = 0; i < G_N_ELEMENTS (currency_symbols); i++)
    {
      const char *symbol = currency_symbols[i].symbol;
      gsize n = strlen (symbol);

      if (n <= length && g_ascii_strncasecmp (start, symbol, n) == 0 &&
          !(symbol_is_word (symbol) && n < length && g_ascii_isalpha (start[n])))
        {
          *code = currency_symbols[i].code;
          *after = start + n;
          return CURRENCY_FOUND;
        }
    }

  while (letters < length && g_ascii_isalpha (start[letters]))
    letters++;
  if (letters == 0)
    return CURRENCY_NONE;

  found = find_currency (start, letters);
  if (found == NULL)
    return CURRENCY_UNKNOWN;
  *code = found->code;
  *after = start + letters;
  return CURRENCY_FOUND;
}

static CurrencyMatch
match_currency_suffix (const char  *start,
                       const char  *end,
                       const char **code,
                       const char **before)
{
  gsize length = end - start;
  gsize letters = 0;
  const Currency *found;

  for (gsize i = 0; i < G_N_ELEMENTS (currency_symbols); i++)
    {
      const char *symbol = currency_symbols[i].symbol;
      gsize n = strlen (symbol);

      if (n <= length && g_ascii_strncasecmp (end - n, symbol, n) == 0 &&
          !(symbol_is_word (symbol) && n < length && g_ascii_isalpha (end[-(gssize) n - 1])))
        {
          *code = currency_symbols[i].code;
          *before = end - n;
          return CURRENCY_FOUND;
        }
    }

  while (letters < length && g_ascii_isalpha (end[-(gssize) letters - 1]))
    letters++;
  if (letters == 0)
    return CURRENCY_NONE;

  found = find_currency (end - letters, letters);
  if (found == NULL)
    return CURRENCY_UNKNOWN;
  *code = found->code;
  *before = end - letters;
  return CURRENCY_FOUND;
}

/* Separator classes in an amount. */
enum
{
  SEP_DOT = '.',
  SEP_COMMA = ',',
  SEP_SPACE = ' ',
  SEP_APOSTROPHE = '\'',
};

static char
separator_class (gunichar c)
{
  if (c == '.')
    return SEP_DOT;
  if (c == ',')
    return SEP_COMMA;
  if (c == '\'' || c == 0x2019)
    return SEP_APOSTROPHE;
  if (c == ' ' || c == 0x00A0 || c == 0x2007 || c == 0x2009 || c == 0x202F)
    return SEP_SPACE;
  return 0;
}

#define MAX_GROUPS 32

/* Parses the unsigned amount in [start, end) into minor units of a
 * currency with the given number of digits. See the rules at
 * kontor_validate_money(). */
static gboolean
parse_amount (const char  *start,
              const char  *end,
              const char  *code,
              guint        digits,
              guint64     *minor_units,
              GError     **error)
{
  g_autoptr(GString) all = g_string_new (NULL);
  gsize run_start[MAX_GROUPS];
  gsize run_length[MAX_GROUPS];
  char seps[MAX_GROUPS];
  guint n_runs = 0;
  guint n_seps = 0;
  gboolean leading_sep = FALSE;
  int decimal_sep = -1;   /* index into seps, -1: no fraction */
  char grouping = 0;
  const char *int_digits;
  gsize int_length;
  const char *frac_digits = NULL;
  gsize frac_length = 0;
  guint64 value = 0;

  /* Split into digit runs and the single separators between them. */
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char sep;

      if (c < 0x80 && g_ascii_isdigit ((char) c))
        {
          if (n_runs == n_seps)
            {
              if (n_runs == MAX_GROUPS)
                return fail (error, _("amount is too large"));
              run_start[n_runs] = all->len;
              run_length[n_runs] = 0;
              n_runs++;
            }
          g_string_append_c (all, (char) c);
          run_length[n_runs - 1]++;
          continue;
        }

      sep = separator_class (c);
      if (sep == 0)
        return fail (error, _("not a valid amount"));
      if (n_runs == 0 && n_seps == 0 && (sep == SEP_DOT || sep == SEP_COMMA))
        {
          /* ".5": a fraction without integer part */
          leading_sep = TRUE;
          seps[n_seps++] = sep;
          run_start[n_runs] = 0;
          run_length[n_runs] = 0;
          n_runs++;
          continue;
        }
      if (n_runs != n_seps + 1)
        return fail (error, _("not a valid amount"));
      seps[n_seps++] = sep;
    }

  if (n_runs == 0 || n_runs != n_seps + 1 || run_length[n_runs - 1] == 0)
    return fail (error, _("not a valid amount"));

  /* Which separator, if any, is the decimal one. */
  if (leading_sep)
    {
      if (n_seps != 1)
        return fail (error, _("not a valid amount"));
      decimal_sep = 0;
    }
  else if (n_seps > 0)
    {
      char last = seps[n_seps - 1];
      guint same = 0;

      for (guint i = 0; i < n_seps; i++)
        if (seps[i] == last)
          same++;

      if (last == SEP_SPACE || last == SEP_APOSTROPHE || same > 1)
        decimal_sep = -1;
      else if (n_seps > 1)
        decimal_sep = n_seps - 1;
      else if (run_length[1] == 3 && run_length[0] <= 3 && all->str[run_start[0]] != '0')
        decimal_sep = digits == 2 ? -1 : 0;   /* "12.345": see the header */
      else
        decimal_sep = 0;
    }

  /* All other separators group thousands: one kind, groups of three. */
  for (guint i = 0; i < n_seps; i++)
    {
      if ((int) i == decimal_sep)
        continue;
      if (grouping == 0)
        grouping = seps[i];
      else if (seps[i] != grouping)
        return fail (error, _("not a valid amount"));
      if (run_length[i + 1] != 3)
        return fail (error, _("not a valid amount"));
    }
  if (grouping != 0 && (run_length[0] > 3 || all->str[run_start[0]] == '0'))
    return fail (error, _("not a valid amount"));

  int_digits = all->str;
  int_length = all->len;
  if (decimal_sep >= 0)
    {
      frac_digits = all->str + run_start[decimal_sep + 1];
      frac_length = run_length[decimal_sep + 1];
      int_length = run_start[decimal_sep + 1];
    }

  if (frac_length > digits)
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   digits == 0 ? _("%s has no decimal places")
                               : _("too many decimal places for %s"),
                   code);
      return FALSE;
    }

  for (gsize i = 0; i < int_length + digits; i++)
    {
      guint digit = 0;

      if (i < int_length)
        digit = int_digits[i] - '0';
      else if (i - int_length < frac_length)
        digit = frac_digits[i - int_length] - '0';

      if (value > ((guint64) G_MAXINT64 - digit) / 10)
        return fail (error, _("amount is too large"));
      value = value * 10 + digit;
    }

  *minor_units = value;
  return TRUE;
}

/**
 * kontor_validate_money:
 *
 * The currency is an ISO 4217 code (any case, stored upper case) or a
 * symbol: € EUR, $ and US$ USD, £ GBP, ¥ JPY (not CNY), ₹ INR, ₩ KRW,
 * ₽ RUB, ₺ TRY, ₪ ILS, ₴ UAH, zł PLN, Kč CZK, Fr./SFr. CHF. It may stand
 * before or after the amount, with or without a space; a sign ('-', '+'
 * or U+2212) may stand before the currency or before the amount. A code
 * not in ISO 4217's active list fails ("unknown currency"), and so does
 * default_currency if it is used and unknown.
 *
 * Amount rules:
 *  - '.', ',', spaces (also no-break and thin) and apostrophes (Swiss
 *    "1'234.50") separate; two separators in a row fail.
 *  - With several separators, the last one is the decimal separator if
 *    it is a '.' or ',' that occurs once ("1.234,56", "1 234,56"); all
 *    others must be one kind of grouping with groups of exactly three
 *    digits after a first group of one to three.
 *  - A separator that occurs more than once, or a space/apostrophe, only
 *    groups ("1.234.567" is 1234567).
 *  - A lone '.' or ',' is the decimal separator, except in the ambiguous
 *    case where it follows one to three digits (not starting with 0) and
 *    is followed by exactly three: "12.345" and "1,250". That is a
 *    thousands separator if the currency has two decimals (so "12.345
 *    EUR" is 12345.00 EUR), and the decimal separator otherwise ("12.345
 *    KWD" is 12345 fils; "12.345 JPY" fails because JPY has no decimals).
 *  - Other groupings (Indian "1,23,456.78") fail.
 *  - More decimals than the currency has fail, trailing zeros included
 *    ("5.00 JPY"); nothing is rounded. ".5" is allowed, "5." is not.
 *  - Magnitudes above G_MAXINT64 minor units fail.
 */
gboolean
kontor_validate_money (const char  *text,
                       const char  *default_currency,
                       gint64      *minor_units,
                       char       **currency,
                       GError     **error)
{
  const char *start;
  const char *end;
  const char *prefix_code = NULL;
  const char *suffix_code = NULL;
  const char *code;
  const char *after = NULL;
  const char *before = NULL;
  guint64 magnitude = 0;
  int sign;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, _("not a valid amount"));

  start = skip_blanks (text, text + strlen (text));
  end = skip_blanks_back (start, text + strlen (text));
  if (start == end)
    return fail (error, _("empty amount"));

  sign = read_sign (&start, end);
  start = skip_blanks (start, end);

  switch (match_currency_prefix (start, end, &prefix_code, &after))
    {
    case CURRENCY_FOUND:
      start = skip_blanks (after, end);
      break;
    case CURRENCY_UNKNOWN:
      return fail (error, _("unknown currency"));
    case CURRENCY_NONE:
    default:
      break;
    }

  if (sign == 0)
    {
      sign = read_sign (&start, end);
      start = skip_blanks (start, end);
    }

  switch (match_currency_suffix (start, end, &suffix_code, &before))
    {
    case CURRENCY_FOUND:
      end = skip_blanks_back (start, before);
      break;
    case CURRENCY_UNKNOWN:
      return fail (error, _("unknown currency"));
    case CURRENCY_NONE:
    default:
      break;
    }

  if (prefix_code != NULL && suffix_code != NULL)
    return fail (error, _("more than one currency"));

  code = prefix_code != NULL ? prefix_code : suffix_code;
  if (code == NULL)
    {
      const Currency *found;

      if (default_currency == NULL)
        return fail (error, _("no currency given"));
      found = find_currency (default_currency, strlen (default_currency));
      if (found == NULL)
        return fail (error, _("unknown currency"));
      code = found->code;
    }

  if (start == end)
    return fail (error, _("no amount given"));
  if (!parse_amount (start, end, code, kontor_currency_digits (code), &magnitude, error))
    return FALSE;

  if (minor_units != NULL)
    *minor_units = sign < 0 ? -(gint64) magnitude : (gint64) magnitude;
  if (currency != NULL)
    *currency = g_strdup (code);
  return TRUE;
}

/* test-validate.c: tests for kontor-validate
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include <glib.h>

#include "kontor-validate.h"

typedef struct
{
  const char *input;
  const char *expected;
} StringCase;

typedef gboolean (*StringValidator) (const char  *text,
                                     char       **canonical,
                                     GError     **error);

static void
check_valid (StringValidator  validate,
             const char      *input,
             const char      *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  gboolean ok;

  g_test_message ("valid: '%s'", input);
  ok = validate (input, &canonical, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (canonical, ==, expected);

  /* Canonical output is a fixed point. */
  {
    g_autofree char *again = NULL;

    ok = validate (canonical, &again, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_cmpstr (again, ==, expected);
  }
}

static void
check_invalid (StringValidator  validate,
               const char      *input)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  gboolean ok;

  ok = validate (input, &canonical, &error);
  if (ok)
    g_test_message ("'%s' was accepted as '%s'", input, canonical);
  g_assert_false (ok);
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_null (canonical);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
check_message (StringValidator  validate,
               const char      *input,
               const char      *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;

  g_assert_false (validate (input, &canonical, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (canonical);
}

/* ------------------------------------------------------------------ */
/* E-mail                                                               */

static void
test_email_valid (void)
{
  static const StringCase cases[] = {
    { "john.doe@example.com", "john.doe@example.com" },
    { "John.Doe@Example.COM", "John.Doe@example.com" },
    { "  Jane+tag@Mail.Example.de  ", "Jane+tag@mail.example.de" },
    { "\tjane@example.de\n", "jane@example.de" },
    { "o'brien@example.ie", "o'brien@example.ie" },
    { "user_name-1@sub-domain.example.co.uk", "user_name-1@sub-domain.example.co.uk" },
    { "!#$%&'*+-/=?^_`{|}~@example.org", "!#$%&'*+-/=?^_`{|}~@example.org" },
    { "a@b.cd", "a@b.cd" },
    { "info@xn--bcher-kva.example", "info@xn--bcher-kva.example" },
    { "jürgen@BÜCHER.de", "jürgen@bücher.de" },
    { "x@123.example", "x@123.example" },
    { "x@a-b.c-d.example", "x@a-b.c-d.example" },
    { "\xc2\xa0nbsp@example.com\xc2\xa0", "nbsp@example.com" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_valid (kontor_validate_email, cases[i].input, cases[i].expected);
}

static void
test_email_invalid (void)
{
  static const char * const cases[] = {
    "",
    "   ",
    "john.example.com",
    "john@",
    "@example.com",
    "john@@example.com",
    "a@b@example.com",
    "john doe@example.com",
    "john@exa mple.com",
    "jo\thn@example.com",
    "john..doe@example.com",
    ".john@example.com",
    "john.@example.com",
    "john@example",
    "john@localhost",
    "john@example..com",
    "john@.example.com",
    "john@example.com.",
    "john@-example.com",
    "john@example-.com",
    "john@exa_mple.com",
    "john@[192.168.0.1]",
    "john@1.2.3.4",
    "john@example.123",
    "john@example.c",
    "\"john\"@example.com",
    "jo<hn>@example.com",
    "jo,hn@example.com",
    "jo(hn)@example.com",
    "john@exam!ple.com",
    "mailto:john@example.com",
    "jo\xffhn@example.com",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_invalid (kontor_validate_email, cases[i]);
}

static void
test_email_lengths (void)
{
  g_autofree char *local64 = g_strnfill (64, 'a');
  g_autofree char *local65 = g_strnfill (65, 'a');
  g_autofree char *label63 = g_strnfill (63, 'b');
  g_autofree char *label64 = g_strnfill (64, 'b');
  g_autofree char *ok_local = g_strconcat (local64, "@example.com", NULL);
  g_autofree char *long_local = g_strconcat (local65, "@example.com", NULL);
  g_autofree char *ok_label = g_strconcat ("x@", label63, ".com", NULL);
  g_autofree char *long_label = g_strconcat ("x@", label64, ".com", NULL);
  g_autofree char *long_total = NULL;
  g_autofree char *ok_total = NULL;

  /* 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254 characters is the maximum. */
  {
    g_autofree char *label61 = g_strnfill (61, 'c');

    ok_total = g_strconcat (local64, "@", label63, ".", label63, ".", label61, NULL);
    long_total = g_strconcat (local64, "@", label63, ".", label63, ".", label61, "c", NULL);
  }
  g_assert_cmpuint (strlen (ok_total), ==, 254);

  check_valid (kontor_validate_email, ok_local, ok_local);
  check_valid (kontor_validate_email, ok_label, ok_label);
  check_valid (kontor_validate_email, ok_total, ok_total);
  check_invalid (kontor_validate_email, long_local);
  check_invalid (kontor_validate_email, long_label);
  check_message (kontor_validate_email, long_total, "e-mail address is too long");
}

static void
test_email_messages (void)
{
  check_message (kontor_validate_email, "john.example.com", "e-mail address has no @");
  check_message (kontor_validate_email, "john doe@example.com", "e-mail address contains spaces");
  check_message (kontor_validate_email, "john@example", "not a valid e-mail domain");
  check_message (kontor_validate_email, "john..doe@example.com", "not a valid e-mail address");
  check_message (kontor_validate_email, "", "empty e-mail address");
}

static void
test_email_null_outputs (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kontor_validate_email ("a@example.com", NULL, NULL));
  g_assert_false (kontor_validate_email ("a@example", NULL, NULL));
  g_assert_false (kontor_validate_email ("a@example", NULL, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
}

/* ------------------------------------------------------------------ */
/* URL                                                                  */

static void
test_url_valid (void)
{
  static const StringCase cases[] = {
    { "https://example.com", "https://example.com" },
    { "http://example.com/", "http://example.com/" },
    { "HTTP://Example.COM/Path?Q=1#Frag", "http://example.com/Path?Q=1#Frag" },
    { "HtTpS://WWW.Example.de", "https://www.example.de" },
    { "www.example.de", "https://www.example.de" },
    { "WWW.Example.DE/Kontakt", "https://www.example.de/Kontakt" },
    { "example.de/path/to?x=1", "https://example.de/path/to?x=1" },
    { "example.de:8080/x", "https://example.de:8080/x" },
    { "example.de?q=1", "https://example.de?q=1" },
    { "example.de#top", "https://example.de#top" },
    { "  https://example.com/a%20b  ", "https://example.com/a%20b" },
    { "http://localhost:8080/", "http://localhost:8080/" },
    { "http://intranet/wiki", "http://intranet/wiki" },
    { "http://192.168.0.1/admin", "http://192.168.0.1/admin" },
    { "192.168.0.1:8080", "https://192.168.0.1:8080" },
    { "https://[2001:db8::1]:8443/", "https://[2001:db8::1]:8443/" },
    { "https://[2001:DB8::1]/", "https://[2001:db8::1]/" },
    { "https://Bücher.Example/Straße", "https://bücher.example/Straße" },
    { "https://example.com:65535", "https://example.com:65535" },
    { "https://example.com:1/", "https://example.com:1/" },
    { "https://example.com/a:b@c", "https://example.com/a:b@c" },
    { "https://example.com/über?ä=ö", "https://example.com/über?ä=ö" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_valid (kontor_validate_url, cases[i].input, cases[i].expected);
}

static void
test_url_invalid (void)
{
  static const char * const cases[] = {
    "",
    "   ",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "javascript://example.com/%0Aalert(1)",
    "ftp://example.com",
    "FTP://example.com/file",
    "mailto:john@example.com",
    "file:///etc/passwd",
    "data:text/html,<b>x</b>",
    "tel:+497111234567",
    "https://",
    "https:///path",
    "https://:8080/",
    "http:example.com",
    "http:/example.com",
    "//example.com",
    "/path/only",
    "https://exa mple.com",
    "https://example.com/a b",
    "www.example.de /x",
    "https://example.com/\ta",
    "example",
    "localhost:8080",
    "https://user:pw@example.com",
    "https://bank.example@evil.example",
    "user@example.com",
    "https://example.com:0",
    "https://example.com:65536",
    "https://example.com:",
    "https://example.com:80a",
    "https://example.com:123456",
    "https://-example.com",
    "https://example-.com",
    "https://example..com",
    "https://.example.com",
    "https://example.com./",
    "https://exa_mple.com",
    "https://999.1.1.1",
    "https://1.2.3",
    "https://[zz::1]/",
    "https://[::1",
    "https://[127.0.0.1]/",
    "https://example.com/%zz",
    "https://example.com/%4",
    "https://example.com\\@evil.example",
    "https://exa<mple.com",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_invalid (kontor_validate_url, cases[i]);
}

static void
test_url_messages (void)
{
  check_message (kontor_validate_url, "javascript:alert(1)",
                 "only http and https addresses are allowed");
  check_message (kontor_validate_url, "ftp://example.com",
                 "only http and https addresses are allowed");
  check_message (kontor_validate_url, "https://exa mple.com", "web address contains spaces");
  check_message (kontor_validate_url, "https://", "web address has no host");
  check_message (kontor_validate_url, "https://example.com:99999", "not a valid port number");
  check_message (kontor_validate_url, "example.com:abc", "not a valid port number");
  check_message (kontor_validate_url, "https://user@example.com",
                 "web address must not contain a user name");
}

static void
test_url_too_long (void)
{
  g_autofree char *path = g_strnfill (2048 - strlen ("https://example.com/"), 'a');
  g_autofree char *max = g_strconcat ("https://example.com/", path, NULL);
  g_autofree char *over = g_strconcat (max, "a", NULL);

  g_assert_cmpuint (strlen (max), ==, 2048);
  check_valid (kontor_validate_url, max, max);
  check_message (kontor_validate_url, over, "web address is too long");
}

/* ------------------------------------------------------------------ */
/* Decimal                                                              */

static void
test_decimal_valid (void)
{
  static const StringCase cases[] = {
    { "12.50", "12.50" },
    { "12,50", "12.50" },
    { "-0.5", "-0.5" },
    { ".5", "0.5" },
    { ",5", "0.5" },
    { "-.5", "-0.5" },
    { "+3.25", "3.25" },
    { "+7", "7" },
    { "42", "42" },
    { "-42", "-42" },
    { "007.50", "7.50" },
    { "000", "0" },
    { "0", "0" },
    { "-0", "0" },
    { "-0.00", "0.00" },
    { "+0.0", "0.0" },
    { "  3.14  ", "3.14" },
    { "0.000", "0.000" },
    { "1.0", "1.0" },
    { "123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_valid (kontor_validate_decimal, cases[i].input, cases[i].expected);
}

static void
test_decimal_invalid (void)
{
  static const char * const cases[] = {
    "",
    "   ",
    "1.2.3",
    "1,2,3",
    "1e3",
    "1E3",
    "1.5e-3",
    "5.",
    "5,",
    "-",
    "+",
    ".",
    ",",
    "-.",
    "1,234.5",
    "1.234,5",
    "1 000",
    "1'000",
    "0x10",
    "12a",
    "a12",
    "--1",
    "+-1",
    "-+1",
    "1.-2",
    "1..2",
    "inf",
    "nan",
    "١٢",
    "½",
    "12 EUR",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_invalid (kontor_validate_decimal, cases[i]);

  check_message (kontor_validate_decimal, "1.2.3", "not a valid number");
}

/* ------------------------------------------------------------------ */
/* Integer                                                              */

static void
check_integer (const char *input,
               gint64      expected)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 12345;

  g_test_message ("integer: '%s'", input);
  g_assert_true (kontor_validate_integer (input, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, expected);
}

static void
check_integer_invalid (const char *input)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 12345;

  g_test_message ("integer: '%s'", input);
  g_assert_false (kontor_validate_integer (input, &value, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_cmpint (value, ==, 12345);
}

static void
test_integer (void)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  check_integer ("42", 42);
  check_integer (" 42 ", 42);
  check_integer ("\t42\n", 42);
  check_integer ("+42", 42);
  check_integer ("-17", -17);
  check_integer ("0", 0);
  check_integer ("-0", 0);
  check_integer ("007", 7);
  check_integer ("1000000", 1000000);
  check_integer ("9223372036854775807", G_MAXINT64);
  check_integer ("-9223372036854775808", G_MININT64);
  check_integer ("-9223372036854775807", -G_MAXINT64);
  check_integer ("00000000000000000000000000009223372036854775807", G_MAXINT64);

  check_integer_invalid ("9223372036854775808");
  check_integer_invalid ("-9223372036854775809");
  check_integer_invalid ("9223372036854775810");
  check_integer_invalid ("18446744073709551616");
  check_integer_invalid ("99999999999999999999");
  check_integer_invalid ("12a");
  check_integer_invalid ("a12");
  check_integer_invalid ("");
  check_integer_invalid ("  ");
  check_integer_invalid ("1.0");
  check_integer_invalid ("1,000");
  check_integer_invalid ("1 000");
  check_integer_invalid ("0x1F");
  check_integer_invalid ("+");
  check_integer_invalid ("-");
  check_integer_invalid ("--1");
  check_integer_invalid ("- 1");
  check_integer_invalid ("1e3");
  check_integer_invalid ("½");
  check_integer_invalid ("٤٢");

  g_assert_false (kontor_validate_integer ("9223372036854775808", &value, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "number is out of range");
  g_clear_error (&error);

  g_assert_false (kontor_validate_integer ("12a", &value, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "not a whole number");

  g_assert_true (kontor_validate_integer ("5", NULL, NULL));
}

/* ------------------------------------------------------------------ */
/* Date                                                                 */

static void
test_date (void)
{
  static const StringCase valid[] = {
    { "2026-03-07", "2026-03-07" },
    { "2028-02-29", "2028-02-29" },
    { "2000-02-29", "2000-02-29" },
    { "2026-12-31", "2026-12-31" },
    { "2026-04-30", "2026-04-30" },
    { "0001-01-01", "0001-01-01" },
    { "9999-12-31", "9999-12-31" },
    { " 2026-12-03 ", "2026-12-03" },
  };
  static const char * const invalid[] = {
    "",
    "2026-02-29",
    "1900-02-29",
    "2100-02-29",
    "2026-13-01",
    "2026-00-10",
    "2026-04-31",
    "2026-04-00",
    "2026-01-32",
    "0000-01-01",
    "26-03-07",
    "2026-3-7",
    "2026-03-7",
    "07.03.2026",
    "03/07/2026",
    "07/03/2026",
    "2026/03/07",
    "20260307",
    "2026-03-07T10:00",
    "2026-03-07 10:00",
    "2026-03-07x",
    "2026-W10-1",
    "2026-066",
    "+2026-03-07",
    "-2026-03-07",
    "12026-03-07",
    "2026-03",
    "today",
    "２０２６-03-07",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    check_valid (kontor_validate_date, valid[i].input, valid[i].expected);
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    check_invalid (kontor_validate_date, invalid[i]);

  check_message (kontor_validate_date, "2026-02-29", "not a valid date (YYYY-MM-DD)");
}

/* ------------------------------------------------------------------ */
/* Date-time                                                            */

static void
test_datetime_valid (void)
{
  static const StringCase cases[] = {
    { "2026-12-03T09:30:00+01:00", "2026-12-03T08:30:00Z" },
    { "2026-12-03T09:30:00Z", "2026-12-03T09:30:00Z" },
    { "2026-12-03T09:30:00", "2026-12-03T09:30:00Z" },
    { "2026-12-03T09:30", "2026-12-03T09:30:00Z" },
    { "2026-12-03T09:30Z", "2026-12-03T09:30:00Z" },
    { "2026-12-03 09:30:00", "2026-12-03T09:30:00Z" },
    { "2026-12-03t09:30:00z", "2026-12-03T09:30:00Z" },
    { "  2026-12-03T09:30:00Z  ", "2026-12-03T09:30:00Z" },
    { "2026-12-03T09:30:00.123456Z", "2026-12-03T09:30:00Z" },
    { "2026-12-03T09:30:59.999+00:00", "2026-12-03T09:30:59Z" },
    { "2026-12-03T09:30:00,5Z", "2026-12-03T09:30:00Z" },
    { "2026-12-03T09:30:00-00:00", "2026-12-03T09:30:00Z" },
    { "2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z" },
    { "2026-12-31T22:00:00-05:00", "2027-01-01T03:00:00Z" },
    { "2028-02-29T23:00:00-02:00", "2028-03-01T01:00:00Z" },
    { "2026-03-01T00:15:00+00:30", "2026-02-28T23:45:00Z" },
    { "2026-06-15T12:00:00+0530", "2026-06-15T06:30:00Z" },
    { "2026-06-15T12:00:00+05", "2026-06-15T07:00:00Z" },
    { "2026-06-15T12:00:00-09:30", "2026-06-15T21:30:00Z" },
    { "2026-06-15T12:00:00+14:00", "2026-06-14T22:00:00Z" },
    { "2026-06-15T00:00:00+23:59", "2026-06-14T00:01:00Z" },
    { "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z" },
    { "9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_valid (kontor_validate_datetime, cases[i].input, cases[i].expected);
}

static void
test_datetime_invalid (void)
{
  static const char * const cases[] = {
    "",
    "now",
    "2026-12-03",
    "2026-12-03T",
    "2026-12-03T9:30",
    "2026-12-03T09",
    "2026-12-03T09:3",
    "2026-12-03T09:30:0",
    "2026-12-03T24:00:00Z",
    "2026-12-03T23:60:00Z",
    "2026-12-03T23:59:60Z",
    "2026-02-29T10:00:00Z",
    "2026-13-03T10:00:00Z",
    "2026-12-03T09:30:00+1:00",
    "2026-12-03T09:30:00+24:00",
    "2026-12-03T09:30:00+01:60",
    "2026-12-03T09:30:00+01:0",
    "2026-12-03T09:30:00+013",
    "2026-12-03T09:30:00 +01:00",
    "2026-12-03T09:30:00.Z",
    "2026-12-03T09:30:00.",
    "2026-12-03T09:30.5Z",
    "2026-12-03T09:30:00ZZ",
    "2026-12-03T09:30:00Z+01:00",
    "2026-12-03T09:30:00UTC",
    "2026-12-03T09:30:00 CET",
    "2026-12-03T09:30:00+01:00garbage",
    "2026-12-03X09:30:00Z",
    "2026-12-03T09-30-00Z",
    "20261203T093000Z",
    "2026-W49-4T09:30:00Z",
    "2026-337T09:30:00Z",
    "03.12.2026 09:30",
    "12/03/2026 09:30:00",
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:30:00-01:00",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_invalid (kontor_validate_datetime, cases[i]);

  check_message (kontor_validate_datetime, "0001-01-01T00:30:00+01:00",
                 "date and time out of range");
}

/* ------------------------------------------------------------------ */
/* Money                                                                */

typedef struct
{
  const char *input;
  const char *default_currency;
  gint64      minor;
  const char *currency;
} MoneyCase;

static void
check_money (const MoneyCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;
  gint64 minor = 12345;
  gboolean ok;

  g_test_message ("money: '%s' (default %s)", c->input,
                  c->default_currency ? c->default_currency : "none");
  ok = kontor_validate_money (c->input, c->default_currency, &minor, &currency, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (minor, ==, c->minor);
  g_assert_cmpstr (currency, ==, c->currency);
}

static void
check_money_invalid (const char *input,
                     const char *default_currency)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;
  gint64 minor = 12345;
  gboolean ok;

  ok = kontor_validate_money (input, default_currency, &minor, &currency, &error);
  if (ok)
    g_test_message ("money: '%s' was accepted as %" G_GINT64_FORMAT " %s",
                    input, minor, currency);
  g_assert_false (ok);
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_cmpint (minor, ==, 12345);
  g_assert_null (currency);
}

static void
check_money_message (const char *input,
                     const char *default_currency,
                     const char *message)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 0;

  g_assert_false (kontor_validate_money (input, default_currency, &minor, NULL, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_money_formats (void)
{
  static const MoneyCase cases[] = {
    /* the examples of the header */
    { "1234.56 EUR", NULL, 123456, "EUR" },
    { "EUR 1234.56", NULL, 123456, "EUR" },
    { "1234,56 €", NULL, 123456, "EUR" },
    { "1.234,56 €", NULL, 123456, "EUR" },
    { "1,234.56 USD", NULL, 123456, "USD" },
    { "-5 CHF", NULL, -500, "CHF" },
    { "EUR 12", NULL, 1200, "EUR" },

    /* currency position and spacing */
    { "12 EUR", NULL, 1200, "EUR" },
    { "12EUR", NULL, 1200, "EUR" },
    { "EUR12", NULL, 1200, "EUR" },
    { "€12", NULL, 1200, "EUR" },
    { "12€", NULL, 1200, "EUR" },
    { "€ 12,99", NULL, 1299, "EUR" },
    { "  12,99 €  ", NULL, 1299, "EUR" },
    { "12,99\xc2\xa0€", NULL, 1299, "EUR" },

    /* signs */
    { "-5 €", NULL, -500, "EUR" },
    { "−5 €", NULL, -500, "EUR" },
    { "+5 EUR", NULL, 500, "EUR" },
    { "€ -5", NULL, -500, "EUR" },
    { "-€5", NULL, -500, "EUR" },
    { "€-5", NULL, -500, "EUR" },
    { "- 5 EUR", NULL, -500, "EUR" },
    { "CHF -5.50", NULL, -550, "CHF" },
    { "-0,00 €", NULL, 0, "EUR" },
    { "0 EUR", NULL, 0, "EUR" },

    /* symbols */
    { "$5.99", NULL, 599, "USD" },
    { "US$ 5", NULL, 500, "USD" },
    { "5 US$", NULL, 500, "USD" },
    { "£3.50", NULL, 350, "GBP" },
    { "¥1500", NULL, 1500, "JPY" },
    { "￥1500", NULL, 1500, "JPY" },
    { "Fr. 12.50", NULL, 1250, "CHF" },
    { "12.50 Fr.", NULL, 1250, "CHF" },
    { "12.50 SFr.", NULL, 1250, "CHF" },
    { "Fr 3", NULL, 300, "CHF" },
    { "CHF 1'234.50", NULL, 123450, "CHF" },
    { "₹ 1,499", NULL, 149900, "INR" },
    { "₩5000", NULL, 5000, "KRW" },
    { "1 000 ₽", NULL, 100000, "RUB" },
    { "₺10", NULL, 1000, "TRY" },
    { "₪ 20", NULL, 2000, "ILS" },
    { "₴7,50", NULL, 750, "UAH" },
    { "19,99 zł", NULL, 1999, "PLN" },
    { "100 Kč", NULL, 10000, "CZK" },

    /* codes in any case */
    { "12 eur", NULL, 1200, "EUR" },
    { "usd 12", NULL, 1200, "USD" },
    { "12 Gbp", NULL, 1200, "GBP" },

    /* default currency */
    { "12", "EUR", 1200, "EUR" },
    { "12,5", "eur", 1250, "EUR" },
    { "1500", "JPY", 1500, "JPY" },
    { "12 USD", "EUR", 1200, "USD" },
    { "12 USD", "nonsense", 1200, "USD" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_money (&cases[i]);
}

static void
test_money_separators (void)
{
  static const MoneyCase cases[] = {
    { "12,5 EUR", NULL, 1250, "EUR" },
    { "12.5 EUR", NULL, 1250, "EUR" },
    { ".5 EUR", NULL, 50, "EUR" },
    { ",05 EUR", NULL, 5, "EUR" },
    { "1.234.567 EUR", NULL, 123456700, "EUR" },
    { "1,234,567 EUR", NULL, 123456700, "EUR" },
    { "1.234.567,89 EUR", NULL, 123456789, "EUR" },
    { "1,234,567.89 EUR", NULL, 123456789, "EUR" },
    { "1 234 567,89 €", NULL, 123456789, "EUR" },
    { "1\xc2\xa0" "234\xc2\xa0" "567,89 €", NULL, 123456789, "EUR" },
    { "1\xe2\x80\xaf" "234,50 €", NULL, 123450, "EUR" },
    { "1'234'567.89 CHF", NULL, 123456789, "CHF" },
    { "1’234.50 CHF", NULL, 123450, "CHF" },
    { "1 234.5 EUR", NULL, 123450, "EUR" },
    { "12345678.90 EUR", NULL, 1234567890, "EUR" },
    { "1234 EUR", NULL, 123400, "EUR" },
    { "0.05 EUR", NULL, 5, "EUR" },
    { "007 EUR", NULL, 700, "EUR" },

    /* The ambiguous lone separator followed by exactly three digits:
     * thousands for two-decimal currencies, decimals otherwise. */
    { "12.345 EUR", NULL, 1234500, "EUR" },
    { "12,345 USD", NULL, 1234500, "USD" },
    { "1.250 €", NULL, 125000, "EUR" },
    { "999,999 EUR", NULL, 99999900, "EUR" },
    { "12.345 KWD", NULL, 12345, "KWD" },
    { "1,250 BHD", NULL, 1250, "BHD" },
    { "12.345", "OMR", 12345, "OMR" },

    /* Not ambiguous: leading zero, four-digit first group */
    { "0.125 KWD", NULL, 125, "KWD" },
    { "1234.567 JOD", NULL, 1234567, "JOD" },
    { "12.3 KWD", NULL, 12300, "KWD" },
    { "5 TND", NULL, 5000, "TND" },

    /* zero- and four-digit currencies */
    { "1500 JPY", NULL, 1500, "JPY" },
    { "1,500,000 JPY", NULL, 1500000, "JPY" },
    { "1.500.000 ¥", NULL, 1500000, "JPY" },
    { "50000 KRW", NULL, 50000, "KRW" },
    { "1000 ISK", NULL, 1000, "ISK" },
    { "2.500.000 CLP", NULL, 2500000, "CLP" },
    { "100 000 VND", NULL, 100000, "VND" },
    { "1,5 CLF", NULL, 15000, "CLF" },
    { "12.3456 CLF", NULL, 123456, "CLF" },

    /* limits */
    { "92233720368547758.07 EUR", NULL, G_MAXINT64, "EUR" },
    { "-92.233.720.368.547.758,07 €", NULL, -G_MAXINT64, "EUR" },
    { "9223372036854775807 JPY", NULL, G_MAXINT64, "JPY" },
    { "9223372036854775.807 KWD", NULL, G_MAXINT64, "KWD" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_money (&cases[i]);
}

static void
test_money_invalid (void)
{
  static const char * const cases[] = {
    "",
    "   ",
    "EUR",
    "€",
    "-",
    "- EUR",
    "abc",
    "12 XYZ",
    "XYZ 12",
    "12 EURO",
    "12 Euro",
    "12 kr",
    "12 E",
    "12 US",
    "12 FRF",
    "12 €uro",
    "12 EUR USD",
    "EUR 12 USD",
    "€12 EUR",
    "$5 €",
    "--5 EUR",
    "-+5 EUR",
    "- -5 EUR",
    "-€-5",
    "5- EUR",
    "5 - EUR",
    "(5) EUR",
    "12 $ 5",
    "$$5",
    "1e3 EUR",
    "0x10 EUR",
    "12. EUR",
    "12, EUR",
    "12,- €",
    ". EUR",
    "12,,5 EUR",
    "12..5 EUR",
    "12, 5 EUR",
    "1.2.3 EUR",
    "1.234.56 EUR",
    "1.234,567 EUR",
    "1,234.567 EUR",
    "1.234.567,891 EUR",
    "1,23,456.78 INR",
    "12 345 67 EUR",
    "0.123.456 EUR",
    "1234.567.890 EUR",
    "1.234 567 EUR",
    "1'234,567.50 CHF",
    "12.3456 EUR",
    "0.125 EUR",
    "1234.567 EUR",
    "1.2345 KWD",
    "12.34567 CLF",
    "12.345 JPY",
    "12,345 JPY",
    "12,5 JPY",
    "5.00 JPY",
    "5.0 KRW",
    "1.5 ISK",
    "92233720368547758.08 EUR",
    "-92233720368547758.08 EUR",
    "9223372036854775808 JPY",
    "99999999999999999999 JPY",
    "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 EUR",
    "١٢ EUR",
    "12\xff EUR",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_money_invalid (cases[i], NULL);

  /* without a currency in the text */
  check_money_invalid ("12", NULL);
  check_money_invalid ("12", "XYZ");
  check_money_invalid ("12", "EURO");
  check_money_invalid ("12", "");
  check_money_invalid ("12.345", "JPY");
  check_money_invalid ("", "EUR");
  check_money_invalid ("abc", "EUR");
}

static void
test_money_messages (void)
{
  check_money_message ("12", NULL, "no currency given");
  check_money_message ("12 XYZ", NULL, "unknown currency");
  check_money_message ("12", "XYZ", "unknown currency");
  check_money_message ("EUR 12 USD", NULL, "more than one currency");
  check_money_message ("12.345 JPY", NULL, "JPY has no decimal places");
  check_money_message ("12.3456 EUR", NULL, "too many decimal places for EUR");
  check_money_message ("1.2345 kwd", NULL, "too many decimal places for KWD");
  check_money_message ("92233720368547758.08 EUR", NULL, "amount is too large");
  check_money_message ("1.2.3 EUR", NULL, "not a valid amount");
  check_money_message ("EUR", NULL, "no amount given");
}

static void
test_money_null_outputs (void)
{
  g_autofree char *currency = NULL;
  gint64 minor = 0;

  g_assert_true (kontor_validate_money ("5 EUR", NULL, NULL, NULL, NULL));
  g_assert_true (kontor_validate_money ("5 EUR", NULL, &minor, NULL, NULL));
  g_assert_cmpint (minor, ==, 500);
  g_assert_true (kontor_validate_money ("7 JPY", NULL, NULL, &currency, NULL));
  g_assert_cmpstr (currency, ==, "JPY");
  g_assert_false (kontor_validate_money ("5", NULL, NULL, NULL, NULL));
}

/* What kontor-field.c writes for a stored value must read back the same. */
static void
test_money_round_trip (void)
{
  static const struct
  {
    gint64      minor;
    const char *currency;
  } cases[] = {
    { 123456, "EUR" }, { -5, "EUR" }, { 125000, "EUR" }, { 1250, "KWD" },
    { 12345, "BHD" }, { -1, "TND" }, { 1500, "JPY" }, { 15000, "CLF" },
    { G_MAXINT64, "USD" }, { -G_MAXINT64, "KRW" }, { 0, "OMR" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *currency = NULL;
      guint digits = kontor_currency_digits (cases[i].currency);
      guint64 abs_minor = cases[i].minor < 0 ? -(guint64) cases[i].minor
                                             : (guint64) cases[i].minor;
      guint64 scale = 1;
      gint64 minor = 0;

      for (guint d = 0; d < digits; d++)
        scale *= 10;
      if (digits == 0)
        text = g_strdup_printf ("%s%" G_GUINT64_FORMAT " %s", cases[i].minor < 0 ? "-" : "",
                                abs_minor, cases[i].currency);
      else
        text = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT " %s",
                                cases[i].minor < 0 ? "-" : "", abs_minor / scale, (int) digits,
                                abs_minor % scale, cases[i].currency);

      g_test_message ("round trip: '%s'", text);
      g_assert_true (kontor_validate_money (text, NULL, &minor, &currency, &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, cases[i].minor);
      g_assert_cmpstr (currency, ==, cases[i].currency);
    }
}

static void
test_currency_digits (void)
{
  g_assert_cmpuint (kontor_currency_digits ("EUR"), ==, 2);
  g_assert_cmpuint (kontor_currency_digits ("eur"), ==, 2);
  g_assert_cmpuint (kontor_currency_digits ("USD"), ==, 2);
  g_assert_cmpuint (kontor_currency_digits ("CHF"), ==, 2);
  g_assert_cmpuint (kontor_currency_digits ("JPY"), ==, 0);
  g_assert_cmpuint (kontor_currency_digits ("jpy"), ==, 0);
  g_assert_cmpuint (kontor_currency_digits ("KRW"), ==, 0);
  g_assert_cmpuint (kontor_currency_digits ("ISK"), ==, 0);
  g_assert_cmpuint (kontor_currency_digits ("CLP"), ==, 0);
  g_assert_cmpuint (kontor_currency_digits ("VND"), ==, 0);
  g_assert_cmpuint (kontor_currency_digits ("BHD"), ==, 3);
  g_assert_cmpuint (kontor_currency_digits ("KWD"), ==, 3);
  g_assert_cmpuint (kontor_currency_digits ("Kwd"), ==, 3);
  g_assert_cmpuint (kontor_currency_digits ("OMR"), ==, 3);
  g_assert_cmpuint (kontor_currency_digits ("JOD"), ==, 3);
  g_assert_cmpuint (kontor_currency_digits ("TND"), ==, 3);
  g_assert_cmpuint (kontor_currency_digits ("CLF"), ==, 4);
  g_assert_cmpuint (kontor_currency_digits ("XYZ"), ==, 2);
  g_assert_cmpuint (kontor_currency_digits (""), ==, 2);
  g_assert_cmpuint (kontor_currency_digits ("EURO"), ==, 2);
  g_assert_cmpuint (kontor_currency_digits ("JP"), ==, 2);
}

/* ------------------------------------------------------------------ */
/* Misuse and locale                                                    */

static void
test_null_text (void)
{
  g_autofree char *out = NULL;
  gint64 value = 0;

  g_test_expect_message ("kontor-model", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_false (kontor_validate_email (NULL, &out, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("kontor-model", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_false (kontor_validate_integer (NULL, &value, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("kontor-model", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_false (kontor_validate_money (NULL, "EUR", &value, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("kontor-model", G_LOG_LEVEL_CRITICAL, "*currency != NULL*");
  g_assert_cmpuint (kontor_currency_digits (NULL), ==, 2);
  g_test_assert_expected_messages ();

  g_assert_null (out);
}

/* Results must not depend on LC_NUMERIC or LC_CTYPE (Turkish dotless i,
 * German decimal comma). Skipped where no such locale is installed. */
static void
test_locale_independent (void)
{
  static const char * const locales[] = { "tr_TR.UTF-8", "de_DE.UTF-8" };
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  gboolean tested = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      gint64 minor = 0;
      g_autofree char *currency = NULL;

      if (setlocale (LC_ALL, locales[i]) == NULL)
        continue;
      tested = TRUE;
      check_valid (kontor_validate_email, "info@KONTOR.EXAMPLE", "info@kontor.example");
      check_valid (kontor_validate_url, "HTTPS://WWW.KONTOR.EXAMPLE/I",
                   "https://www.kontor.example/I");
      check_valid (kontor_validate_decimal, "1.5", "1.5");
      check_valid (kontor_validate_decimal, "1,5", "1.5");
      g_assert_true (kontor_validate_money ("1.234,56 eur", NULL, &minor, &currency, NULL));
      g_assert_cmpint (minor, ==, 123456);
      g_assert_cmpstr (currency, ==, "EUR");
    }

  setlocale (LC_ALL, saved);
  if (!tested)
    g_test_skip ("no Turkish or German locale installed");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/email/valid", test_email_valid);
  g_test_add_func ("/validate/email/invalid", test_email_invalid);
  g_test_add_func ("/validate/email/lengths", test_email_lengths);
  g_test_add_func ("/validate/email/messages", test_email_messages);
  g_test_add_func ("/validate/email/null-outputs", test_email_null_outputs);
  g_test_add_func ("/validate/url/valid", test_url_valid);
  g_test_add_func ("/validate/url/invalid", test_url_invalid);
  g_test_add_func ("/validate/url/messages", test_url_messages);
  g_test_add_func ("/validate/url/too-long", test_url_too_long);
  g_test_add_func ("/validate/decimal/valid", test_decimal_valid);
  g_test_add_func ("/validate/decimal/invalid", test_decimal_invalid);
  g_test_add_func ("/validate/integer", test_integer);
  g_test_add_func ("/validate/date", test_date);
  g_test_add_func ("/validate/datetime/valid", test_datetime_valid);
  g_test_add_func ("/validate/datetime/invalid", test_datetime_invalid);
  g_test_add_func ("/validate/money/formats", test_money_formats);
  g_test_add_func ("/validate/money/separators", test_money_separators);
  g_test_add_func ("/validate/money/invalid", test_money_invalid);
  g_test_add_func ("/validate/money/messages", test_money_messages);
  g_test_add_func ("/validate/money/null-outputs", test_money_null_outputs);
  g_test_add_func ("/validate/money/round-trip", test_money_round_trip);
  g_test_add_func ("/validate/currency-digits", test_currency_digits);
  g_test_add_func ("/validate/null-text", test_null_text);
  g_test_add_func ("/validate/locale-independent", test_locale_independent);

  return g_test_run ();
}

/* test-phone.c: tests for kontor-phone
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "kontor-phone.h"
#include "kontor-types.h"

typedef struct
{
  const char *input;
  const char *region;
  const char *expected;
} PhoneCase;

typedef struct
{
  const char *input;
  const char *region;
} BadPhoneCase;

static void
check_phone (const char *input,
             const char *region,
             const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;
  gboolean ok;

  g_test_message ("phone: '%s' in %s", input, region ? region : "(no region)");
  ok = kontor_phone_normalize (input, region, &e164, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (e164, ==, expected);

  /* E.164 output reads back unchanged, with or without a region. */
  {
    g_autofree char *again = NULL;

    ok = kontor_phone_normalize (e164, NULL, &again, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_cmpstr (again, ==, expected);
  }
}

static void
check_phone_cases (const PhoneCase *cases,
                   gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    check_phone (cases[i].input, cases[i].region, cases[i].expected);
}

static void
check_phone_invalid (const char *input,
                     const char *region,
                     const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;
  gboolean ok;

  ok = kontor_phone_normalize (input, region, &e164, &error);
  if (ok)
    g_test_message ("phone: '%s' in %s was accepted as %s",
                    input, region ? region : "(no region)", e164);
  g_assert_false (ok);
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_null (e164);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_germany (void)
{
  static const PhoneCase cases[] = {
    { "0711 / 123 45-6", "DE", "+49711123456" },
    { "+49 (0)711 1234567", NULL, "+497111234567" },
    { "+49 (0)711 1234567", "DE", "+497111234567" },
    { "+49 (0)711 1234567", "US", "+497111234567" },
    { "+49(0)7111234567", NULL, "+497111234567" },
    { "0049 711 1234567", NULL, "+497111234567" },
    { "0049 (0)711 1234567", "FR", "+497111234567" },
    { "(089) 12 34 56", "DE", "+4989123456" },
    { "+49 0711 1234567", NULL, "+497111234567" },
    { "+49-711-1234567", NULL, "+497111234567" },
    { "+49.711.1234567", NULL, "+497111234567" },
    { "(+49) 711 1234567", NULL, "+497111234567" },
    { "  +49 711 1234567  ", NULL, "+497111234567" },
    { "+497111234567", NULL, "+497111234567" },
    { "0711 1234567", "de", "+497111234567" },
    { "0711 1234567", "De", "+497111234567" },
    { "0176 12345678", "DE", "+4917612345678" },
    { "030 12345", "DE", "+493012345" },
    { "[0711] 1234567", "DE", "+497111234567" },
  };

  check_phone_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_separators (void)
{
  static const PhoneCase cases[] = {
    { "0711\xc2\xa0" "123\xc2\xa0" "4567", "DE", "+497111234567" },      /* no-break space */
    { "0711\xe2\x80\xaf" "1234567", "DE", "+497111234567" },             /* narrow nbsp */
    { "0711\xe2\x80\x89" "1234567", "DE", "+497111234567" },             /* thin space */
    { "0711\xe2\x80\x93" "1234567", "DE", "+497111234567" },             /* en dash */
    { "0711\xe2\x80\x91" "1234567", "DE", "+497111234567" },             /* nb hyphen */
    { "0711\t1234567", "DE", "+497111234567" },
    { "0711/1234567", "DE", "+497111234567" },
    { "0711.123.45.67", "DE", "+497111234567" },
    { "\xef\xbc\x8b" "49 711 1234567", NULL, "+497111234567" },           /* fullwidth + */
    { "\xef\xbc\x90\xef\xbc\x97\xef\xbc\x91\xef\xbc\x91 1234567", "DE",
      "+497111234567" },                                                   /* fullwidth 0711 */
    { "+\xd9\xa4\xd9\xa9 \xd9\xa7\xd9\xa1\xd9\xa1 1234567", NULL,
      "+497111234567" },                                                   /* Arabic-Indic 49 711 */
    { "03\xe3\x83\xbc" "1234\xe3\x83\xbc" "5678", "JP", "+81312345678" },  /* katakana dash */
  };

  check_phone_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_tel_and_extensions (void)
{
  static const PhoneCase cases[] = {
    { "tel:+49-711-1234567", NULL, "+497111234567" },
    { "TEL:+49-711-1234567", NULL, "+497111234567" },
    { "tel:+49-711-1234567;ext=123", NULL, "+497111234567" },
    { "tel:+1-415-555-2671;ext=9;isub=1", NULL, "+14155552671" },
    { "0711 1234567 x123", "DE", "+497111234567" },
    { "0711 1234567x123", "DE", "+497111234567" },
    { "0711 1234567 X 123", "DE", "+497111234567" },
    { "0711 1234567 x.123", "DE", "+497111234567" },
    { "0711 1234567 ext. 123", "DE", "+497111234567" },
    { "0711 1234567 Ext 5", "DE", "+497111234567" },
    { "0711 1234567 EXT:5", "DE", "+497111234567" },
    { "0711 1234567 extension 99", "DE", "+497111234567" },
    { "0711 1234567;ext=123", "DE", "+497111234567" },
    { "0711 1234567 #12", "DE", "+497111234567" },
    { "+1 (415) 555-2671 x 1234567890", NULL, "+14155552671" },
  };

  check_phone_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_europe (void)
{
  static const PhoneCase cases[] = {
    { "01 58858", "AT", "+43158858" },
    { "+43 (0)1 58858", NULL, "+43158858" },
    { "044 668 18 00", "CH", "+41446681800" },
    { "+41 (0)44 668 18 00", NULL, "+41446681800" },
    { "020 7946 0958", "GB", "+442079460958" },
    { "020 7946 0958", "gb", "+442079460958" },
    { "+44 (0)20 7946 0958", NULL, "+442079460958" },
    { "07700 900123", "GB", "+447700900123" },
    { "01534 123456", "JE", "+441534123456" },
    { "01 23 45 67 89", "FR", "+33123456789" },
    { "1 23 45 67 89", "FR", "+33123456789" },
    { "+33 (0)1 23 45 67 89", NULL, "+33123456789" },
    { "06 1234 5678", "IT", "+390612345678" },
    { "+39 06 1234 5678", NULL, "+390612345678" },
    { "+39 (0)6 1234 5678", NULL, "+390612345678" },
    { "0039 06 1234 5678", "DE", "+390612345678" },
    { "333 123 4567", "IT", "+393331234567" },
    { "06 698 12345", "VA", "+390669812345" },
    { "0549 123456", "SM", "+3780549123456" },
    { "912 34 56 78", "ES", "+34912345678" },
    { "020-123 4567", "NL", "+31201234567" },
    { "02 123 45 67", "BE", "+3221234567" },
    { "12 34 56 78", "DK", "+4512345678" },
    { "22 12 34 56", "NO", "+4722123456" },
    { "08-123 456 78", "SE", "+46812345678" },
    { "09 1234 5678", "FI", "+358912345678" },
    { "12 345 67 89", "PL", "+48123456789" },
    { "21 123 4567", "PT", "+351211234567" },
    { "01 234 5678", "IE", "+35312345678" },
    { "210 123 4567", "GR", "+302101234567" },
    { "221 234 567", "CZ", "+420221234567" },
    { "02 1234 5678", "SK", "+421212345678" },
    { "06 1 234 5678", "HU", "+3612345678" },
    { "+36 1 234 5678", NULL, "+3612345678" },
    { "8 5 212 3456", "LT", "+37052123456" },
    { "0 5 212 3456", "LT", "+37052123456" },
    { "6712 3456", "LV", "+37167123456" },
    { "612 3456", "EE", "+3726123456" },
    { "021 123 4567", "RO", "+40211234567" },
    { "02 123 4567", "BG", "+35921234567" },
    { "01 4567 890", "HR", "+38514567890" },
    { "01 234 56 78", "SI", "+38612345678" },
    { "011 1234567", "RS", "+381111234567" },
    { "2123 4567", "MT", "+35621234567" },
    { "22 123456", "CY", "+35722123456" },
    { "27 12345", "LU", "+3522712345" },
    { "551 2345", "IS", "+3545512345" },
    { "044 123 45 67", "UA", "+380441234567" },
    { "0212 123 45 67", "TR", "+902121234567" },
    { "8 (495) 123-45-67", "RU", "+74951234567" },
    { "+7 495 123-45-67", NULL, "+74951234567" },
    { "495 123 45 67", "RU", "+74951234567" },
    { "8 800 123-45-67", "RU", "+78001234567" },
    { "800 123 45 67", "RU", "+78001234567" },
    { "8 10 49 711 1234567", "RU", "+497111234567" },
    { "8 727 123 4567", "KZ", "+77271234567" },
    { "8 017 123-45-67", "BY", "+375171234567" },
    { "8 029 123-45-67", "BY", "+375291234567" },
  };

  check_phone_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_north_america (void)
{
  static const PhoneCase cases[] = {
    { "(415) 555-2671", "US", "+14155552671" },
    { "415-555-2671", "us", "+14155552671" },
    { "1-415-555-2671", "US", "+14155552671" },
    { "1 (415) 555 2671", "US", "+14155552671" },
    { "+1 415 555 2671", NULL, "+14155552671" },
    { "415.555.2671", "CA", "+14155552671" },
    { "(604) 555-0123", "CA", "+16045550123" },
    { "(787) 555-0123", "PR", "+17875550123" },
    { "011 49 711 1234567", "US", "+497111234567" },
    { "011 44 20 7946 0958", "CA", "+442079460958" },
    { "001 415 555 2671", "DE", "+14155552671" },
    { "00 1 415 555 2671", NULL, "+14155552671" },
    { "55 1234 5678", "MX", "+525512345678" },
    { "+52 55 1234 5678", NULL, "+525512345678" },
  };

  check_phone_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_world (void)
{
  static const PhoneCase cases[] = {
    { "03-1234-5678", "JP", "+81312345678" },
    { "090-1234-5678", "JP", "+819012345678" },
    { "010 49 711 1234567", "JP", "+497111234567" },
    { "(02) 9876 5432", "AU", "+61298765432" },
    { "0412 345 678", "AU", "+61412345678" },
    { "0011 49 711 1234567", "AU", "+497111234567" },
    { "+61 (0)2 9876 5432", NULL, "+61298765432" },
    { "09 123 4567", "NZ", "+6491234567" },
    { "010 1234 5678", "CN", "+861012345678" },
    { "138 0013 8000", "CN", "+8613800138000" },
    { "098765 43210", "IN", "+919876543210" },
    { "98765 43210", "IN", "+919876543210" },
    { "+91 98765 43210", NULL, "+919876543210" },
    { "(11) 91234-5678", "BR", "+5511912345678" },
    { "(011) 91234-5678", "BR", "+5511912345678" },
    { "(11) 3123-4567", "BR", "+551131234567" },
    { "082 123 4567", "ZA", "+27821234567" },
    { "03-123-4567", "IL", "+97231234567" },
    { "04 123 4567", "AE", "+97141234567" },
    { "6123 4567", "SG", "+6561234567" },
    { "2123 4567", "HK", "+85221234567" },
    { "02-123-4567", "KR", "+8221234567" },
    { "010-1234-5678", "KR", "+821012345678" },
    { "011 4123-4567", "AR", "+541141234567" },
    { "+54 9 11 4123-4567", NULL, "+5491141234567" },
    { "02 123 4567", "TH", "+6621234567" },
    { "2 2345 6789", "CL", "+56223456789" },
    { "02 2345 6789", "EG", "+20223456789" },
    { "0612 345678", "MA", "+212612345678" },
    { "0803 123 4567", "NG", "+2348031234567" },
    { "0712 345678", "KE", "+254712345678" },
    { "011 123 4567", "SA", "+966111234567" },
    { "4412 3456", "QA", "+97444123456" },
  };

  check_phone_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_invalid (void)
{
  static const BadPhoneCase cases[] = {
    { "", "DE" },
    { "   ", "DE" },
    { "+", NULL },
    { "-", "DE" },
    { "()", "DE" },
    { "tel:", NULL },
    { "1-800-FLOWERS", "US" },
    { "0800 KONTOR", "DE" },
    { "0711 CALL ME", "DE" },
    { "Tel. 0711 1234567", "DE" },
    { "0711 1234567 x", "DE" },
    { "0711 1234567 ext", "DE" },
    { "0711 1234567 x12345678901", "DE" },
    { "0711 1234567 x12 34", "DE" },
    { "0711 1234567 ext 12a", "DE" },
    { "0711 \xd0\x90\xd0\x91 1234567", "DE" },
    { "0711 1234567", NULL },
    { "0711 1234567", "XX" },
    { "0711 1234567", "" },
    { "0711 1234567", "DEU" },
    { "+999 123 456", NULL },
    { "+0 711 1234567", NULL },
    { "+049 711 1234567", NULL },
    { "+800 1234 5678", NULL },
    { "+28 123456789", NULL },
    { "00 999 123456", NULL },
    { "+49 711", NULL },
    { "+49 711 1234567890123", NULL },
    { "0711", "DE" },
    { "711 1234567", "DE" },
    { "(415) 155-2671", "US" },
    { "(115) 555-2671", "US" },
    { "(015) 555-2671", "US" },
    { "555-2671", "US" },
    { "+1 415 555 26711", NULL },
    { "+1 415 555 267", NULL },
    { "01 23 45 67 8", "FR" },
    { "0 1 23 45 67 8", "FR" },
    { "+33 0 0 23 45 67 8", NULL },
    { "+49 00711 1234567", NULL },
    { "00 711 1234567", "DE" },
    { "+33 1 23 45 67 89 0", NULL },
    { "+7 495 123 45 6", NULL },
    { "8 495 123 45 678", "RU" },
    { "001234", NULL },
    { "+49 711 + 123", NULL },
    { "49+711", "DE" },
    { "++49 711 1234567", NULL },
    { "0711_1234567", "DE" },
    { "0711,1234567", "DE" },
    { "0711*1234567", "DE" },
    { "0711 1234567;foo", "DE" },
    { "+49 711 ½", NULL },
    { "0711 123456\xff", "DE" },
    { "+49 711 1234567 8901 2345 6789", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_phone_invalid (cases[i].input, cases[i].region, NULL);
}

static void
test_messages (void)
{
  check_phone_invalid ("1-800-FLOWERS", "US", "letters are not allowed");
  check_phone_invalid ("0711 1234567", NULL, "missing country code");
  check_phone_invalid ("0711 1234567", "XX", "missing country code");
  check_phone_invalid ("+999 123 456", NULL, "unknown country calling code");
  check_phone_invalid ("+49 711", NULL, "too few digits");
  check_phone_invalid ("0711", "DE", "too few digits");
  check_phone_invalid ("+49 711 1234567890123", NULL, "too many digits");
  check_phone_invalid ("711 1234567", "DE", "missing country code or trunk prefix");
  check_phone_invalid ("(415) 155-2671", "US", "not a valid North American number");
  check_phone_invalid ("", "DE", "no digits");
  check_phone_invalid ("+", NULL, "no digits");
  check_phone_invalid ("0711*1234567", "DE", "not a valid phone number");
  check_phone_invalid ("+33 0 0 23 45 67 89", NULL, "not a valid phone number");
  check_phone_invalid ("01 23 45 67 8", "FR", "too few digits");
}

static void
test_null_output (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kontor_phone_normalize ("+49 711 1234567", NULL, NULL, NULL));
  g_assert_false (kontor_phone_normalize ("0711 1234567", NULL, NULL, NULL));
  g_assert_false (kontor_phone_normalize ("0711 1234567", NULL, NULL, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);

  g_test_expect_message ("kontor-model", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_false (kontor_phone_normalize (NULL, "DE", NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("kontor-model", G_LOG_LEVEL_CRITICAL, "*region != NULL*");
  g_assert_cmpuint (kontor_phone_calling_code (NULL), ==, 0);
  g_test_assert_expected_messages ();
}

static void
test_calling_code (void)
{
  static const struct
  {
    const char *region;
    guint       code;
  } cases[] = {
    { "DE", 49 }, { "de", 49 }, { "De", 49 }, { "dE", 49 },
    { "US", 1 }, { "CA", 1 }, { "PR", 1 }, { "JM", 1 }, { "us", 1 },
    { "GB", 44 }, { "GG", 44 }, { "JE", 44 }, { "IM", 44 },
    { "IT", 39 }, { "VA", 39 }, { "SM", 378 },
    { "RU", 7 }, { "KZ", 7 },
    { "AU", 61 }, { "NZ", 64 }, { "JP", 81 }, { "CN", 86 }, { "IN", 91 },
    { "BR", 55 }, { "ZA", 27 }, { "TR", 90 }, { "IL", 972 }, { "AE", 971 },
    { "SG", 65 }, { "HK", 852 }, { "KR", 82 }, { "MX", 52 }, { "AR", 54 },
    { "CL", 56 }, { "CO", 57 }, { "EG", 20 }, { "SA", 966 }, { "TW", 886 },
    { "ID", 62 }, { "PH", 63 }, { "TH", 66 }, { "VN", 84 }, { "MY", 60 },
    { "NG", 234 }, { "KE", 254 }, { "MA", 212 }, { "PK", 92 },
    { "XX", 0 }, { "", 0 }, { "D", 0 }, { "DEU", 0 }, { "UK", 0 }, { "EU", 0 },
    { "4", 0 }, { "d e", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("region '%s'", cases[i].region);
      g_assert_cmpuint (kontor_phone_calling_code (cases[i].region), ==, cases[i].code);
    }
}

/* Every European region (ITU zones 3 and 4, plus its neighbours on
 * other codes) is known, with its calling code. */
static void
test_calling_code_europe (void)
{
  static const struct
  {
    const char *region;
    guint       code;
  } cases[] = {
    { "AD", 376 }, { "AL", 355 }, { "AM", 374 }, { "AT", 43 }, { "AX", 358 },
    { "AZ", 994 }, { "BA", 387 }, { "BE", 32 }, { "BG", 359 }, { "BY", 375 },
    { "CH", 41 }, { "CY", 357 }, { "CZ", 420 }, { "DE", 49 }, { "DK", 45 },
    { "EE", 372 }, { "ES", 34 }, { "FI", 358 }, { "FO", 298 }, { "FR", 33 },
    { "GB", 44 }, { "GE", 995 }, { "GG", 44 }, { "GI", 350 }, { "GL", 299 },
    { "GR", 30 }, { "HR", 385 }, { "HU", 36 }, { "IE", 353 }, { "IM", 44 },
    { "IS", 354 }, { "IT", 39 }, { "JE", 44 }, { "LI", 423 }, { "LT", 370 },
    { "LU", 352 }, { "LV", 371 }, { "MC", 377 }, { "MD", 373 }, { "ME", 382 },
    { "MK", 389 }, { "MT", 356 }, { "NL", 31 }, { "NO", 47 }, { "PL", 48 },
    { "PT", 351 }, { "RO", 40 }, { "RS", 381 }, { "RU", 7 }, { "SE", 46 },
    { "SI", 386 }, { "SJ", 47 }, { "SK", 421 }, { "SM", 378 }, { "TR", 90 },
    { "UA", 380 }, { "VA", 39 }, { "XK", 383 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *lower = g_ascii_strdown (cases[i].region, -1);

      g_test_message ("region '%s'", cases[i].region);
      g_assert_cmpuint (kontor_phone_calling_code (cases[i].region), ==, cases[i].code);
      g_assert_cmpuint (kontor_phone_calling_code (lower), ==, cases[i].code);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/phone/germany", test_germany);
  g_test_add_func ("/phone/separators", test_separators);
  g_test_add_func ("/phone/tel-and-extensions", test_tel_and_extensions);
  g_test_add_func ("/phone/europe", test_europe);
  g_test_add_func ("/phone/north-america", test_north_america);
  g_test_add_func ("/phone/world", test_world);
  g_test_add_func ("/phone/invalid", test_invalid);
  g_test_add_func ("/phone/messages", test_messages);
  g_test_add_func ("/phone/null-output", test_null_output);
  g_test_add_func ("/phone/calling-code", test_calling_code);
  g_test_add_func ("/phone/calling-code-europe", test_calling_code_europe);

  return g_test_run ();
}

/* kontor-validate.h: parsing and validation of single typed values
 *
 * Pure functions, no I/O. Each parser takes what a person typed (or an
 * import file held) and either returns the canonical stored form or FALSE
 * with a GError (KONTOR_MODEL_ERROR_INVALID) whose message is a short,
 * translatable reason such as "not a valid e-mail address".
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "kontor-types.h"

G_BEGIN_DECLS

/* E-mail: trimmed; local part kept as written, domain lower-cased.
 * Refuses missing @, empty parts, spaces, consecutive dots, a domain
 * without a dot, labels starting/ending with '-', over-long addresses. */
gboolean kontor_validate_email    (const char  *text,
                                   char       **canonical,
                                   GError     **error);

/* URL: http/https only; "www.example.de" gains "https://". Host required.
 * Scheme and host are lower-cased; user names, spaces and other schemes
 * ("javascript:", "ftp:") fail. */
gboolean kontor_validate_url      (const char  *text,
                                   char       **canonical,
                                   GError     **error);

/* Strict decimal: optional sign, digits, optional single '.' or ','
 * followed by digits. No grouping, no exponent ("1.2.3" and "1e3" fail).
 * Canonical form uses '.' and keeps the given scale ("12,50" -> "12.50");
 * ".5" -> "0.5", "5." fails, a '+' and leading zeros are dropped. */
gboolean kontor_validate_decimal  (const char  *text,
                                   char       **canonical,
                                   GError     **error);

/* Integer: optional sign and digits only, range of gint64. */
gboolean kontor_validate_integer  (const char  *text,
                                   gint64      *value,
                                   GError     **error);

/* Date: ISO 8601 "YYYY-MM-DD", a real calendar day. */
gboolean kontor_validate_date     (const char  *text,
                                   char       **canonical,
                                   GError     **error);

/* Date-time: ISO 8601 with offset or Z ("2026-12-03T09:30:00+01:00"), or
 * without offset (taken as UTC). Canonical: UTC "YYYY-MM-DDTHH:MM:SSZ".
 * Seconds may be left out; fractional seconds are dropped (truncated). */
gboolean kontor_validate_datetime (const char  *text,
                                   char       **canonical,
                                   GError     **error);

/* Money: "1234.56 EUR", "EUR 1234.56", "1234,56 €", "1.234,56 €",
 * "1,234.56 USD", "-5 CHF". Amount becomes integer minor units of the
 * currency (2 decimals unless the currency has 0 or 3: JPY, KWD, ...);
 * more decimals than the currency has is an error, never rounded.
 * Without a currency in the text default_currency is used (NULL: error).
 *
 * The currency is a known ISO 4217 code in any case (returned upper case)
 * or a symbol: € $ US$ £ ¥ (JPY) ₹ ₩ ₽ ₺ ₪ ₴ zł Kč, Fr./SFr. (CHF); before
 * or after the amount. Unknown codes ("12 XYZ") fail.
 *
 * Separators: '.', ',', spaces and apostrophes ("1'234.50"). With several
 * separators, a last '.' or ',' occurring once is the decimal separator
 * and the others must group thousands consistently (groups of three). A
 * LONE '.' or ',' followed by exactly three digits after one to three
 * digits ("12.345", "1,250") is ambiguous: it is a THOUSANDS separator if
 * the currency has 2 decimals ("12.345 EUR" = 12345.00 EUR), otherwise the
 * decimal separator ("12.345 KWD" = 12345 fils, "12.345 JPY" fails). Any
 * other lone '.' or ',' is the decimal separator ("12,50", "0.125").
 * Magnitudes beyond G_MAXINT64 minor units fail. minor_units and currency
 * may be NULL. */
gboolean kontor_validate_money    (const char  *text,
                                   const char  *default_currency,
                                   gint64      *minor_units,
                                   char       **currency,
                                   GError     **error);

/* Minor-unit digits of an ISO 4217 code, case-insensitive (2 for any
 * code it does not know). */
guint    kontor_currency_digits   (const char  *currency);

G_END_DECLS

/* kontor-format.h: values shown in the user's locale
 *
 * The model formats values locale-neutrally (ISO dates, "1234.50 EUR");
 * these helpers turn them into what a person in the current locale reads:
 * "03.12.2026", "1.234,50 €" in German, "12/03/2026", "€1,234.50" in
 * English (US).
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-field.h"
#include "kontor-record.h"

G_BEGIN_DECLS

/* "YYYY-MM-DD" as the locale's date (%x); NULL if not a date. */
char   *kontor_format_date          (const char *iso_date);
/* A UTC date-time as the locale's date and the local time; NULL if not
 * a date-time. */
char   *kontor_format_datetime      (const char *iso_datetime);
/* Integer with the locale's digit grouping. */
char   *kontor_format_integer       (gint64      value);
/* Minor units of a currency, grouped, with the locale's decimal point
 * and the currency's symbol. */
/* Any stored value of field for display ("" for none). References are
 * shown as they are stored (the caller resolves titles). */
/* A choice as people read it (translated for the built-in kinds). */
const char *kontor_format_choice (const char *choice);
char   *kontor_format_value         (KontorField *field,
                                     JsonNode    *value);
/* The date a record is about (due, start, recorded, close date) or,
 * failing that, when it was created (the UUIDv7 timestamp), as a Unix
 * time in seconds; 0 if unknown. */
gint64  kontor_format_record_time   (KontorRecord *record);

G_END_DECLS

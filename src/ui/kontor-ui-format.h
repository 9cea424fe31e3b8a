/* kontor-ui-format.h: values and dates as people read them, and toasts
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

/* Money in minor units with its ISO 4217 code, in the conventions of the
 * current locale's LC_MONETARY (1.234,56 € in German, €1,234.56 in
 * English). */
char      *kontor_ui_format_money          (gint64       minor,
                                            const char  *currency);
/* The same with explicit conventions (for tests). */
char      *kontor_ui_format_money_full     (gint64       minor,
                                            const char  *currency,
                                            const char  *decimal_point,
                                            const char  *thousands_sep,
                                            gboolean     symbol_first,
                                            gboolean     space);
/* "Today, 14:30", "Tomorrow, 09:00", "Yesterday", or the locale's date,
 * for a UTC ISO 8601 date-time, relative to today (local time). */
char      *kontor_ui_format_when           (const char  *iso_datetime,
                                            const GDate *today,
                                            gboolean     with_time);
/* The locale's date for YYYY-MM-DD. */
char      *kontor_ui_format_date           (const char  *iso_date);
/* The UTC ISO 8601 form ("…T…Z") of local midnight of day + add_days. */
char      *kontor_ui_day_start_utc         (const GDate *day,
                                            int          add_days);
/* Parses "YYYY-MM-DD" (or a date-time, of which the date counts) into
 * date; NULL or an unparsable text gives the local today. */
void       kontor_ui_parse_today           (const char  *text,
                                            GDate       *date);
/* Shows toast in the nearest AdwToastOverlay above widget. Takes the
 * toast; FALSE when there is no overlay (the toast is dropped). */
gboolean   kontor_ui_add_toast             (GtkWidget   *widget,
                                            AdwToast    *toast);
/* Marks an activity done (or not done again) in store and offers an undo
 * toast in the nearest overlay; *toasted says whether one was shown. */
gboolean   kontor_ui_set_activity_done     (GtkWidget   *widget,
                                            KontorStore *store,
                                            const char  *activity_id,
                                            gboolean     done,
                                            gboolean    *toasted,
                                            GError     **error);

G_END_DECLS

/* kontor-ical-private.h: helpers shared by the iCalendar reader and writer
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kontor-ical.h"

G_BEGIN_DECLS

/* ical_uid of an occurrence: "<UID>;RECURRENCE-ID=<rid>", where rid is
 * "YYYYMMDD" (all-day) or "YYYYMMDDTHHMMSSZ" (the original start in UTC). */
#define KONTOR_ICAL_RID_SEPARATOR ";RECURRENCE-ID="

/* Splits an ical_uid into UID and recurrence id (NULL when it has none or
 * the part after the separator is not a valid recurrence id). */
void               _kontor_ical_split_uid   (const char         *ical_uid,
                                             char              **uid,
                                             char              **rid);

KontorIcalProblem *_kontor_ical_problem_new (guint               line,
                                             const char         *uid,
                                             const char         *message);

G_END_DECLS

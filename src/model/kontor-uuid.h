/* kontor-uuid.h: UUIDv7 record ids
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits,
 * monotonic within one process. Lower-case canonical text form. */
char     *kontor_uuid_new           (void);

/* The same, from a caller's clock value and random source, so generated
 * demo data is reproducible. */
char     *kontor_uuid_new_from      (gint64   unix_ms,
                                     GRand   *rand);

/* TRUE for the 36-character canonical form of any UUID version. */
gboolean  kontor_uuid_is_valid      (const char *text);

G_END_DECLS

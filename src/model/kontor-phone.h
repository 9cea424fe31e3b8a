/* kontor-phone.h: phone numbers to E.164
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Normalises a phone number as people write it ("0711 / 123 45-6",
 * "+49 (0)711 1234567", "0049 711 1234567", "(089) 12 34 56") to E.164
 * ("+497111234567"). default_region is an ISO 3166 alpha-2 code ("DE")
 * used for numbers in national format (leading trunk prefix). Fails with
 * KONTOR_MODEL_ERROR_INVALID for letters, too few/many digits, an unknown
 * country calling code, or a national number without a known region.
 *
 * An extension at the end ("x123", "ext. 123", ";ext=123", "#123") is
 * STRIPPED and the main number kept, since E.164 has no extensions. A
 * "tel:" prefix and its parameters are dropped. "00" is always an
 * international prefix, and so is the region's own ("011" in US/CA).
 * The trunk 0 after a country code ("+49 (0)711") is dropped, except in
 * Italy where it belongs to the number. Without '+' or an international
 * prefix, a number must start with the region's trunk prefix ("0", "8" in
 * RU) unless the region has none (IT, ES), it is optional (NANP, BR, CN)
 * or the region's numbers have one fixed length (FR, RU). e164 may be
 * NULL. */
gboolean     kontor_phone_normalize          (const char  *text,
                                              const char  *default_region,
                                              char       **e164,
                                              GError     **error);

/* The country calling code of a region ("DE" -> 49, "de" too), 0 if
 * unknown. */
guint        kontor_phone_calling_code       (const char  *region);

G_END_DECLS

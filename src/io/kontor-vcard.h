/* kontor-vcard.h: vCard 2.1, 3.0 and 4.0 reading, mapping and writing
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kontor-schema.h"

G_BEGIN_DECLS

/* Members of the values kontor_vcard_to_values() returns that are no
 * fields: the importer acts on them and removes them before the store
 * sees the values (the store refuses unknown fields). */
#define KONTOR_VCARD_ORGANIZATION "_organization"  /* name of the contact's organization */
#define KONTOR_VCARD_EXTRA        "_vcard_extra"   /* array of property lines no field took */
#define KONTOR_VCARD_ID           "_id"            /* record id, from a UID Kontor wrote */

typedef struct
{
  char *name;     /* upper case */
  GStrv values;   /* TYPE=work,voice gives two */
} KontorVCardParam;

/* One property of a card. Read-only for users of a parsed card. */
typedef struct
{
  char      *group;      /* "item1" in item1.EMAIL, or NULL */
  char      *name;       /* upper case: "EMAIL", "X-ABLABEL" */
  GPtrArray *params;     /* KontorVCardParam */
  char      *value;      /* UTF-8 text, vCard escapes still in (use the getters);
                          * NULL for a binary value */
  GBytes    *data;       /* decoded base64 or data: URI, or NULL */
  char      *mime_type;  /* of data, when known ("image/jpeg") */
  char      *problem;    /* why the value could not be read cleanly, or NULL */
  guint      line;       /* 1-based line of the file */
  guint      version;    /* of its card: 21, 30 or 40 */
} KontorVCardProperty;

void                 kontor_vcard_property_free          (KontorVCardProperty *prop);
/* Values of a parameter (name case-insensitive), or NULL. */
const char * const  *kontor_vcard_property_get_param     (KontorVCardProperty *prop,
                                                          const char          *name);
/* TRUE if TYPE (or a bare 2.1 type) holds type, case-insensitively. */
gboolean             kontor_vcard_property_has_type      (KontorVCardProperty *prop,
                                                          const char          *type);
/* The value as text with vCard escapes resolved ("\n" is a line break). */
char                *kontor_vcard_property_get_text      (KontorVCardProperty *prop);
/* The ';'-separated components of a structured value (N, ADR, ORG). */
GStrv                kontor_vcard_property_get_components (KontorVCardProperty *prop);
/* The ','-separated values of a list (CATEGORIES, NICKNAME). */
GStrv                kontor_vcard_property_get_list      (KontorVCardProperty *prop);

typedef struct _KontorVCard KontorVCard;

#define KONTOR_TYPE_VCARD (kontor_vcard_get_type ())

GType                kontor_vcard_get_type               (void) G_GNUC_CONST;
/* An empty card of version 21, 30 or 40. */
KontorVCard         *kontor_vcard_new                    (guint                version);
KontorVCard         *kontor_vcard_ref                    (KontorVCard         *card);
void                 kontor_vcard_unref                  (KontorVCard         *card);
guint                kontor_vcard_get_version            (KontorVCard         *card);
/* The line of its BEGIN:VCARD. */
guint                kontor_vcard_get_line               (KontorVCard         *card);
/* KontorVCardProperty, in file order (BEGIN, END and VERSION excluded). */
GPtrArray           *kontor_vcard_get_properties         (KontorVCard         *card);
/* The first property called name, or NULL. */
KontorVCardProperty *kontor_vcard_get_property           (KontorVCard         *card,
                                                          const char          *name);
/* Problems of the card as a whole (bytes invalid in the file's encoding,
 * lines that are no properties), as KontorImportProblem. */
GPtrArray           *kontor_vcard_get_problems           (KontorVCard         *card);

/* Adds a property whose value is text (escaped as the card's version
 * wants). Returns the property for adding parameters. */
KontorVCardProperty *kontor_vcard_add_text               (KontorVCard         *card,
                                                          const char          *group,
                                                          const char          *name,
                                                          const char          *text);
/* A structured value from its components (N, ADR, ORG). */
KontorVCardProperty *kontor_vcard_add_components         (KontorVCard         *card,
                                                          const char          *name,
                                                          const char * const  *components,
                                                          guint                n_components);
/* A value written as it is (already escaped, or a URI). */
KontorVCardProperty *kontor_vcard_add_raw                (KontorVCard         *card,
                                                          const char          *group,
                                                          const char          *name,
                                                          const char          *value);
void                 kontor_vcard_property_add_param     (KontorVCardProperty *prop,
                                                          const char          *name,
                                                          const char          *value);

/* The card in the syntax of its version: CRLF line ends, lines folded at
 * 75 octets (never inside a UTF-8 sequence), parameter values quoted and
 * ^-escaped (RFC 6868) where needed. */
char                *kontor_vcard_to_string              (KontorVCard         *card);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorVCard, kontor_vcard_unref)

/* ---------------------------------------------------------------------- */

#define KONTOR_TYPE_VCARD_READER (kontor_vcard_reader_get_type ())

G_DECLARE_FINAL_TYPE (KontorVCardReader, kontor_vcard_reader, KONTOR, VCARD_READER, GObject)

/* Reads the cards of a stream one at a time: any number per file, lines
 * folded with space or TAB, quoted-printable with soft line breaks
 * (decoded to bytes, then read in the CHARSET given, else as UTF-8, else
 * as Windows-1252), files in UTF-16 (with or without BOM), base64 values
 * (ENCODING=b, B or BASE64, indented continuation lines, data: URIs) and
 * RFC 6868 ^-escapes in parameters. */
KontorVCardReader   *kontor_vcard_reader_new             (GInputStream        *stream);
/* The charset of values that do not name one (NULL: UTF-8 if valid,
 * Windows-1252 otherwise). "UTF-16", "UTF-16LE" or "UTF-16BE" decode the
 * whole file. Set before the first card. */
void                 kontor_vcard_reader_set_charset     (KontorVCardReader   *self,
                                                          const char          *charset);
/* "UTF-16BE" and the like when the file was decoded as a whole, else
 * "BINARY" (each value is decoded by its charset). */
const char          *kontor_vcard_reader_get_encoding    (KontorVCardReader   *self);
guint64              kontor_vcard_reader_get_bytes_read  (KontorVCardReader   *self);
/* The line of the BEGIN:VCARD of the card last returned or refused. */
guint                kontor_vcard_reader_get_card_line   (KontorVCardReader   *self);
/* The next card, or NULL with no error at the end. A card that is not
 * closed (END:VCARD missing before the next BEGIN:VCARD or the end of the
 * file) fails with KONTOR_IO_ERROR_BAD_ROW naming its line; reading may go
 * on with the next card. A file with text but no BEGIN:VCARD at all fails
 * with KONTOR_IO_ERROR_FORMAT. */
KontorVCard         *kontor_vcard_reader_next            (KontorVCardReader   *self,
                                                          GCancellable        *cancellable,
                                                          GError             **error);

/* ---------------------------------------------------------------------- */

typedef struct
{
  char   *sha256;     /* hex, as the blob field stores it */
  GBytes *bytes;
  char   *mime_type;
} KontorVCardPhoto;

void                 kontor_vcard_photo_free             (KontorVCardPhoto    *photo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorVCardPhoto, kontor_vcard_photo_free)

/* Maps a card onto the values of a record of kind (as text, for
 * kontor_store_create() to parse), plus KONTOR_VCARD_ORGANIZATION and
 * KONTOR_VCARD_EXTRA, and KONTOR_VCARD_ID when the UID is a record id
 * (a UUIDv7, as Kontor's export writes it). A company card (X-ABShowAs:COMPANY, KIND:org, or
 * one with no name but an ORG) read as a contact becomes an organization:
 * *out_kind says which kind the values are for. The photo, if any, is
 * returned for the caller to store; the "photo" member holds its hash.
 * problems (KontorImportProblem) lists values that could not be read
 * (fatal) and values that were dropped (warnings). */
JsonObject          *kontor_vcard_to_values              (KontorVCard         *card,
                                                          KontorSchema        *schema,
                                                          const char          *kind,
                                                          char               **out_kind,
                                                          KontorVCardPhoto   **photo,
                                                          GPtrArray          **problems);

/* A card for a record (version 30 or 40). organization is the name of
 * the record's organization, photo the bytes of its photo (both may be
 * NULL); extra holds property lines kept from an import, one per line.
 * Fields without a vCard property are written as X-KONTOR-<FIELD>. */
KontorVCard         *kontor_vcard_new_from_values        (KontorKind          *kind,
                                                          const char          *id,
                                                          JsonObject          *values,
                                                          guint                version,
                                                          const char          *organization,
                                                          GBytes              *photo,
                                                          const char          *extra_field);

G_END_DECLS

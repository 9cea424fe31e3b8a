/* kontor-io-private.h: what the CSV and vCard mappings share
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-io.h"
#include "kontor-kind.h"

G_BEGIN_DECLS

/* What a source says a value is for. */
typedef enum
{
  KONTOR_SLOT_OTHER,
  KONTOR_SLOT_WORK,
  KONTOR_SLOT_HOME,
  KONTOR_SLOT_MOBILE,
  KONTOR_SLOT_FAX,
  KONTOR_SLOT_PAGER,
} KontorSlotClass;

typedef enum
{
  KONTOR_ADDR_STREET,
  KONTOR_ADDR_EXTENDED,
  KONTOR_ADDR_POBOX,
  KONTOR_ADDR_CITY,
  KONTOR_ADDR_REGION,
  KONTOR_ADDR_POSTAL,
  KONTOR_ADDR_COUNTRY,
  KONTOR_ADDR_N_PARTS
} KontorAddressPart;

/* A kind has a few fields for e-mails, phones, web addresses and one
 * address, while sources have many, labelled work, home, mobile, ...
 * Slots hand each value to a field of the kind:
 *
 *  - e-mail: work → email, home → email_private, others to the first free
 *    of email, email_private;
 *  - phone: mobile → mobile, work → phone, home and others to phone if
 *    free; fax and pager numbers have no field;
 *  - web: linkedin.com → linkedin, xing.com → xing, others → website;
 *  - address: one group of parts (street, city, ...) is taken whole,
 *    never mixed: the first work address with a value, else the first
 *    other one, else the first home address.
 *
 * Values that find no free field are reported as dropped. */
typedef struct _KontorSlots KontorSlots;

KontorSlots *_kontor_slots_new           (KontorKind       *kind);
void         _kontor_slots_free          (KontorSlots      *slots);
void         _kontor_slots_add_email     (KontorSlots      *slots,
                                          KontorSlotClass   cls,
                                          const char       *text,
                                          const char       *source);
void         _kontor_slots_add_phone     (KontorSlots      *slots,
                                          KontorSlotClass   cls,
                                          const char       *text,
                                          const char       *source);
void         _kontor_slots_add_url       (KontorSlots      *slots,
                                          KontorSlotClass   cls,
                                          const char       *text,
                                          const char       *source);
/* group tells parts of different addresses apart; the first part added
 * fixes a group's class and its rank among groups of that class. */
void         _kontor_slots_add_address   (KontorSlots      *slots,
                                          int               group,
                                          KontorSlotClass   cls,
                                          KontorAddressPart part,
                                          const char       *text,
                                          const char       *source);
/* Sets the chosen values (as text) in values, without replacing members
 * that are there already, and adds a warning problem to problems for
 * each value that was dropped. */
void         _kontor_slots_finish        (KontorSlots      *slots,
                                          JsonObject       *values,
                                          guint             line,
                                          GPtrArray        *problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorSlots, _kontor_slots_free)

/* Class named by a type label ("Work", "* Home", "Mobile", "_$!<Mobile>!$_",
 * "Arbeit", "Fax"). */
KontorSlotClass _kontor_slot_class_from_label (const char *label);

/* Sets a member of values to text if it is not set yet; returns FALSE (and
 * adds a warning) if it held another value. */
gboolean     _kontor_values_offer        (JsonObject       *values,
                                          const char       *field,
                                          const char       *text,
                                          const char       *source,
                                          guint             line,
                                          GPtrArray        *problems);

/* "Anna Maria Müller" with no first or last name: the whole text becomes
 * the last name (the one required) unless it starts with the first name.
 * Names are never split by guessing. */
void         _kontor_values_apply_full_name (JsonObject    *values,
                                             const char    *full_name);

/* Adds tags to the "tags" member (a JSON array), without duplicates. */
void         _kontor_values_add_tag      (JsonObject       *values,
                                          const char       *tag);

G_END_DECLS

/* kontor-ical-zones.c: Windows time zone names to IANA names
 *
 * Outlook and Exchange write Windows zone names as TZID ("W. Europe
 * Standard Time") and often no VTIMEZONE, or one that only describes the
 * current rules. The IANA names let libical use the full tz database.
 *
 * The facts below are those of the Unicode CLDR "windowsZones" mapping
 * (common/supplemental/windowsZones.xml, the territory "001" entry of each
 * Windows zone, which names its main IANA zone). The table itself is
 * written for Kontor; it covers the European, American, Asian and
 * Australian/Pacific zones and the fixed-offset "UTC±nn" ones.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ical"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-ical.h"

typedef struct
{
  const char *windows;
  const char *iana;
} WindowsZone;

static const WindowsZone windows_zones[] = {
  /* Europe */
  { "GMT Standard Time", "Europe/London" },
  { "Greenwich Standard Time", "Atlantic/Reykjavik" },
  { "W. Europe Standard Time", "Europe/Berlin" },
  { "Central Europe Standard Time", "Europe/Budapest" },
  { "Romance Standard Time", "Europe/Paris" },
  { "Central European Standard Time", "Europe/Warsaw" },
  { "E. Europe Standard Time", "Europe/Chisinau" },
  { "FLE Standard Time", "Europe/Kiev" },
  { "GTB Standard Time", "Europe/Bucharest" },
  { "Turkey Standard Time", "Europe/Istanbul" },
  { "Belarus Standard Time", "Europe/Minsk" },
  { "Kaliningrad Standard Time", "Europe/Kaliningrad" },
  { "Russian Standard Time", "Europe/Moscow" },
  { "Russia Time Zone 3", "Europe/Samara" },
  { "Astrakhan Standard Time", "Europe/Astrakhan" },
  { "Saratov Standard Time", "Europe/Saratov" },
  { "Volgograd Standard Time", "Europe/Volgograd" },
  { "Azores Standard Time", "Atlantic/Azores" },
  { "Cape Verde Standard Time", "Atlantic/Cape_Verde" },

  /* Africa and the Middle East */
  { "Morocco Standard Time", "Africa/Casablanca" },
  { "Sao Tome Standard Time", "Africa/Sao_Tome" },
  { "W. Central Africa Standard Time", "Africa/Lagos" },
  { "Namibia Standard Time", "Africa/Windhoek" },
  { "South Africa Standard Time", "Africa/Johannesburg" },
  { "Libya Standard Time", "Africa/Tripoli" },
  { "Egypt Standard Time", "Africa/Cairo" },
  { "Sudan Standard Time", "Africa/Khartoum" },
  { "South Sudan Standard Time", "Africa/Juba" },
  { "E. Africa Standard Time", "Africa/Nairobi" },
  { "Mauritius Standard Time", "Indian/Mauritius" },
  { "Israel Standard Time", "Asia/Jerusalem" },
  { "West Bank Standard Time", "Asia/Hebron" },
  { "Jordan Standard Time", "Asia/Amman" },
  { "Middle East Standard Time", "Asia/Beirut" },
  { "Syria Standard Time", "Asia/Damascus" },
  { "Arabic Standard Time", "Asia/Baghdad" },
  { "Arab Standard Time", "Asia/Riyadh" },
  { "Arabian Standard Time", "Asia/Dubai" },
  { "Iran Standard Time", "Asia/Tehran" },

  /* Asia */
  { "Azerbaijan Standard Time", "Asia/Baku" },
  { "Georgian Standard Time", "Asia/Tbilisi" },
  { "Caucasus Standard Time", "Asia/Yerevan" },
  { "Afghanistan Standard Time", "Asia/Kabul" },
  { "West Asia Standard Time", "Asia/Tashkent" },
  { "Qyzylorda Standard Time", "Asia/Qyzylorda" },
  { "Ekaterinburg Standard Time", "Asia/Yekaterinburg" },
  { "Pakistan Standard Time", "Asia/Karachi" },
  { "India Standard Time", "Asia/Calcutta" },
  { "Sri Lanka Standard Time", "Asia/Colombo" },
  { "Nepal Standard Time", "Asia/Katmandu" },
  { "Central Asia Standard Time", "Asia/Bishkek" },
  { "Bangladesh Standard Time", "Asia/Dhaka" },
  { "Omsk Standard Time", "Asia/Omsk" },
  { "Myanmar Standard Time", "Asia/Rangoon" },
  { "SE Asia Standard Time", "Asia/Bangkok" },
  { "Altai Standard Time", "Asia/Barnaul" },
  { "W. Mongolia Standard Time", "Asia/Hovd" },
  { "N. Central Asia Standard Time", "Asia/Novosibirsk" },
  { "Tomsk Standard Time", "Asia/Tomsk" },
  { "North Asia Standard Time", "Asia/Krasnoyarsk" },
  { "China Standard Time", "Asia/Shanghai" },
  { "North Asia East Standard Time", "Asia/Irkutsk" },
  { "Singapore Standard Time", "Asia/Singapore" },
  { "Taipei Standard Time", "Asia/Taipei" },
  { "Ulaanbaatar Standard Time", "Asia/Ulaanbaatar" },
  { "Transbaikal Standard Time", "Asia/Chita" },
  { "Tokyo Standard Time", "Asia/Tokyo" },
  { "North Korea Standard Time", "Asia/Pyongyang" },
  { "Korea Standard Time", "Asia/Seoul" },
  { "Yakutsk Standard Time", "Asia/Yakutsk" },
  { "Vladivostok Standard Time", "Asia/Vladivostok" },
  { "Russia Time Zone 10", "Asia/Srednekolymsk" },
  { "Magadan Standard Time", "Asia/Magadan" },
  { "Sakhalin Standard Time", "Asia/Sakhalin" },
  { "Russia Time Zone 11", "Asia/Kamchatka" },
  { "Kamchatka Standard Time", "Asia/Kamchatka" },

  /* Australia and the Pacific */
  { "W. Australia Standard Time", "Australia/Perth" },
  { "Aus Central W. Standard Time", "Australia/Eucla" },
  { "Cen. Australia Standard Time", "Australia/Adelaide" },
  { "AUS Central Standard Time", "Australia/Darwin" },
  { "E. Australia Standard Time", "Australia/Brisbane" },
  { "AUS Eastern Standard Time", "Australia/Sydney" },
  { "Tasmania Standard Time", "Australia/Hobart" },
  { "Lord Howe Standard Time", "Australia/Lord_Howe" },
  { "West Pacific Standard Time", "Pacific/Port_Moresby" },
  { "Bougainville Standard Time", "Pacific/Bougainville" },
  { "Norfolk Standard Time", "Pacific/Norfolk" },
  { "Central Pacific Standard Time", "Pacific/Guadalcanal" },
  { "New Zealand Standard Time", "Pacific/Auckland" },
  { "Fiji Standard Time", "Pacific/Fiji" },
  { "Chatham Islands Standard Time", "Pacific/Chatham" },
  { "Tonga Standard Time", "Pacific/Tongatapu" },
  { "Samoa Standard Time", "Pacific/Apia" },
  { "Line Islands Standard Time", "Pacific/Kiritimati" },
  { "Marquesas Standard Time", "Pacific/Marquesas" },
  { "Hawaiian Standard Time", "Pacific/Honolulu" },
  { "Easter Island Standard Time", "Pacific/Easter" },

  /* The Americas */
  { "Aleutian Standard Time", "America/Adak" },
  { "Alaskan Standard Time", "America/Anchorage" },
  { "Pacific Standard Time (Mexico)", "America/Tijuana" },
  { "Pacific Standard Time", "America/Los_Angeles" },
  { "US Mountain Standard Time", "America/Phoenix" },
  { "Mountain Standard Time (Mexico)", "America/Mazatlan" },
  { "Mountain Standard Time", "America/Denver" },
  { "Yukon Standard Time", "America/Whitehorse" },
  { "Central America Standard Time", "America/Guatemala" },
  { "Central Standard Time (Mexico)", "America/Mexico_City" },
  { "Central Standard Time", "America/Chicago" },
  { "Canada Central Standard Time", "America/Regina" },
  { "SA Pacific Standard Time", "America/Bogota" },
  { "Eastern Standard Time (Mexico)", "America/Cancun" },
  { "Eastern Standard Time", "America/New_York" },
  { "US Eastern Standard Time", "America/Indianapolis" },
  { "Haiti Standard Time", "America/Port-au-Prince" },
  { "Cuba Standard Time", "America/Havana" },
  { "Turks And Caicos Standard Time", "America/Grand_Turk" },
  { "Paraguay Standard Time", "America/Asuncion" },
  { "Atlantic Standard Time", "America/Halifax" },
  { "Venezuela Standard Time", "America/Caracas" },
  { "Central Brazilian Standard Time", "America/Cuiaba" },
  { "SA Western Standard Time", "America/La_Paz" },
  { "Pacific SA Standard Time", "America/Santiago" },
  { "Newfoundland Standard Time", "America/St_Johns" },
  { "Tocantins Standard Time", "America/Araguaina" },
  { "E. South America Standard Time", "America/Sao_Paulo" },
  { "SA Eastern Standard Time", "America/Cayenne" },
  { "Argentina Standard Time", "America/Buenos_Aires" },
  { "Greenland Standard Time", "America/Godthab" },
  { "Montevideo Standard Time", "America/Montevideo" },
  { "Magallanes Standard Time", "America/Punta_Arenas" },
  { "Saint Pierre Standard Time", "America/Miquelon" },
  { "Bahia Standard Time", "America/Bahia" },

  /* Fixed offsets: note the inverted sign of the Etc/GMT names */
  { "UTC", "Etc/UTC" },
  { "Dateline Standard Time", "Etc/GMT+12" },
  { "UTC-11", "Etc/GMT+11" },
  { "UTC-09", "Etc/GMT+9" },
  { "UTC-08", "Etc/GMT+8" },
  { "UTC-02", "Etc/GMT+2" },
  { "UTC+12", "Etc/GMT-12" },
  { "UTC+13", "Etc/GMT-13" },
};

const char *
kontor_ical_windows_zone_to_iana (const char *windows_name)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (windows_name != NULL, NULL);

  /* "W. Europe Standard Time " and "w. europe standard time" are seen too */
  name = g_strstrip (g_strdup (windows_name));

  for (guint i = 0; i < G_N_ELEMENTS (windows_zones); i++)
    if (g_ascii_strcasecmp (windows_zones[i].windows, name) == 0)
      return windows_zones[i].iana;

  return NULL;
}

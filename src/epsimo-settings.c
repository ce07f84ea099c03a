/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-settings"

#include "config.h"

#include "epsimo-settings.h"

void
epsimo_settings_remember (GSettings  *settings,
                          const char *key,
                          const char *value)
{
  g_autofree char *current = NULL;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (key != NULL);
  g_return_if_fail (value != NULL);

  current = g_settings_get_string (settings, key);
  if (g_strcmp0 (current, value) != 0)
    g_settings_set_string (settings, key, value);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-credits-money"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-credits-money.h"

char *
epsimo_credits_format_money (gint64 cents)
{
  g_autofree char *number = NULL;

  /* printf follows LC_NUMERIC, which GTK sets from the environment: "80.00" in English,
   * "80,00" in French; the ' flag adds the locale's thousands separator, if it has one. */
  number = g_strdup_printf ("%'.2f", (double) cents / 100.0);

  /* Translators: a price in euros; %s is the amount, already written with your locale's
   * decimal separator ("80.00" or "80,00"). Put the euro sign where your language does,
   * for example "%s €". */
  return g_strdup_printf (C_("money", "€%s"), number);
}

gboolean
epsimo_credits_is_payment_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  host = g_uri_get_host (uri);
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0
         && host != NULL && *host != '\0'
         && g_uri_get_userinfo (uri) == NULL;
}

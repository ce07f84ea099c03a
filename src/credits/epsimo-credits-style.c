/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-credits-style"

#include "config.h"

#include "epsimo-credits-style.h"

void
epsimo_credits_style_ensure (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "epsimo-credits-style"))
    return;

  /* The feature's own resource: the application style sheet is not this folder's, and
   * the pill must look right in the tests' plain windows too. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider,
                                       "/com/epsimoagents/Desktop/credits/epsimo-credits.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "epsimo-credits-style",
                          g_steal_pointer (&provider), g_object_unref);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "epsimo-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EpsimoApplication) app = NULL;
  const char *localedir;

  /* An uninstalled build (meson devenv, the tests) points at the catalogues it just built. */
  localedir = g_getenv ("EPSIMO_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Epsimo"));

  app = epsimo_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

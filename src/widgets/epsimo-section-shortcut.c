/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-section-shortcut"

#include "config.h"

#include "epsimo-section-shortcut.h"

void
epsimo_section_shortcut_add (GtkWidget  *section,
                             const char *accelerator,
                             const char *action_name)
{
  GtkShortcutTrigger *trigger;
  GtkEventController *controller;

  g_return_if_fail (GTK_IS_WIDGET (section));
  g_return_if_fail (accelerator != NULL && action_name != NULL);

  trigger = gtk_shortcut_trigger_parse_string (accelerator);
  g_return_if_fail (trigger != NULL);

  /* Managed: the nearest shortcut manager (the window) runs it after the focused widget and
   * its parents had the key, and only while @section is mapped. */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (trigger,
                                                          gtk_named_action_new (action_name)));
  gtk_widget_add_controller (section, controller);
}

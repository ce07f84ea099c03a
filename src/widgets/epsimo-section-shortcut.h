/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A shortcut of one section of the window (its "new" or "upload" command), run by the window
 * whenever @section is on screen, wherever the focus is: in the sidebar, the header bar, or
 * nowhere (after signing in). A class binding only runs while the focus is inside the
 * section, so the "Ctrl+N" its empty page and tooltips promise did nothing after a click in
 * the project list. Sections not on screen are not mapped, and GTK skips their shortcuts,
 * so two sections may share an accelerator. */
void epsimo_section_shortcut_add (GtkWidget  *section,
                                  const char *accelerator,
                                  const char *action_name);

G_END_DECLS

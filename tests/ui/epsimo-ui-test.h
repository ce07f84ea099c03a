/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-application.h"

G_BEGIN_DECLS

typedef gboolean (*EpsimoUiTestCondition) (gpointer data);

/* gtk_test_init() and adw_init(); criticals stay fatal, but GTK's own warnings (GTK 4.8
 * warns about focus-out events a window manager delivers late) do not abort the run. */
void               epsimo_ui_test_init          (int                  *argc,
                                                 char               ***argv);

/* Starts the real application in this process (registered on the test's session bus, not
 * unique) and activates it, so its window is up. */
EpsimoApplication *epsimo_ui_test_start_app     (void);
/* Spins the main loop until @condition holds or @timeout_ms pass; returns whether it held. */
gboolean           epsimo_ui_test_wait_for      (EpsimoUiTestCondition condition,
                                                 gpointer              data,
                                                 guint                 timeout_ms);
/* Spins the main loop for about @ms (lets GTK lay out and draw). */
void               epsimo_ui_test_spin          (guint                 ms);
/* The first mapped toplevel of @type, or NULL. */
GtkWidget         *epsimo_ui_test_find_toplevel (GType                 type);
/* A descendant of @root of @type whose accessible/visible text equals @text (NULL: any). */
GtkWidget         *epsimo_ui_test_find_widget   (GtkWidget            *root,
                                                 GType                 type,
                                                 const char           *text);
/* Every non-empty text shown by labels under @root (visible widgets only), in a new array. */
GPtrArray         *epsimo_ui_test_collect_texts (GtkWidget            *root);
/* How many children @widget has. */
guint              epsimo_ui_test_count_children (GtkWidget          *widget);
/* Conditions for epsimo_ui_test_wait_for() on an AdwLeaflet. */
gboolean           epsimo_ui_test_leaflet_folded   (gpointer            leaflet);
gboolean           epsimo_ui_test_leaflet_unfolded (gpointer            leaflet);

G_END_DECLS

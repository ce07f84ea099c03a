/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A click on the row that is already selected activates it (GtkListView::activate), as a
 * double click or Enter does. In a sidebar list the selection opens the row's page; folded,
 * that page hides the list, and after going back to the list the row is still selected:
 * without this, a click on it did nothing. */
void epsimo_list_click_activates_selected (GtkListView *view);

G_END_DECLS

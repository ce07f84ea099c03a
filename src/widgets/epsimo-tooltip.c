/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-tooltip"

#include "config.h"

#include "epsimo-tooltip.h"

/**
 * epsimo_tooltip_set_text:
 * @widget: a widget
 * @text: (nullable): its tooltip
 *
 * gtk_widget_set_tooltip_text(), without the cost GTK 4.8 adds when @widget is visible: it
 * then asks the display server where the pointer is (a round trip on X11), which for the
 * ~200 rows a list view makes at once was a noticeable part of start-up. A hidden widget
 * skips that; @widget is hidden for the call and shown again.
 */
void
epsimo_tooltip_set_text (GtkWidget  *widget,
                         const char *text)
{
  gboolean visible;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  visible = gtk_widget_get_visible (widget);
  if (visible)
    gtk_widget_set_visible (widget, FALSE);
  gtk_widget_set_tooltip_text (widget, text);
  if (visible)
    gtk_widget_set_visible (widget, TRUE);
}

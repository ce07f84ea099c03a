/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-tooltip"

#include "config.h"

#include "epsimo-tooltip.h"

/* Hidden, the window's focus widget (or a widget around it) would lose the focus, and its
 * default widget that role, whether the window is active or not. */
static gboolean
window_would_lose (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus;

  if (!GTK_IS_WINDOW (root))
    return FALSE;
  focus = gtk_root_get_focus (root);
  return (focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget)))
         || gtk_window_get_default_widget (GTK_WINDOW (root)) == widget;
}

/**
 * epsimo_tooltip_set_text:
 * @widget: a widget
 * @text: (nullable): its tooltip
 *
 * gtk_widget_set_tooltip_text(), without the cost GTK 4.8 adds when @widget is visible: it
 * then asks the display server where the pointer is (three round trips on X11), even for a
 * widget that is not on screen. For the ~200 rows a list view makes at once that was a
 * noticeable part of start-up, and a template's tooltip-text property costs the same for
 * each widget as the window is built (a dozen, 2 to 3 ms on the way to the first frame):
 * the window and its sections give theirs with this after their template. A hidden widget
 * skips the question; @widget is hidden for the call and shown again (and shown again by
 * its GtkStack, which would show another page meanwhile), within the same frame. The
 * window's focus and default widgets are left alone (hidden, they would lose that) and
 * cost the round trips.
 */
void
epsimo_tooltip_set_text (GtkWidget  *widget,
                         const char *text)
{
  GtkWidget *parent;
  gboolean hide, stack_shows_it;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  hide = gtk_widget_get_visible (widget) && !window_would_lose (widget);
  if (!hide)
    {
      gtk_widget_set_tooltip_text (widget, text);
      return;
    }

  parent = gtk_widget_get_parent (widget);
  stack_shows_it = GTK_IS_STACK (parent)
                   && gtk_stack_get_visible_child (GTK_STACK (parent)) == widget;
  gtk_widget_set_visible (widget, FALSE);
  gtk_widget_set_tooltip_text (widget, text);
  gtk_widget_set_visible (widget, TRUE);
  if (stack_shows_it)
    gtk_stack_set_visible_child (GTK_STACK (parent), widget);
}

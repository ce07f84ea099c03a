/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-list-click"

#include "config.h"

#include "epsimo-list-click.h"

/* The list's row (its direct child) under @widget, or NULL; NULL too when @widget is in a
 * button of the row (a row's Delete button acts on its own). */
static GtkWidget *
row_of (GtkListView *view,
        GtkWidget   *widget)
{
  while (widget != NULL && gtk_widget_get_parent (widget) != GTK_WIDGET (view))
    {
      if (GTK_IS_BUTTON (widget))
        return NULL;
      widget = gtk_widget_get_parent (widget);
    }
  return widget;
}

/* Captured before the row's own handling: a press on a row not selected yet selects it,
 * and the selection does the rest. Only a row selected when pressed is activated. */
static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            GtkListView     *view)
{
  GtkWidget *row = row_of (view, gtk_widget_pick (GTK_WIDGET (view), x, y, GTK_PICK_DEFAULT));
  gboolean selected = row != NULL
                      && (gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_SELECTED) != 0;

  g_object_set_data (G_OBJECT (gesture), "epsimo-pressed-selected",
                     GINT_TO_POINTER (n_press == 1 && selected));
}

static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             GtkListView     *view)
{
  GtkSelectionModel *model = gtk_list_view_get_model (view);
  GtkWidget *row = row_of (view, gtk_widget_pick (GTK_WIDGET (view), x, y, GTK_PICK_DEFAULT));
  GtkBitset *selected;

  if (!GPOINTER_TO_INT (g_object_get_data (G_OBJECT (gesture), "epsimo-pressed-selected"))
      || row == NULL || model == NULL
      || (gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_SELECTED) == 0)
    return;

  selected = gtk_selection_model_get_selection (model);
  if (gtk_bitset_get_size (selected) == 1)
    g_signal_emit_by_name (view, "activate", gtk_bitset_get_nth (selected, 0));
  gtk_bitset_unref (selected);
}

void
epsimo_list_click_activates_selected (GtkListView *view)
{
  GtkGesture *gesture;

  g_return_if_fail (GTK_IS_LIST_VIEW (view));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_pressed), view);
  g_signal_connect (gesture, "released", G_CALLBACK (on_released), view);
  gtk_widget_add_controller (GTK_WIDGET (view), GTK_EVENT_CONTROLLER (gesture));
}

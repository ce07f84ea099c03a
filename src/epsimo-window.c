/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-window"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-window.h"

struct _EpsimoWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
};

G_DEFINE_FINAL_TYPE (EpsimoWindow, epsimo_window, ADW_TYPE_APPLICATION_WINDOW)

EpsimoWindow *
epsimo_window_new (EpsimoApplication *application)
{
  return g_object_new (EPSIMO_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
epsimo_window_add_toast (EpsimoWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (EPSIMO_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
restore_window_state (EpsimoWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (EpsimoWindow *self)
{
  int width, height;

  /* The default size is the unmaximized size, which is what should come back next time. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
epsimo_window_close_request (GtkWindow *window)
{
  save_window_state (EPSIMO_WINDOW (window));

  return GTK_WINDOW_CLASS (epsimo_window_parent_class)->close_request (window);
}

static void
show_sidebar_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
show_content_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
epsimo_window_constructed (GObject *object)
{
  EpsimoWindow *self = EPSIMO_WINDOW (object);

  G_OBJECT_CLASS (epsimo_window_parent_class)->constructed (object);

  restore_window_state (self);
}

static void
epsimo_window_dispose (GObject *object)
{
  EpsimoWindow *self = EPSIMO_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (epsimo_window_parent_class)->dispose (object);
}

static void
epsimo_window_class_init (EpsimoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = epsimo_window_constructed;
  object_class->dispose = epsimo_window_dispose;
  window_class->close_request = epsimo_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/epsimo-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, content);

  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   show_sidebar_activated);
  gtk_widget_class_install_action (widget_class, "win.show-content", NULL,
                                   show_content_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-sidebar", NULL);
}

static void
epsimo_window_init (EpsimoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("com.epsimoagents.Desktop");

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

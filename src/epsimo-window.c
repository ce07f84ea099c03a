/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-window"

#include "config.h"

#include <glib/gi18n.h>

#include "account/epsimo-account-menu.h"
#include "account/epsimo-sign-in-page.h"

#include "epsimo-window.h"

struct _EpsimoWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  EpsimoApplication    *application;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  EpsimoSignInPage     *sign_in_page;
  AdwStatusPage        *resuming_page;
  EpsimoAccountMenu    *account_menu;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
};

G_DEFINE_FINAL_TYPE (EpsimoWindow, epsimo_window, ADW_TYPE_APPLICATION_WINDOW)

static void epsimo_window_setup (EpsimoWindow      *self,
                                 EpsimoApplication *application);

EpsimoWindow *
epsimo_window_new (EpsimoApplication *application)
{
  EpsimoWindow *self = g_object_new (EPSIMO_TYPE_WINDOW,
                                     "application", application,
                                     NULL);

  epsimo_window_setup (self, application);
  return self;
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

/* Shows what fits the application's state: the signed-in shell, the silent sign-in, or the
 * sign-in page. */
static void
update_page (EpsimoWindow *self)
{
  EpsimoSession *session = epsimo_application_get_session (self->application);

  epsimo_account_menu_set_session (self->account_menu, session);

  if (session != NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "main");
    }
  else if (epsimo_application_get_resuming (self->application))
    {
      g_autofree char *email = g_settings_get_string (self->settings, "last-email");

      adw_status_page_set_description (self->resuming_page, email);
      gtk_stack_set_visible_child_name (self->main_stack, "resuming");
    }
  else
    {
      epsimo_sign_in_page_set_can_cancel (self->sign_in_page, FALSE);
      gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
    }
}

static void
on_application_state_changed (EpsimoWindow *self)
{
  update_page (self);
}

static void
on_sign_in_needed (EpsimoApplication *application,
                   const char        *server,
                   const char        *email,
                   const char        *message,
                   EpsimoWindow      *self)
{
  g_autofree char *current = NULL;

  if (server == NULL)
    current = epsimo_application_dup_api_url (application);

  epsimo_sign_in_page_reset (self->sign_in_page);
  epsimo_sign_in_page_set_server (self->sign_in_page, server != NULL ? server : current);
  epsimo_sign_in_page_set_email (self->sign_in_page, email);
  epsimo_sign_in_page_show_error (self->sign_in_page, message);
  /* With an account still signed in (adding another one), the user may go back to it. */
  epsimo_sign_in_page_set_can_cancel (self->sign_in_page,
                                      epsimo_application_get_session (application) != NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
}

static void
on_signed_in (EpsimoWindow  *self,
              EpsimoSession *session)
{
  epsimo_application_set_session (self->application, session);
  update_page (self);
}

static void
on_sign_in_cancelled (EpsimoWindow *self)
{
  update_page (self);
}

static void
on_server_changed (EpsimoWindow *self,
                   const char   *server)
{
  /* Kept for next time too, unless the environment decides the server. */
  epsimo_application_set_api_url_override (self->application, server);
  if (!epsimo_application_api_url_from_environment ())
    g_settings_set_string (self->settings, "api-url", server);
}

static void
setup_sign_in_page (EpsimoWindow *self)
{
  g_autofree char *server = epsimo_application_dup_api_url (self->application);
  g_autofree char *email = g_settings_get_string (self->settings, "last-email");
  const char *demo_email = g_getenv ("EPSIMO_DEMO_EMAIL");
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = epsimo_client_normalize_base_url (server, &error);

  epsimo_sign_in_page_set_server (self->sign_in_page, normalized != NULL ? normalized : server);
  if (normalized == NULL)
    epsimo_sign_in_page_show_error (self->sign_in_page, error->message);

  /* `build-aux/dev run` names the demo account of its local server. */
  if (*email == '\0' && demo_email != NULL)
    epsimo_sign_in_page_set_email (self->sign_in_page, demo_email);
  else
    epsimo_sign_in_page_set_email (self->sign_in_page, email);
}

static void
epsimo_window_constructed (GObject *object)
{
  EpsimoWindow *self = EPSIMO_WINDOW (object);

  G_OBJECT_CLASS (epsimo_window_parent_class)->constructed (object);

  restore_window_state (self);
}

/* Not in constructed(): GtkWindow:application is set only after construction. */
static void
epsimo_window_setup (EpsimoWindow      *self,
                     EpsimoApplication *application)
{
  self->application = application;

  g_signal_connect_object (application, "notify::session",
                           G_CALLBACK (on_application_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::resuming",
                           G_CALLBACK (on_application_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "sign-in-needed",
                           G_CALLBACK (on_sign_in_needed), self, 0);

  setup_sign_in_page (self);
  update_page (self);
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
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, resuming_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, account_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_cancelled);
  gtk_widget_class_bind_template_callback (widget_class, on_server_changed);
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
  g_type_ensure (EPSIMO_TYPE_ACCOUNT_MENU);
  g_type_ensure (EPSIMO_TYPE_SIGN_IN_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("com.epsimoagents.Desktop");

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

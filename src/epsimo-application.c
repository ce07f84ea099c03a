/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-application"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-application.h"
#include "epsimo-window.h"
#include "preferences/epsimo-preferences-window.h"

struct _EpsimoApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (EpsimoApplication, epsimo_application, ADW_TYPE_APPLICATION)

EpsimoApplication *
epsimo_application_new (void)
{
  return g_object_new (EPSIMO_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/com/epsimoagents/Desktop",
                       NULL);
}

GSettings *
epsimo_application_get_settings (EpsimoApplication *self)
{
  g_return_val_if_fail (EPSIMO_IS_APPLICATION (self), NULL);

  return self->settings;
}

/* EPSIMO_API_URL wins over the preference, as it does for the official SDK. */
gboolean
epsimo_application_api_url_from_environment (void)
{
  const char *env = g_getenv ("EPSIMO_API_URL");

  return env != NULL && *env != '\0';
}

char *
epsimo_application_dup_api_url (EpsimoApplication *self)
{
  g_return_val_if_fail (EPSIMO_IS_APPLICATION (self), NULL);

  if (epsimo_application_api_url_from_environment ())
    return g_strdup (g_getenv ("EPSIMO_API_URL"));

  return g_settings_get_string (self->settings, "api-url");
}

static void
apply_color_scheme (EpsimoApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT,
    ADW_COLOR_SCHEME_FORCE_LIGHT,
    ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint value = g_settings_get_enum (self->settings, "color-scheme");

  if (value >= G_N_ELEMENTS (schemes))
    value = 0;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[value]);
}

static void
on_color_scheme_changed (GSettings         *settings,
                         const char        *key,
                         EpsimoApplication *self)
{
  apply_color_scheme (self);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window lets it save its state, as a click on its close button would. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_application_quit (G_APPLICATION (self));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  EpsimoPreferencesWindow *preferences;

  preferences = epsimo_preferences_window_new (self);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Epsimo Desktop developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Epsimo"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Epsimo Desktop developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_BUGREPORTS,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Epsimo Desktop developers",
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        "transient-for", parent,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

static void
epsimo_application_startup (GApplication *application)
{
  EpsimoApplication *self = EPSIMO_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (epsimo_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed), self, 0);
  apply_color_scheme (self);
}

static void
epsimo_application_activate (GApplication *application)
{
  EpsimoApplication *self = EPSIMO_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (epsimo_window_new (self));

  gtk_window_present (window);
}

static void
epsimo_application_dispose (GObject *object)
{
  EpsimoApplication *self = EPSIMO_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (epsimo_application_parent_class)->dispose (object);
}

static void
epsimo_application_class_init (EpsimoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = epsimo_application_dispose;
  app_class->startup = epsimo_application_startup;
  app_class->activate = epsimo_application_activate;
}

static void
epsimo_application_init (EpsimoApplication *self)
{
  self->settings = g_settings_new ("com.epsimoagents.Desktop");
}

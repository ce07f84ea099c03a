/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-client.h"

#include "epsimo-preferences-window.h"

struct _EpsimoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  EpsimoApplication    *application;
  GSettings            *settings;

  AdwPreferencesGroup  *server_group;
  AdwEntryRow          *api_url_row;
  GtkWidget            *reset_api_url_button;
  GtkLabel             *api_url_error_label;
  AdwComboRow          *color_scheme_row;
};

G_DEFINE_FINAL_TYPE (EpsimoPreferencesWindow, epsimo_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static void epsimo_preferences_window_setup (EpsimoPreferencesWindow *self,
                                             EpsimoApplication       *application);

EpsimoPreferencesWindow *
epsimo_preferences_window_new (EpsimoApplication *application)
{
  EpsimoPreferencesWindow *self;

  g_return_val_if_fail (EPSIMO_IS_APPLICATION (application), NULL);

  self = g_object_new (EPSIMO_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       NULL);
  epsimo_preferences_window_setup (self, application);
  return self;
}

static void
show_api_url_error (EpsimoPreferencesWindow *self,
                    const char              *message)
{
  if (message != NULL)
    {
      gtk_label_set_text (self->api_url_error_label, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->api_url_row), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->api_url_row), "error");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->api_url_error_label), message != NULL);
}

static void
on_api_url_changed (EpsimoPreferencesWindow *self)
{
  /* The reason stays until the user edits the address again. */
  show_api_url_error (self, NULL);
}

static void
on_api_url_apply (EpsimoPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_url_row))));

  if (!epsimo_client_validate_base_url (text, &error))
    {
      /* Refused in place: the setting keeps its last good value. */
      show_api_url_error (self, error->message);
      return;
    }

  show_api_url_error (self, NULL);
  g_settings_set_string (self->settings, "api-url", text);
}

static void
on_reset_api_url_clicked (EpsimoPreferencesWindow *self)
{
  g_autofree char *url = NULL;

  g_settings_reset (self->settings, "api-url");
  url = g_settings_get_string (self->settings, "api-url");
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), url);
  show_api_url_error (self, NULL);
}

static void
load_api_url (EpsimoPreferencesWindow *self)
{
  g_autofree char *url = epsimo_application_dup_api_url (self->application);

  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), url);
  show_api_url_error (self, NULL);

  if (epsimo_application_api_url_from_environment ())
    {
      /* The environment wins, so editing the preference here would have no effect. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->api_url_row), FALSE);
      gtk_widget_set_visible (self->reset_api_url_button, FALSE);
      adw_preferences_group_set_description (
        self->server_group,
        _("Set by the EPSIMO_API_URL environment variable, which overrides this preference."));
    }
}

static gboolean
color_scheme_to_row (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  if (g_strcmp0 (nick, "light") == 0)
    g_value_set_uint (value, 1);
  else if (g_strcmp0 (nick, "dark") == 0)
    g_value_set_uint (value, 2);
  else
    g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
row_to_color_scheme (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  static const char *nicks[] = { "default", "light", "dark" };
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (nicks))
    selected = 0;
  return g_variant_new_string (nicks[selected]);
}

/* Not in constructed(): GtkWindow:application is set only after construction. */
static void
epsimo_preferences_window_setup (EpsimoPreferencesWindow *self,
                                 EpsimoApplication       *application)
{
  self->application = application;
  self->settings = g_object_ref (epsimo_application_get_settings (application));

  load_api_url (self);
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                color_scheme_to_row, row_to_color_scheme, NULL, NULL);
}

static void
epsimo_preferences_window_dispose (GObject *object)
{
  EpsimoPreferencesWindow *self = EPSIMO_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (epsimo_preferences_window_parent_class)->dispose (object);
}

static void
epsimo_preferences_window_class_init (EpsimoPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/preferences/epsimo-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, EpsimoPreferencesWindow, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoPreferencesWindow,
                                        reset_api_url_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoPreferencesWindow,
                                        api_url_error_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_callback (widget_class, on_api_url_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_api_url_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_api_url_clicked);
}

static void
epsimo_preferences_window_init (EpsimoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
